// Block reductions: the sums the interpreter accumulates over a block, and
// the finiteness checks of its outputs.
//
// Reductions (global_norm, dot, cosine_sim, norm, clip_by_global_norm) are
// accumulated in double, block by block; these functions give one block's
// contribution. Each sums in a fixed order (kKernelWidth interleaved partial
// sums, then combined left to right), so a result depends only on the values
// and n: the same block gives the same bits every time.
//
//   double s = 0;
//   for (each block) s += SumOfSquares(x, len);
//   float norm = static_cast<float>(std::sqrt(s));
//
// Thread-safety: pure functions.
#ifndef HERO_INTERPRETER_BLOCK_REDUCTIONS_H_
#define HERO_INTERPRETER_BLOCK_REDUCTIONS_H_

namespace hero {

// Sum of x[i]^2 for i in [0, n), in double.
double SumOfSquares(const float* x, int n);

// Sum of x[i] * y[i] for i in [0, n), in double.
double DotProduct(const float* x, const float* y, int n);

// True iff no x[i] (i in [0, n)) is NaN or ±Inf.
bool AllFinite(const float* x, int n);

// The stores that end a step, fused with the finiteness check of what they
// store. REQUIRES: the arrays do not overlap.
// dst[i] = src[i]; true iff all src[i] are finite.
bool CopyAllFinite(float* dst, const float* src, int n);
// w[i] -= u[i]; true iff all u[i] are finite.
bool SubtractAllFinite(float* w, const float* u, int n);

}  // namespace hero

#endif  // HERO_INTERPRETER_BLOCK_REDUCTIONS_H_
