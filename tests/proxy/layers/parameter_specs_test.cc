#include "src/proxy/layers/parameter_specs.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace {

ParameterSpecs MakeSpecs() {
  ParameterSpecs specs;
  specs.Add("w", 3000, InitSpec::XavierUniform(100, 200));
  specs.Add("b", 10, InitSpec::Zeros());
  specs.Add("g", 10, InitSpec::Ones());
  specs.Add("pos", 20000, InitSpec::Normal(0.02));
  return specs;
}

TEST(ParameterSpecsTest, LayoutIsContiguous) {
  const ParameterSpecs specs = MakeSpecs();
  const auto& segments = specs.layout().segments();
  ASSERT_EQ(segments.size(), 4u);
  ASSERT_EQ(specs.inits().size(), 4u);
  EXPECT_EQ(segments[0].offset, 0);
  EXPECT_EQ(segments[1].offset, 3000);
  EXPECT_EQ(segments[2].offset, 3010);
  EXPECT_EQ(segments[3].offset, 3020);
  EXPECT_EQ(specs.layout().size(), 23020);
}

TEST(ParameterSpecsTest, SameSeedSameBitsDifferentSeedDifferentValues) {
  const ParameterSpecs specs = MakeSpecs();
  std::vector<float> a(specs.layout().size()), b(a.size()), c(a.size());
  specs.Init(42, a.data());
  specs.Init(42, b.data());
  specs.Init(43, c.data());
  EXPECT_EQ(a, b);  // bitwise
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == c[i];
  EXPECT_EQ(same, 20);  // only the constant tensors coincide
}

TEST(ParameterSpecsTest, FixedValuesAreStableAcrossBuilds) {
  // Pins the generator: a change here changes every model's initialisation.
  ParameterSpecs specs;
  specs.Add("u", 2, InitSpec::XavierUniform(3, 3));  // a = 1
  std::vector<double> v(2);
  specs.Init(0, v.data());
  InitRng rng(MixSeed(0));
  EXPECT_EQ(v[0], 2.0 * rng.Uniform() - 1.0);
  EXPECT_EQ(v[1], 2.0 * rng.Uniform() - 1.0);
  EXPECT_EQ(MixSeed(0), 0xe220a8397b1dcdafULL);  // SplitMix64's first output
  std::mt19937_64 engine;  // [rand.predef]: the 10000th output is fixed
  engine.discard(9999);
  EXPECT_EQ(engine(), 9981545732273789042ULL);
}

TEST(ParameterSpecsTest, InitialisersHaveTheirDistributions) {
  const ParameterSpecs specs = MakeSpecs();
  std::vector<double> p(specs.layout().size());
  specs.Init(7, p.data());
  // Xavier uniform: bounded by a, mean 0, variance a^2 / 3.
  const double a = std::sqrt(6.0 / 300.0);
  double sum = 0, sq = 0;
  for (int i = 0; i < 3000; ++i) {
    EXPECT_LE(std::abs(p[i]), a);
    sum += p[i];
    sq += p[i] * p[i];
  }
  // Standard errors: a/sqrt(3*3000) = 0.0015 for the mean; 5 sigma bounds.
  EXPECT_NEAR(sum / 3000, 0.0, 0.0075);
  EXPECT_NEAR(sq / 3000, a * a / 3, 0.1 * a * a / 3);
  for (int i = 3000; i < 3010; ++i) EXPECT_EQ(p[i], 0.0);
  for (int i = 3010; i < 3020; ++i) EXPECT_EQ(p[i], 1.0);
  // Normal(0.02): mean and standard deviation within 5 standard errors.
  sum = sq = 0;
  for (int i = 3020; i < 23020; ++i) {
    sum += p[i];
    sq += p[i] * p[i];
  }
  const double mean = sum / 20000, sd = std::sqrt(sq / 20000 - mean * mean);
  EXPECT_NEAR(mean, 0.0, 5 * 0.02 / std::sqrt(20000.0));
  EXPECT_NEAR(sd, 0.02, 5 * 0.02 / std::sqrt(2 * 20000.0));
}

}  // namespace
}  // namespace hero
