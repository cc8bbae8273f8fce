#include "src/proxy/vit.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/proxy/layers/cross_entropy.h"
#include "src/proxy/layers/gemm.h"
#include "src/proxy/layers/layer_norm.h"
#include "src/proxy/layers/linear.h"
#include "src/proxy/layers/matrix_map.h"
#include "src/proxy/net_model.h"

namespace hero {
namespace {

TransformerBlockDims BlockDims(const VitOptions& o) {
  const int grid = o.image_size / o.patch_size;
  return TransformerBlockDims{grid * grid, o.dim, o.heads, o.mlp_dim};
}

}  // namespace

absl::Status ValidateVitOptions(const VitOptions& o) {
  const std::pair<const char*, int> sizes[] = {{"image_size", o.image_size},
                                               {"patch_size", o.patch_size},
                                               {"dim", o.dim},
                                               {"depth", o.depth},
                                               {"heads", o.heads},
                                               {"mlp_dim", o.mlp_dim},
                                               {"num_classes", o.num_classes}};
  for (const auto& [name, value] : sizes) {
    if (value < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("vit: ", name, " must be positive, got ", value));
    }
  }
  if (o.image_size % o.patch_size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("vit: patch_size (", o.patch_size,
                     ") must divide image_size (", o.image_size, ")"));
  }
  if (o.dim % o.heads != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "vit: heads (", o.heads, ") must divide dim (", o.dim, ")"));
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::unique_ptr<VitNet<T>>> VitNet<T>::Create(
    const VitOptions& options, int max_batch) {
  if (absl::Status status = ValidateVitOptions(options); !status.ok()) {
    return status;
  }
  if (max_batch < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("vit: max_batch must be positive, got ", max_batch));
  }
  return std::unique_ptr<VitNet>(new VitNet(options, max_batch));
}

template <typename T>
VitNet<T>::VitNet(const VitOptions& options, int max_batch)
    : options_(options),
      max_batch_(max_batch),
      chunk_(std::min(max_batch,
                      std::max(1, kVitChunkRows / BlockDims(options).tokens))),
      tokens_(BlockDims(options).tokens),
      patch_pixels_(options.patch_size * options.patch_size),
      block_scratch_(BlockDims(options), chunk_) {
  const int dim = options.dim, classes = options.num_classes;
  patch_weight_at_ = specs_.Add("patch.weight", int64_t{dim} * patch_pixels_,
                                InitSpec::XavierUniform(patch_pixels_, dim));
  patch_bias_at_ = specs_.Add("patch.bias", dim, InitSpec::Zeros());
  pos_at_ = specs_.Add("pos_embedding", int64_t{tokens_} * dim,
                       InitSpec::Normal(0.02));
  blocks_.reserve(options.depth);
  for (int k = 0; k < options.depth; ++k) {
    blocks_.emplace_back(BlockDims(options), chunk_,
                         absl::StrCat("block", k, "."), &specs_);
  }
  norm_gamma_at_ = specs_.Add("norm.gamma", dim, InitSpec::Ones());
  norm_beta_at_ = specs_.Add("norm.beta", dim, InitSpec::Zeros());
  head_weight_at_ = specs_.Add("head.weight", int64_t{classes} * dim,
                               InitSpec::XavierUniform(dim, classes));
  head_bias_at_ = specs_.Add("head.bias", classes, InitSpec::Zeros());

  const int rows = chunk_ * tokens_;
  ReserveLinear(LinearDims{rows, patch_pixels_, dim}, &block_scratch_.gemm);
  ReserveLinear(LinearDims{chunk_, dim, classes}, &block_scratch_.gemm);
  patches_.resize(int64_t{rows} * patch_pixels_);
  stream_.resize(int64_t{rows} * dim);
  norm_xhat_.resize(int64_t{rows} * dim);
  norm_rstd_.resize(rows);
  norm_out_.resize(int64_t{rows} * dim);
  pooled_.resize(int64_t{chunk_} * dim);
  logits_.resize(int64_t{chunk_} * classes);
  dlogits_.resize(logits_.size());
  d_pooled_.resize(pooled_.size());
  d_norm_out_.resize(int64_t{rows} * dim);
  d_stream_.resize(int64_t{rows} * dim);
}

template <typename T>
void VitNet<T>::Patchify(const T* images, int n) {
  const int size = options_.image_size, patch = options_.patch_size;
  const int grid = size / patch;
  T* out = patches_.data();
  for (int b = 0; b < n; ++b) {
    const T* image = images + int64_t{b} * size * size;
    for (int gy = 0; gy < grid; ++gy) {
      for (int gx = 0; gx < grid; ++gx) {
        for (int py = 0; py < patch; ++py) {
          const T* src = image + (gy * patch + py) * size + gx * patch;
          out = std::copy(src, src + patch, out);
        }
      }
    }
  }
}

