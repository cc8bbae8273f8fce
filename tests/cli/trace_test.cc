// `hero trace` of the shipped AdamW and Hero-Lion programs against
// hand-written C++ loops of the same formulas, over 100 steps.
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

constexpr int kN = 64;
constexpr int kSteps = 100;
constexpr float kLr = 0.01f;
constexpr float kLam = 0.1f;

// The language's interpolate, as DESIGN.md defines it.
float Interpolate(float x, float y, float a) { return (1.0f - a) * x + a * y; }

struct Problem {
  std::vector<float> w0;
  std::vector<std::vector<float>> grads;
  std::string w0_path, grads_path;
};

Problem MakeProblem(const std::string& name) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Problem p;
  for (int i = 0; i < kN; ++i) p.w0.push_back(normal(rng));
  std::string grads_text;
  for (int s = 0; s < kSteps; ++s) {
    std::vector<float> g;
    for (int i = 0; i < kN; ++i) g.push_back(normal(rng) * 0.1f);
    p.grads.push_back(g);
    grads_text += absl::StrJoin(g, ", ",
                                [](std::string* out, float x) {
                                  char buf[32];
                                  std::snprintf(buf, sizeof buf, "%.9g", x);
                                  out->append(buf);
                                }) +
                  "\n";
  }
  p.w0_path = TempPath(name + "_w0.txt");
  p.grads_path = TempPath(name + "_grads.txt");
  std::string w0_text;
  for (float x : p.w0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g ", x);
    w0_text += buf;
  }
  WriteFile(p.w0_path, w0_text + "\n");
  WriteFile(p.grads_path, grads_text);
  return p;
}

std::vector<std::vector<float>> ParseTrace(const std::string& out) {
  std::vector<std::vector<float>> rows;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    std::vector<float> row;
    for (absl::string_view tok : absl::StrSplit(line, ' ')) {
      row.push_back(std::strtof(std::string(tok).c_str(), nullptr));
    }
    rows.push_back(row);
  }
  return rows;
}

HeroRun Trace(const std::string& program, const Problem& p) {
  return RunHero({"trace", "configs/programs/" + program, "--w0=" + p.w0_path,
                  "--grads=" + p.grads_path, "--lr=0.01", "--lam=0.1"});
}

TEST(TraceTest, AdamWMatchesHandWrittenLoop) {
  const Problem p = MakeProblem("adamw");
  const HeroRun run = Trace("adamw.py", p);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = ParseTrace(run.out);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kSteps));
  // Each step of the reference starts from the traced w of the step before,
  // so that rounding differences do not compound over the 100 steps.
  std::vector<float> w = p.w0, m(kN, 0.0f), v(kN, 0.0f);
  for (int s = 0; s < kSteps; ++s) {
    ASSERT_EQ(rows[s].size(), static_cast<size_t>(kN));
    for (int i = 0; i < kN; ++i) {
      const float g = p.grads[s][i];
      m[i] = Interpolate(g, m[i], 0.9f);
      v[i] = Interpolate(g * g, v[i], 0.999f);
      const float update =
          (m[i] / (std::sqrt(v[i]) + 1e-8f) + w[i] * kLam) * kLr;
      const float expected = w[i] - update;
      // Relative to the operands of w - update (the result may cancel).
      const float scale = std::max(std::fabs(w[i]), std::fabs(update));
      EXPECT_LE(std::fabs(rows[s][i] - expected), 1e-6f * scale)
          << "step " << s + 1 << " element " << i << ": " << rows[s][i]
          << " vs " << expected;
      w[i] = rows[s][i];
    }
  }
}

TEST(TraceTest, HeroLionMatchesHandWrittenLoop) {
  const Problem p = MakeProblem("lion");
  const HeroRun run = Trace("hero_lion.py", p);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = ParseTrace(run.out);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kSteps));
  // Run the reference on the interpreter's own w after each step, so that a
  // legitimate sign flip (argument within 1e-7 of 0) does not propagate.
  std::vector<float> w = p.w0, m(kN, 0.0f);
  int flips = 0;
  for (int s = 0; s < kSteps; ++s) {
    for (int i = 0; i < kN; ++i) {
      const float g = p.grads[s][i];
      const float c = Interpolate(g, m[i], 0.9f);
      const float sign = (c > 0) - (c < 0);
      const float expected = w[i] - (sign + w[i] * kLam) * kLr;
      const float got = rows[s][i];
      const float scale = std::max(std::fabs(w[i]), kLr);
      if (std::fabs(got - expected) > 1e-6f * scale) {
        EXPECT_LT(std::fabs(c), 1e-7f) << "step " << s + 1 << " element " << i;
        ++flips;
      }
      m[i] = Interpolate(g, m[i], 0.99f);
      w[i] = got;
    }
  }
  EXPECT_LE(flips, 2);
}

TEST(TraceTest, BadInputIsLocated) {
  const std::string w0 = TempPath("bad_w0.txt");
  const std::string grads = TempPath("bad_grads.txt");
  WriteFile(w0, "1.0, 2.0\n");
  WriteFile(grads, "0.1 0.2\n0.1 zz\n");
  HeroRun run = RunHero({"trace", "configs/programs/hero_lion.py", "--w0=" + w0,
                         "--grads=" + grads});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + grads + ":2:5: malformed number `zz`\n");
  WriteFile(grads, "0.1 0.2\n0.1\n");
  run = RunHero({"trace", "configs/programs/hero_lion.py", "--w0=" + w0,
                 "--grads=" + grads});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + grads + ": step 2 has 1 values; --w0 has 2\n");
}

// norm acts per tensor: with --sizes=2,3 each tensor has its own norm.
TEST(TraceTest, SizesSplitTheWeightsIntoTensors) {
  const std::string prog = TempPath("norm.py");
  WriteFile(prog,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = norm(g)\n"
            "  return update, m, v\n");
  const std::string w0 = TempPath("sizes_w0.txt");
  const std::string grads = TempPath("sizes_grads.txt");
  WriteFile(w0, "1 2 3 4 5\n");
  WriteFile(grads, "3 4 0 0 1\n");
  HeroRun run =
      RunHero({"trace", prog, "--w0=" + w0, "--grads=" + grads, "--sizes=2,3"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "-4 -3 2 3 4\n");  // Norms 5 and 1.
  run =
      RunHero({"trace", prog, "--w0=" + w0, "--grads=" + grads, "--sizes=2,2"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero trace: --sizes add up to 4; --w0 has 5 values\n");
  run = RunHero(
      {"trace", prog, "--w0=" + w0, "--grads=" + grads, "--sizes=2,-3"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero trace: --sizes: `-3` is not a positive integer\n");
}

TEST(TraceTest, NonFiniteStopsWithStatusOne) {
  const std::string prog = TempPath("log.py");
  WriteFile(prog,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = log(g)\n"
            "  return update, m, v\n");
  const std::string w0 = TempPath("nf_w0.txt");
  const std::string grads = TempPath("nf_grads.txt");
  WriteFile(w0, "1.0 2.0\n");
  WriteFile(grads, "1.0 1.0\n0.0 1.0\n1.0 1.0\n");
  const HeroRun run =
      RunHero({"trace", prog, "--w0=" + w0, "--grads=" + grads});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "1 2\ninf 2\n");
  EXPECT_EQ(
      run.err,
      "error: step 2: the program produced a non-finite update, m or v\n");
}

}  // namespace
}  // namespace hero
