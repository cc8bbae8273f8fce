#include "src/interpreter/eigen_kernels.h"

#include <cfloat>
#include <cmath>

#include "Eigen/Core"
#include "src/interpreter/kernels.h"

namespace hero {
namespace eigen_kernels {
namespace {

constexpr int kW = kKernelWidth;

// Transcendental ops on Eigen's vectorized functions.
//
// Eigen's assignment loop vectorizes whole packets only when the destination
// is packet-aligned and n is a multiple of the packet size; otherwise it
// peels lanes into a scalar path with different results (std::exp instead of
// Eigen's pexp). Their outputs must be kKernelAlignment-aligned, and n is a
// multiple of kKernelWidth, so every lane takes the packet path. Eigen's
// coefficient-wise assignment reads each packet before it writes it, so out
// may be the argument.
// (Not Eigen's sqrt: with EIGEN_FAST_MATH, its default, it is an rsqrt
// approximation; ours compiles to the correctly rounded vsqrtps.)
using OutMap = Eigen::Map<Eigen::ArrayXf, Eigen::Aligned32>;
using InMap = Eigen::Map<const Eigen::ArrayXf>;

// out = eigen_f(a), except in the lanes where bad(a[i]), where Eigen leaves
// the op's semantics: there out[i] = c_f(a[i]). The check is a vectorized
// count before anything is written; the fix is rare, and works chunk by
// chunk on a copy of the arguments, so out may be a.
template <typename EigenF, typename Bad, typename CF>
inline void WithFixedLanes(float* out, const float* a, int n, EigenF eigen_f,
                           Bad bad, CF c_f) {
  float count[kW] = {};
  for (int i = 0; i < n; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) count[j] += bad(a[i + j]) ? 1.0f : 0.0f;
  }
  float total = 0.0f;
  for (int j = 0; j < kW; ++j) total += count[j];
  if (total == 0.0f) {
    OutMap(out, n) = eigen_f(InMap(a, n));
    return;
  }
  for (int i = 0; i < n; i += kW) {
    float x[kW];
    for (int j = 0; j < kW; ++j) x[j] = a[i + j];
    OutMap(out + i, kW) = eigen_f(InMap(x, kW));
    for (int j = 0; j < kW; ++j) {
      if (bad(x[j])) out[i + j] = c_f(x[j]);
    }
  }
}

// Below this, exp(x) is subnormal, where Eigen's pexp is wrong (it clamps);
// the margin keeps a few normal results on the exact path too. (Eigen's
// results for NaN and ±Inf are right.)
constexpr float kExpFastMin = -87.0f;

// Eigen's plog clamps subnormal arguments to FLT_MIN (it gets 0 right).
inline bool IsSubnormal(float x) { return std::fabs(x) < FLT_MIN && x != 0.0f; }

}  // namespace

void Exp(float* out, const float* a, const float*, const float*, int n) {
  WithFixedLanes(
      out, a, n, [](const InMap& x) { return x.exp(); },
      [](float x) { return x < kExpFastMin; },
      [](float x) { return std::exp(x); });
}

void Expm1(float* out, const float* a, const float*, const float*, int n) {
  OutMap(out, n) = InMap(a, n).expm1();
}

void Log(float* out, const float* a, const float*, const float*, int n) {
  WithFixedLanes(
      out, a, n, [](const InMap& x) { return x.abs().log(); }, IsSubnormal,
      [](float x) { return std::log(std::fabs(x)); });
}

void Log2(float* out, const float* a, const float*, const float*, int n) {
  WithFixedLanes(
      out, a, n, [](const InMap& x) { return x.abs().log2(); }, IsSubnormal,
      [](float x) { return std::log2(std::fabs(x)); });
}

// Below -1, Eigen's log1p is NaN; the op is log|1 + x|.
void Log1p(float* out, const float* a, const float*, const float*, int n) {
  WithFixedLanes(
      out, a, n, [](const InMap& x) { return x.log1p(); },
      [](float x) { return x < -1.0f; },
      [](float x) { return std::log(std::fabs(1.0f + x)); });
}

void Sin(float* out, const float* a, const float*, const float*, int n) {
  OutMap(out, n) = InMap(a, n).sin();
}

void Cos(float* out, const float* a, const float*, const float*, int n) {
  OutMap(out, n) = InMap(a, n).cos();
}

void Tanh(float* out, const float* a, const float*, const float*, int n) {
  OutMap(out, n) = InMap(a, n).tanh();
}

}  // namespace eigen_kernels
}  // namespace hero
