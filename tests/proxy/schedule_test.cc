#include "src/proxy/schedule.h"

#include <cmath>

#include "gtest/gtest.h"

namespace hero {
namespace {

TEST(ScheduleTest, WarmupThenCosine) {
  // 100 steps, 10 warm-up steps.
  EXPECT_DOUBLE_EQ(LrFactor(0, 100, 0.1, 0.0), 0.1);
  EXPECT_DOUBLE_EQ(LrFactor(4, 100, 0.1, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(LrFactor(9, 100, 0.1, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(LrFactor(10, 100, 0.1, 0.0), 1.0);
  EXPECT_NEAR(LrFactor(55, 100, 0.1, 0.0), 0.5, 1e-12);  // Half-way: cos = 0.
  EXPECT_NEAR(LrFactor(99, 100, 0.1, 0.0),
              0.5 * (1 + std::cos(M_PI * 89.0 / 90.0)), 1e-12);
}

TEST(ScheduleTest, FinalFractionAndNoWarmup) {
  EXPECT_DOUBLE_EQ(LrFactor(0, 10, 0.0, 0.1), 1.0);
  EXPECT_NEAR(LrFactor(5, 10, 0.0, 0.1), 0.1 + 0.9 * 0.5, 1e-12);
  for (int s = 0; s < 10; ++s) {
    EXPECT_GE(LrFactor(s, 10, 0.0, 0.1), 0.1);
    EXPECT_LE(LrFactor(s, 10, 0.0, 0.1), 1.0);
  }
}

TEST(ScheduleTest, MonotoneDecayAfterWarmup) {
  for (int s = 6; s < 120; ++s) {
    EXPECT_LE(LrFactor(s, 120, 0.05, 0.0), LrFactor(s - 1, 120, 0.05, 0.0));
  }
}

}  // namespace
}  // namespace hero
