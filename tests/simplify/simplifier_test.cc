// The symbolic passes together: the paper's Step 3 on evolved.py, the same
// result whatever the names, order, dead code and constants, idempotence.
#include "src/simplify/simplifier.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/program/printer.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Shipped;
using testing_util::Simplified;
using testing_util::Text;

// The paper's Step 3 before ablation: the clipping and arcsin still in front.
const char kEvolvedSimplified[] =
    "def train(w, g, m, v, lr, λ):\n"
    "  g = clip_by_global_norm(g, 1.0)\n"
    "  g = arcsin(g)\n"
    "  update = interpolate(g, m, 0.9)\n"
    "  update = sign(update)\n"
    "  m = interpolate(g, m, 0.99)\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n"
    "  return update, m, v\n";

TEST(SimplifierTest, EvolvedBecomesHeroLionWithClippingAndArcsin) {
  absl::StatusOr<SimplifyResult> r = Simplify(Shipped("evolved.py"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(PrintProgram(r->program), kEvolvedSimplified);
  EXPECT_EQ(r->derivation.RuleNames(),
            (std::vector<std::string>{"dead-state", "div-sqrt-square",
                                      "interpolate-merge", "dead-code",
                                      "canonical-form"}));
  // The input's v is the result's m; its m carried nothing.
  EXPECT_EQ(r->slot_of, (std::array<int, 2>{-1, 0}));
}

TEST(SimplifierTest, RenamedReorderedWithDeadCodeGivesTheSameProgram) {
  const Program variant = Body(
      "  junk = exp(w)\n"
      "  grad = clip_by_global_norm(g, 1.0)\n"
      "  decay = λ * w\n"
      "  grad = arcsin(grad)\n"
      "  mom = interpolate(grad, v, 0.9)\n"
      "  unused = mom * junk\n"
      "  v = interpolate(grad, mom, 1.1)\n"
      "  sq = square(mom)\n"
      "  mag = sqrt(sq)\n"
      "  dir = mom / mag\n"
      "  dir = decay + dir\n"
      "  update = lr * dir\n"
      "  m = sign(junk)\n");
  EXPECT_EQ(Simplified(variant), kEvolvedSimplified);
}

TEST(SimplifierTest, StateInMFromTheStartGivesTheSameProgram) {
  // The same optimizer with its state kept in m (v the dead slot), and
  // x / abs(x) for x / sqrt(square(x)).
  const Program variant = Body(
      "  g = clip_by_global_norm(g, 1.0)\n  g = arcsin(g)\n"
      "  v = interpolate(g, m, 0.9)\n  m = interpolate(g, v, 1.1)\n"
      "  a = abs(v)\n  update = v / a\n  wd = w * λ\n"
      "  update = update + wd\n  update = update * lr\n");
  EXPECT_EQ(Simplified(variant), kEvolvedSimplified);
}

TEST(SimplifierTest, OtherConstants) {
  const Program variant = Body(
      "  m = interpolate(g, v, 0.5)\n  m2 = square(m)\n"
      "  v = interpolate(g, m, 1.5)\n  m_abs = sqrt(m2)\n"
      "  update = m / m_abs\n  update = update * lr\n");
  EXPECT_EQ(Simplified(variant), Text("  update = interpolate(g, m, 0.5)\n"
                                      "  update = sign(update)\n"
                                      "  m = interpolate(g, m, 0.75)\n"
                                      "  update = update * lr\n"));
}

TEST(SimplifierTest, ExactOptionKeepsEveryValueBitForBit) {
  SimplifyOptions exact;
  exact.loosest = Exactness::kExact;
  exact.merge_interpolations = false;
  EXPECT_EQ(Simplified(Shipped("evolved.py"), exact),
            Text("  g = clip_by_global_norm(g, 1.0)\n  g = arcsin(g)\n"
                 "  t1 = interpolate(g, m, 0.9)\n  t1_sq = square(t1)\n"
                 "  t1_sq_sqrt = sqrt(t1_sq)\n  update = t1 / t1_sq_sqrt\n"
                 "  m = interpolate(g, t1, 1.1)\n  wd = w * λ\n"
                 "  update = update + wd\n  update = update * lr\n"));
}

TEST(SimplifierTest, Idempotent) {
  for (const char* name : {"adamw.py", "evolved.py", "hero_lion.py",
                           "signum.py", "sgd_momentum.py"}) {
    SCOPED_TRACE(name);
    const std::string once = Simplified(Shipped(name));
    absl::StatusOr<Program> reread = ParseProgram(once, "once.py");
    ASSERT_TRUE(reread.ok()) << reread.status();
    absl::StatusOr<SimplifyResult> again = Simplify(*reread);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(PrintProgram(again->program), once);
    EXPECT_EQ(again->derivation.num_steps(), 0) << again->derivation.ToText();
  }
}

TEST(SimplifierTest, ShippedProgramsOtherThanEvolvedAreAlreadySimple) {
  for (const char* name :
       {"adamw.py", "hero_lion.py", "signum.py", "sgd_momentum.py"}) {
    absl::StatusOr<SimplifyResult> r = Simplify(Shipped(name));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(PrintProgram(r->program), PrintProgram(Shipped(name))) << name;
    EXPECT_EQ(r->derivation.num_steps(), 0) << name;
  }
}

TEST(SimplifierTest, InvalidProgramIsAnError) {
  Program p;  // No statements: `update` is never assigned.
  EXPECT_EQ(Simplify(p).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hero
