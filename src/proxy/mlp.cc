#include "src/proxy/mlp.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/proxy/layers/cross_entropy.h"
#include "src/proxy/layers/linear.h"
#include "src/proxy/net_model.h"

namespace hero {

absl::Status ValidateMlpOptions(const MlpOptions& options) {
  if (options.input_dim < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mlp: input_dim must be positive, got ", options.input_dim));
  }
  for (size_t i = 0; i < options.hidden.size(); ++i) {
    if (options.hidden[i] < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mlp: hidden[", i, "] must be positive, got ", options.hidden[i]));
    }
  }
  if (options.num_classes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mlp: num_classes must be positive, got ", options.num_classes));
  }
  if (options.activation != Activation::kRelu &&
      options.activation != Activation::kGelu) {
    return absl::InvalidArgumentError("mlp: unknown activation");
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::unique_ptr<MlpNet<T>>> MlpNet<T>::Create(
    const MlpOptions& options, int max_batch) {
  if (absl::Status status = ValidateMlpOptions(options); !status.ok()) {
    return status;
  }
  if (max_batch < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("mlp: max_batch must be positive, got ", max_batch));
  }
  return std::unique_ptr<MlpNet>(new MlpNet(options, max_batch));
}

template <typename T>
MlpNet<T>::MlpNet(const MlpOptions& options, int max_batch)
    : options_(options), max_batch_(max_batch) {
  widths_.push_back(options.input_dim);
  widths_.insert(widths_.end(), options.hidden.begin(), options.hidden.end());
  widths_.push_back(options.num_classes);
  const int layers = static_cast<int>(widths_.size()) - 1;
  for (int i = 0; i < layers; ++i) {
    const int in = widths_[i], out = widths_[i + 1];
    const std::string name = absl::StrCat("fc", i + 1);
    weight_at_.push_back(specs_.Add(absl::StrCat(name, ".weight"),
                                    int64_t{out} * in,
                                    InitSpec::XavierUniform(in, out)));
    bias_at_.push_back(
        specs_.Add(absl::StrCat(name, ".bias"), out, InitSpec::Zeros()));
    ReserveLinear(LinearDims{max_batch, in, out}, &gemm_);
  }
  int widest = 1;
  for (int i = 0; i + 1 < layers; ++i) {
    const int64_t size = int64_t{max_batch} * widths_[i + 1];
    pre_.emplace_back(size);
    // ReLU runs in place: its backward only needs the sign, which the output
    // keeps. GELU's backward needs the pre-activation and reuses Phi of it.
    const bool gelu = options.activation == Activation::kGelu;
    post_.emplace_back(gelu ? size : 0);
    cdf_.emplace_back(gelu ? size : 0);
    widest = std::max(widest, widths_[i + 1]);
  }
  logits_.resize(int64_t{max_batch} * options.num_classes);
  dlogits_.resize(logits_.size());
  grad_a_.resize(int64_t{max_batch} * widest);
  grad_b_.resize(grad_a_.size());
}

template <typename T>
void MlpNet<T>::Forward(const T* params, const T* images, int n, T* logits) {
  const int layers = static_cast<int>(widths_.size()) - 1;
  const T* in = images;
  for (int i = 0; i + 1 < layers; ++i) {
    T* pre = pre_[i].data();
    T* post = post_[i].empty() ? pre : post_[i].data();
    LinearForward(LinearDims{n, widths_[i], widths_[i + 1]}, in,
                  params + weight_at_[i], params + bias_at_[i], pre, &gemm_);
    ActivationForward(options_.activation, int64_t{n} * widths_[i + 1], pre,
                      post, cdf_[i].empty() ? nullptr : cdf_[i].data());
    in = post;
  }
  LinearForward(LinearDims{n, widths_[layers - 1], widths_[layers]}, in,
                params + weight_at_[layers - 1], params + bias_at_[layers - 1],
                logits, &gemm_);
}

template <typename T>
T MlpNet<T>::ForwardBackward(const T* params, const T* images,
                             const int32_t* labels, int n, T* grads) {
  Forward(params, images, n, logits_.data());
  const T loss = SoftmaxCrossEntropy(n, options_.num_classes, logits_.data(),
                                     labels, dlogits_.data());
  const int layers = static_cast<int>(widths_.size()) - 1;
  const T* dy = dlogits_.data();
  T* spare = grad_a_.data();
  T* other = grad_b_.data();
  for (int i = layers - 1; i >= 0; --i) {
    const T* in;
    if (i == 0) {
      in = images;
    } else {
      in = post_[i - 1].empty() ? pre_[i - 1].data() : post_[i - 1].data();
    }
    T* dx = i == 0 ? nullptr : spare;
    LinearBackward(LinearDims{n, widths_[i], widths_[i + 1]}, in,
                   params + weight_at_[i], dy, grads + weight_at_[i],
                   grads + bias_at_[i], dx, &gemm_);
    if (i > 0) {
      // For ReLU, pre_ holds the (in-place) output, whose sign is the same.
      ActivationBackward(
          options_.activation, int64_t{n} * widths_[i], pre_[i - 1].data(),
          cdf_[i - 1].empty() ? nullptr : cdf_[i - 1].data(), dx, dx);
      dy = dx;
      std::swap(spare, other);
    }
  }
  return loss;
}

template class MlpNet<float>;
template class MlpNet<double>;

absl::StatusOr<std::unique_ptr<Model>> MakeMlp(const MlpOptions& options,
                                               int max_batch) {
  absl::StatusOr<std::unique_ptr<MlpNet<float>>> net =
      MlpNet<float>::Create(options, max_batch);
  if (!net.ok()) return net.status();
  return std::unique_ptr<Model>(
      std::make_unique<NetModel<MlpNet<float>>>(*std::move(net)));
}

}  // namespace hero
