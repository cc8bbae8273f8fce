// Elementwise kernels: one tiny function per elementwise op of the op table,
// behind a dense dispatch table indexed by OpCode and broadcast mask.
//
// The interpreter runs a program block by block; every elementwise statement
// becomes one kernel call over a block of `n` floats. An argument that is the
// same in every element (a scalar) is passed as an array of at least
// kKernelWidth copies and flagged in the broadcast mask; the kernel for that
// mask reads it once, which saves a load per element, and gives the same bits
// as reading every copy. Statements whose arguments are all scalars run through
// the unflagged kernels on kKernelWidth copies, so scalar and tensor
// statements agree bit for bit. Checked kernels fuse a statement with the
// output stage of a step: they also check finiteness, and may subtract their
// result from w instead of storing it.
//
//   Kernel k = GetKernel(OpCode::kInterpolate, /*broadcast=*/0b100);
//   k(out, x, y, a, n);  // out[i] = (1 - a[0]) * x[i] + a[0] * y[i]
//
// Semantics (the op table's, ops.h), per element, in float32:
//   a / b       = a / (b + 1e-8f);   reciprocal(x) = 1 / (x + 1e-8f)
//   interpolate = (1 - a) * x + a * y, rounded after each operation (no FMA)
//   square      = x * x;   cube = (x * x) * x;   negative = -x
//   sqrt(x)     = sqrt(|x|), correctly rounded
//   log, log2, log10 act on |x| (log 0 = -inf); log1p(x) = log|1 + x|
//   sign(x)     = 1, -1, +0 for x = ±0, NaN for NaN
//   max, min    = NaN if either argument is NaN; for equal arguments
//                 (including +0 vs -0) the first argument
//   power       = C powf; tan, arcsin, arccos, arctan, sinh, cosh, arcsinh,
//                 arccosh, arctanh, exp2, exp10, cbrt = the C functions
//   exp, expm1, log, log2, log1p, sin, cos, tanh: Eigen's vectorized float
//                 versions, with the lanes where Eigen leaves these semantics
//                 (subnormal results of exp, subnormal arguments of log and
//                 log2, log1p below -1) recomputed with the C functions;
//                 within 3 ulp of the exact result (tanh: 5 ulp).
// The result for an element depends only on that element's arguments, never
// on its position, the block or n.
//
// Thread-safety: kernels are pure functions.
#ifndef HERO_INTERPRETER_KERNELS_H_
#define HERO_INTERPRETER_KERNELS_H_

#include <cstdint>

#include "src/program/ops.h"

namespace hero {

// Kernels process whole chunks of this many floats.
inline constexpr int kKernelWidth = 16;
// Alignment of a kernel's output, in bytes, where it is required.
inline constexpr int kKernelAlignment = 64;

// Bit k set: argument k is a broadcast (only its element 0 is read).
using BroadcastMask = uint8_t;

// out[i] = op(a[i], b[i], c[i]) for i in [0, n), where a broadcast argument's
// a[i] means a[0]; arguments beyond the op's arity are ignored (may be null).
// out may be one of the arguments (the same array; no other overlap).
// REQUIRES: n % kKernelWidth == 0; out is kKernelAlignment-aligned if
// KernelNeedsAlignedOutput(op); all arrays are float-aligned.
using Kernel = void (*)(float* out, const float* a, const float* b,
                        const float* c, int n);

// The kernel of an elementwise op for the given broadcast mask, or null if
// the op is not elementwise or has no kernel for that mask. Every elementwise
// op has one for mask 0; binary ops also for masks 1 and 2, interpolate for
// masks 1 to 6 (all but "every argument is a broadcast").
Kernel GetKernel(OpCode op, BroadcastMask broadcast = 0);

// A kernel fused with the output stage of a step: it also returns whether
// every result is finite, and with OutputMode::kSubtract it subtracts its
// results from `out` (w -= update) instead of storing them. Same
// requirements as Kernel; out may be unaligned.
enum class OutputMode : uint8_t { kStore, kSubtract };
using CheckedKernel = bool (*)(float* out, const float* a, const float* b,
                               const float* c, int n);

// The checked kernel of an op, or null where GetKernel would be null and for
// the ops with KernelNeedsAlignedOutput.
CheckedKernel GetCheckedKernel(OpCode op, BroadcastMask broadcast,
                               OutputMode mode);

// True iff the op's kernels need a kKernelAlignment-aligned output (those
// built on Eigen's vectorized functions).
bool KernelNeedsAlignedOutput(OpCode op);

}  // namespace hero

#endif  // HERO_INTERPRETER_KERNELS_H_