template <typename T>
void VitNet<T>::ForwardChunk(const T* params, const T* images, int n,
                             T* logits) {
  const int dim = options_.dim, rows = n * tokens_;
  Patchify(images, n);
  // stream = patches W + bias + pos: fill the first example's tokens with
  // bias + pos, copy that to the others, then accumulate the GEMM.
  const ConstRowVectorMap<T> patch_bias(params + patch_bias_at_, dim);
  for (int t = 0; t < tokens_; ++t) {
    RowVectorMap<T>(stream_.data() + t * dim, dim) =
        ConstRowVectorMap<T>(params + pos_at_ + t * dim, dim) + patch_bias;
  }
  const int64_t per_example = int64_t{tokens_} * dim;
  for (int b = 1; b < n; ++b) {
    std::copy(stream_.data(), stream_.data() + per_example,
              stream_.data() + b * per_example);
  }
  Gemm<T>(GemmShape{rows, dim, patch_pixels_}, /*trans_a=*/false,
          patches_.data(), patch_pixels_, /*trans_b=*/false,
          params + patch_weight_at_, dim, /*accumulate=*/true, stream_.data(),
          dim, &block_scratch_.gemm);

  for (TransformerBlock<T>& block : blocks_) {
    block.Forward(params, n, stream_.data(), &block_scratch_);
  }

  LayerNormForward(LayerNormDims{rows, dim}, stream_.data(),
                   params + norm_gamma_at_, params + norm_beta_at_,
                   norm_xhat_.data(), norm_rstd_.data(), norm_out_.data());
  const T inv_tokens = T(1) / tokens_;
  for (int b = 0; b < n; ++b) {
    RowVectorMap<T> pooled(pooled_.data() + b * dim, dim);
    const T* tokens = norm_out_.data() + b * per_example;
    pooled = ConstRowVectorMap<T>(tokens, dim);
    for (int t = 1; t < tokens_; ++t) {
      pooled += ConstRowVectorMap<T>(tokens + t * dim, dim);
    }
    pooled *= inv_tokens;
  }
  LinearForward(LinearDims{n, dim, options_.num_classes}, pooled_.data(),
                params + head_weight_at_, params + head_bias_at_, logits,
                &block_scratch_.gemm);
}

template <typename T>
void VitNet<T>::BackwardChunk(const T* params, int n, T* grads, GradMode mode) {
  const int dim = options_.dim, rows = n * tokens_;
  GemmWorkspace<T>* gemm = &block_scratch_.gemm;
  LinearBackward(LinearDims{n, dim, options_.num_classes}, pooled_.data(),
                 params + head_weight_at_, dlogits_.data(),
                 grads + head_weight_at_, grads + head_bias_at_,
                 d_pooled_.data(), gemm, mode);
  // Mean pooling spreads each example's gradient evenly over its tokens.
  const T inv_tokens = T(1) / tokens_;
  for (int b = 0; b < n; ++b) {
    const ConstRowVectorMap<T> d_pooled(d_pooled_.data() + b * dim, dim);
    T* d_tokens = d_norm_out_.data() + int64_t{b} * tokens_ * dim;
    for (int t = 0; t < tokens_; ++t) {
      RowVectorMap<T>(d_tokens + t * dim, dim) = d_pooled * inv_tokens;
    }
  }
  std::fill(d_stream_.begin(), d_stream_.begin() + int64_t{rows} * dim, T(0));
  LayerNormBackward(LayerNormDims{rows, dim}, norm_xhat_.data(),
                    norm_rstd_.data(), params + norm_gamma_at_,
                    d_norm_out_.data(), grads + norm_gamma_at_,
                    grads + norm_beta_at_, d_stream_.data(), mode);

  for (int k = options_.depth - 1; k >= 0; --k) {
    blocks_[k].Backward(params, n, d_stream_.data(), grads, &block_scratch_,
                        mode);
  }

  // Patch embedding: the position embedding gets the per-token sum over the
  // chunk; the bias gets the sum over everything.
  LinearBackward(LinearDims{rows, patch_pixels_, dim}, patches_.data(),
                 params + patch_weight_at_, d_stream_.data(),
                 grads + patch_weight_at_, grads + patch_bias_at_,
                 static_cast<T*>(nullptr), gemm, mode);
  MatrixMap<T> d_pos(grads + pos_at_, tokens_, dim);
  if (mode == GradMode::kOverwrite) d_pos.setZero();
  for (int b = 0; b < n; ++b) {
    d_pos += ConstMatrixMap<T>(d_stream_.data() + int64_t{b} * tokens_ * dim,
                               tokens_, dim);
  }
}

template <typename T>
void VitNet<T>::Forward(const T* params, const T* images, int n, T* logits) {
  const int64_t pixels = int64_t{options_.image_size} * options_.image_size;
  for (int start = 0; start < n; start += chunk_) {
    const int m = std::min(chunk_, n - start);
    ForwardChunk(params, images + start * pixels, m,
                 logits + int64_t{start} * options_.num_classes);
  }
}

template <typename T>
T VitNet<T>::ForwardBackward(const T* params, const T* images,
                             const int32_t* labels, int n, T* grads) {
  const int64_t pixels = int64_t{options_.image_size} * options_.image_size;
  const int classes = options_.num_classes;
  double loss_sum = 0;
  for (int start = 0; start < n; start += chunk_) {
    const int m = std::min(chunk_, n - start);
    ForwardChunk(params, images + start * pixels, m, logits_.data());
    const T chunk_loss = SoftmaxCrossEntropy(m, classes, logits_.data(),
                                             labels + start, dlogits_.data());
    loss_sum += static_cast<double>(chunk_loss) * m;
    // dlogits is the gradient of the chunk's mean; the batch mean weighs it
    // by m / n.
    if (m != n) {
      const T weight = T(m) / T(n);
      for (int i = 0; i < m * classes; ++i) dlogits_[i] *= weight;
    }
    BackwardChunk(params, m, grads,
                  start == 0 ? GradMode::kOverwrite : GradMode::kAccumulate);
  }
  return static_cast<T>(loss_sum / n);
}

template class VitNet<float>;
template class VitNet<double>;

absl::StatusOr<std::unique_ptr<Model>> MakeVit(const VitOptions& options,
                                               int max_batch) {
  absl::StatusOr<std::unique_ptr<VitNet<float>>> net =
      VitNet<float>::Create(options, max_batch);
  if (!net.ok()) return net.status();
  return std::unique_ptr<Model>(
      std::make_unique<NetModel<VitNet<float>>>(*std::move(net)));
}

}  // namespace hero
