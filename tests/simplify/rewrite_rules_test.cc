// The algebraic rewrite table and its engine: one case per rule (a test
// fails if a rule has none), the type and emittability guards, and constant
// folding through the interpreter's kernels.
#include "src/simplify/rewrite_rules.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/simplify/algebraic.h"
#include "src/simplify/dead_code.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;
using testing_util::Statements;

struct Case {
  const char* rule;  // The rule that must fire first.
  const char* body;
  std::vector<std::string> expected;  // Live statements afterwards.
};

const std::vector<Case>& Cases() {
  static const auto* kCases = new std::vector<Case>{
      {"constant-folding",
       "  t = 2.0 * 3.0\n  update = g * t\n",
       {"update = g * 6.0"}},
      {"div-sqrt-square",
       "  a = square(g)\n  b = sqrt(a)\n  update = g / b\n",
       {"update = sign(g)"}},
      {"div-abs", "  a = abs(g)\n  update = g / a\n", {"update = sign(g)"}},
      {"sqrt-square",
       "  a = square(g)\n  update = sqrt(a)\n",
       {"update = abs(g)"}},
      {"mul-square",
       "  a = square(g)\n  update = g * a\n",
       {"update = cube(g)"}},
      {"mul-self", "  update = g * g\n", {"update = square(g)"}},
      {"add-self", "  update = g + g\n", {"update = g * 2.0"}},
      {"mul-one", "  a = g * 1.0\n  update = sign(a)\n", {"update = sign(g)"}},
      {"div-one", "  a = g / 1\n  update = sign(a)\n", {"update = sign(g)"}},
      {"add-zero", "  a = 0.0 + g\n  update = sign(a)\n", {"update = sign(g)"}},
      {"sub-zero", "  a = g - 0\n  update = sign(a)\n", {"update = sign(g)"}},
      {"zero-sub", "  update = 0.0 - g\n", {"update = negative(g)"}},
      {"mul-minus-one", "  update = -1.0 * g\n", {"update = negative(g)"}},
      // The scalar product becomes 0; the tensor one may not (it would
      // change `update`'s type), so it stays.
      {"mul-zero", "  s = lr * 0.0\n  update = g * s\n", {"update = g * 0.0"}},
      {"interpolate-zero",
       "  a = interpolate(g, w, 0.0)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"interpolate-one",
       "  a = interpolate(g, w, 1.0)\n  update = sign(a)\n",
       {"update = sign(w)"}},
      {"sign-tanh",
       "  a = tanh(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"sign-arctan",
       "  a = arctan(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"sign-sinh",
       "  a = sinh(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"sign-arcsinh",
       "  a = arcsinh(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"sign-cbrt",
       "  a = cbrt(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"sign-expm1",
       "  a = expm1(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      // tan(1) as the kernels compute it; the product keeps the name.
      {"odd-of-sign",
       "  a = sign(g)\n  update = tan(a)\n",
       {"a = sign(g)", "update = a * 1.5574077"}},
      {"interpolate-same",
       "  a = interpolate(g, g, lr)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"double-negation",
       "  a = negative(g)\n  b = negative(a)\n  update = sign(b)\n",
       {"update = sign(g)"}},
      {"sign-sign",
       "  a = sign(g)\n  update = sign(a)\n",
       {"update = sign(g)"}},
      {"abs-abs", "  a = abs(g)\n  update = abs(a)\n", {"update = abs(g)"}},
      {"abs-negative",
       "  a = negative(g)\n  update = abs(a)\n",
       {"update = abs(g)"}},
      {"abs-square",
       "  a = square(g)\n  update = abs(a)\n",
       {"update = square(g)"}},
      {"sqrt-abs", "  a = abs(g)\n  update = sqrt(a)\n", {"update = sqrt(g)"}},
      {"add-negative",
       "  a = negative(w)\n  update = a + g\n",
       {"update = g - w"}},
      {"sub-negative",
       "  a = negative(w)\n  update = g - a\n",
       {"update = g + w"}},
  };
  return *kCases;
}

// Rewrites to a fixpoint, then removes what is dead.
Derivation Rewrite(Dataflow& df) {
  Derivation d;
  while (ApplyRewrites(df, Exactness::kNearZero, &d)) {
  }
  RemoveDeadCode(df, nullptr);
  return d;
}

TEST(RewriteRulesTest, EveryRuleHasACaseAndItFires) {
  std::set<std::string> with_case;
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.rule);
    with_case.insert(c.rule);
    Dataflow df = Graph(c.body);
    const Derivation d = Rewrite(df);
    ASSERT_GE(d.num_steps(), 1);
    EXPECT_EQ(d.RuleNames().front(), c.rule);
    EXPECT_EQ(Statements(df), c.expected);
  }
  for (const RewriteRule& rule : RewriteRules()) {
    EXPECT_TRUE(with_case.count(rule.name)) << rule.name << " has no case";
  }
  EXPECT_EQ(with_case.size(), RewriteRules().size());
}

