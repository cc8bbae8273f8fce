// The shipped AdamW and Lion programs, interpreted for 100 steps on random
// gradients, against hand-written loops of the same formulas: relative error
// at most 1e-6 on w, m, v and the update at every step (in practice they are
// bit-identical, since the kernels round exactly like these loops; this file
// is compiled with -ffp-contract=off so that the loops do too). For Lion the
// sign of the update may flip only where its argument is within 1e-7 of 0;
// such elements are resynchronized so that one flip is not counted twice.
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/interpreter/interpreter.h"
#include "tests/interpreter/test_util.h"

namespace hero {
namespace {

using testing_util::Buffers;
using testing_util::Make;
using testing_util::Shipped;

constexpr int kSteps = 100;
constexpr float kLam = 0.1f;

ParameterLayout Layout() {
  ParameterLayout layout;
  for (int64_t size : {3000, 1, 4099, 517}) layout.Add("t", size);
  return layout;
}

float Lr(int step) { return 1e-3f * (1.0f - step / 200.0f); }

double RelativeError(float got, float want) {
  if (got == want) return 0.0;
  return std::fabs(double{got} - want) /
         std::max(std::fabs(double{want}), 1e-30);
}

void NewGradient(std::mt19937& rng, std::vector<float>& g) {
  std::normal_distribution<float> normal;
  for (float& x : g) x = normal(rng);
}

// adamw.py, element by element.
void AdamWStep(Buffers& b, float lr, float lam) {
  for (size_t i = 0; i < b.w.size(); ++i) {
    const float g2 = b.g[i] * b.g[i];
    const float m = (1.0f - 0.9f) * b.g[i] + 0.9f * b.m[i];
    const float v = (1.0f - 0.999f) * g2 + 0.999f * b.v[i];
    const float u = (m / (std::sqrt(std::fabs(v)) + 1e-8f) + b.w[i] * lam) * lr;
    b.m[i] = m;
    b.v[i] = v;
    b.update[i] = u;
    b.w[i] -= u;
  }
}

// hero_lion.py, element by element; returns the sign's arguments.
std::vector<float> LionStep(Buffers& b, float lr, float lam) {
  std::vector<float> arg(b.w.size());
  for (size_t i = 0; i < b.w.size(); ++i) {
    const float c = (1.0f - 0.9f) * b.g[i] + 0.9f * b.m[i];
    arg[i] = c;
    const float s = c > 0.0f ? 1.0f : (c < 0.0f ? -1.0f : 0.0f);
    const float u = (s + b.w[i] * lam) * lr;
    b.m[i] = (1.0f - 0.99f) * b.g[i] + 0.99f * b.m[i];
    b.update[i] = u;
    b.w[i] -= u;
  }
  return arg;
}

TEST(OptimizersTest, AdamWMatchesHandWrittenLoopFor100Steps) {
  const ParameterLayout layout = Layout();
  std::unique_ptr<Interpreter> interp = Make(Shipped("adamw"), layout);
  ASSERT_NE(interp, nullptr);
  Buffers got = Buffers::Random(layout.size(), 21);
  std::fill(got.m.begin(), got.m.end(), 0.0f);  // Zero state at step 0.
  std::fill(got.v.begin(), got.v.end(), 0.0f);
  Buffers want = got;
  std::mt19937 rng(22);
  double worst = 0.0;
  for (int step = 0; step < kSteps; ++step) {
    NewGradient(rng, got.g);
    want.g = got.g;
    ASSERT_TRUE(interp->Step(got.step(), {Lr(step), kLam}, true).finite);
    AdamWStep(want, Lr(step), kLam);
    for (size_t i = 0; i < got.w.size(); ++i) {
      worst = std::max({worst, RelativeError(got.w[i], want.w[i]),
                        RelativeError(got.m[i], want.m[i]),
                        RelativeError(got.v[i], want.v[i]),
                        RelativeError(got.update[i], want.update[i])});
    }
    ASSERT_LE(worst, 1e-6) << "step " << step;
  }
}

TEST(OptimizersTest, LionMatchesHandWrittenLoopFor100Steps) {
  const ParameterLayout layout = Layout();
  std::unique_ptr<Interpreter> interp = Make(Shipped("hero_lion"), layout);
  ASSERT_NE(interp, nullptr);
  Buffers got = Buffers::Random(layout.size(), 23);
  std::fill(got.m.begin(), got.m.end(), 0.0f);
  Buffers want = got;
  std::mt19937 rng(24);
  int flips = 0;
  for (int step = 0; step < kSteps; ++step) {
    NewGradient(rng, got.g);
    want.g = got.g;
    ASSERT_TRUE(interp->Step(got.step(), {Lr(step), kLam}, true).finite);
    const std::vector<float> arg = LionStep(want, Lr(step), kLam);
    for (size_t i = 0; i < got.w.size(); ++i) {
      if (RelativeError(got.update[i], want.update[i]) > 1e-6) {
        // Only a flipped sign may differ, and only next to 0.
        ASSERT_LE(std::fabs(arg[i]), 1e-7f) << "step " << step << " i " << i;
        ++flips;
        got.w[i] = want.w[i];
        got.m[i] = want.m[i];
        continue;
      }
      ASSERT_LE(RelativeError(got.w[i], want.w[i]), 1e-6) << step << " " << i;
      ASSERT_LE(RelativeError(got.m[i], want.m[i]), 1e-6) << step << " " << i;
      ASSERT_LE(RelativeError(got.update[i], want.update[i]), 1e-6)
          << step << " " << i;
    }
  }
  EXPECT_LE(flips, 10);
}

}  // namespace
}  // namespace hero
