// The ViT proxy model (the paper's small vision transformer).
//
//   image [image_size^2], row-major
//     -> patches: (image_size/patch_size)^2 tokens of patch_size^2 pixels,
//        tokens in row-major grid order, pixels row-major inside a patch
//     -> patch embedding Linear(patch_size^2 -> dim) + learned position
//        embedding [tokens x dim]
//     -> depth x pre-norm transformer block (layers/transformer_block.h):
//          x += MHSA(LayerNorm(x)); x += Linear(Gelu(Linear(LayerNorm(x))))
//     -> final LayerNorm -> mean over tokens -> Linear(dim -> num_classes).
// LayerNorm epsilon is 1e-5, GELU is exact (erf); see layers/.
//
//   absl::StatusOr<std::unique_ptr<Model>> model = MakeVit(VitOptions{}, 128);
//
// Parameter layout, in order (weights row-major [in x out], y = x W + b, the
// JAX/flax kernel convention; see layers/linear.h):
//   patch.weight [patch_size^2 x dim]  Xavier uniform (fan_in patch_size^2,
//                                      fan_out dim); rows in the patch's
//                                      row-major pixel order
//   patch.bias [dim]                   0
//   pos_embedding [tokens x dim]       N(0, 0.02^2)
//   block{k}.* for k = 0 .. depth-1    see layers/transformer_block.h
//                                      (LayerNorm gamma 1 / beta 0, linear
//                                      weights Xavier uniform, biases 0)
//   norm.gamma [dim] 1, norm.beta [dim] 0
//   head.weight [dim x num_classes]    Xavier uniform
//   head.bias [num_classes]            0
// The default options give 71,946 parameters.
//
// VitNet<T> is the implementation, templated on the scalar type so tests can
// check gradients in double; MakeVit wraps VitNet<float> as a Model.
//
// Performance: a batch runs as consecutive chunks of about kVitChunkRows
// tokens (8 examples of 16 tokens), each through the whole forward and
// backward pass, with parameter gradients accumulated over the chunks. A
// chunk's activations then stay in the L2 cache: about 1.35x faster than
// whole-batch layers at batch 128 (measured with tools/bench:model_bench),
// and the activation memory no longer grows with max_batch. The chunking
// only changes the order of floating-point sums; results are deterministic
// for a given batch.
// Thread-safety: not thread-safe (owns scratch buffers).
#ifndef HERO_PROXY_VIT_H_
#define HERO_PROXY_VIT_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/interpreter/parameter_layout.h"
#include "src/proxy/layers/grad_mode.h"
#include "src/proxy/layers/matrix_map.h"
#include "src/proxy/layers/parameter_specs.h"
#include "src/proxy/layers/transformer_block.h"
#include "src/proxy/model.h"

namespace hero {

inline constexpr int kVitChunkRows = 128;

struct VitOptions {
  int image_size = 28;  // images are image_size x image_size, one channel
  int patch_size = 7;
  int dim = 64;
  int depth = 2;
  int heads = 4;
  int mlp_dim = 128;
  int num_classes = 10;
};

// OK iff all sizes are positive, patch_size divides image_size and heads
// divides dim.
absl::Status ValidateVitOptions(const VitOptions& options);

template <typename T>
class VitNet {
 public:
  // InvalidArgument if the options are invalid or max_batch < 1.
  static absl::StatusOr<std::unique_ptr<VitNet>> Create(
      const VitOptions& options, int max_batch);

  VitNet(const VitNet&) = delete;
  VitNet& operator=(const VitNet&) = delete;

  // The methods of Model (see model.h), on T; images have image_size^2
  // pixels each.
  const ParameterLayout& layout() const { return specs_.layout(); }
  int num_classes() const { return options_.num_classes; }
  int max_batch() const { return max_batch_; }
  void Init(uint64_t seed, T* params) const { specs_.Init(seed, params); }
  T ForwardBackward(const T* params, const T* images, const int32_t* labels,
                    int n, T* grads);
  void Forward(const T* params, const T* images, int n, T* logits);

 private:
  VitNet(const VitOptions& options, int max_batch);

  // Cuts n images into patches_ ([n*tokens x patch_size^2]).
  void Patchify(const T* images, int n);
  // Forward pass of n <= chunk_ examples; writes n x num_classes logits.
  void ForwardChunk(const T* params, const T* images, int n, T* logits);
  // Backward pass of the last ForwardChunk, from dlogits_.
  void BackwardChunk(const T* params, int n, T* grads, GradMode mode);

  VitOptions options_;
  int max_batch_;
  int chunk_;  // examples per chunk
  int tokens_;
  int patch_pixels_;
  ParameterSpecs specs_;
  int64_t patch_weight_at_, patch_bias_at_, pos_at_;
  int64_t norm_gamma_at_, norm_beta_at_, head_weight_at_, head_bias_at_;
  std::vector<TransformerBlock<T>> blocks_;
  TransformerBlockScratch<T> block_scratch_;
  // Activations, sized for one chunk.
  AlignedVector<T> patches_;  // [rows x patch_pixels]
  AlignedVector<T> stream_;   // [rows x dim], the residual stream
  AlignedVector<T> norm_xhat_, norm_rstd_, norm_out_;
  AlignedVector<T> pooled_;  // [chunk x dim]
  AlignedVector<T> logits_, dlogits_;
  AlignedVector<T> d_pooled_;    // [chunk x dim]
  AlignedVector<T> d_norm_out_;  // [rows x dim]
  AlignedVector<T> d_stream_;    // [rows x dim]
};

// The ViT as a Model (float).
absl::StatusOr<std::unique_ptr<Model>> MakeVit(const VitOptions& options,
                                               int max_batch);

}  // namespace hero

#endif  // HERO_PROXY_VIT_H_
