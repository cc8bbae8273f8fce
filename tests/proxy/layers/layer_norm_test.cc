#include "src/proxy/layers/layer_norm.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::Dot;
using testing::ExpectGradientMatches;
using testing::RandomVector;

constexpr LayerNormDims kDims{/*rows=*/4, /*dim=*/9};

TEST(LayerNormTest, ForwardNormalisesEachRow) {
  const auto x = RandomVector(kDims.rows * kDims.dim, 1, 3.0);
  const std::vector<double> gamma(kDims.dim, 1.0), beta(kDims.dim, 0.0);
  std::vector<double> xhat(x.size()), rstd(kDims.rows), y(x.size());
  LayerNormForward(kDims, x.data(), gamma.data(), beta.data(), xhat.data(),
                   rstd.data(), y.data());
  for (int r = 0; r < kDims.rows; ++r) {
    double mean = 0, sq = 0, xmean = 0, xsq = 0;
    for (int i = 0; i < kDims.dim; ++i) {
      mean += y[r * kDims.dim + i];
      sq += y[r * kDims.dim + i] * y[r * kDims.dim + i];
      xmean += x[r * kDims.dim + i];
    }
    mean /= kDims.dim;
    xmean /= kDims.dim;
    for (int i = 0; i < kDims.dim; ++i) {
      xsq += (x[r * kDims.dim + i] - xmean) * (x[r * kDims.dim + i] - xmean);
    }
    EXPECT_NEAR(mean, 0.0, 1e-12);
    // Variance 1 up to the epsilon: var / (var + eps).
    const double var = xsq / kDims.dim;
    EXPECT_NEAR(sq / kDims.dim, var / (var + kLayerNormEpsilon), 1e-12);
    EXPECT_NEAR(rstd[r], 1.0 / std::sqrt(var + kLayerNormEpsilon), 1e-12);
  }
}

TEST(LayerNormTest, ForwardAppliesGammaAndBeta) {
  const auto x = RandomVector(kDims.rows * kDims.dim, 1);
  const auto gamma = RandomVector(kDims.dim, 2);
  const auto beta = RandomVector(kDims.dim, 3);
  std::vector<double> xhat(x.size()), rstd(kDims.rows), y(x.size());
  LayerNormForward(kDims, x.data(), gamma.data(), beta.data(), xhat.data(),
                   rstd.data(), y.data());
  for (int r = 0; r < kDims.rows; ++r) {
    for (int i = 0; i < kDims.dim; ++i) {
      const int k = r * kDims.dim + i;
      EXPECT_NEAR(y[k], xhat[k] * gamma[i] + beta[i], 1e-12);
    }
  }
}

TEST(LayerNormTest, BackwardMatchesFiniteDifferencesAndAccumulates) {
  auto x = RandomVector(kDims.rows * kDims.dim, 1, 2.0);
  auto gamma = RandomVector(kDims.dim, 2);
  auto beta = RandomVector(kDims.dim, 3);
  const auto r = RandomVector(x.size(), 4);
  std::vector<double> xhat(x.size()), rstd(kDims.rows), y(x.size());
  auto loss = [&] {
    LayerNormForward(kDims, x.data(), gamma.data(), beta.data(), xhat.data(),
                     rstd.data(), y.data());
    return Dot(r, y);
  };
  loss();
  const auto dx0 = RandomVector(x.size(), 5);
  std::vector<double> dx = dx0, dgamma(kDims.dim), dbeta(kDims.dim);
  LayerNormBackward(kDims, xhat.data(), rstd.data(), gamma.data(), r.data(),
                    dgamma.data(), dbeta.data(), dx.data());
  for (size_t i = 0; i < dx.size(); ++i) dx[i] -= dx0[i];  // accumulated
  ExpectGradientMatches(loss, &x, dx, "dx");
  ExpectGradientMatches(loss, &gamma, dgamma, "dgamma");
  ExpectGradientMatches(loss, &beta, dbeta, "dbeta");
}

TEST(LayerNormTest, ForwardAllowsOutputToAliasInput) {
  const auto x = RandomVector(kDims.rows * kDims.dim, 1);
  const auto gamma = RandomVector(kDims.dim, 2);
  const auto beta = RandomVector(kDims.dim, 3);
  std::vector<double> xhat(x.size()), rstd(kDims.rows), y(x.size());
  LayerNormForward(kDims, x.data(), gamma.data(), beta.data(), xhat.data(),
                   rstd.data(), y.data());
  std::vector<double> inplace = x;
  LayerNormForward(kDims, inplace.data(), gamma.data(), beta.data(),
                   xhat.data(), rstd.data(), inplace.data());
  // Equal up to rounding: the two buffers may differ in alignment, which
  // changes the order of Eigen's vectorised row sums.
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(inplace[i], y[i], 1e-14);
}

}  // namespace
}  // namespace hero
