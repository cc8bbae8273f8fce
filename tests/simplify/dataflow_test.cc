// The dataflow graph: one node per assignment, outputs, liveness across
// steps, and when a graph can be written back without copies.
#include "src/simplify/dataflow.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Graph;
using testing_util::Shipped;
using testing_util::Statements;

TEST(DataflowTest, OneNodePerAssignmentWithItsName) {
  const Dataflow df = Graph("  g = arcsin(g)\n  update = sign(g)\n");
  ASSERT_EQ(df.statement_node.size(), 2u);
  const Node& arcsin = df.nodes[df.statement_node[0]];
  const Node& sign = df.nodes[df.statement_node[1]];
  EXPECT_EQ(arcsin.args[0], kG);                  // The incoming g...
  EXPECT_EQ(sign.args[0], df.statement_node[0]);  // ...and the new one.
  EXPECT_EQ(df.update, df.statement_node[1]);
  EXPECT_EQ(df.StatementText(df.statement_node[0]), "g = arcsin(g)");
  EXPECT_EQ(sign.type, ValueType::kTensor);
  // m and v are not assigned: they keep their incoming values.
  EXPECT_FALSE(df.assigned(0));
  EXPECT_FALSE(df.assigned(1));
  EXPECT_EQ(df.state_out[0], kM);
}

TEST(DataflowTest, ConstantsAreNodesAndPrintAsWritten) {
  const Dataflow df = Graph(
      "  update = interpolate(g, m, 0.9)\n"
      "  update = update * pi\n");
  EXPECT_EQ(Statements(df),
            (std::vector<std::string>{"update = interpolate(g, m, 0.9)",
                                      "update = update * pi"}));
}

TEST(DataflowTest, LiveSlotsAcrossSteps) {
  absl::StatusOr<Dataflow> evolved =
      Dataflow::FromProgram(Shipped("evolved.py"));
  ASSERT_TRUE(evolved.ok());
  EXPECT_EQ(evolved->LiveSlots(), (std::array<bool, 2>{false, true}));
  absl::StatusOr<Dataflow> adamw = Dataflow::FromProgram(Shipped("adamw.py"));
  EXPECT_EQ(adamw->LiveSlots(), (std::array<bool, 2>{true, true}));
  // The old m feeds the update; the old v feeds only the new m: both live
  // (v through m's output — the fixpoint).
  const Dataflow chain =
      Graph("  update = sign(m)\n  m = v + g\n  v = g * 2.0\n");
  EXPECT_EQ(chain.LiveSlots(), (std::array<bool, 2>{true, true}));
}

TEST(DataflowTest, InvalidProgramIsRejected) {
  Program p;
  p.statements.push_back(
      Statement::Make(OpCode::kSign, p.AddVariable("x"), {Arg::Var(kG)}));
  EXPECT_FALSE(Dataflow::FromProgram(p).ok());  // No `update`.
}

TEST(DataflowTest, EmittableNeedsStatementsForOutputs) {
  Dataflow df = Graph("  a = sign(g)\n  update = a * lr\n  m = a * 2.0\n");
  EXPECT_TRUE(df.Emittable());
  Dataflow copy = df;
  copy.ReplaceUses(copy.update, kG);  // `update` would be `g` itself.
  EXPECT_FALSE(copy.Emittable());
  Dataflow same = df;
  same.state_out[0] = same.update;  // `m` and `update` one value.
  EXPECT_FALSE(same.Emittable());
}

TEST(DataflowTest, EmittableNeedsOldStateReadBeforeOverwritten) {
  // t reads the old m and the new m: the new m cannot overwrite the register
  // before t, nor t run before the new m exists.
  Dataflow df = Graph(
      "  a = interpolate(g, m, 0.9)\n  t = a - m\n"
      "  m = a * 1.0\n  update = sign(t)\n");
  EXPECT_TRUE(df.Emittable());
  df.ReplaceUses(df.state_out[0], df.nodes[df.state_out[0]].args[0]);
  EXPECT_FALSE(df.Emittable());
}

TEST(DataflowTest, SwapStateSlots) {
  Dataflow df = Graph("  v = interpolate(g, v, 0.9)\n  update = sign(v)\n");
  df.SwapStateSlots();
  EXPECT_TRUE(df.assigned(0));
  EXPECT_FALSE(df.assigned(1));
  EXPECT_EQ(df.nodes[df.state_out[0]].args[1], kM);
  EXPECT_EQ(df.LiveSlots(), (std::array<bool, 2>{true, false}));
}

TEST(DataflowTest, InputMasks) {
  const Dataflow df = Graph("  wd = w * λ\n  update = g + wd\n");
  const std::vector<uint32_t> mask = df.InputMasks();
  EXPECT_EQ(mask[df.statement_node[0]], (1u << kW) | (1u << kLam));
  EXPECT_EQ(mask[df.update], (1u << kW) | (1u << kLam) | (1u << kG));
}

}  // namespace
}  // namespace hero
