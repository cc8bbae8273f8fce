// Abstract execution: types, located errors, and cross-step liveness.
#include "src/program/analysis.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

Program Parse(const std::string& text) {
  absl::StatusOr<Program> p = ParseProgram(text, "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : Program();
}

Program Body(const std::string& body) {
  return Parse("def train(w, g, m, v, lr, λ):\n" + body +
               "  return update, m, v\n");
}

std::string ErrorOf(const std::string& body) {
  absl::StatusOr<Analysis> a = Analyze(Body(body), "t.py");
  EXPECT_FALSE(a.ok());
  return a.ok() ? "" : std::string(a.status().message());
}

TEST(AnalysisTest, InfersTypes) {
  Program p = Body(
      "  s = lr * 2.0\n"
      "  n = global_norm(g)\n"
      "  t = g * s\n"
      "  k = norm(t)\n"
      "  update = t / k\n");
  absl::StatusOr<Analysis> a = Analyze(p);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->types[p.FindVariable("s")], ValueType::kScalar);
  EXPECT_EQ(a->types[p.FindVariable("n")], ValueType::kScalar);
  EXPECT_EQ(a->types[p.FindVariable("t")], ValueType::kTensor);
  EXPECT_EQ(a->types[p.FindVariable("k")], ValueType::kTensor);
  EXPECT_EQ(a->types[p.FindVariable("update")], ValueType::kTensor);
  // n is never used: dead.
  EXPECT_EQ(a->RedundantStatements(), std::vector<int>({1}));
}

TEST(AnalysisTest, ErrorClassesAreLocated) {
  EXPECT_EQ(ErrorOf("  update = g * x\n"), "t.py:2:16: undefined name `x`");
  EXPECT_EQ(ErrorOf("  update = g * y\n  y = sign(g)\n"),
            "t.py:2:16: undefined name `y`");
  EXPECT_EQ(
      ErrorOf("  n = norm(lr)\n  update = g * n\n"),
      "t.py:2:12: argument 1 of `norm` must be a tensor; `lr` is a scalar");
  EXPECT_EQ(ErrorOf("  update = clip_by_global_norm(g, m)\n"),
            "t.py:2:35: argument 2 of `clip_by_global_norm` must be a scalar; "
            "`m` is a tensor");
  EXPECT_EQ(ErrorOf("  d = dot(g, 2.0)\n  update = g * d\n"),
            "t.py:2:14: argument 2 of `dot` must be a tensor; a constant is a "
            "scalar");
  EXPECT_EQ(ErrorOf("  lr = lr * 2.0\n  update = g * lr\n"),
            "t.py:2:3: cannot assign to the input scalar `lr`");
  EXPECT_EQ(ErrorOf("  lam = g * 2.0\n  update = g * lam\n"),
            "t.py:2:3: cannot assign to the input scalar `λ`");
  EXPECT_EQ(ErrorOf("  m = lr * 2.0\n  update = g * m\n"),
            "t.py:2:3: `m` is a tensor; cannot assign a scalar to it (a "
            "variable keeps one type)");
  EXPECT_EQ(ErrorOf("  x = g * 2.0\n"), "t.py:3:3: `update` is never assigned");
  EXPECT_EQ(ErrorOf("  update = lr * 2.0\n"),
            "t.py:3:3: `update` must be a tensor; it is a scalar");
}

TEST(AnalysisTest, ProgramsMadeInCodeNameTheStatement) {
  Program p;
  const int update = p.AddVariable("update");
  const int x = p.AddVariable("x");
  p.statements.push_back(Statement::Make(OpCode::kSign, update, {Arg::Var(x)}));
  absl::StatusOr<Analysis> a = Analyze(p);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "statement 1: undefined name `x`");
}

