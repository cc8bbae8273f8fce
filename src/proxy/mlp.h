// The MLP proxy model: input -> [Linear -> activation] x hidden -> Linear.
//
//   MlpOptions options;  // 784-256-10, ReLU
//   options.activation = Activation::kGelu;
//   absl::StatusOr<std::unique_ptr<Model>> model =
//       MakeMlp(options, /*max_batch=*/128);
//
// Parameter layout, in order, for layer i = 1 .. hidden.size() + 1 (the last
// one is the classifier head):
//   fc{i}.weight  [in x out], row-major: y = x W + b (the JAX/flax kernel
//                 convention, the transpose of torch.nn.Linear.weight; see
//                 layers/linear.h for why)
//   fc{i}.bias    [out]
// Initialisation: weights Glorot/Xavier uniform U(-a, a), a = sqrt(6 / (in +
// out)); biases 0. See layers/parameter_specs.h for the generator.
//
// MlpNet<T> is the implementation, templated on the scalar type so tests can
// check gradients in double; MakeMlp wraps MlpNet<float> as a Model.
// Thread-safety: not thread-safe (owns scratch buffers).
#ifndef HERO_PROXY_MLP_H_
#define HERO_PROXY_MLP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/interpreter/parameter_layout.h"
#include "src/proxy/layers/activation.h"
#include "src/proxy/layers/gemm.h"
#include "src/proxy/layers/matrix_map.h"
#include "src/proxy/layers/parameter_specs.h"
#include "src/proxy/model.h"

namespace hero {

struct MlpOptions {
  int input_dim = 784;
  std::vector<int> hidden = {256};  // may be empty (a linear classifier)
  int num_classes = 10;
  Activation activation = Activation::kRelu;  // kRelu or kGelu
};

// OK iff every size is positive.
absl::Status ValidateMlpOptions(const MlpOptions& options);

template <typename T>
class MlpNet {
 public:
  // InvalidArgument if the options are invalid or max_batch < 1.
  static absl::StatusOr<std::unique_ptr<MlpNet>> Create(
      const MlpOptions& options, int max_batch);

  MlpNet(const MlpNet&) = delete;
  MlpNet& operator=(const MlpNet&) = delete;

  // The methods of Model (see model.h), on T.
  const ParameterLayout& layout() const { return specs_.layout(); }
  int num_classes() const { return options_.num_classes; }
  int max_batch() const { return max_batch_; }
  void Init(uint64_t seed, T* params) const { specs_.Init(seed, params); }
  T ForwardBackward(const T* params, const T* images, const int32_t* labels,
                    int n, T* grads);
  void Forward(const T* params, const T* images, int n, T* logits);

 private:
  MlpNet(const MlpOptions& options, int max_batch);

  MlpOptions options_;
  int max_batch_;
  ParameterSpecs specs_;
  std::vector<int> widths_;  // input_dim, hidden..., num_classes
  std::vector<int64_t> weight_at_, bias_at_;  // per layer
  // Per hidden layer, [max_batch x width]: pre-activation, activation and
  // (GELU only) Phi(pre-activation).
  std::vector<AlignedVector<T>> pre_, post_, cdf_;
  AlignedVector<T> logits_, dlogits_;
  AlignedVector<T> grad_a_, grad_b_;  // ping-pong [max_batch x max width]
  GemmWorkspace<T> gemm_;
};

// The MLP as a Model (float).
absl::StatusOr<std::unique_ptr<Model>> MakeMlp(const MlpOptions& options,
                                               int max_batch);

}  // namespace hero

#endif  // HERO_PROXY_MLP_H_
