// The mutator's individual edits: what each kind does to a program and
// describes, failure values, and option validation.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/search/mutator.h"
#include "tests/search/mutator_test_util.h"

namespace hero {
namespace {

using testing_util::Load;
using testing_util::Parse;
using testing_util::Weights;

TEST(MutatorTest, SameSignatureOps) {
  EXPECT_EQ(SameSignatureOps(OpCode::kSin).size(), 28u);
  EXPECT_EQ(SameSignatureOps(OpCode::kAdd),
            (std::vector<OpCode>{OpCode::kAdd, OpCode::kSub, OpCode::kMul,
                                 OpCode::kDiv, OpCode::kMax, OpCode::kMin,
                                 OpCode::kPower}));
  EXPECT_EQ(SameSignatureOps(OpCode::kDot),
            (std::vector<OpCode>{OpCode::kDot, OpCode::kCosineSim}));
  for (OpCode alone : {OpCode::kNorm, OpCode::kGlobalNorm, OpCode::kInterpolate,
                       OpCode::kClipByGlobalNorm}) {
    EXPECT_EQ(SameSignatureOps(alone), std::vector<OpCode>{alone});
  }
  EXPECT_TRUE(SameSignatureOps(OpCode::kPi).empty());
}

TEST(MutatorTest, DeleteDropsUnusedNames) {
  const Program adamw = Load("adamw.py");
  Mutator mutator(Weights(0, 1, 0, 0));
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->child.statements.size(), adamw.statements.size() - 1);
    std::vector<bool> used(m->child.num_registers(), false);
    for (int r = 0; r < kNumInputs; ++r) used[r] = true;
    for (const Statement& s : m->child.statements) {
      used[s.out] = true;
      for (int a = 0; a < s.arity(); ++a) {
        if (s.args[a].is_var()) used[s.args[a].reg] = true;
      }
    }
    for (int r = 0; r < m->child.num_registers(); ++r) {
      EXPECT_TRUE(used[r]) << m->child.names[r] << " after " << m->description;
    }
    EXPECT_EQ(m->description.rfind("delete ", 0), 0u) << m->description;
  }
}

TEST(MutatorTest, InsertDescribesTheNewStatement) {
  const Program adamw = Load("adamw.py");
  Mutator mutator(Weights(1, 0, 0, 0));
  std::mt19937_64 rng(17);
  int fresh = 0;
  for (int i = 0; i < 500; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ(m->child.statements.size(), adamw.statements.size() + 1);
    const std::string line =
        PrintStatement(m->child, m->child.statements[m->statement]);
    EXPECT_EQ(m->description.rfind(
                  absl::StrCat("insert ", m->statement + 1, ": ", line), 0),
              0u)
        << m->description;
    // A fresh output is read by a later statement (else it would be dead).
    if (m->child.num_registers() > adamw.num_registers()) {
      ++fresh;
      EXPECT_NE(m->description.find("(read by "), std::string::npos)
          << m->description;
    }
  }
  EXPECT_GT(fresh, 50);
}

TEST(MutatorTest, ModifyArgDescribesTheOldArgument) {
  const Program adamw = Load("adamw.py");
  Mutator mutator(Weights(0, 0, 1, 0));
  std::mt19937_64 rng(23);
  for (int i = 0; i < 300; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->child.names, adamw.names);
    EXPECT_EQ(m->description.rfind("modify_arg ", 0), 0u);
    EXPECT_NE(m->description.find(" (was "), std::string::npos);
  }
}

TEST(MutatorTest, WrapAppliesAUnaryFunctionToALiveOutputRightAfterIt) {
  // AdamW has 8 live statements and there are 28 unary functions: a wrap
  // makes `update = sign(update)` right after `update = m / v_sqrt` with
  // probability 1/224, so 22,400 wraps make it about 100 times (binomial,
  // sd 10).
  const Program adamw = Load("adamw.py");
  Mutator mutator(Weights(0, 0, 0, 0, 1));
  std::mt19937_64 rng(29);
  int sign_of_update = 0;
  for (int i = 0; i < 22400; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ(m->kind, MutationKind::kWrap);
    ASSERT_EQ(m->child.statements.size(), adamw.statements.size() + 1);
    ASSERT_EQ(m->child.names, adamw.names);
    ASSERT_GE(m->statement, 1);
    const Statement& s = m->child.statements[m->statement];
    const Statement& wrapped = m->child.statements[m->statement - 1];
    ASSERT_EQ(GetOpInfo(s.op).arity, 1);
    ASSERT_TRUE(s.args[0].is_var());
    EXPECT_EQ(s.args[0].reg, wrapped.out);
    EXPECT_EQ(s.out, wrapped.out);
    const std::string line = PrintStatement(m->child, s);
    EXPECT_EQ(m->description,
              absl::StrCat("wrap ", m->statement + 1, ": ", line));
    sign_of_update += m->description == "wrap 6: update = sign(update)";
  }
  EXPECT_GE(sign_of_update, 60);
  EXPECT_LE(sign_of_update, 140);
  EXPECT_EQ(mutator.stats().of(MutationKind::kWrap).accepted, 22400);
}

