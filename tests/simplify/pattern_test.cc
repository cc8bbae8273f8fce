// The pattern language of the rewrite table: parsing and matching.
#include "src/simplify/pattern.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;

Pattern Parse(const std::string& text) {
  absl::StatusOr<Pattern> p = ParsePattern(text);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : Pattern();
}

bool Matches(const std::string& pattern, const std::string& body,
             Bindings* bindings = nullptr) {
  const Dataflow df = Graph(body);
  Bindings b;
  b.fill(-1);
  const bool ok = MatchPattern(df, Parse(pattern), df.update, b);
  if (bindings != nullptr) *bindings = b;
  return ok;
}

TEST(PatternTest, ParsesPrecedenceAndFunctions) {
  const Pattern p = Parse("x + y * 2");
  ASSERT_EQ(p.kind, Pattern::Kind::kOp);
  EXPECT_EQ(p.op, OpCode::kAdd);
  EXPECT_EQ(p.args[1].op, OpCode::kMul);
  EXPECT_EQ(p.args[1].args[1].number, 2.0f);
  const Pattern q = Parse("(x - y) / sqrt(square(x))");
  EXPECT_EQ(q.op, OpCode::kDiv);
  EXPECT_EQ(q.args[0].op, OpCode::kSub);
  EXPECT_EQ(q.args[1].args[0].op, OpCode::kSquare);
  EXPECT_EQ(q.VariableMask(), 0b011);
  EXPECT_EQ(Parse("x * -1").args[1].number, -1.0f);
  EXPECT_EQ(Parse("interpolate(x, y, z)").args.size(), 3u);
}

TEST(PatternTest, ParseErrorsNameTheColumn) {
  EXPECT_EQ(ParsePattern("x / ").status().message(),
            "pattern `x / `, column 5: expected an operand");
  EXPECT_EQ(ParsePattern("sgn(x)").status().message(),
            "pattern `sgn(x)`, column 1: unknown function `sgn`");
  EXPECT_EQ(ParsePattern("sign(x, y)").status().message(),
            "pattern `sign(x, y)`, column 1: `sign` takes 1 arguments");
  EXPECT_EQ(ParsePattern("q + 1").status().message(),
            "pattern `q + 1`, column 1: `q` is not a variable (x, y, z)");
  EXPECT_FALSE(ParsePattern("x + 1)").ok());
}

TEST(PatternTest, VariablesBindValuesNotNames) {
  Bindings b;
  EXPECT_TRUE(Matches("x / sqrt(square(x))",
                      "  a = square(g)\n  b = sqrt(a)\n  update = g / b\n",
                      &b));
  EXPECT_EQ(b[0], kG);
  // Same name, different value: g is reassigned between the two reads.
  EXPECT_FALSE(
      Matches("x / abs(x)", "  a = abs(g)\n  g = g * 2.0\n  update = g / a\n"));
}

TEST(PatternTest, CommutativeOpsMatchEitherOrder) {
  EXPECT_TRUE(Matches("x * 1", "  update = 1.0 * g\n"));
  EXPECT_TRUE(Matches("square(x) * x", "  a = square(g)\n  update = g * a\n"));
  EXPECT_FALSE(Matches("x - 0", "  update = 0.0 - g\n"));  // Not commutative.
}

TEST(PatternTest, NumbersMatchConstantsByValue) {
  EXPECT_TRUE(Matches("x + 0", "  update = g + -0.0\n"));  // ±0 alike.
  EXPECT_FALSE(Matches("x * 1", "  update = g * 1.5\n"));
  EXPECT_FALSE(Matches("x * 1",
                       "  s = lr * 0.0\n  t = s + 1.0\n"
                       "  update = g * t\n"));  // Not a literal.
}

TEST(PatternTest, BuildResult) {
  Dataflow df = Graph("  a = square(g)\n  update = g * a\n");
  Bindings b;
  b.fill(-1);
  ASSERT_TRUE(MatchPattern(df, Parse("square(x) * x"), df.update, b));
  BuiltResult r = BuildResult(df, Parse("cube(x)"), b, df.update);
  EXPECT_EQ(r.copy_of, -1);
  EXPECT_EQ(r.node.op, OpCode::kCube);
  EXPECT_EQ(r.node.args[0], kG);
  EXPECT_EQ(r.node.name, "update");
  EXPECT_EQ(r.node.type, ValueType::kTensor);
  EXPECT_EQ(BuildResult(df, Parse("x"), b, df.update).copy_of, kG);
  const int c = BuildResult(df, Parse("0"), b, df.update).copy_of;
  EXPECT_TRUE(df.nodes[c].is_constant());
}

}  // namespace
}  // namespace hero
