#include "src/util/axis_ticks.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace {

using Labels = std::vector<std::string>;
using Values = std::vector<double>;

TEST(NiceTicksTest, AccuracyRange) {
  const AxisTicks t = NiceTicks(0.13, 0.87, 5);
  EXPECT_EQ(t.lo, 0.0);
  EXPECT_EQ(t.hi, 1.0);
  // Exact decimals: 0.6, not 3 * 0.2 == 0.6000000000000001.
  EXPECT_EQ(t.values, (Values{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_EQ(t.labels, (Labels{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(NiceTicksTest, LossRangeUsesStepFive) {
  const AxisTicks t = NiceTicks(0.31, 2.3, 5);
  EXPECT_EQ(t.values, (Values{0, 0.5, 1, 1.5, 2, 2.5}));
  EXPECT_EQ(t.labels, (Labels{"0.0", "0.5", "1.0", "1.5", "2.0", "2.5"}));
}

TEST(NiceTicksTest, TrainingSteps) {
  const AxisTicks t = NiceTicks(0, 10000, 6);
  EXPECT_EQ(t.values, (Values{0, 2000, 4000, 6000, 8000, 10000}));
  EXPECT_EQ(t.labels, (Labels{"0", "2000", "4000", "6000", "8000", "10000"}));
}

TEST(NiceTicksTest, NegativeRangeRoundsOutward) {
  const AxisTicks t = NiceTicks(-3, 7, 5);
  EXPECT_EQ(t.lo, -4);
  EXPECT_EQ(t.hi, 8);
  EXPECT_EQ(t.values, (Values{-4, -2, 0, 2, 4, 6, 8}));
  EXPECT_EQ(t.labels, (Labels{"-4", "-2", "0", "2", "4", "6", "8"}));
}

TEST(NiceTicksTest, NarrowRangeKeepsEndsOnTicks) {
  const AxisTicks t = NiceTicks(0.8, 0.9, 5);
  EXPECT_EQ(t.values, (Values{0.8, 0.82, 0.84, 0.86, 0.88, 0.9}));
  EXPECT_EQ(t.labels, (Labels{"0.80", "0.82", "0.84", "0.86", "0.88", "0.90"}));
}

TEST(NiceTicksTest, LargeAndTinyMagnitudesUseScientificLabels) {
  EXPECT_EQ(NiceTicks(0, 3e6, 3).labels, (Labels{"0", "1e6", "2e6", "3e6"}));
  EXPECT_EQ(NiceTicks(1e6, 1.5e6, 5).labels,
            (Labels{"1.0e6", "1.1e6", "1.2e6", "1.3e6", "1.4e6", "1.5e6"}));
  const AxisTicks tiny = NiceTicks(0, 4e-6, 4);
  EXPECT_EQ(tiny.values, (Values{0, 1e-6, 2e-6, 3e-6, 4e-6}));
  EXPECT_EQ(tiny.labels, (Labels{"0", "1e-6", "2e-6", "3e-6", "4e-6"}));
}

TEST(LogTicksTest, LearningRateRange) {
  const AxisTicks t = LogTicks(3e-4, 2e-2);
  EXPECT_EQ(t.lo, 1e-4);
  EXPECT_EQ(t.hi, 1e-1);
  EXPECT_EQ(t.values, (Values{1e-4, 1e-3, 1e-2, 1e-1}));
  EXPECT_EQ(t.labels, (Labels{"0.0001", "0.001", "0.01", "0.1"}));
}

TEST(LogTicksTest, SinglePowerGetsOneDecade) {
  const AxisTicks t = LogTicks(1, 1);
  EXPECT_EQ(t.values, (Values{1, 10}));
  EXPECT_EQ(t.labels, (Labels{"1", "10"}));
}

TEST(LogTicksTest, ManyDecadesAreThinned) {
  const AxisTicks t = LogTicks(1e-8, 1e3);
  EXPECT_EQ(t.lo, 1e-8);
  EXPECT_EQ(t.hi, 1e3);
  EXPECT_EQ(t.labels, (Labels{"1e-8", "1e-6", "0.0001", "0.01", "1", "100"}));
}

}  // namespace
}  // namespace hero
