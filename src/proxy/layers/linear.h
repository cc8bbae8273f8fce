// Fully connected layer y = x w + b, forward and backward.
//
// Shapes (all row-major, see matrix_map.h): x [rows x in], w [in x out] (the
// JAX/flax "kernel" convention, i.e. the transpose of torch.nn.Linear.weight),
// b [out], y and dy [rows x out]. With w [in x out] the large products pack
// their operands from contiguous memory (with [out x in], packing the weight
// for the forward product is a strided gather that cost 18% of the MLP step).
// The products run on Gemm (gemm.h) with a caller-owned workspace, reserved
// once:
//
//   GemmWorkspace<float> workspace;
//   ReserveLinear(LinearDims{max_rows, 784, 256}, &workspace);
//   ...
//   LinearDims d{n, 784, 256};
//   LinearForward(d, x, w, b, y, &workspace);
//   LinearBackward(d, x, w, dy, dw, db, /*dx=*/nullptr, &workspace);
//   LinearBackward(d, x, w, dy, dw, db, dx, &workspace, GradMode::kAccumulate);
//
// Templated on the scalar type so tests can check gradients in double;
// instantiated for float and double. None of these functions allocates.
#ifndef HERO_PROXY_LAYERS_LINEAR_H_
#define HERO_PROXY_LAYERS_LINEAR_H_

#include "src/proxy/layers/gemm.h"
#include "src/proxy/layers/grad_mode.h"

namespace hero {

struct LinearDims {
  int rows = 0;
  int in = 0;
  int out = 0;
};

// Reserves `workspace` for the products of a layer with up to d.rows rows.
template <typename T>
void ReserveLinear(const LinearDims& d, GemmWorkspace<T>* workspace);

// y = x w + b. REQUIRES: y does not overlap x, w or b.
template <typename T>
void LinearForward(const LinearDims& d, const T* x, const T* w, const T* b,
                   T* y, GemmWorkspace<T>* workspace);

// y += x w + b (for residual connections). Same requirements.
template <typename T>
void LinearForwardAdd(const LinearDims& d, const T* x, const T* w, const T* b,
                      T* y, GemmWorkspace<T>* workspace);

// Given dy = dL/dy, writes (or, with GradMode::kAccumulate, adds) dw = x^T dy
// and db = column sums of dy, and unless dx is null overwrites dx = dy w^T.
// REQUIRES: outputs do not overlap inputs.
template <typename T>
void LinearBackward(const LinearDims& d, const T* x, const T* w, const T* dy,
                    T* dw, T* db, T* dx, GemmWorkspace<T>* workspace,
                    GradMode mode = GradMode::kOverwrite);

// sum[j] (+)= sum over rows of m[r][j], m row-major [rows x cols].
template <typename T>
void ColumnSums(const T* m, int rows, int cols, T* sum,
                GradMode mode = GradMode::kOverwrite);

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_LINEAR_H_
