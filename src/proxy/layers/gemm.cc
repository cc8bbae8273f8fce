#include "src/proxy/layers/gemm.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hero {
namespace {

namespace ei = Eigen::internal;
using Eigen::Index;

// Cache blocks of Eigen's GEMM for a row-major C [m x n] += A [m x k] B.
// Eigen computes a row-major product as the column-major product
// C^T = B^T A^T, whose "rows" are n and "columns" m; the packed-lhs buffer
// then holds kc x mc' elements of B and the packed-rhs buffer kc x nc'
// elements of A, with mc' <= n and nc' <= m.
struct Blocking {
  Index kc, mc, nc;
};

template <typename T>
Blocking ComputeBlocking(const GemmShape& s) {
  Blocking b{s.k, s.n, s.m};
  ei::computeProductBlockingSizes<T, T, 1>(b.kc, b.mc, b.nc, Index{1});
  return b;
}

// A level-3 blocking whose packing buffers are caller-owned.
template <typename T>
class FixedBlocking : public ei::level3_blocking<T, T> {
 public:
  FixedBlocking(const Blocking& b, T* lhs, T* rhs) {
    this->m_kc = b.kc;
    this->m_mc = b.mc;
    this->m_nc = b.nc;
    this->m_blockA = lhs;
    this->m_blockB = rhs;
  }
};

template <typename T, int AOrder, int BOrder>
void Run(const GemmShape& s, const T* a, int lda, const T* b, int ldb, T* c,
         int ldc, FixedBlocking<T>& blocking) {
  ei::general_matrix_matrix_product<Index, T, AOrder, false, T, BOrder, false,
                                    Eigen::RowMajor, 1>::run(s.m, s.n, s.k, a,
                                                             lda, b, ldb, c, 1,
                                                             ldc, T(1),
                                                             blocking);
}

}  // namespace

template <typename T>
void GemmWorkspace<T>::Reserve(const GemmShape& shape) {
  const Blocking b = ComputeBlocking<T>(shape);
  const size_t lhs = static_cast<size_t>(b.kc * b.mc);
  const size_t rhs = static_cast<size_t>(b.kc * b.nc);
  if (lhs > lhs_.size()) lhs_.resize(lhs);
  if (rhs > rhs_.size()) rhs_.resize(rhs);
}

template <typename T>
void Gemm(const GemmShape& shape, bool trans_a, const T* a, int lda,
          bool trans_b, const T* b, int ldb, bool accumulate, T* c, int ldc,
          GemmWorkspace<T>* workspace) {
  if (!accumulate) {
    for (int i = 0; i < shape.m; ++i) {
      std::memset(c + static_cast<size_t>(i) * ldc, 0, sizeof(T) * shape.n);
    }
  }
  Blocking blocking = ComputeBlocking<T>(shape);
  // For a shape smaller than the reserved ones, Eigen's heuristic may pick
  // larger blocks than the buffers hold: shrink them (any block sizes are
  // valid; only speed changes).
  const Index lhs_cap = static_cast<Index>(workspace->packed_lhs_size());
  const Index rhs_cap = static_cast<Index>(workspace->packed_rhs_size());
  if (blocking.kc * blocking.mc > lhs_cap ||
      blocking.kc * blocking.nc > rhs_cap) {
    blocking.kc = std::max<Index>(1, std::min({blocking.kc, lhs_cap, rhs_cap}));
    blocking.mc = std::min(blocking.mc, lhs_cap / blocking.kc);
    blocking.nc = std::min(blocking.nc, rhs_cap / blocking.kc);
    if (blocking.mc < 1 || blocking.nc < 1) {
      std::fprintf(stderr, "Gemm: workspace was never reserved\n");
      std::abort();
    }
  }
  FixedBlocking<T> fixed(blocking, workspace->packed_lhs(),
                         workspace->packed_rhs());
  // A stored transposed is, as an [m x k] matrix, column-major.
  constexpr int R = Eigen::RowMajor, C = Eigen::ColMajor;
  if (!trans_a && !trans_b) {
    Run<T, R, R>(shape, a, lda, b, ldb, c, ldc, fixed);
  } else if (!trans_a && trans_b) {
    Run<T, R, C>(shape, a, lda, b, ldb, c, ldc, fixed);
  } else if (trans_a && !trans_b) {
    Run<T, C, R>(shape, a, lda, b, ldb, c, ldc, fixed);
  } else {
    Run<T, C, C>(shape, a, lda, b, ldb, c, ldc, fixed);
  }
}

template class GemmWorkspace<float>;
template class GemmWorkspace<double>;
template void Gemm<float>(const GemmShape&, bool, const float*, int, bool,
                          const float*, int, bool, float*, int,
                          GemmWorkspace<float>*);
template void Gemm<double>(const GemmShape&, bool, const double*, int, bool,
                           const double*, int, bool, double*, int,
                           GemmWorkspace<double>*);

}  // namespace hero
