// Softmax cross-entropy loss, averaged over the batch.
//
//   loss = mean over rows r of [logsumexp(logits[r]) - logits[r][labels[r]]]
//
// computed stably (the row maximum is subtracted before exponentiating), with
// its gradient dlogits = (softmax(logits) - onehot(labels)) / rows.
//
//   float loss = SoftmaxCrossEntropy(n, 10, logits, labels, dlogits);
//
// Instantiated for float and double; does not allocate.
#ifndef HERO_PROXY_LAYERS_CROSS_ENTROPY_H_
#define HERO_PROXY_LAYERS_CROSS_ENTROPY_H_

#include <cstdint>

namespace hero {

// logits and dlogits are row-major [rows x classes]; dlogits may be null
// (loss only) and may alias logits.
// REQUIRES: rows >= 1, 0 <= labels[r] < classes.
template <typename T>
T SoftmaxCrossEntropy(int rows, int classes, const T* logits,
                      const int32_t* labels, T* dlogits);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_CROSS_ENTROPY_H_
