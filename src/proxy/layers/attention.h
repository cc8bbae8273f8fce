// Multi-head scaled dot-product self-attention (the part between the QKV and
// output projections), forward and backward.
//
// For each example b and head h, with Q, K, V the head's [tokens x head_dim]
// slices:
//   P = softmax(Q K^T / sqrt(head_dim))   (row-wise)
//   O = P V
// Layouts (row-major):
//   qkv   [batch*tokens x 3*dim]: columns [0, dim) are the queries, [dim, 2dim)
//         the keys, [2dim, 3dim) the values; head h uses columns
//         [h*head_dim, (h+1)*head_dim) of each, dim = heads * head_dim.
//   out   [batch*tokens x dim]: the heads' outputs side by side (head h at
//         columns h*head_dim), ready for the output projection.
//   probs [batch x heads x tokens x tokens]: P transposed (row j, column i
//         holds how much query i attends to key j; each column sums to 1),
//         saved for the backward pass. In this orientation the softmax runs
//         down the columns, so its max, sum and scaling are plain vector
//         operations across 16 queries at once instead of horizontal
//         reductions within each row.
//
//   AttentionForward(d, qkv, probs, out);
//   AttentionBackward(d, qkv, probs, dout, scratch, dqkv);
//
// tokens = 16 with head_dim = 16 (the default ViT) runs on hand-written
// fixed-size kernels (broadcast-and-FMA over whole rows, about 2x faster than
// Eigen products on these 16x16 blocks); other shapes take a generic path on
// Eigen products. Both are tested against the same reference. Instantiated
// for float and double; neither function allocates.
#ifndef HERO_PROXY_LAYERS_ATTENTION_H_
#define HERO_PROXY_LAYERS_ATTENTION_H_

namespace hero {

struct AttentionDims {
  int batch = 0;
  int tokens = 0;
  int heads = 0;
  int head_dim = 0;

  int dim() const { return heads * head_dim; }
  // Elements of `probs`.
  int probs_size() const { return batch * heads * tokens * tokens; }
  // Elements of the backward pass's `scratch`.
  int scratch_size() const { return tokens * tokens; }
};

// Writes probs and out. REQUIRES: no overlap between the three buffers.
template <typename T>
void AttentionForward(const AttentionDims& d, const T* qkv, T* probs, T* out);

// Given dout = dL/dout [batch*tokens x dim], overwrites dqkv = dL/dqkv
// [batch*tokens x 3*dim], using the forward pass's qkv and probs.
// scratch holds d.scratch_size() elements. REQUIRES: no overlaps.
template <typename T>
void AttentionBackward(const AttentionDims& d, const T* qkv, const T* probs,
                       const T* dout, T* scratch, T* dqkv);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_ATTENTION_H_
