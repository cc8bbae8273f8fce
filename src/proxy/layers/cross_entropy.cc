#include "src/proxy/layers/cross_entropy.h"

#include <cassert>
#include <cmath>

namespace hero {

template <typename T>
T SoftmaxCrossEntropy(int rows, int classes, const T* logits,
                      const int32_t* labels, T* dlogits) {
  // The loss sum is accumulated in double: with float it would lose digits
  // over large batches.
  double total = 0.0;
  const T inv_rows = T(1) / rows;
  for (int r = 0; r < rows; ++r) {
    const T* z = logits + r * classes;
    const int32_t label = labels[r];
    assert(label >= 0 && label < classes);
    T max = z[0];
    for (int c = 1; c < classes; ++c) max = z[c] > max ? z[c] : max;
    T sum = 0;
    for (int c = 0; c < classes; ++c) sum += std::exp(z[c] - max);
    const T log_sum = std::log(sum);
    total += static_cast<double>(log_sum + max - z[label]);
    if (dlogits != nullptr) {
      T* dz = dlogits + r * classes;
      const T scale = inv_rows / sum;
      for (int c = 0; c < classes; ++c) dz[c] = std::exp(z[c] - max) * scale;
      dz[label] -= inv_rows;
    }
  }
  return static_cast<T>(total / rows);
}

template float SoftmaxCrossEntropy<float>(int, int, const float*,
                                          const int32_t*, float*);
template double SoftmaxCrossEntropy<double>(int, int, const double*,
                                            const int32_t*, double*);

}  // namespace hero
