// CompileProgram: liveness, SSA values, stages, passes and block slots.
#include "src/interpreter/compiled_program.h"

#include <set>

#include "gtest/gtest.h"
#include "tests/interpreter/test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Shipped;
using Kind = CompiledProgram::ValueKind;

CompiledProgram Compile(const Program& p) {
  absl::StatusOr<CompiledProgram> c = CompileProgram(p);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : CompiledProgram();
}

TEST(CompiledProgramTest, AdamWIsOnePassWithBothStateSlots) {
  const CompiledProgram c = Compile(Shipped("adamw"));
  ASSERT_EQ(c.passes.size(), 1u);
  EXPECT_TRUE(c.reductions.empty());
  EXPECT_EQ(c.passes[0].instructions.size(), 8u);
  EXPECT_GE(c.state_out[0], 0);
  EXPECT_GE(c.state_out[1], 0);
  EXPECT_EQ(c.values[c.update].kind, Kind::kTensor);
  // w, g, m, v are read; inputs are values 0..5.
  for (int r = 0; r < 4; ++r) EXPECT_TRUE(c.passes[0].reads_input[r]);
  for (int r = 0; r < kNumInputs; ++r) EXPECT_EQ(c.values[r].stage, 0);
}

TEST(CompiledProgramTest, EvolvedNeedsTwoPassesAndCarriesOnlyV) {
  const CompiledProgram c = Compile(Shipped("evolved"));
  ASSERT_EQ(c.passes.size(), 2u);
  ASSERT_EQ(c.reductions.size(), 1u);  // The norm inside clip_by_global_norm.
  EXPECT_EQ(c.reductions[0].op, OpCode::kGlobalNorm);
  EXPECT_EQ(c.reductions[0].pass, 0);
  EXPECT_EQ(c.reductions[0].args[0], kG);
  // Pass 0 only reads g; min(1, c / n) runs once, before pass 1.
  EXPECT_TRUE(c.passes[0].instructions.empty());
  EXPECT_TRUE(c.passes[0].reads_input[kG]);
  EXPECT_FALSE(c.passes[0].reads_input[kW]);
  EXPECT_EQ(c.scalar_instructions[1].size(), 2u);
  EXPECT_EQ(c.state_out[0], -1);  // m is overwritten before it is read.
  EXPECT_GE(c.state_out[1], 0);
}

TEST(CompiledProgramTest, DeadStatementsAndUnchangedStateAreDropped) {
  const CompiledProgram c =
      Compile(Body("  x = exp(g)\n  y = m * 2\n  update = y + 1\n"));
  ASSERT_EQ(c.passes.size(), 1u);
  EXPECT_EQ(c.passes[0].instructions.size(), 2u);  // exp(g) is dead.
  EXPECT_FALSE(c.passes[0].reads_input[kG]);
  // m is read but returned unchanged: nothing to write.
  EXPECT_EQ(c.state_out[0], -1);
  EXPECT_EQ(c.state_out[1], -1);
}

TEST(CompiledProgramTest, ReassignmentsBecomeNewValues) {
  const CompiledProgram c = Compile(Body(
      "  update = g * 2\n  update = update + g\n  update = update * lr\n"));
  const std::vector<CompiledProgram::Instruction>& in =
      c.passes[0].instructions;
  ASSERT_EQ(in.size(), 3u);
  EXPECT_NE(in[0].out, in[1].out);
  EXPECT_EQ(in[1].args[0], in[0].out);
  EXPECT_EQ(in[2].args[0], in[1].out);
  EXPECT_EQ(in[2].args[1], kLr);
  EXPECT_EQ(c.update, in[2].out);
}

TEST(CompiledProgramTest, ScalarStatementsRunBeforeTheirPass) {
  const CompiledProgram c =
      Compile(Body("  a = lr * 2\n  n = global_norm(g)\n  b = a / n\n"
                   "  update = g * b\n"));
  ASSERT_EQ(c.passes.size(), 2u);
  ASSERT_EQ(c.scalar_instructions[0].size(), 1u);  // lr * 2.
  ASSERT_EQ(c.scalar_instructions[1].size(), 1u);  // a / n.
  EXPECT_EQ(c.values[c.scalar_instructions[1][0].out].stage, 1);
  EXPECT_TRUE(c.is_scalar(c.scalar_instructions[1][0].out));
  // Pass 0 computes nothing but reads g for the norm.
  EXPECT_TRUE(c.passes[0].instructions.empty());
  EXPECT_EQ(c.passes[1].instructions.size(), 1u);
}

TEST(CompiledProgramTest, LaterPassesRecomputeInsteadOfStoring) {
  const CompiledProgram c =
      Compile(Body("  x = g * 2\n  n = norm(x)\n  update = x / n\n"));
  ASSERT_EQ(c.passes.size(), 2u);
  EXPECT_EQ(c.passes[0].instructions.size(), 1u);  // x, for the norm.
  EXPECT_EQ(c.passes[1].instructions.size(), 2u);  // x again, then x / n.
  EXPECT_EQ(c.passes[1].broadcast_norms.size(), 1u);
}

TEST(CompiledProgramTest, SlotsAreReusedWhenValuesDie) {
  std::string body;
  for (int i = 0; i < 20; ++i) body += "  g = g * 2\n";
  body += "  update = g * lr\n";
  const CompiledProgram c = Compile(Body(body));
  ASSERT_EQ(c.passes.size(), 1u);
  EXPECT_EQ(c.passes[0].instructions.size(), 21u);
  EXPECT_EQ(c.passes[0].num_slots, 1);  // Each result replaces its argument.
}

TEST(CompiledProgramTest, LiveValuesNeverShareASlot) {
  const CompiledProgram c = Compile(Shipped("adamw"));
  const CompiledProgram::Pass& pass = c.passes[0];
  // A value is live from its instruction to its last reader (outputs to the
  // end); no two live values may hold the same slot.
  const int n = static_cast<int>(pass.instructions.size());
  std::vector<int> end(c.num_values(), -1);
  for (int i = 0; i < n; ++i) {
    for (int a : pass.instructions[i].args) {
      if (a >= 0) end[a] = i;
    }
  }
  end[c.update] = n;
  for (int v : c.state_out) end[v] = n;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < i; ++j) {
      const int a = pass.instructions[j].out, b = pass.instructions[i].out;
      if (end[a] > i) {
        EXPECT_NE(pass.slot[a], pass.slot[b]) << j << " vs " << i;
      }
    }
  }
}

}  // namespace
}  // namespace hero
