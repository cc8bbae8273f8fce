#include "src/proxy/layers/cross_entropy.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::ExpectGradientMatches;
using testing::RandomVector;

TEST(SoftmaxCrossEntropyTest, MatchesNaiveMeanNegativeLogLikelihood) {
  const int rows = 6, classes = 4;
  const auto z = RandomVector(rows * classes, 1, 2.0);
  const std::vector<int32_t> labels = {0, 3, 1, 2, 2, 0};
  double expected = 0;
  for (int r = 0; r < rows; ++r) {
    double sum = 0;
    for (int c = 0; c < classes; ++c) sum += std::exp(z[r * classes + c]);
    expected -= std::log(std::exp(z[r * classes + labels[r]]) / sum);
  }
  expected /= rows;
  EXPECT_NEAR(SoftmaxCrossEntropy<double>(rows, classes, z.data(),
                                          labels.data(), nullptr),
              expected, 1e-13);
}

TEST(SoftmaxCrossEntropyTest, UniformLogitsGiveLogClasses) {
  const std::vector<float> z(3 * 10, 5.0f);
  const std::vector<int32_t> labels = {0, 4, 9};
  EXPECT_NEAR(
      SoftmaxCrossEntropy<float>(3, 10, z.data(), labels.data(), nullptr),
      std::log(10.0), 1e-6);
}

TEST(SoftmaxCrossEntropyTest, StableForHugeLogits) {
  // exp(1e4) overflows; the log-sum-exp form does not.
  const std::vector<float> z = {1e4f, 0.0f, -1e4f, 1e4f - 2.0f};
  const std::vector<int32_t> labels = {1, 0};
  std::vector<float> dz(z.size());
  const float loss =
      SoftmaxCrossEntropy<float>(2, 2, z.data(), labels.data(), dz.data());
  // Row 0 loses by 1e4, row 1 by 2e4 - 2 (the other terms underflow to 0).
  EXPECT_NEAR(loss, (1e4 + 2e4 - 2) / 2, 0.01);
  for (float g : dz) EXPECT_TRUE(std::isfinite(g));
  EXPECT_NEAR(dz[0], 0.5f, 1e-6);
  EXPECT_NEAR(dz[1], -0.5f, 1e-6);
  EXPECT_NEAR(dz[2], -0.5f, 1e-6);
  EXPECT_NEAR(dz[3], 0.5f, 1e-6);
}

TEST(SoftmaxCrossEntropyTest, GradientMatchesFiniteDifferences) {
  const int rows = 5, classes = 7;
  auto z = RandomVector(rows * classes, 2, 3.0);
  const std::vector<int32_t> labels = {6, 0, 3, 3, 1};
  std::vector<double> dz(z.size());
  SoftmaxCrossEntropy<double>(rows, classes, z.data(), labels.data(),
                              dz.data());
  auto loss = [&] {
    return SoftmaxCrossEntropy<double>(rows, classes, z.data(), labels.data(),
                                       nullptr);
  };
  ExpectGradientMatches(loss, &z, dz, "dlogits");
  // Each row of (softmax - onehot) / rows sums to zero.
  for (int r = 0; r < rows; ++r) {
    double sum = 0;
    for (int c = 0; c < classes; ++c) sum += dz[r * classes + c];
    EXPECT_NEAR(sum, 0.0, 1e-15);
  }
}

TEST(SoftmaxCrossEntropyTest, GradientMayOverwriteLogits) {
  const auto z = RandomVector(12, 3);
  const std::vector<int32_t> labels = {1, 2, 0};
  std::vector<double> dz(z.size());
  const double loss =
      SoftmaxCrossEntropy<double>(3, 4, z.data(), labels.data(), dz.data());
  std::vector<double> inplace = z;
  EXPECT_EQ(SoftmaxCrossEntropy<double>(3, 4, inplace.data(), labels.data(),
                                        inplace.data()),
            loss);
  EXPECT_EQ(inplace, dz);
}

}  // namespace
}  // namespace hero
