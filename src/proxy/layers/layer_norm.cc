#include "src/proxy/layers/layer_norm.h"

#include <Eigen/Core>
#include <cmath>

namespace hero {
namespace {

// N is the row length at compile time (Eigen::Dynamic for any length). Fixed
// lengths let Eigen unroll each row into a few packets, without the runtime
// alignment prologue and loop of the dynamic case, which dominated for
// dim = 64. Fixed-size reductions also have a fixed order, whatever the
// buffers' alignment.
template <typename T, int N>
using Row = Eigen::Array<T, 1, N>;
template <typename T, int N>
using RowMap = Eigen::Map<Row<T, N>>;
template <typename T, int N>
using ConstRowMap = Eigen::Map<const Row<T, N>>;

template <typename T, int N>
void Forward(const LayerNormDims& d, const T* x, const T* gamma, const T* beta,
             T* xhat, T* rstd, T* y) {
  const int n = d.dim;
  const ConstRowMap<T, N> g(gamma, n), b(beta, n);
  const T inv_n = T(1) / n;
  for (int r = 0; r < d.rows; ++r) {
    const Row<T, N> xr = ConstRowMap<T, N>(x + r * n, n);
    const Row<T, N> centered = xr - xr.sum() * inv_n;
    const T s = T(1) / std::sqrt(centered.square().sum() * inv_n +
                                 T(kLayerNormEpsilon));
    rstd[r] = s;
    const Row<T, N> hr = centered * s;
    RowMap<T, N>(xhat + r * n, n) = hr;
    RowMap<T, N>(y + r * n, n) = hr * g + b;
  }
}

template <typename T, int N>
void Backward(const LayerNormDims& d, const T* xhat, const T* rstd,
              const T* gamma, const T* dy, T* dgamma, T* dbeta, T* dx,
              GradMode mode) {
  const int n = d.dim;
  Row<T, N> dg = Row<T, N>::Zero(n), db = Row<T, N>::Zero(n);
  const ConstRowMap<T, N> g(gamma, n);
  const T inv_n = T(1) / n;
  for (int r = 0; r < d.rows; ++r) {
    const ConstRowMap<T, N> hr(xhat + r * n, n);
    const ConstRowMap<T, N> dyr(dy + r * n, n);
    dg += dyr * hr;
    db += dyr;
    // With u = dy * gamma:
    //   dx = rstd * (u - mean(u) - xhat * mean(u * xhat)).
    const Row<T, N> u = dyr * g;
    const T mean_u = u.sum() * inv_n;
    const T mean_uh = (u * hr).sum() * inv_n;
    RowMap<T, N>(dx + r * n, n) += rstd[r] * (u - mean_u - hr * mean_uh);
  }
  RowMap<T, N> dgm(dgamma, n), dbm(dbeta, n);
  if (mode == GradMode::kOverwrite) {
    dgm = dg;
    dbm = db;
  } else {
    dgm += dg;
    dbm += db;
  }
}

}  // namespace

template <typename T>
void LayerNormForward(const LayerNormDims& d, const T* x, const T* gamma,
                      const T* beta, T* xhat, T* rstd, T* y) {
  switch (d.dim) {
    case 32:
      return Forward<T, 32>(d, x, gamma, beta, xhat, rstd, y);
    case 64:
      return Forward<T, 64>(d, x, gamma, beta, xhat, rstd, y);
    case 128:
      return Forward<T, 128>(d, x, gamma, beta, xhat, rstd, y);
    default:
      return Forward<T, Eigen::Dynamic>(d, x, gamma, beta, xhat, rstd, y);
  }
}

template <typename T>
void LayerNormBackward(const LayerNormDims& d, const T* xhat, const T* rstd,
                       const T* gamma, const T* dy, T* dgamma, T* dbeta, T* dx,
                       GradMode mode) {
  switch (d.dim) {
    case 32:
      return Backward<T, 32>(d, xhat, rstd, gamma, dy, dgamma, dbeta, dx, mode);
    case 64:
      return Backward<T, 64>(d, xhat, rstd, gamma, dy, dgamma, dbeta, dx, mode);
    case 128:
      return Backward<T, 128>(d, xhat, rstd, gamma, dy, dgamma, dbeta, dx,
                              mode);
    default:
      return Backward<T, Eigen::Dynamic>(d, xhat, rstd, gamma, dy, dgamma,
                                         dbeta, dx, mode);
  }
}

#define HERO_INSTANTIATE(T)                                                    \
  template void LayerNormForward<T>(const LayerNormDims&, const T*, const T*,  \
                                    const T*, T*, T*, T*);                     \
  template void LayerNormBackward<T>(const LayerNormDims&, const T*, const T*, \
                                     const T*, const T*, T*, T*, T*,           \
                                     GradMode);
HERO_INSTANTIATE(float)
HERO_INSTANTIATE(double)
#undef HERO_INSTANTIATE

}  // namespace hero
