// Native AdamW against the interpreter running configs/programs/adamw.py:
// bit for bit at every step, over several groups and odd-sized tensors with
// special values; bias correction against its closed form; threads and
// bfloat16 state.
#include "src/optim/adamw.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/optim/bf16.h"
#include "tests/optim/optim_test_util.h"

namespace hero {
namespace optim {
namespace {

using testing_util::FillNormal;
using testing_util::FillSpecial;
using testing_util::FirstBitDifference;
using testing_util::InterpretedReference;
using testing_util::Shipped;
using testing_util::TestParams;

constexpr int kSteps = 40;

std::vector<TestParams::GroupSpec> TwoGroups() {
  return {{{17, 1, 256, 1000}, 1.0f, 0.1f}, {{33, 5}, 0.5f, 0.0f}};
}

float Lr(int step) { return 1e-3f * (1.0f - step / (2.0f * kSteps)); }

std::unique_ptr<AdamW> MakeAdamW(TestParams& p, const AdamWOptions& options) {
  absl::StatusOr<std::unique_ptr<AdamW>> a = AdamW::Create(p.Groups(), options);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? *std::move(a) : nullptr;
}

// Group k's slot s from saved state, as one float vector.
std::vector<float> Slot(const OptimizerState& state, int k, int s) {
  std::vector<float> out;
  for (const TensorState& t : state.tensors()) {
    if (t.group() != k) continue;
    const std::string& d = t.slots(s).data();
    const float* f = reinterpret_cast<const float*>(d.data());
    out.insert(out.end(), f, f + d.size() / 4);
  }
  return out;
}

void ExpectParity(bool with_nan, uint32_t seed) {
  TestParams p(TwoGroups());
  std::mt19937 rng(seed);
  FillSpecial(rng, p.w, 1.0f, with_nan);
  InterpretedReference reference(Shipped("adamw"), p);
  std::unique_ptr<AdamW> adamw = MakeAdamW(p, AdamWOptions());
  ASSERT_NE(adamw, nullptr);
  for (int step = 0; step < kSteps; ++step) {
    FillSpecial(rng, p.g, 0.1f, with_nan);
    const bool want_finite = reference.Step(Lr(step));
    EXPECT_EQ(adamw->Step(Lr(step)).finite, want_finite) << "step " << step;
    const int64_t d = FirstBitDifference(p.w, reference.w());
    ASSERT_EQ(d, -1) << "step " << step << ": w[" << d << "] " << p.w[d]
                     << " vs " << reference.w()[d];
    const OptimizerState state = adamw->SaveState();
    for (int k = 0; k < 2; ++k) {
      ASSERT_EQ(FirstBitDifference(Slot(state, k, 0), reference.m(k)), -1);
      ASSERT_EQ(FirstBitDifference(Slot(state, k, 1), reference.v(k)), -1);
    }
  }
}

TEST(AdamWTest, MatchesInterpretedAdamWBitForBit) {
  ExpectParity(/*with_nan=*/false, 11);
}

TEST(AdamWTest, MatchesInterpretedAdamWWithNaN) {
  ExpectParity(/*with_nan=*/true, 12);
}

TEST(AdamWTest, DefaultsAreTheProgramsAndThePapers) {
  const AdamWOptions o;
  EXPECT_EQ(o.beta1, 0.9f);
  EXPECT_EQ(o.beta2, 0.999f);
  EXPECT_EQ(o.eps, 1e-8f);
  EXPECT_FALSE(o.bias_correction);
  EXPECT_EQ(o.state_precision, Precision::kFloat32);
}

// Bias correction against its closed form, element by element.
TEST(AdamWTest, BiasCorrectionFollowsItsFormula) {
  TestParams p({{{37}, 1.0f, 0.1f}});
  std::mt19937 rng(13);
  FillNormal(rng, p.w, 1.0f);
  AdamWOptions options;
  options.bias_correction = true;
  std::unique_ptr<AdamW> adamw = MakeAdamW(p, options);
  std::vector<float> w = p.w, m(37, 0.0f), v(37, 0.0f);
  for (int t = 1; t <= 5; ++t) {
    FillNormal(rng, p.g, 0.1f);
    const float bias1 = static_cast<float>(1.0 - std::pow(double{0.9f}, t));
    const float bias2 =
        static_cast<float>(std::sqrt(1.0 - std::pow(double{0.999f}, t)));
    for (int i = 0; i < 37; ++i) {
      const float g = p.g[i];
      m[i] = (1.0f - 0.9f) * g + 0.9f * m[i];
      v[i] = (1.0f - 0.999f) * (g * g) + 0.999f * v[i];
      const float direction =
          (m[i] / bias1) / (std::sqrt(std::fabs(v[i])) / bias2 + 1e-8f);
      w[i] = w[i] - (direction + w[i] * 0.1f) * 1e-3f;
    }
    ASSERT_TRUE(adamw->Step(1e-3f).finite);
    ASSERT_EQ(FirstBitDifference(p.w, w), -1) << "step " << t;
  }
  EXPECT_EQ(adamw->step_count(), 5);
}

TEST(AdamWTest, ThreadsGiveTheSameBits) {
  const std::vector<TestParams::GroupSpec> specs = {
      {{10007, 3, 4096}, 1.0f, 0.3f}};
  TestParams one(specs), many(specs);
  std::mt19937 rng(14);
  FillNormal(rng, one.w, 1.0f);
  many.w = one.w;
  AdamWOptions options;
  std::unique_ptr<AdamW> serial = MakeAdamW(one, options);
  options.threading.num_threads = 2;
  options.threading.min_elements_per_item = 64;
  std::unique_ptr<AdamW> threaded = MakeAdamW(many, options);
  EXPECT_GT(threaded->num_work_items(), 3);
  for (int step = 0; step < 10; ++step) {
    FillNormal(rng, one.g, 0.1f);
    many.g = one.g;
    serial->Step(1e-3f);
    threaded->Step(1e-3f);
    ASSERT_EQ(FirstBitDifference(one.w, many.w), -1) << "step " << step;
  }
}

TEST(AdamWTest, Bfloat16StateIsFloat32AdamWRoundedEachStep) {
  TestParams p(TwoGroups());
  std::mt19937 rng(15);
  FillNormal(rng, p.w, 1.0f);
  InterpretedReference reference(Shipped("adamw"), p);
  AdamWOptions options;
  options.state_precision = Precision::kBfloat16;
  std::unique_ptr<AdamW> adamw = MakeAdamW(p, options);
  for (int step = 0; step < kSteps; ++step) {
    FillNormal(rng, p.g, 0.1f);
    reference.Step(Lr(step));
    for (int k = 0; k < 2; ++k) {
      for (float& x : reference.m(k)) x = Bfloat16ToFloat(FloatToBfloat16(x));
      for (float& x : reference.v(k)) x = Bfloat16ToFloat(FloatToBfloat16(x));
    }
    adamw->Step(Lr(step));
    ASSERT_EQ(FirstBitDifference(p.w, reference.w()), -1) << "step " << step;
  }
}

TEST(AdamWTest, RejectsBadOptions) {
  TestParams p(TwoGroups());
  AdamWOptions options;
  options.beta2 = 1.0f;
  EXPECT_EQ(AdamW::Create(p.Groups(), options).status().message(),
            "AdamW: beta2 must be in [0, 1); got 1");
  options = AdamWOptions();
  options.eps = -1.0f;
  EXPECT_EQ(AdamW::Create(p.Groups(), options).status().message(),
            "AdamW: eps must be finite and >= 0; got -1");
}

}  // namespace
}  // namespace optim
}  // namespace hero
