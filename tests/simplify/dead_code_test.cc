// Pass 1: dead code, including dead state across steps.
#include "src/simplify/dead_code.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Graph;
using testing_util::Statements;

TEST(DeadCodeTest, RemovesStatementsThatReachNothing) {
  Dataflow df =
      Graph("  junk = exp(w)\n  update = sign(g)\n  junk2 = junk + g\n");
  Derivation d;
  EXPECT_TRUE(RemoveDeadCode(df, &d));
  EXPECT_EQ(Statements(df), std::vector<std::string>{"update = sign(g)"});
  EXPECT_EQ(d.ToText(),
            "  1. dead-code: statements whose values reach neither the update "
            "nor a live state slot are removed\n"
            "       - junk = exp(w)\n"
            "       - junk2 = junk + g\n");
  EXPECT_FALSE(RemoveDeadCode(df, &d));  // Nothing left to do.
}

TEST(DeadCodeTest, RemovedStatementsPrintWithTheirConstants) {
  Dataflow df =
      Graph("  c = clip_by_global_norm(g, 1.0)\n  update = sign(g)\n");
  Derivation d;
  EXPECT_TRUE(RemoveDeadCode(df, &d));
  EXPECT_NE(d.ToText().find("       - c = clip_by_global_norm(g, 1.0)\n"),
            std::string::npos)
      << d.ToText();
}

TEST(DeadCodeTest, OverwrittenValueIsDead) {
  Dataflow df = Graph("  update = exp(g)\n  update = sign(g)\n");
  EXPECT_TRUE(RemoveDeadCode(df, nullptr));
  EXPECT_EQ(Statements(df), std::vector<std::string>{"update = sign(g)"});
}

TEST(DeadCodeTest, StateSlotWhoseIncomingValueIsNeverReadIsDropped) {
  // The paper's evolved program: m is overwritten before it is read, so it
  // carries nothing between steps; the statement stays (update reads it).
  Dataflow df = Graph(
      "  m = interpolate(g, v, 0.9)\n  v = interpolate(g, m, 1.1)\n"
      "  update = sign(m)\n");
  Derivation d;
  EXPECT_TRUE(RemoveDeadCode(df, &d));
  EXPECT_FALSE(df.assigned(0));
  EXPECT_TRUE(df.assigned(1));
  EXPECT_EQ(Statements(df).size(), 3u);
  EXPECT_EQ(d.RuleNames(), std::vector<std::string>{"dead-state"});
  EXPECT_EQ(d.ToText(),
            "  1. dead-state: `m` is not a state slot: its incoming value is "
            "never read, so the value returned in it is dropped\n"
            "       - m = interpolate(g, v, 0.9)  # returned as m\n");
}

TEST(DeadCodeTest, StatementsThatOnlyFeedDeadStateGo) {
  Dataflow df = Graph("  t = square(g)\n  v = t * 2.0\n  update = sign(g)\n");
  Derivation d;
  EXPECT_TRUE(RemoveDeadCode(df, &d));
  EXPECT_FALSE(df.assigned(1));
  EXPECT_EQ(Statements(df), std::vector<std::string>{"update = sign(g)"});
  EXPECT_EQ(d.RuleNames(),
            (std::vector<std::string>{"dead-state", "dead-code"}));
}

TEST(DeadCodeTest, DeadStateThroughAnotherDeadSlot) {
  // v feeds only m's new value, and m is never read: both go.
  Dataflow df = Graph("  m = v + g\n  v = g * 2.0\n  update = sign(g)\n");
  EXPECT_TRUE(RemoveDeadCode(df, nullptr));
  EXPECT_FALSE(df.assigned(0));
  EXPECT_FALSE(df.assigned(1));
  EXPECT_EQ(Statements(df), std::vector<std::string>{"update = sign(g)"});
}

TEST(DeadCodeTest, LiveStateIsKept) {
  Dataflow df = Graph("  m = interpolate(g, m, 0.9)\n  update = sign(m)\n");
  EXPECT_FALSE(RemoveDeadCode(df, nullptr));
  EXPECT_TRUE(df.assigned(0));
  EXPECT_EQ(Statements(df).size(), 2u);
}

}  // namespace
}  // namespace hero
