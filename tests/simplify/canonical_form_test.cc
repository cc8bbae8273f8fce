// Pass 4b: the canonical form — the live slot in m, operand order,
// statement order and names, all from the graph's structure.
#include "src/simplify/canonical_form.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/printer.h"
#include "src/simplify/dead_code.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;
using testing_util::Text;

// The canonical form of a body (dead code removed first, nothing else).
std::string Canonical(const std::string& body, bool* swapped = nullptr) {
  Dataflow df = Graph(body);
  RemoveDeadCode(df, nullptr);
  absl::StatusOr<CanonicalProgram> c = ToCanonicalProgram(df, nullptr);
  EXPECT_TRUE(c.ok()) << c.status();
  if (!c.ok()) return "";
  if (swapped != nullptr) *swapped = c->swapped_slots;
  return PrintProgram(c->program);
}

TEST(CanonicalFormTest, ShippedProgramsAreCanonical) {
  for (const char* name :
       {"adamw.py", "hero_lion.py", "signum.py", "sgd_momentum.py"}) {
    SCOPED_TRACE(name);
    const Program p = testing_util::Shipped(name);
    absl::StatusOr<Dataflow> df = Dataflow::FromProgram(p);
    ASSERT_TRUE(df.ok());
    absl::StatusOr<CanonicalProgram> c = ToCanonicalProgram(*df, nullptr);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(PrintProgram(c->program), PrintProgram(p));
  }
}

TEST(CanonicalFormTest, TheOnlyStateSlotIsM) {
  bool swapped = false;
  EXPECT_EQ(
      Canonical("  v = interpolate(g, v, 0.9)\n  update = sign(v)\n", &swapped),
      Text("  m = interpolate(g, m, 0.9)\n  update = sign(m)\n"));
  EXPECT_TRUE(swapped);
}

TEST(CanonicalFormTest, OldStateIsReadBeforeTheStateUpdate) {
  // The update reads the old m: it is written first, then m, then the
  // hyperparameter tail — as the paper prints Hero-Lion.
  EXPECT_EQ(Canonical("  wd = λ * w\n  mom = interpolate(g, m, 0.9)\n"
                      "  m = interpolate(g, m, 0.99)\n  s = sign(mom)\n"
                      "  s = wd + s\n  update = lr * s\n"),
            Text("  update = interpolate(g, m, 0.9)\n"
                 "  update = sign(update)\n"
                 "  m = interpolate(g, m, 0.99)\n  wd = w * λ\n"
                 "  update = update + wd\n  update = update * lr\n"));
}

TEST(CanonicalFormTest, StateChainReusesTheSlotName) {
  // (Inputs as operands of + come in the order w g m v lr λ.)
  EXPECT_EQ(Canonical("  update = m + g\n  a = m * 0.9\n  m = g + a\n"),
            Text("  update = g + m\n  m = m * 0.9\n  m = m + g\n"));
}

TEST(CanonicalFormTest, StateChainStopsWhereTheOldStateIsStillRead) {
  // sq feeds v's update, which reads the old v: sq cannot be called v.
  // (It is the only reader of g, so it continues g.)
  EXPECT_EQ(Canonical("  sq = square(g)\n  v = interpolate(sq, v, 0.999)\n"
                      "  update = sign(v)\n"),
            Text("  g = square(g)\n  m = interpolate(g, m, 0.999)\n"
                 "  update = sign(m)\n"));
  EXPECT_EQ(Canonical("  sq = square(g)\n  v = interpolate(sq, v, 0.999)\n"
                      "  update = v + g\n"),
            Text("  g2 = square(g)\n  m = interpolate(g2, m, 0.999)\n"
                 "  update = m + g\n"));
}

TEST(CanonicalFormTest, GradientPreprocessingFirstAndNamedG) {
  EXPECT_EQ(Canonical("  c = clip_by_global_norm(g, 1.0)\n  x = arcsin(c)\n"
                      "  m = interpolate(x, m, 0.9)\n  update = sign(m)\n"),
            Text("  g = clip_by_global_norm(g, 1.0)\n  g = arcsin(g)\n"
                 "  m = interpolate(g, m, 0.9)\n  update = sign(m)\n"));
}

TEST(CanonicalFormTest, RoleNames) {
  EXPECT_EQ(Canonical("  a = square(g)\n  b = sqrt(a)\n  update = g / b\n"),
            Text("  g2 = square(g)\n  g2_sqrt = sqrt(g2)\n"
                 "  update = g / g2_sqrt\n"));
  EXPECT_EQ(Canonical("  x = exp(λ)\n  update = x * g\n"),
            Text("  lam_exp = exp(λ)\n  update = g * lam_exp\n"));
  EXPECT_EQ(Canonical("  a = g - w\n  b = g + w\n  c = sign(a)\n"
                      "  update = c * b\n"),
            Text("  update = g - w\n  update = sign(update)\n"
                 "  t1 = w + g\n  update = update * t1\n"));
}

TEST(CanonicalFormTest, AVariableKeepsOneType) {
  // The scalar global norm is not called `update`.
  EXPECT_EQ(Canonical("  s = global_norm(g)\n  update = g * s\n"),
            Text("  g_global_norm = global_norm(g)\n"
                 "  update = g_global_norm * g\n"));
}

TEST(CanonicalFormTest, NamesAndOrderDoNotDependOnTheSource) {
  // AdamW with other names, statements in another order, operands swapped.
  EXPECT_EQ(Canonical("  x6 = λ * w\n  x1 = square(g)\n"
                      "  v = interpolate(x1, v, 0.999)\n"
                      "  m = interpolate(g, m, 0.9)\n  x4 = sqrt(v)\n"
                      "  x5 = m / x4\n  x7 = x6 + x5\n  update = lr * x7\n"),
            PrintProgram(testing_util::Shipped("adamw.py")));
}

TEST(CanonicalFormTest, DerivationShowsBeforeAndAfter) {
  Dataflow df = Graph("  v = interpolate(g, v, 0.9)\n  update = sign(v)\n");
  Derivation d;
  ASSERT_TRUE(ToCanonicalProgram(df, &d).ok());
  EXPECT_EQ(d.RuleNames(), std::vector<std::string>{"canonical-form"});
  EXPECT_NE(d.ToText().find("       - v = interpolate(g, v, 0.9)\n"
                            "       - update = sign(v)\n"
                            "       + m = interpolate(g, m, 0.9)\n"
                            "       + update = sign(m)\n"),
            std::string::npos)
      << d.ToText();
  // Already canonical: no step.
  Dataflow same = Graph("  m = interpolate(g, m, 0.9)\n  update = sign(m)\n");
  Derivation none;
  ASSERT_TRUE(ToCanonicalProgram(same, &none).ok());
  EXPECT_EQ(none.num_steps(), 0);
}

}  // namespace
}  // namespace hero
