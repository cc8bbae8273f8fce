// Test helpers for checking hand-written backward passes against central
// finite differences, in double precision.
//
//   std::vector<double> x = RandomVector(100, /*seed=*/1);
//   auto loss = [&] { return Forward(x); };
//   double numeric = CentralDifference(loss, &x[7]);
//   EXPECT_TRUE(GradientsAgree(analytic[7], numeric));
#ifndef HERO_TESTS_PROXY_LAYERS_GRADIENT_CHECK_H_
#define HERO_TESTS_PROXY_LAYERS_GRADIENT_CHECK_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace testing {

// Relative tolerance of the double-precision checks, and the absolute floor
// below which a difference counts as zero. The five-point central difference
// with step kStep has truncation error ~kStep^4 |f^(5)| / 30 and rounding
// error ~1e-16 |f| / kStep, both far below these bounds for the O(1) losses
// and O(1) inputs of the tests.
inline constexpr double kRelativeTolerance = 1e-6;
inline constexpr double kAbsoluteTolerance = 1e-9;
inline constexpr double kStep = 1e-4;

// N(0, scale^2) values from a fixed seed.
inline std::vector<double> RandomVector(int64_t n, uint64_t seed,
                                        double scale = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<double> v(n);
  for (double& x : v) x = normal(rng);
  return v;
}

// df/dx by the five-point central difference
//   (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h,
// with *x perturbed in place and restored.
template <typename F>
double CentralDifference(F&& f, double* x, double h = kStep) {
  const double saved = *x;
  auto at = [&](double offset) {
    *x = saved + offset;
    return static_cast<double>(f());
  };
  const double d1 = at(h) - at(-h);
  const double d2 = at(2 * h) - at(-2 * h);
  *x = saved;
  return (8 * d1 - d2) / (12 * h);
}

inline ::testing::AssertionResult GradientsAgree(
    double analytic, double numeric, double rel = kRelativeTolerance,
    double abs = kAbsoluteTolerance) {
  const double diff = std::abs(analytic - numeric);
  if (diff <= abs + rel * std::max(std::abs(analytic), std::abs(numeric))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "analytic " << analytic << " vs numeric " << numeric
         << " (difference " << diff << ")";
}

// Checks every coordinate of `x` (or every `stride`-th one): analytic[i]
// against the central difference of f at x[i].
template <typename F>
void ExpectGradientMatches(F&& f, std::vector<double>* x,
                           const std::vector<double>& analytic,
                           const char* what, int64_t stride = 1) {
  ASSERT_EQ(x->size(), analytic.size()) << what;
  for (size_t i = 0; i < x->size(); i += stride) {
    EXPECT_TRUE(GradientsAgree(analytic[i], CentralDifference(f, &(*x)[i])))
        << what << "[" << i << "]";
  }
}

// sum_i r[i] * y[i]: a scalar loss whose gradient with respect to y is r.
inline double Dot(const std::vector<double>& r, const std::vector<double>& y) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += r[i] * y[i];
  return s;
}

}  // namespace testing
}  // namespace hero

#endif  // HERO_TESTS_PROXY_LAYERS_GRADIENT_CHECK_H_
