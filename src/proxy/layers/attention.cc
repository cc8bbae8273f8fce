#include "src/proxy/layers/attention.h"

#include <Eigen/Core>
#include <cmath>

namespace hero {
namespace {

// One head's [L x D] slice of qkv, out, dout or dqkv (rows are strided).
template <typename T, int L, int D>
using HeadMap = Eigen::Map<Eigen::Matrix<T, L, D, Eigen::RowMajor>, 0,
                           Eigen::OuterStride<>>;
template <typename T, int L, int D>
using ConstHeadMap = Eigen::Map<const Eigen::Matrix<T, L, D, Eigen::RowMajor>,
                                0, Eigen::OuterStride<>>;
// One head's [L x L] attention matrix (contiguous).
template <typename T, int L>
using SquareMap = Eigen::Map<Eigen::Matrix<T, L, L, Eigen::RowMajor>>;
template <typename T, int L>
using ConstSquareMap =
    Eigen::Map<const Eigen::Matrix<T, L, L, Eigen::RowMajor>>;

// ---------------------------------------------------------------------------
// Generic shapes: Eigen products on strided maps.

template <typename T>
void ForwardGeneric(const AttentionDims& d, const T* qkv, T* probs, T* out) {
  constexpr int X = Eigen::Dynamic;
  const int n = d.tokens, hd = d.head_dim, dim = d.dim();
  const Eigen::OuterStride<> qkv_stride(3 * dim), out_stride(dim);
  const T scale = T(1) / std::sqrt(T(hd));
  for (int b = 0; b < d.batch; ++b) {
    for (int h = 0; h < d.heads; ++h) {
      const T* base = qkv + b * n * 3 * dim + h * hd;
      ConstHeadMap<T, X, X> q(base, n, hd, qkv_stride);
      ConstHeadMap<T, X, X> k(base + dim, n, hd, qkv_stride);
      ConstHeadMap<T, X, X> v(base + 2 * dim, n, hd, qkv_stride);
      SquareMap<T, X> pt(probs + (b * d.heads + h) * n * n, n, n);
      pt.noalias() = (k * q.transpose()) * scale;
      for (int i = 0; i < n; ++i) {
        auto column = pt.col(i).array();
        column = (column - column.maxCoeff()).exp();
        column *= T(1) / column.sum();
      }
      HeadMap<T, X, X> o(out + b * n * dim + h * hd, n, hd, out_stride);
      o.noalias() = pt.transpose() * v;
    }
  }
}

template <typename T>
void BackwardGeneric(const AttentionDims& d, const T* qkv, const T* probs,
                     const T* dout, T* scratch, T* dqkv) {
  constexpr int X = Eigen::Dynamic;
  const int n = d.tokens, hd = d.head_dim, dim = d.dim();
  const Eigen::OuterStride<> qkv_stride(3 * dim), out_stride(dim);
  const T scale = T(1) / std::sqrt(T(hd));
  SquareMap<T, X> dst(scratch, n, n);
  for (int b = 0; b < d.batch; ++b) {
    for (int h = 0; h < d.heads; ++h) {
      const int offset = b * n * 3 * dim + h * hd;
      ConstHeadMap<T, X, X> q(qkv + offset, n, hd, qkv_stride);
      ConstHeadMap<T, X, X> k(qkv + offset + dim, n, hd, qkv_stride);
      ConstHeadMap<T, X, X> v(qkv + offset + 2 * dim, n, hd, qkv_stride);
      HeadMap<T, X, X> dq(dqkv + offset, n, hd, qkv_stride);
      HeadMap<T, X, X> dk(dqkv + offset + dim, n, hd, qkv_stride);
      HeadMap<T, X, X> dv(dqkv + offset + 2 * dim, n, hd, qkv_stride);
      ConstSquareMap<T, X> pt(probs + (b * d.heads + h) * n * n, n, n);
      ConstHeadMap<T, X, X> dout_h(dout + b * n * dim + h * hd, n, hd,
                                   out_stride);
      dv.noalias() = pt * dout_h;
      // dP^T = V dO^T, then through each column's softmax:
      //   dS^T = P^T * (dP^T - colsum(dP^T * P^T)), times the 1/sqrt scale.
      dst.noalias() = v * dout_h.transpose();
      for (int i = 0; i < n; ++i) {
        const T dot = dst.col(i).dot(pt.col(i));
        dst.col(i).array() =
            scale * pt.col(i).array() * (dst.col(i).array() - dot);
      }
      dq.noalias() = dst.transpose() * k;
      dk.noalias() = dst * q;
    }
  }
}

// ---------------------------------------------------------------------------
// Fixed shapes (tokens L, head_dim D known at compile time): Eigen's GEMM has
// too much per-call overhead for 16x16 blocks and its coefficient-based
// product does not vectorise over strided maps, so these small products are
// written out as broadcast-and-FMA over whole rows.

template <typename T, int N>
using Row = Eigen::Array<T, 1, N>;
template <typename T, int N>
using ConstRowMap = Eigen::Map<const Row<T, N>>;
template <typename T, int N>
using RowMap = Eigen::Map<Row<T, N>>;

// C = alpha * A B with A [M x K], B [K x N], C [M x N]:
//   A(i, k) = a[i * a_row + k * a_col]  (so A may be a transposed view),
//   row k of B at b + k * ldb, row i of C at c + i * ldc.
// Four rows of C are accumulated together so each B row is loaded once per
// four rows. REQUIRES: M % 4 == 0.
template <typename T, int M, int K, int N>
inline void SmallProduct(T alpha, const T* a, int a_row, int a_col, const T* b,
                         int ldb, T* c, int ldc) {
  static_assert(M % 4 == 0, "rows in groups of four");
  for (int i = 0; i < M; i += 4) {
    const T* a0 = a + i * a_row;
    const T* a1 = a0 + a_row;
    const T* a2 = a1 + a_row;
    const T* a3 = a2 + a_row;
    Row<T, N> c0 = a0[0] * ConstRowMap<T, N>(b);
    Row<T, N> c1 = a1[0] * ConstRowMap<T, N>(b);
    Row<T, N> c2 = a2[0] * ConstRowMap<T, N>(b);
    Row<T, N> c3 = a3[0] * ConstRowMap<T, N>(b);
    for (int k = 1; k < K; ++k) {
      const ConstRowMap<T, N> bk(b + k * ldb);
      c0 += a0[k * a_col] * bk;
      c1 += a1[k * a_col] * bk;
      c2 += a2[k * a_col] * bk;
      c3 += a3[k * a_col] * bk;
    }
    RowMap<T, N>(c + i * ldc) = alpha * c0;
    RowMap<T, N>(c + (i + 1) * ldc) = alpha * c1;
    RowMap<T, N>(c + (i + 2) * ldc) = alpha * c2;
    RowMap<T, N>(c + (i + 3) * ldc) = alpha * c3;
  }
}

// Writes the [D x L] transpose of a strided [L x D] block into dst.
template <typename T, int L, int D>
inline void Transpose(const T* src, int ld, T* dst) {
  for (int i = 0; i < L; ++i) {
    for (int j = 0; j < D; ++j) dst[j * L + i] = src[i * ld + j];
  }
}

template <typename T, int L, int D>
void ForwardFixed(const AttentionDims& d, const T* qkv, T* probs, T* out) {
  const int dim = d.dim(), ld = 3 * dim;
  const T scale = T(1) / std::sqrt(T(D));
  alignas(64) T qt[D * L];
  for (int b = 0; b < d.batch; ++b) {
    for (int h = 0; h < d.heads; ++h) {
      const T* q = qkv + b * L * ld + h * D;
      const T* k = q + dim;
      const T* v = q + 2 * dim;
      T* pt = probs + (b * d.heads + h) * L * L;
      // P^T = softmax over each column of K Q^T / sqrt(D).
      Transpose<T, L, D>(q, ld, qt);
      SmallProduct<T, L, D, L>(scale, k, ld, 1, qt, L, pt, L);
      Row<T, L> max = ConstRowMap<T, L>(pt);
      for (int j = 1; j < L; ++j) max = max.max(ConstRowMap<T, L>(pt + j * L));
      Row<T, L> sum = Row<T, L>::Zero();
      for (int j = 0; j < L; ++j) {
        RowMap<T, L> row(pt + j * L);
        row = (row - max).exp();
        sum += row;
      }
      const Row<T, L> inv = sum.inverse();
      for (int j = 0; j < L; ++j) RowMap<T, L>(pt + j * L) *= inv;
      // O = P V, reading P^T transposed.
      SmallProduct<T, L, L, D>(T(1), pt, 1, L, v, ld, out + b * L * dim + h * D,
                               dim);
    }
  }
}

template <typename T, int L, int D>
void BackwardFixed(const AttentionDims& d, const T* qkv, const T* probs,
                   const T* dout, T* dqkv) {
  const int dim = d.dim(), ld = 3 * dim;
  const T scale = T(1) / std::sqrt(T(D));
  alignas(64) T dot[D * L];
  alignas(64) T dst[L * L];
  for (int b = 0; b < d.batch; ++b) {
    for (int h = 0; h < d.heads; ++h) {
      const int offset = b * L * ld + h * D;
      const T* q = qkv + offset;
      const T* k = q + dim;
      const T* v = q + 2 * dim;
      const T* pt = probs + (b * d.heads + h) * L * L;
      const T* dout_h = dout + b * L * dim + h * D;
      // dV = P^T dO.
      SmallProduct<T, L, L, D>(T(1), pt, L, 1, dout_h, dim,
                               dqkv + offset + 2 * dim, ld);
      // dP^T = V dO^T, then through each column's softmax:
      //   dS^T = P^T * (dP^T - colsum(dP^T * P^T)), times the 1/sqrt scale.
      Transpose<T, L, D>(dout_h, dim, dot);
      SmallProduct<T, L, D, L>(T(1), v, ld, 1, dot, L, dst, L);
      Row<T, L> sums = Row<T, L>::Zero();
      for (int j = 0; j < L; ++j) {
        sums += ConstRowMap<T, L>(dst + j * L) * ConstRowMap<T, L>(pt + j * L);
      }
      for (int j = 0; j < L; ++j) {
        RowMap<T, L> row(dst + j * L);
        row = scale * ConstRowMap<T, L>(pt + j * L) * (row - sums);
      }
      // dQ = dS K (reading dS^T transposed), dK = dS^T Q.
      SmallProduct<T, L, L, D>(T(1), dst, 1, L, k, ld, dqkv + offset, ld);
      SmallProduct<T, L, L, D>(T(1), dst, L, 1, q, ld, dqkv + offset + dim, ld);
    }
  }
}

}  // namespace

template <typename T>
void AttentionForward(const AttentionDims& d, const T* qkv, T* probs, T* out) {
  if (d.tokens == 16 && d.head_dim == 16) {
    ForwardFixed<T, 16, 16>(d, qkv, probs, out);
  } else {
    ForwardGeneric(d, qkv, probs, out);
  }
}

template <typename T>
void AttentionBackward(const AttentionDims& d, const T* qkv, const T* probs,
                       const T* dout, T* scratch, T* dqkv) {
  if (d.tokens == 16 && d.head_dim == 16) {
    BackwardFixed<T, 16, 16>(d, qkv, probs, dout, dqkv);
  } else {
    BackwardGeneric(d, qkv, probs, dout, scratch, dqkv);
  }
}

#define HERO_INSTANTIATE(T)                                                    \
  template void AttentionForward<T>(const AttentionDims&, const T*, T*, T*);   \
  template void AttentionBackward<T>(const AttentionDims&, const T*, const T*, \
                                     const T*, T*, T*);
HERO_INSTANTIATE(float)
HERO_INSTANTIATE(double)
#undef HERO_INSTANTIATE

}  // namespace hero