TEST(AnalysisTest, EvolvedProgramHasDeadMState) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/evolved.py");
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<Analysis> a = Analyze(*p);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->state_is_live[0]) << "incoming m is overwritten before read";
  EXPECT_TRUE(a->state_is_live[1]);
  EXPECT_TRUE(a->RedundantStatements().empty());
}

TEST(AnalysisTest, ShippedStateSlots) {
  struct Case {
    const char* file;
    bool m, v;
  };
  for (const Case& c :
       {Case{"adamw.py", true, true}, Case{"hero_lion.py", true, false},
        Case{"signum.py", true, false}, Case{"sgd_momentum.py", true, false}}) {
    absl::StatusOr<Program> p =
        ReadProgramFile(std::string("configs/programs/") + c.file);
    ASSERT_TRUE(p.ok()) << p.status();
    absl::StatusOr<Analysis> a = Analyze(*p);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->state_is_live[0], c.m) << c.file;
    EXPECT_EQ(a->state_is_live[1], c.v) << c.file;
    EXPECT_TRUE(a->RedundantStatements().empty()) << c.file;
  }
}

TEST(AnalysisTest, StatementsFeedingOnlyADeadSlotAreRedundant) {
  // v is computed but its incoming value is never read by anything live, so
  // both statements computing the new v are dead across steps.
  Program p = Body(
      "  g2 = square(g)\n"
      "  v = interpolate(g2, v, 0.999)\n"
      "  m = interpolate(g, m, 0.9)\n"
      "  update = sign(m)\n");
  absl::StatusOr<Analysis> a = Analyze(p);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->state_is_live[0]);
  EXPECT_FALSE(a->state_is_live[1]);
  EXPECT_EQ(a->RedundantStatements(), std::vector<int>({0, 1}));
}

TEST(AnalysisTest, StateLivenessReachesAFixedPoint) {
  // update reads m; the new m reads v; so v is live through m.
  Program p = Body(
      "  update = sign(m)\n"
      "  m = interpolate(g, v, 0.5)\n"
      "  v = v + g\n");
  absl::StatusOr<Analysis> a = Analyze(p);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->state_is_live[0]);
  EXPECT_TRUE(a->state_is_live[1]);
  EXPECT_TRUE(a->RedundantStatements().empty());
}

TEST(AnalysisTest, ReadsLiveSeesOnlyLiveReads) {
  struct Case {
    const char* body;
    bool reads_lr;
  };
  const Case cases[] = {
      // The shipped form: the step is scaled by lr.
      {"  m = interpolate(g, m, 0.9)\n"
       "  update = sign(m)\n"
       "  update = update * lr\n",
       true},
      // Momentum at a fixed step: lr is never read.
      {"  m = interpolate(g, m, 0.9)\n"
       "  update = m * 0.2\n",
       false},
      // lr is read, but by a dead statement only.
      {"  t1 = lr * 2\n"
       "  m = interpolate(g, m, 0.9)\n"
       "  update = m * 0.2\n",
       false},
      // lr reaches the update only through the state m, a step later.
      {"  update = sign(m)\n"
       "  t1 = g * lr\n"
       "  m = interpolate(t1, m, 0.9)\n",
       true},
  };
  for (const Case& c : cases) {
    Program p = Body(c.body);
    absl::StatusOr<Analysis> a = Analyze(p);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_EQ(ReadsLive(p, *a, kLr), c.reads_lr) << c.body;
  }
  // Every shipped optimizer reads lr and λ.
  for (const char* file : {"adamw.py", "hero_lion.py", "signum.py",
                           "sgd_momentum.py", "evolved.py"}) {
    absl::StatusOr<Program> p =
        ReadProgramFile(std::string("configs/programs/") + file);
    ASSERT_TRUE(p.ok()) << p.status();
    absl::StatusOr<Analysis> a = Analyze(*p);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(ReadsLive(*p, *a, kLr)) << file;
    EXPECT_TRUE(ReadsLive(*p, *a, kLam)) << file;
  }
}

}  // namespace
}  // namespace hero
