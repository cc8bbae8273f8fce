#include "src/proxy/layers/activation.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::Dot;
using testing::ExpectGradientMatches;
using testing::RandomVector;

double ReferenceGelu(double x) {
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

TEST(ActivationTest, ReluForward) {
  const std::vector<double> x = {-2.0, -0.0, 0.0, 0.5, 3.0};
  std::vector<double> y(x.size());
  ActivationForward(Activation::kRelu, x.size(), x.data(), y.data());
  EXPECT_EQ(y, (std::vector<double>{0.0, 0.0, 0.0, 0.5, 3.0}));
}

TEST(ActivationTest, ReluBackwardMasksAndTakesZeroAtZero) {
  const std::vector<double> x = {-2.0, 0.0, 0.5, 3.0};
  const std::vector<double> dy = {1.0, 2.0, 3.0, 4.0};
  std::vector<double> dx(x.size());
  ActivationBackward(Activation::kRelu, x.size(), x.data(),
                     static_cast<const double*>(nullptr), dy.data(), dx.data());
  EXPECT_EQ(dx, (std::vector<double>{0.0, 0.0, 3.0, 4.0}));
}

TEST(ActivationTest, GeluForwardIsExactErfGelu) {
  const auto x = RandomVector(200, 1, 3.0);
  std::vector<double> y(x.size());
  ActivationForward(Activation::kGelu, x.size(), x.data(), y.data());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(y[i], ReferenceGelu(x[i]), 1e-14) << x[i];
  }
}

TEST(ActivationTest, FloatGeluIsWithinAFewUlpsOfExact) {
  const auto x = RandomVector(1000, 2, 4.0);
  const std::vector<float> xf(x.begin(), x.end());
  std::vector<float> yf(x.size()), dxf(x.size());
  const std::vector<float> ones(x.size(), 1.0f);
  ActivationForward(Activation::kGelu, xf.size(), xf.data(), yf.data());
  ActivationBackward(Activation::kGelu, xf.size(), xf.data(),
                     static_cast<const float*>(nullptr), ones.data(),
                     dxf.data());
  for (size_t i = 0; i < x.size(); ++i) {
    const double exact = ReferenceGelu(xf[i]);
    EXPECT_NEAR(yf[i], exact, 2e-6 * std::max(1.0, std::abs(exact))) << xf[i];
  }
}

TEST(ActivationTest, BackwardMatchesFiniteDifferences) {
  for (Activation a : {Activation::kRelu, Activation::kGelu}) {
    auto x = RandomVector(50, 3, 2.0);
    const auto r = RandomVector(x.size(), 4);
    std::vector<double> y(x.size()), dx(x.size());
    auto loss = [&] {
      ActivationForward(a, x.size(), x.data(), y.data());
      return Dot(r, y);
    };
    ActivationBackward(a, x.size(), x.data(),
                       static_cast<const double*>(nullptr), r.data(),
                       dx.data());
    ExpectGradientMatches(loss, &x, dx, ActivationName(a));
  }
}

TEST(ActivationTest, GeluCdfIsPhiAndGivesTheSameGradient) {
  const auto x = RandomVector(64, 7, 2.0);
  const auto dy = RandomVector(64, 8);
  std::vector<double> y(x.size()), y_plain(x.size()), cdf(x.size()),
      dx(x.size()), dx_plain(x.size());
  ActivationForward(Activation::kGelu, x.size(), x.data(), y.data(),
                    cdf.data());
  ActivationForward(Activation::kGelu, x.size(), x.data(), y_plain.data());
  ActivationBackward(Activation::kGelu, x.size(), x.data(), cdf.data(),
                     dy.data(), dx.data());
  ActivationBackward(Activation::kGelu, x.size(), x.data(),
                     static_cast<const double*>(nullptr), dy.data(),
                     dx_plain.data());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(cdf[i], 0.5 * std::erfc(-x[i] / std::sqrt(2.0)), 1e-15);
    EXPECT_NEAR(y[i], y_plain[i], 1e-15);
    EXPECT_NEAR(dx[i], dx_plain[i], 1e-15);
  }
}

TEST(ActivationTest, BackwardAllowsInPlaceGradient) {
  for (Activation a : {Activation::kRelu, Activation::kGelu}) {
    const auto x = RandomVector(20, 5);
    const auto dy = RandomVector(20, 6);
    std::vector<double> dx(x.size());
    const double* no_cdf = nullptr;
    ActivationBackward(a, x.size(), x.data(), no_cdf, dy.data(), dx.data());
    std::vector<double> inplace = dy;
    ActivationBackward(a, x.size(), x.data(), no_cdf, inplace.data(),
                       inplace.data());
    EXPECT_EQ(inplace, dx) << ActivationName(a);
  }
}

}  // namespace
}  // namespace hero