TEST(RewriteRulesTest, StepShowsStatementsRuleAndExactness) {
  Dataflow df = Graph(
      "  m2 = square(m)\n  m_abs = sqrt(m2)\n"
      "  update = m / m_abs\n");
  Derivation d;
  ASSERT_TRUE(ApplyRewrites(df, Exactness::kNearZero, &d));
  EXPECT_EQ(d.ToText(),
            "  1. div-sqrt-square: x / sqrt(square(x)) → sign(x)  [exact up "
            "to the 1e-8 in division]\n"
            "       - update = m / m_abs\n"
            "       + update = sign(m)\n");
}

TEST(RewriteRulesTest, CopyStepNamesTheValueReadInstead) {
  Dataflow df = Graph("  a = g * 1.0\n  update = sign(a)\n");
  Derivation d;
  ASSERT_TRUE(ApplyRewrites(df, Exactness::kExact, &d));
  EXPECT_EQ(d.ToText(),
            "  1. mul-one: x * 1 → x  [exact]\n"
            "       - a = g * 1.0\n"
            "       + (`a` is `g`)\n");
}

TEST(RewriteRulesTest, LooserRulesAreSkippedWhenExactIsAsked) {
  Dataflow df = Graph("  a = abs(g)\n  update = g / a\n");
  EXPECT_FALSE(ApplyRewrites(df, Exactness::kExact, nullptr));
  EXPECT_EQ(Statements(df),
            (std::vector<std::string>{"a = abs(g)", "update = g / a"}));
}

TEST(RewriteRulesTest, NoCopyWhereTheProgramWouldNeedOne) {
  // `update` cannot be `g` without a statement, nor `m` `v`.
  Dataflow df = Graph("  update = g * 1.0\n  m = v * 1.0\n");
  EXPECT_FALSE(ApplyRewrites(df, Exactness::kNearZero, nullptr));
  Dataflow ok = Graph("  a = g * 1.0\n  update = a * lr\n");
  EXPECT_TRUE(ApplyRewrites(ok, Exactness::kNearZero, nullptr));
}

TEST(RewriteRulesTest, TypeMustBeKept) {
  // interpolate(lr, g, 0) is a tensor; lr is a scalar.
  Dataflow df = Graph("  a = interpolate(lr, g, 0.0)\n  update = g * a\n");
  EXPECT_FALSE(ApplyRewrites(df, Exactness::kNearZero, nullptr));
}

TEST(RewriteRulesTest, ConstantFoldingMatchesTheKernelsAndSkipsNonFinite) {
  // log(0.5) as the interpreter computes it (Eigen's vectorized log).
  const float args[3] = {0.5f, 0, 0};
  const float folded = EvaluateElementwise(OpCode::kLog, args);
  EXPECT_NEAR(folded, std::log(0.5f), 3e-7f);
  Dataflow df = Graph("  c = log(0.5)\n  update = g * c\n");
  ApplyRewrites(df, Exactness::kExact, nullptr);
  RemoveDeadCode(df, nullptr);
  ASSERT_EQ(Statements(df).size(), 1u);
  const Node& u = df.nodes[df.update];
  EXPECT_EQ(df.nodes[u.args[1]].constant.value, folded);
  // log(0) = -inf is not a literal the parser reads back: not folded.
  Dataflow inf = Graph("  c = log(0.0)\n  update = g * c\n");
  EXPECT_FALSE(ApplyRewrites(inf, Exactness::kExact, nullptr));
}

TEST(RewriteRulesTest, ExactnessText) {
  EXPECT_EQ(ExactnessText(Exactness::kExact), "exact");
  EXPECT_EQ(ExactnessText(Exactness::kNearZero),
            "exact up to the 1e-8 in division");
}

// The claims of rewrite_rules.h, checked on values: x / (|x| + 1e-8) is
// exactly sign(x) once |x| >= 0.25, and within 1e-8/|x| below.
TEST(RewriteRulesTest, DivisionRuleToleranceAsStated) {
  for (float x = 1e-6f; x < 4.0f; x *= 1.01f) {
    const float args[2] = {x, std::fabs(x)};
    const float q = EvaluateElementwise(OpCode::kDiv, args);
    if (x >= 0.25f) {
      EXPECT_EQ(q, 1.0f) << x;
    } else {
      EXPECT_NEAR(q, 1.0f, 1.2e-8 / x + 1.2e-7) << x;
    }
  }
}

}  // namespace
}  // namespace hero
