// TransformerBlock: one pre-norm ViT encoder block with hand-written backward.
//
//   x += Attention(LayerNorm1(x))           (multi-head self-attention with
//                                            QKV and output projections)
//   x += Fc2(Gelu(Fc1(LayerNorm2(x))))      (the MLP, dim -> mlp_dim -> dim)
//
// x is the residual stream, row-major [batch*tokens x dim], updated in place.
// The block registers its tensors in the model's ParameterSpecs, in this
// order (weights row-major [in x out], see linear.h; init in brackets):
//   {prefix}ln1.gamma        [dim]            (1)
//   {prefix}ln1.beta         [dim]            (0)
//   {prefix}attn.qkv.weight  [dim x 3*dim]    (Xavier uniform, fan_in =
//                                              fan_out = dim)
//   {prefix}attn.qkv.bias    [3*dim]          (0)
//   {prefix}attn.out.weight  [dim x dim]      (Xavier uniform)
//   {prefix}attn.out.bias    [dim]            (0)
//   {prefix}ln2.gamma        [dim]            (1)
//   {prefix}ln2.beta         [dim]            (0)
//   {prefix}mlp.fc1.weight   [dim x mlp_dim]  (Xavier uniform)
//   {prefix}mlp.fc1.bias     [mlp_dim]        (0)
//   {prefix}mlp.fc2.weight   [mlp_dim x dim]  (Xavier uniform)
//   {prefix}mlp.fc2.bias     [dim]            (0)
// attn.qkv.weight holds the query, key and value projections side by side:
// output columns [0, dim) are the queries, [dim, 2*dim) the keys and
// [2*dim, 3*dim) the values; head h uses columns [h*head_dim,
// (h+1)*head_dim) of each. Its init equals three separate dim x dim Xavier
// projections.
// The projections are one tensor (as timm's qkv Linear and
// torch.nn.MultiheadAttention's in_proj_weight) so they run as one GEMM.
//
//   ParameterSpecs specs;
//   TransformerBlock<float> block(dims, max_batch, "block0.", &specs);
//   TransformerBlockScratch<float> scratch(dims, max_batch);
//   block.Forward(params, n, x, &scratch);
//   block.Backward(params, n, dx, grads, &scratch);
//
// Thread-safety: not thread-safe (owns the saved activations). All buffers are
// allocated in the constructor; Forward and Backward do not allocate.
#ifndef HERO_PROXY_LAYERS_TRANSFORMER_BLOCK_H_
#define HERO_PROXY_LAYERS_TRANSFORMER_BLOCK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "src/proxy/layers/gemm.h"
#include "src/proxy/layers/grad_mode.h"
#include "src/proxy/layers/matrix_map.h"
#include "src/proxy/layers/parameter_specs.h"

namespace hero {

struct TransformerBlockDims {
  int tokens = 0;
  int dim = 0;
  int heads = 0;  // REQUIRES: dim % heads == 0
  int mlp_dim = 0;
};

// Temporaries shareable by all blocks of a model: the backward pass's
// gradients of activations and the GEMM packing buffers (reserved for the
// block's products; a model may reserve more shapes in `gemm`).
template <typename T>
struct TransformerBlockScratch {
  TransformerBlockScratch(const TransformerBlockDims& d, int max_batch);

  GemmWorkspace<T> gemm;

  AlignedVector<T> d_norm;     // [rows x dim]: dL/d(LayerNorm output)
  AlignedVector<T> d_attn;     // [rows x dim]: dL/d(attention output)
  AlignedVector<T> d_qkv;      // [rows x 3*dim]
  AlignedVector<T> d_hidden;   // [rows x mlp_dim]
  AlignedVector<T> attention;  // AttentionDims::scratch_size()
};

template <typename T>
class TransformerBlock {
 public:
  // Appends the block's tensors to `specs`, names prefixed with `prefix`.
  TransformerBlock(const TransformerBlockDims& dims, int max_batch,
                   const std::string& prefix, ParameterSpecs* specs);

  TransformerBlock(const TransformerBlock&) = delete;
  TransformerBlock& operator=(const TransformerBlock&) = delete;
  TransformerBlock(TransformerBlock&&) = default;

  // x [n*tokens x dim] <- block(x); saves what Backward needs.
  // `params` is the whole model's buffer. REQUIRES: 1 <= n <= max_batch.
  void Forward(const T* params, int n, T* x,
               TransformerBlockScratch<T>* scratch);

  // On entry dx is dL/d(block output), on return dL/d(block input). Writes
  // (or, with GradMode::kAccumulate, adds to) the block's segments of `grads`
  // (the whole model's gradient buffer).
  // REQUIRES: the last Forward had the same params and n.
  void Backward(const T* params, int n, T* dx, T* grads,
                TransformerBlockScratch<T>* scratch,
                GradMode mode = GradMode::kOverwrite);

 private:
  struct Offsets {
    int64_t ln1_gamma, ln1_beta, qkv_weight, qkv_bias, out_weight, out_bias;
    int64_t ln2_gamma, ln2_beta, fc1_weight, fc1_bias, fc2_weight, fc2_bias;
  };

  TransformerBlockDims dims_;
  Offsets at_;
  // Saved activations, sized for max_batch * tokens rows.
  AlignedVector<T> ln1_xhat_, ln1_rstd_, ln1_out_;
  AlignedVector<T> qkv_, probs_, attn_;
  AlignedVector<T> ln2_xhat_, ln2_rstd_, ln2_out_;
  AlignedVector<T> hidden_pre_, hidden_, hidden_cdf_;  // GELU x, y, Phi(x)
};

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_TRANSFORMER_BLOCK_H_
