// Layer normalisation over the last axis, forward and backward.
//
// For each row x of a row-major [rows x dim] matrix:
//   xhat = (x - mean(x)) * rstd,  rstd = 1 / sqrt(var(x) + kLayerNormEpsilon)
//   y    = xhat * gamma + beta
// with the biased variance, as torch.nn.LayerNorm. The forward pass saves
// xhat [rows x dim] and rstd [rows], which is all the backward pass needs.
//
//   LayerNormForward(d, x, gamma, beta, xhat, rstd, y);
//   LayerNormBackward(d, xhat, rstd, gamma, dy, dgamma, dbeta, dx);
//
// Instantiated for float and double; neither function allocates.
#ifndef HERO_PROXY_LAYERS_LAYER_NORM_H_
#define HERO_PROXY_LAYERS_LAYER_NORM_H_

#include "src/proxy/layers/grad_mode.h"

namespace hero {

inline constexpr double kLayerNormEpsilon = 1e-5;

struct LayerNormDims {
  int rows = 0;
  int dim = 0;
};

// Writes xhat, rstd and y. y may alias x; xhat must not.
template <typename T>
void LayerNormForward(const LayerNormDims& d, const T* x, const T* gamma,
                      const T* beta, T* xhat, T* rstd, T* y);

// Writes (or, with GradMode::kAccumulate, adds) dgamma and dbeta ([dim]) and
// ADDS the input gradient to dx ([rows x dim]), which suits a residual
// stream. dx must not alias dy.
template <typename T>
void LayerNormBackward(const LayerNormDims& d, const T* xhat, const T* rstd,
                       const T* gamma, const T* dy, T* dgamma, T* dbeta, T* dx,
                       GradMode mode = GradMode::kOverwrite);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_LAYER_NORM_H_
