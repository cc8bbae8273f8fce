#include "tests/export/parity_cases.h"

#include <cmath>
#include <limits>
#include <random>

#include "src/interpreter/interpreter.h"

namespace hero {
namespace export_test {
namespace {

enum class Kind { kNormal, kZero, kTiny, kHuge, kNaN };

float Draw(std::mt19937& rng, Kind kind, float scale) {
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> unit(1.0f, 2.0f);
  const float sign = (rng() & 1) ? 1.0f : -1.0f;
  switch (kind) {
    case Kind::kNormal:
      return normal(rng) * scale;
    case Kind::kZero:
      return sign * 0.0f;
    case Kind::kTiny:
      return (rng() & 1)
                 ? sign * std::numeric_limits<float>::denorm_min() *
                       static_cast<float>(1 + rng() % 100000)
                 : sign * std::ldexp(unit(rng),
                                     -(100 + static_cast<int>(rng() % 26)));
    case Kind::kHuge:
      return sign * std::ldexp(unit(rng), 100 + static_cast<int>(rng() % 28));
    case Kind::kNaN:
      return std::numeric_limits<float>::quiet_NaN();
  }
  return 0.0f;
}

// Fills x with values of the kinds in `mix` (chosen uniformly).
void Fill(std::mt19937& rng, const std::vector<Kind>& mix, float scale,
          std::vector<float>& x) {
  for (float& v : x) v = Draw(rng, mix[rng() % mix.size()], scale);
}

ParityCase Make(std::string name, std::vector<int64_t> sizes, float lr,
                float lam, const std::vector<Kind>& w_mix,
                const std::vector<Kind>& g_mix, uint32_t seed) {
  ParityCase c;
  c.name = std::move(name);
  c.sizes = std::move(sizes);
  c.lr = lr;
  c.lam = lam;
  int64_t total = 0;
  for (int64_t n : c.sizes) total += n;
  std::mt19937 rng(seed);
  c.w0.resize(total);
  Fill(rng, w_mix, 1.0f, c.w0);
  for (int s = 0; s < kSteps; ++s) {
    std::vector<float> g(total);
    Fill(rng, g_mix, 0.1f, g);
    c.grads.push_back(std::move(g));
  }
  return c;
}

}  // namespace

std::vector<ParityCase> ParityCases() {
  using K = Kind;
  std::vector<ParityCase> cases;
  cases.push_back(
      Make("normal", {17, 1, 64}, 1e-3f, 0.1f, {K::kNormal}, {K::kNormal}, 1));
  cases.push_back(Make("zeros", {5, 3}, 1e-2f, 0.5f, {K::kZero, K::kNormal},
                       {K::kZero, K::kZero, K::kNormal}, 2));
  cases.push_back(
      Make("tiny", {9, 2}, 1e-3f, 0.1f, {K::kTiny, K::kNormal}, {K::kTiny}, 3));
  cases.push_back(Make("huge", {4, 7}, 1e-3f, 0.1f, {K::kHuge, K::kNormal},
                       {K::kHuge, K::kNormal}, 4));
  cases.push_back(Make("nan", {6, 5}, 3e-4f, 1.0f, {K::kNormal},
                       {K::kNormal, K::kNormal, K::kNormal, K::kNaN}, 5));
  cases.push_back(Make("mixed", {31, 2, 13}, 3e-4f, 1.0f,
                       {K::kNormal, K::kZero, K::kTiny, K::kHuge},
                       {K::kNormal, K::kZero, K::kTiny, K::kHuge}, 6));
  // The first gradient of "zeros" is all zero.
  std::fill(cases[1].grads[0].begin(), cases[1].grads[0].end(), 0.0f);
  return cases;
}

ParityCase OpSweepCase(float lam) {
  ParityCase c;
  c.name = "sweep";
  c.lr = 1e-3f;
  c.lam = lam;
  std::vector<float> g = {0.0f,
                          -0.0f,
                          1.0f,
                          -1.0f,
                          0.5f,
                          -0.5f,
                          2.0f,
                          -2.0f,
                          std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::min(),
                          std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN()};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(1.0f, 2.0f);
  // Every binade, both signs, 16 values each.
  for (int e = -149; e <= 127; ++e) {
    for (int k = 0; k < 16; ++k) {
      const float x = std::ldexp(unit(rng), e);
      g.push_back(x);
      g.push_back(-x);
    }
  }
  // Dense where the functions curve: [-12, 12] and around ±1.
  std::uniform_real_distribution<float> wide(-12.0f, 12.0f), near(-1.1f, 1.1f);
  for (int k = 0; k < 4000; ++k) g.push_back(wide(rng));
  for (int k = 0; k < 4000; ++k) g.push_back(near(rng));
  c.sizes = {static_cast<int64_t>(g.size())};
  c.w0.assign(g.size(), 0.0f);
  c.grads = {g};
  return c;
}

std::vector<float> PowerExponents() {
  return {-3.5f, -2.0f, -1.0f, -0.5f, 0.0f, 0.33333334f, 0.5f,
          1.0f,  2.0f,  2.5f,  3.0f,  7.1f, 100.0f};
}

Trace RunReference(const Program& program, const ParityCase& c) {
  Trace t;
  ParameterLayout layout;
  for (int64_t n : c.sizes) layout.Add("t", n);
  absl::StatusOr<std::unique_ptr<Interpreter>> interp =
      Interpreter::Create(program, layout);
  if (!interp.ok()) {
    t.ok = false;
    return t;
  }
  std::vector<float> w = c.w0, m(c.total(), 0.0f), v(c.total(), 0.0f);
  for (size_t s = 0; s < c.grads.size(); ++s) {
    StepBuffers b;
    b.w = w.data();
    b.g = c.grads[s].data();
    b.m = m.data();
    b.v = v.data();
    (*interp)->Step(b, {c.lr, c.lam}, /*apply_update=*/true);
    t.w.push_back(w);
    t.m.push_back(m);
    t.v.push_back(v);
  }
  return t;
}

}  // namespace export_test
}  // namespace hero
