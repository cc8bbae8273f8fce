// Elementwise ops as functors, and the chunked loops that turn them into
// kernels. Internal to the kernels library (kernels.h is its interface).
//
// Every op here is one float expression evaluated lane by lane; the loops run
// over whole chunks of kKernelWidth with the inner loops unrolled, so the
// compiler vectorizes them with no scalar remainder whose code could differ.
// A chunk is computed into a temporary before it is stored, so `out` may be
// one of the arguments: there is no __restrict, and the compiler sees that
// the stores come after the loads.
//
//   bool finite = Binary<MulOp, Array, Broadcast, Sink::kStoreChecked>(
//       out, x, lr, nullptr, n);
#ifndef HERO_INTERPRETER_ELEMENTWISE_OPS_H_
#define HERO_INTERPRETER_ELEMENTWISE_OPS_H_

#include <math.h>  // exp10f (a GNU extension, declared with _GNU_SOURCE).

#include <cmath>

#include "src/interpreter/kernels.h"

namespace hero {
namespace elementwise {

constexpr int kW = kKernelWidth;

// ---------------------------------------------------------------------------
// The ops.

struct AddOp {
  float operator()(float x, float y) const { return x + y; }
};
struct SubOp {
  float operator()(float x, float y) const { return x - y; }
};
struct MulOp {
  float operator()(float x, float y) const { return x * y; }
};
struct DivOp {
  float operator()(float x, float y) const { return x / (y + 1e-8f); }
};
// NaN in either argument gives NaN; equal arguments give the first. Chains
// of selects (of constants and arguments only: arithmetic in a branch might
// trap, so it is not speculated) vectorize to blends.
struct MaxOp {
  float operator()(float x, float y) const {
    const float m = x < y ? y : x;
    return y != y ? y : m;
  }
};
struct MinOp {
  float operator()(float x, float y) const {
    const float m = y < x ? y : x;
    return y != y ? y : m;
  }
};
struct PowerOp {
  float operator()(float x, float y) const { return std::pow(x, y); }
};
struct InterpolateOp {
  float operator()(float x, float y, float a) const {
    return (1.0f - a) * x + a * y;
  }
};
struct SignOp {  // +0 for ±0, NaN for NaN.
  float operator()(float x) const {
    float s = x > 0.0f ? 1.0f : 0.0f;
    s = x < 0.0f ? -1.0f : s;
    return x != x ? x : s;
  }
};

#define HERO_UNARY_OP(name, expr)                    \
  struct name {                                      \
    float operator()(float x) const { return expr; } \
  };
HERO_UNARY_OP(AbsOp, std::fabs(x))
HERO_UNARY_OP(TanOp, std::tan(x))
HERO_UNARY_OP(ArcsinOp, std::asin(x))
HERO_UNARY_OP(ArccosOp, std::acos(x))
HERO_UNARY_OP(ArctanOp, std::atan(x))
HERO_UNARY_OP(SinhOp, std::sinh(x))
HERO_UNARY_OP(CoshOp, std::cosh(x))
HERO_UNARY_OP(ArcsinhOp, std::asinh(x))
HERO_UNARY_OP(ArccoshOp, std::acosh(x))
HERO_UNARY_OP(ArctanhOp, std::atanh(x))
HERO_UNARY_OP(Exp2Op, std::exp2(x))
HERO_UNARY_OP(Exp10Op, exp10f(x))
HERO_UNARY_OP(Log10Op, std::log10(std::fabs(x)))
HERO_UNARY_OP(SquareOp, x* x)
HERO_UNARY_OP(SqrtOp, std::sqrt(std::fabs(x)))  // vsqrtps: no errno.
HERO_UNARY_OP(CubeOp, (x * x) * x)
HERO_UNARY_OP(CbrtOp, std::cbrt(x))
HERO_UNARY_OP(ReciprocalOp, 1.0f / (x + 1e-8f))
HERO_UNARY_OP(NegativeOp, -x)
#undef HERO_UNARY_OP

// ---------------------------------------------------------------------------
// Argument readers: an array, or a broadcast read once (element 0).

struct Array {
  explicit Array(const float* p) : p(p) {}
  float operator[](int i) const { return p[i]; }
  const float* p;
};
struct Broadcast {
  explicit Broadcast(const float* p) : v(p[0]) {}
  float operator[](int) const { return v; }
  float v;
};

// ---------------------------------------------------------------------------
// The loops.

// What happens to each result: stored; stored and checked for finiteness;
// or subtracted from out (w -= update) and checked.
enum class Sink { kStore, kStoreChecked, kSubtractChecked };

// out[i] (=, -=) f(i) for i in [0, n); returns whether every f(i) is finite
// (always true for kStore). x * 0 is ±0 for finite x and NaN otherwise, and
// NaN survives the sums.
template <Sink kSink, typename F>
inline bool ChunkLoop(float* out, int n, F f) {
  float acc[kW] = {};
  for (int i = 0; i < n; i += kW) {
    float t[kW];
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) t[j] = f(i + j);
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      if constexpr (kSink == Sink::kSubtractChecked) {
        out[i + j] -= t[j];
      } else {
        out[i + j] = t[j];
      }
      if constexpr (kSink != Sink::kStore) acc[j] += t[j] * 0.0f;
    }
  }
  float s = 0.0f;
  for (int j = 0; j < kW; ++j) s += acc[j];
  return s == 0.0f;
}

template <typename Op, typename A, Sink kSink>
bool Unary(float* out, const float* a, const float*, const float*, int n) {
  const A x(a);
  const Op op;
  return ChunkLoop<kSink>(out, n, [x, op](int i) { return op(x[i]); });
}

template <typename Op, typename A, typename B, Sink kSink>
bool Binary(float* out, const float* a, const float* b, const float*, int n) {
  const A x(a);
  const B y(b);
  const Op op;
  return ChunkLoop<kSink>(out, n, [x, y, op](int i) { return op(x[i], y[i]); });
}

template <typename Op, typename A, typename B, typename C, Sink kSink>
bool Ternary(float* out, const float* a, const float* b, const float* c,
             int n) {
  const A x(a);
  const B y(b);
  const C z(c);
  const Op op;
  return ChunkLoop<kSink>(
      out, n, [x, y, z, op](int i) { return op(x[i], y[i], z[i]); });
}

// The same loops as plain kernels (no result).
template <typename Op, typename A>
void UnaryKernel(float* out, const float* a, const float* b, const float* c,
                 int n) {
  Unary<Op, A, Sink::kStore>(out, a, b, c, n);
}
template <typename Op, typename A, typename B>
void BinaryKernel(float* out, const float* a, const float* b, const float* c,
                  int n) {
  Binary<Op, A, B, Sink::kStore>(out, a, b, c, n);
}
template <typename Op, typename A, typename B, typename C>
void TernaryKernel(float* out, const float* a, const float* b, const float* c,
                   int n) {
  Ternary<Op, A, B, C, Sink::kStore>(out, a, b, c, n);
}

}  // namespace elementwise
}  // namespace hero

#endif  // HERO_INTERPRETER_ELEMENTWISE_OPS_H_