TEST(MutatorTest, WrapIsNotProposedAtMaxStatements) {
  const Program adamw = Load("adamw.py");  // 8 statements.
  MutatorOptions options = Weights(0, 0, 1, 0, 1);
  options.max_statements = 8;
  Mutator mutator(options);
  std::mt19937_64 rng(31);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(mutator.Mutate(adamw, rng).ok());
  EXPECT_EQ(mutator.stats().of(MutationKind::kWrap).proposed, 0);
  EXPECT_EQ(mutator.stats().of(MutationKind::kModifyArg).accepted, 200);
}

TEST(MutatorTest, OpWeightsSteerTheOpDraws) {
  // Only sign weighs anything: every insert and wrap makes a sign, and a
  // change-op (no op of a binary signature weighs > 0 here but sqrt/square's
  // alternative sign) turns a unary op into sign or fails.
  const Program adamw = Load("adamw.py");
  MutatorOptions options = Weights(1, 0, 0, 1, 1);
  options.op_weights.assign(kNumOps, 0.0);
  options.op_weights[static_cast<int>(OpCode::kSign)] = 1;
  Mutator mutator(options);
  std::mt19937_64 rng(37);
  for (int i = 0; i < 500; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->child.statements[m->statement].op, OpCode::kSign)
        << m->description;
  }
  const MutatorStats& stats = mutator.stats();
  EXPECT_GT(stats.of(MutationKind::kInsert).accepted, 100);
  EXPECT_GT(stats.of(MutationKind::kWrap).accepted, 100);
  EXPECT_GT(stats.of(MutationKind::kChangeOp).accepted, 20);
  // Change-op on +, *, / (no alternative weighs > 0): invalid proposals.
  EXPECT_GT(stats.of(MutationKind::kChangeOp).invalid, 100);
}

TEST(MutatorTest, ConstantLog2SigmaScalesThePerturbation) {
  // Modify only; 0.9 and 0.999 are AdamW's constants. With sigma 0.01 a
  // perturbed constant moves by a factor 2^N(0, 0.01): within 2^±0.06 (6
  // sd) of its old value.
  const Program adamw = Load("adamw.py");
  MutatorOptions options = Weights(0, 0, 1, 0);
  options.constant_log2_sigma = 0.01;
  Mutator mutator(options);
  std::mt19937_64 rng(41);
  int perturbed = 0;
  for (int i = 0; i < 2000; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    for (int k : {1, 2}) {  // m = interpolate(g, m, 0.9); v = ...(0.999).
      const Arg& before = adamw.statements[k].args[2];
      const Arg& after = m->child.statements[k].args[2];
      if (!after.is_constant() || after.value == before.value) continue;
      ++perturbed;
      EXPECT_GT(after.value, before.value * std::exp2(-0.06));
      EXPECT_LT(after.value, before.value * std::exp2(0.06));
    }
  }
  EXPECT_GT(perturbed, 100);
}

TEST(MutatorTest, ExhaustedRetriesAreAFailureValue) {
  // Deleting the only statement leaves `update` unassigned: every proposal
  // is invalid.
  const Program single = Parse("  update = sign(g)\n");
  MutatorOptions options = Weights(0, 1, 0, 0);
  options.max_retries = 5;
  Mutator mutator(options);
  std::mt19937_64 rng(1);
  absl::StatusOr<Mutation> m = mutator.Mutate(single, rng);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(mutator.stats().failures, 1);
  EXPECT_EQ(mutator.stats().of(MutationKind::kDelete).proposed, 6);
  EXPECT_EQ(mutator.stats().of(MutationKind::kDelete).invalid, 6);

  // No kind applies: change-op only, and norm has no alternative.
  Mutator change_only(Weights(0, 0, 0, 1));
  m = change_only.Mutate(Parse("  update = norm(g)\n"), rng);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(change_only.stats().failures, 1);
}

TEST(MutatorTest, InvalidParentIsRejected) {
  Program p;  // No statements: `update` is never assigned.
  Mutator mutator(MutatorOptions{});
  std::mt19937_64 rng(1);
  EXPECT_EQ(mutator.Mutate(p, rng).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MutatorTest, ValidateOptions) {
  EXPECT_TRUE(ValidateMutatorOptions(MutatorOptions{}).ok());
  MutatorOptions o = Weights(0, 0, 0, 0);
  EXPECT_FALSE(ValidateMutatorOptions(o).ok());
  o = MutatorOptions{};
  o.delete_weight = -1;
  o.max_statements = 0;
  o.constant_probability = 1.5;
  o.wrap_weight = std::nan("");
  o.op_weights = {1, 2};
  o.constant_log2_sigma = 0;
  const absl::Status s = ValidateMutatorOptions(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"delete_weight", "max_statements", "constant_probability",
        "wrap_weight", "op_weights must have", "constant_log2_sigma"}) {
    EXPECT_NE(s.message().find(field), absl::string_view::npos) << s;
  }
}

}  // namespace
}  // namespace hero
