#include "src/proxy/layers/transformer_block.h"

#include "src/proxy/layers/activation.h"
#include "src/proxy/layers/attention.h"
#include "src/proxy/layers/layer_norm.h"
#include "src/proxy/layers/linear.h"

namespace hero {

template <typename T>
TransformerBlockScratch<T>::TransformerBlockScratch(
    const TransformerBlockDims& d, int max_batch) {
  const int64_t rows = int64_t{max_batch} * d.tokens;
  d_norm.resize(rows * d.dim);
  d_attn.resize(rows * d.dim);
  d_qkv.resize(rows * 3 * d.dim);
  d_hidden.resize(rows * d.mlp_dim);
  attention.resize(d.tokens * d.tokens);
  const int max_rows = max_batch * d.tokens;
  ReserveLinear(LinearDims{max_rows, d.dim, 3 * d.dim}, &gemm);
  ReserveLinear(LinearDims{max_rows, d.dim, d.dim}, &gemm);
  ReserveLinear(LinearDims{max_rows, d.dim, d.mlp_dim}, &gemm);
  ReserveLinear(LinearDims{max_rows, d.mlp_dim, d.dim}, &gemm);
}

template <typename T>
TransformerBlock<T>::TransformerBlock(const TransformerBlockDims& dims,
                                      int max_batch, const std::string& prefix,
                                      ParameterSpecs* specs)
    : dims_(dims) {
  const int dim = dims.dim, mlp = dims.mlp_dim;
  auto add = [&](const char* name, int64_t size, InitSpec init) {
    return specs->Add(prefix + name, size, init);
  };
  const InitSpec attn_init = InitSpec::XavierUniform(dim, dim);
  at_.ln1_gamma = add("ln1.gamma", dim, InitSpec::Ones());
  at_.ln1_beta = add("ln1.beta", dim, InitSpec::Zeros());
  at_.qkv_weight = add("attn.qkv.weight", dim * 3 * dim, attn_init);
  at_.qkv_bias = add("attn.qkv.bias", 3 * dim, InitSpec::Zeros());
  at_.out_weight = add("attn.out.weight", dim * dim, attn_init);
  at_.out_bias = add("attn.out.bias", dim, InitSpec::Zeros());
  at_.ln2_gamma = add("ln2.gamma", dim, InitSpec::Ones());
  at_.ln2_beta = add("ln2.beta", dim, InitSpec::Zeros());
  at_.fc1_weight =
      add("mlp.fc1.weight", mlp * dim, InitSpec::XavierUniform(dim, mlp));
  at_.fc1_bias = add("mlp.fc1.bias", mlp, InitSpec::Zeros());
  at_.fc2_weight =
      add("mlp.fc2.weight", dim * mlp, InitSpec::XavierUniform(mlp, dim));
  at_.fc2_bias = add("mlp.fc2.bias", dim, InitSpec::Zeros());

  const int64_t rows = int64_t{max_batch} * dims.tokens;
  ln1_xhat_.resize(rows * dim);
  ln1_rstd_.resize(rows);
  ln1_out_.resize(rows * dim);
  qkv_.resize(rows * 3 * dim);
  probs_.resize(rows * dims.heads * dims.tokens);
  attn_.resize(rows * dim);
  ln2_xhat_.resize(rows * dim);
  ln2_rstd_.resize(rows);
  ln2_out_.resize(rows * dim);
  hidden_pre_.resize(rows * mlp);
  hidden_.resize(rows * mlp);
  hidden_cdf_.resize(rows * mlp);
}

template <typename T>
void TransformerBlock<T>::Forward(const T* params, int n, T* x,
                                  TransformerBlockScratch<T>* s) {
  GemmWorkspace<T>* gemm = &s->gemm;
  const int rows = n * dims_.tokens, dim = dims_.dim, mlp = dims_.mlp_dim;
  const LayerNormDims norm{rows, dim};
  const AttentionDims attention{n, dims_.tokens, dims_.heads,
                                dim / dims_.heads};
  LayerNormForward(norm, x, params + at_.ln1_gamma, params + at_.ln1_beta,
                   ln1_xhat_.data(), ln1_rstd_.data(), ln1_out_.data());
  LinearForward(LinearDims{rows, dim, 3 * dim}, ln1_out_.data(),
                params + at_.qkv_weight, params + at_.qkv_bias, qkv_.data(),
                gemm);
  AttentionForward(attention, qkv_.data(), probs_.data(), attn_.data());
  LinearForwardAdd(LinearDims{rows, dim, dim}, attn_.data(),
                   params + at_.out_weight, params + at_.out_bias, x, gemm);

  LayerNormForward(norm, x, params + at_.ln2_gamma, params + at_.ln2_beta,
                   ln2_xhat_.data(), ln2_rstd_.data(), ln2_out_.data());
  LinearForward(LinearDims{rows, dim, mlp}, ln2_out_.data(),
                params + at_.fc1_weight, params + at_.fc1_bias,
                hidden_pre_.data(), gemm);
  ActivationForward(Activation::kGelu, int64_t{rows} * mlp, hidden_pre_.data(),
                    hidden_.data(), hidden_cdf_.data());
  LinearForwardAdd(LinearDims{rows, mlp, dim}, hidden_.data(),
                   params + at_.fc2_weight, params + at_.fc2_bias, x, gemm);
}

template <typename T>
void TransformerBlock<T>::Backward(const T* params, int n, T* dx, T* grads,
                                   TransformerBlockScratch<T>* s,
                                   GradMode mode) {
  GemmWorkspace<T>* gemm = &s->gemm;
  const int rows = n * dims_.tokens, dim = dims_.dim, mlp = dims_.mlp_dim;
  const LayerNormDims norm{rows, dim};
  const AttentionDims attention{n, dims_.tokens, dims_.heads,
                                dim / dims_.heads};
  // MLP branch; the residual passes dx through unchanged.
  LinearBackward(LinearDims{rows, mlp, dim}, hidden_.data(),
                 params + at_.fc2_weight, dx, grads + at_.fc2_weight,
                 grads + at_.fc2_bias, s->d_hidden.data(), gemm, mode);
  ActivationBackward(Activation::kGelu, int64_t{rows} * mlp, hidden_pre_.data(),
                     hidden_cdf_.data(), s->d_hidden.data(),
                     s->d_hidden.data());
  LinearBackward(LinearDims{rows, dim, mlp}, ln2_out_.data(),
                 params + at_.fc1_weight, s->d_hidden.data(),
                 grads + at_.fc1_weight, grads + at_.fc1_bias, s->d_norm.data(),
                 gemm, mode);
  LayerNormBackward(norm, ln2_xhat_.data(), ln2_rstd_.data(),
                    params + at_.ln2_gamma, s->d_norm.data(),
                    grads + at_.ln2_gamma, grads + at_.ln2_beta, dx, mode);

  // Attention branch.
  LinearBackward(LinearDims{rows, dim, dim}, attn_.data(),
                 params + at_.out_weight, dx, grads + at_.out_weight,
                 grads + at_.out_bias, s->d_attn.data(), gemm, mode);
  AttentionBackward(attention, qkv_.data(), probs_.data(), s->d_attn.data(),
                    s->attention.data(), s->d_qkv.data());
  LinearBackward(LinearDims{rows, dim, 3 * dim}, ln1_out_.data(),
                 params + at_.qkv_weight, s->d_qkv.data(),
                 grads + at_.qkv_weight, grads + at_.qkv_bias, s->d_norm.data(),
                 gemm, mode);
  LayerNormBackward(norm, ln1_xhat_.data(), ln1_rstd_.data(),
                    params + at_.ln1_gamma, s->d_norm.data(),
                    grads + at_.ln1_gamma, grads + at_.ln1_beta, dx, mode);
}

template struct TransformerBlockScratch<float>;
template struct TransformerBlockScratch<double>;
template class TransformerBlock<float>;
template class TransformerBlock<double>;

}  // namespace hero
