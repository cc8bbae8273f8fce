// Pass 4a: common subexpressions.
#include "src/simplify/common_subexpressions.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/simplify/dead_code.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;
using testing_util::Statements;

std::vector<std::string> Merged(const std::string& body, Derivation* d) {
  Dataflow df = Graph(body);
  MergeCommonSubexpressions(df, d);
  RemoveDeadCode(df, nullptr);
  return Statements(df);
}

TEST(CommonSubexpressionsTest, SameOpSameArgumentsIsOneValue) {
  Derivation d;
  EXPECT_EQ(Merged("  a = sign(g)\n  b = sign(g)\n  update = a + b\n", &d),
            (std::vector<std::string>{"a = sign(g)", "update = a + a"}));
  EXPECT_EQ(d.ToText(),
            "  1. common-subexpression: `b` recomputes `a = sign(g)`; its "
            "readers read that value\n"
            "       - b = sign(g)\n");
}

TEST(CommonSubexpressionsTest, CommutativeOperandsInEitherOrder) {
  EXPECT_EQ(Merged("  a = g * w\n  b = w * g\n  update = a - b\n", nullptr),
            (std::vector<std::string>{"a = g * w", "update = a - a"}));
  // Not for a non-commutative op.
  EXPECT_EQ(
      Merged("  a = g - w\n  b = w - g\n  update = a * b\n", nullptr).size(),
      3u);
}

TEST(CommonSubexpressionsTest, ConstantsCompareByValue) {
  EXPECT_EQ(Merged("  a = g * 0.5\n  b = g * 0.5\n  update = a + b\n", nullptr)
                .size(),
            2u);
  EXPECT_EQ(Merged("  a = g * 0.5\n  b = g * 0.25\n  update = a + b\n", nullptr)
                .size(),
            3u);
}

TEST(CommonSubexpressionsTest, SameValueReadThroughReassignedNames) {
  // The second `m2` reads the new m: a different value.
  EXPECT_EQ(Merged("  m2 = square(m)\n  m = interpolate(g, m, 0.9)\n"
                   "  t = square(m)\n  update = m2 + t\n",
                   nullptr)
                .size(),
            4u);
}

TEST(CommonSubexpressionsTest, TwoOutputsStayTwoStatements) {
  // Merging would make `m` and `update` one value, which needs a copy.
  Dataflow df = Graph("  m = sign(g)\n  update = sign(g)\n");
  EXPECT_FALSE(MergeCommonSubexpressions(df, nullptr));
}

}  // namespace
}  // namespace hero
