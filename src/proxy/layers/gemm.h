// Gemm: row-major matrix products that never allocate.
//
//   C = op(A) op(B)        (accumulate = false)
//   C += op(A) op(B)       (accumulate = true)
// with C [m x n], op(A) [m x k], op(B) [k x n]; op(X) is X or X^T. Every
// matrix is a row-major buffer with a leading dimension (the distance between
// rows): A is stored [m x k] (lda >= k), or [k x m] (lda >= m) when
// transposed; likewise B.
//
// Eigen's own `c.noalias() = a * b` heap-allocates its packing buffers on
// every call once they exceed 128 KB. Gemm runs the same kernels (Eigen's
// GEBP micro-kernel and packing routines, single-threaded) with packing
// buffers owned by a GemmWorkspace, reserved up front for the shapes a model
// uses:
//
//   GemmWorkspace<float> workspace;
//   workspace.Reserve(GemmShape{128, 256, 784});   // in the constructor
//   ...
//   Gemm<float>({128, 256, 784}, /*trans_a=*/false, x, 784, /*trans_b=*/true,
//               w, 784, /*accumulate=*/false, y, 256, &workspace);
//
// Results are bitwise deterministic for a given shape on a given machine: the
// cache blocking, hence the order of the sums, depends only on the shape, the
// CPU's cache sizes and (if under-reserved) the workspace. Instantiated for
// float and double. Uses Eigen::internal (pinned by Debian's Eigen 3.4).
#ifndef HERO_PROXY_LAYERS_GEMM_H_
#define HERO_PROXY_LAYERS_GEMM_H_

#include <cstddef>

#include "src/proxy/layers/matrix_map.h"

namespace hero {

struct GemmShape {
  int m = 0;
  int n = 0;
  int k = 0;
};

// Packing buffers for Gemm. Not thread-safe: one per model instance.
template <typename T>
class GemmWorkspace {
 public:
  // Grows the buffers so that a product of `shape` (or of a smaller m or n
  // with the same k) runs without allocating.
  void Reserve(const GemmShape& shape);

  T* packed_lhs() { return lhs_.data(); }
  T* packed_rhs() { return rhs_.data(); }
  size_t packed_lhs_size() const { return lhs_.size(); }
  size_t packed_rhs_size() const { return rhs_.size(); }

 private:
  AlignedVector<T> lhs_, rhs_;
};

// REQUIRES: m, n, k >= 1; C does not overlap A or B; the workspace has been
// reserved for this shape or a larger one. (Gemm shrinks its cache blocks to
// fit the workspace if need be, which only costs speed; an empty workspace
// aborts, as that is a bug in the caller.)
template <typename T>
void Gemm(const GemmShape& shape, bool trans_a, const T* a, int lda,
          bool trans_b, const T* b, int ldb, bool accumulate, T* c, int ldc,
          GemmWorkspace<T>* workspace);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_GEMM_H_
