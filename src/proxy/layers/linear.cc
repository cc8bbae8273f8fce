#include "src/proxy/layers/linear.h"

#include "src/proxy/layers/matrix_map.h"

namespace hero {

template <typename T>
void ReserveLinear(const LinearDims& d, GemmWorkspace<T>* workspace) {
  workspace->Reserve(GemmShape{d.rows, d.out, d.in});  // forward
  workspace->Reserve(GemmShape{d.in, d.out, d.rows});  // dw
  workspace->Reserve(GemmShape{d.rows, d.in, d.out});  // dx
}

template <typename T>
void LinearForward(const LinearDims& d, const T* x, const T* w, const T* b,
                   T* y, GemmWorkspace<T>* workspace) {
  // The GEMM accumulates into y, so starting from the broadcast bias costs
  // no extra pass.
  const ConstRowVectorMap<T> bias(b, d.out);
  for (int r = 0; r < d.rows; ++r) RowVectorMap<T>(y + r * d.out, d.out) = bias;
  Gemm<T>(GemmShape{d.rows, d.out, d.in}, /*trans_a=*/false, x, d.in,
          /*trans_b=*/false, w, d.out, /*accumulate=*/true, y, d.out,
          workspace);
}

template <typename T>
void LinearForwardAdd(const LinearDims& d, const T* x, const T* w, const T* b,
                      T* y, GemmWorkspace<T>* workspace) {
  const ConstRowVectorMap<T> bias(b, d.out);
  for (int r = 0; r < d.rows; ++r) {
    RowVectorMap<T>(y + r * d.out, d.out) += bias;
  }
  Gemm<T>(GemmShape{d.rows, d.out, d.in}, /*trans_a=*/false, x, d.in,
          /*trans_b=*/false, w, d.out, /*accumulate=*/true, y, d.out,
          workspace);
}

template <typename T>
void ColumnSums(const T* m, int rows, int cols, T* sum, GradMode mode) {
  RowVectorMap<T> s(sum, cols);
  if (mode == GradMode::kOverwrite) s.setZero();
  // Row by row keeps the access contiguous (colwise().sum() on a row-major
  // matrix strides).
  for (int r = 0; r < rows; ++r) s += ConstRowVectorMap<T>(m + r * cols, cols);
}

template <typename T>
void LinearBackward(const LinearDims& d, const T* x, const T* w, const T* dy,
                    T* dw, T* db, T* dx, GemmWorkspace<T>* workspace,
                    GradMode mode) {
  const bool accumulate = mode == GradMode::kAccumulate;
  Gemm<T>(GemmShape{d.in, d.out, d.rows}, /*trans_a=*/true, x, d.in,
          /*trans_b=*/false, dy, d.out, accumulate, dw, d.out, workspace);
  ColumnSums(dy, d.rows, d.out, db, mode);
  if (dx != nullptr) {
    Gemm<T>(GemmShape{d.rows, d.in, d.out}, /*trans_a=*/false, dy, d.out,
            /*trans_b=*/true, w, d.out, /*accumulate=*/false, dx, d.in,
            workspace);
  }
}

#define HERO_INSTANTIATE(T)                                                \
  template void ReserveLinear<T>(const LinearDims&, GemmWorkspace<T>*);    \
  template void LinearForward<T>(const LinearDims&, const T*, const T*,    \
                                 const T*, T*, GemmWorkspace<T>*);         \
  template void LinearForwardAdd<T>(const LinearDims&, const T*, const T*, \
                                    const T*, T*, GemmWorkspace<T>*);      \
  template void LinearBackward<T>(const LinearDims&, const T*, const T*,   \
                                  const T*, T*, T*, T*, GemmWorkspace<T>*, \
                                  GradMode);                               \
  template void ColumnSums<T>(const T*, int, int, T*, GradMode);
HERO_INSTANTIATE(float)
HERO_INSTANTIATE(double)
#undef HERO_INSTANTIATE

}  // namespace hero
