// Native Lion against the interpreter running configs/programs/hero_lion.py:
// bit for bit at every step, over several groups and odd-sized tensors, with
// zeros (sign(0) = 0), subnormals, tiny and huge values, NaN; and its
// options (threads, bfloat16 momentum, maximize).
#include "src/optim/lion.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/optim/bf16.h"
#include "tests/optim/optim_test_util.h"

namespace hero {
namespace optim {
namespace {

using testing_util::Bits;
using testing_util::FillNormal;
using testing_util::FillSpecial;
using testing_util::FirstBitDifference;
using testing_util::InterpretedReference;
using testing_util::Shipped;
using testing_util::TestParams;

constexpr int kSteps = 40;

std::vector<TestParams::GroupSpec> TwoGroups() {
  return {{{17, 1, 256, 1000}, 1.0f, 0.5f}, {{33, 5}, 0.25f, 0.0f}};
}

float Lr(int step) { return 3e-4f * (1.0f - step / (2.0f * kSteps)); }

std::unique_ptr<Lion> MakeLion(TestParams& p, const LionOptions& options) {
  absl::StatusOr<std::unique_ptr<Lion>> lion =
      Lion::Create(p.Groups(), options);
  EXPECT_TRUE(lion.ok()) << lion.status();
  return lion.ok() ? *std::move(lion) : nullptr;
}

// Runs kSteps of native Lion and of the interpreted program on the same
// weights and gradients, comparing w and m bitwise after every step.
void ExpectParity(bool with_nan, uint32_t seed) {
  TestParams p(TwoGroups());
  std::mt19937 rng(seed);
  FillSpecial(rng, p.w, 1.0f, with_nan);
  InterpretedReference reference(Shipped("hero_lion"), p);
  std::unique_ptr<Lion> lion = MakeLion(p, LionOptions());
  ASSERT_NE(lion, nullptr);
  for (int step = 0; step < kSteps; ++step) {
    FillSpecial(rng, p.g, 0.1f, with_nan);
    const bool want_finite = reference.Step(Lr(step));
    const StepOutcome got = lion->Step(Lr(step));
    EXPECT_EQ(got.finite, want_finite) << "step " << step;
    const int64_t w_diff = FirstBitDifference(p.w, reference.w());
    ASSERT_EQ(w_diff, -1) << "step " << step << ": w[" << w_diff << "] "
                          << p.w[w_diff] << " vs " << reference.w()[w_diff];
    const OptimizerState state = lion->SaveState();
    for (int k = 0; k < 2; ++k) {
      std::vector<float> m;
      for (const TensorState& t : state.tensors()) {
        if (t.group() != k) continue;
        const std::string& d = t.slots(0).data();
        const float* f = reinterpret_cast<const float*>(d.data());
        m.insert(m.end(), f, f + d.size() / 4);
      }
      ASSERT_EQ(FirstBitDifference(m, reference.m(k)), -1)
          << "step " << step << ", group " << k;
    }
  }
}

TEST(LionTest, MatchesInterpretedHeroLionBitForBit) {
  ExpectParity(/*with_nan=*/false, 1);
}

TEST(LionTest, MatchesInterpretedHeroLionWithNaN) {
  ExpectParity(/*with_nan=*/true, 2);
}

TEST(LionTest, SignOfZeroIsZero) {
  TestParams p({{{3}, 1.0f, 0.5f}});
  p.w = {1.0f, -2.0f, 0.0f};
  std::unique_ptr<Lion> lion = MakeLion(p, LionOptions());
  ASSERT_NE(lion, nullptr);
  // g = m = 0: the direction is sign(0) = 0; only the decay acts.
  ASSERT_TRUE(lion->Step(0.1f).finite);
  EXPECT_EQ(p.w[0], 1.0f - (0.0f + 1.0f * 0.5f) * 0.1f);
  EXPECT_EQ(p.w[1], -2.0f - (0.0f + -2.0f * 0.5f) * 0.1f);
  EXPECT_EQ(Bits(p.w[2]), Bits(0.0f));
}

// g = β1·s and m = −(1 − β1)·s, with 1 − β1 rounded to float32 as hero
// does: the direction (1 − β1)·g + β1·m is exactly 0 (the two products are
// the same two factors), so only the decay moves w. With 1 − β1 taken as
// the nearest float to 0.1 instead, the sign would be ±1.
TEST(LionTest, InterpolationUsesOneMinusBetaInFloat32) {
  TestParams p({{{64}, 1.0f, 0.5f}});
  std::mt19937 rng(6);
  FillNormal(rng, p.w, 1.0f);
  std::vector<float> m(64);
  for (int i = 0; i < 64; ++i) {
    const float s = std::ldexp((i % 2) ? 1.0f : -1.0f, i % 20 - 10);
    p.g[i] = 0.9f * s;
    m[i] = -(1.0f - 0.9f) * s;
  }
  const std::vector<float> w0 = p.w;
  InterpretedReference reference(Shipped("hero_lion"), p);
  reference.m(0) = m;
  std::unique_ptr<Lion> lion = MakeLion(p, LionOptions());
  OptimizerState state = lion->SaveState();
  state.mutable_tensors(0)->mutable_slots(0)->set_data(
      reinterpret_cast<const char*>(m.data()), m.size() * sizeof(float));
  ASSERT_TRUE(lion->LoadState(state).ok());
  reference.Step(0.1f);
  lion->Step(0.1f);
  EXPECT_EQ(FirstBitDifference(p.w, reference.w()), -1);
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(p.w[i], w0[i] - (0.0f + w0[i] * 0.5f) * 0.1f) << i;
  }
}

TEST(LionTest, DefaultsAreThePapers) {
  const LionOptions o;
  EXPECT_EQ(o.beta1, 0.9f);
  EXPECT_EQ(o.beta2, 0.99f);
  EXPECT_FALSE(o.maximize);
  EXPECT_EQ(o.momentum_precision, Precision::kFloat32);
  EXPECT_EQ(o.threading.num_threads, 1);
}

TEST(LionTest, ThreadsGiveTheSameBits) {
  const std::vector<TestParams::GroupSpec> specs = {
      {{10007, 3, 4096}, 1.0f, 0.3f}, {{999}, 2.0f, 0.0f}};
  TestParams one(specs), many(specs);
  std::mt19937 rng(3);
  FillNormal(rng, one.w, 1.0f);
  many.w = one.w;
  LionOptions options;
  std::unique_ptr<Lion> serial = MakeLion(one, options);
  options.threading.num_threads = 3;
  options.threading.min_elements_per_item = 100;
  std::unique_ptr<Lion> threaded = MakeLion(many, options);
  ASSERT_NE(threaded, nullptr);
  EXPECT_GT(threaded->num_work_items(), 4);  // The large tensors were split.
  EXPECT_EQ(serial->num_work_items(), 4);
  for (int step = 0; step < 10; ++step) {
    FillNormal(rng, one.g, 0.1f);
    many.g = one.g;
    EXPECT_TRUE(serial->Step(1e-3f).finite);
    EXPECT_TRUE(threaded->Step(1e-3f).finite);
    ASSERT_EQ(FirstBitDifference(one.w, many.w), -1) << "step " << step;
  }
}

TEST(LionTest, Bfloat16MomentumIsFloat32LionRoundedEachStep) {
  TestParams p(TwoGroups());
  std::mt19937 rng(4);
  FillNormal(rng, p.w, 1.0f);
  InterpretedReference reference(Shipped("hero_lion"), p);
  LionOptions options;
  options.momentum_precision = Precision::kBfloat16;
  std::unique_ptr<Lion> lion = MakeLion(p, options);
  ASSERT_NE(lion, nullptr);
  for (int step = 0; step < kSteps; ++step) {
    FillSpecial(rng, p.g, 0.1f, /*with_nan=*/false);
    reference.Step(Lr(step));
    for (int k = 0; k < 2; ++k) {  // The reference keeps m in bfloat16 too.
      for (float& m : reference.m(k)) m = Bfloat16ToFloat(FloatToBfloat16(m));
    }
    lion->Step(Lr(step));
    ASSERT_EQ(FirstBitDifference(p.w, reference.w()), -1) << "step " << step;
  }
  const OptimizerState state = lion->SaveState();
  EXPECT_EQ(state.tensors(0).slots(0).dtype(), BFLOAT16);
  EXPECT_EQ(state.tensors(0).slots(0).data().size(), 2u * 17);
}

TEST(LionTest, MaximizeEqualsDescentOnTheNegatedGradient) {
  TestParams up(TwoGroups()), down(TwoGroups());
  std::mt19937 rng(5);
  FillNormal(rng, up.w, 1.0f);
  down.w = up.w;
  LionOptions options;
  std::unique_ptr<Lion> descent = MakeLion(down, options);
  options.maximize = true;
  std::unique_ptr<Lion> ascent = MakeLion(up, options);
  for (int step = 0; step < 10; ++step) {
    FillSpecial(rng, up.g, 0.1f, /*with_nan=*/false);
    for (size_t i = 0; i < up.g.size(); ++i) down.g[i] = -up.g[i];
    ascent->Step(1e-3f);
    descent->Step(1e-3f);
    ASSERT_EQ(FirstBitDifference(up.w, down.w), -1) << "step " << step;
  }
}

TEST(LionTest, RejectsBadOptionsAndGroups) {
  TestParams p(TwoGroups());
  LionOptions options;
  options.beta1 = 1.5f;
  absl::StatusOr<std::unique_ptr<Lion>> bad = Lion::Create(p.Groups(), options);
  EXPECT_EQ(bad.status().message(), "Lion: beta1 must be in [0, 1]; got 1.5");
  options = LionOptions();
  options.threading.num_threads = 0;
  EXPECT_EQ(Lion::Create(p.Groups(), options).status().message(),
            "Lion: num_threads must be >= 1; got 0");
  std::vector<ParamGroup> groups = p.Groups();
  groups[1].tensors[0].name = "t0";
  EXPECT_EQ(Lion::Create(groups).status().message(),
            "Lion: tensor `t0` (group 1): the name is used twice");
}

}  // namespace
}  // namespace optim
}  // namespace hero
