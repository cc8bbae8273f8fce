// Elementwise activations, forward and backward.
//
//   kRelu: max(x, 0); its derivative at 0 is taken as 0.
//   kGelu: the exact GELU x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2))), as
//          torch.nn.GELU() (not the tanh approximation). In float, erf is
//          Eigen's vectorised rational approximation (a few ulp).
//
//   ActivationForward(Activation::kGelu, n * 256, h, a, cdf);
//   ActivationBackward(Activation::kGelu, n * 256, h, cdf, da, dh);
//
// Instantiated for float and double; neither function allocates.
#ifndef HERO_PROXY_LAYERS_ACTIVATION_H_
#define HERO_PROXY_LAYERS_ACTIVATION_H_

#include <cstdint>

namespace hero {

enum class Activation { kRelu, kGelu };

// Returns "relu" or "gelu".
const char* ActivationName(Activation a);

// y = f(x) elementwise over `size` values; y may alias x. For kGelu, unless
// cdf is null, also writes cdf = Phi(x), which spares the backward pass an
// erf per element (it is then about twice as fast).
template <typename T>
void ActivationForward(Activation a, int64_t size, const T* x, T* y,
                       T* cdf = nullptr);

// dx = f'(x) * dy elementwise; dx may alias dy (not x). For kGelu, cdf is
// the forward pass's Phi(x), or null to recompute it; kRelu ignores it.
template <typename T>
void ActivationBackward(Activation a, int64_t size, const T* x, const T* cdf,
                        const T* dy, T* dx);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_ACTIVATION_H_
