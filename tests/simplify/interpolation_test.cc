// Pass 3: interpolation algebra — the paper's merge and the general affine
// merges it is a case of.
#include "src/simplify/interpolation.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/simplify/dead_code.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;
using testing_util::Statements;

// The statement computing the update after merging (to a fixpoint).
std::string MergedUpdate(const std::string& body, Derivation* d = nullptr) {
  Dataflow df = Graph(body);
  while (MergeInterpolations(df, d)) {
  }
  return df.StatementText(df.update);
}

TEST(InterpolationTest, ThePapersMerge) {
  // v = interpolate(g, interpolate(g, v, 0.9), 1.1): 0.9f·1.1f rounds to
  // 0.99f, which prints as 0.99.
  Dataflow df = Graph(
      "  m = interpolate(g, v, 0.9)\n"
      "  v = interpolate(g, m, 1.1)\n  update = sign(m)\n");
  Derivation d;
  EXPECT_TRUE(MergeInterpolations(df, &d));
  RemoveDeadCode(df, nullptr);
  EXPECT_EQ(Statements(df),
            (std::vector<std::string>{"m = interpolate(g, v, 0.9)",
                                      "v = interpolate(g, v, 0.99)",
                                      "update = sign(m)"}));
  EXPECT_EQ(d.ToText(),
            "  1. interpolate-merge: interpolate(x, interpolate(x, y, a), b) → "
            "interpolate(x, y, a·b)  [exact in real arithmetic]\n"
            "       - v = interpolate(g, m, 1.1)\n"
            "       + v = interpolate(g, v, 0.99)\n");
}

TEST(InterpolationTest, OtherConstantsAndNames) {
  // 0.8f·1.2f is 0.96000004 in float32 (not 0.96f, 0.95999998): the merge
  // is exact in real arithmetic only; ablation's snapping makes it 0.96.
  EXPECT_EQ(MergedUpdate("  mom = interpolate(g, w, 0.8)\n"
                         "  update = interpolate(g, mom, 1.2)\n"),
            "update = interpolate(g, w, 0.96000004)");
  EXPECT_EQ(MergedUpdate("  mom = interpolate(g, w, 0.5)\n"
                         "  update = interpolate(g, mom, 1.5)\n"),
            "update = interpolate(g, w, 0.75)");
}

TEST(InterpolationTest, TheOtherShapes) {
  // interpolate(interpolate(x, y, a), y, b): weight on y = a + b(1-a).
  EXPECT_EQ(MergedUpdate("  a = interpolate(g, w, 0.5)\n"
                         "  update = interpolate(a, w, 0.5)\n"),
            "update = interpolate(g, w, 0.75)");
  // interpolate(interpolate(x, y, a), x, b): weight on y = a(1-b).
  EXPECT_EQ(MergedUpdate("  a = interpolate(g, w, 0.5)\n"
                         "  update = interpolate(a, g, 0.5)\n"),
            "update = interpolate(g, w, 0.25)");
  // interpolate(y, interpolate(x, y, a), b): weight on y = 1 - b(1-a).
  EXPECT_EQ(MergedUpdate("  a = interpolate(g, w, 0.5)\n"
                         "  update = interpolate(w, a, 0.5)\n"),
            "update = interpolate(w, g, 0.25)");
  // Both arguments interpolations of the same two values.
  EXPECT_EQ(MergedUpdate("  a = interpolate(g, w, 0.5)\n"
                         "  b = interpolate(g, w, 0.25)\n"
                         "  update = interpolate(a, b, 0.5)\n"),
            "update = interpolate(g, w, 0.375)");
}

TEST(InterpolationTest, NestedChainsCollapse) {
  EXPECT_EQ(MergedUpdate("  a = interpolate(g, w, 0.5)\n"
                         "  b = interpolate(g, a, 0.5)\n"
                         "  update = interpolate(g, b, 0.5)\n"),
            "update = interpolate(g, w, 0.125)");
}

TEST(InterpolationTest, NotMerged) {
  const std::string three =
      "  a = interpolate(g, w, 0.5)\n"
      "  update = interpolate(m, a, 0.5)\n";
  EXPECT_EQ(MergedUpdate(three), "update = interpolate(m, a, 0.5)");
  const std::string variable_weight =
      "  a = interpolate(g, w, lr)\n"
      "  update = interpolate(g, a, 0.5)\n";
  EXPECT_EQ(MergedUpdate(variable_weight), "update = interpolate(g, a, 0.5)");
  const std::string not_nested = "  update = interpolate(g, w, 0.5)\n";
  EXPECT_EQ(MergedUpdate(not_nested), "update = interpolate(g, w, 0.5)");
}

TEST(InterpolationTest, SameValueBothSidesIsThatValue) {
  Dataflow df = Graph(
      "  a = interpolate(g, g, 0.5)\n"
      "  b = interpolate(g, a, 0.3)\n  update = sign(b)\n");
  EXPECT_TRUE(MergeInterpolations(df, nullptr));
  EXPECT_EQ(df.StatementText(df.update), "update = sign(g)");
}

}  // namespace
}  // namespace hero
