// GradMode: whether a backward pass overwrites or adds to parameter
// gradients. Models that split a batch into chunks overwrite on the first
// chunk and accumulate on the others.
#ifndef HERO_PROXY_LAYERS_GRAD_MODE_H_
#define HERO_PROXY_LAYERS_GRAD_MODE_H_

namespace hero {

enum class GradMode { kOverwrite, kAccumulate };

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_GRAD_MODE_H_
