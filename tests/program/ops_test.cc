// The op table: complete, consistent, and found by name.
#include "src/program/ops.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace hero {
namespace {

TEST(OpsTest, TableHoldsThePapersFunctionsWithoutInvert) {
  EXPECT_EQ(kNumOps, 44);
  std::set<std::string> names;
  for (int i = 0; i < kNumOps; ++i) {
    const OpInfo& info = GetOpInfo(static_cast<OpCode>(i));
    EXPECT_EQ(static_cast<int>(info.code), i);
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_GE(info.arity, 0);
    EXPECT_LE(info.arity, kMaxArity);
    EXPECT_EQ(info.arity == 0, info.kind == OpKind::kConstant) << info.name;
    EXPECT_NE(std::string(info.meaning), "") << info.name;
    EXPECT_EQ(FindOp(info.name), info.code);
    if (info.infix != nullptr) EXPECT_EQ(FindOp(info.infix), info.code);
  }
  EXPECT_FALSE(FindOp("invert").has_value());
  EXPECT_FALSE(FindOp("").has_value());
}

TEST(OpsTest, CommutativeOpsAreExactlyThese) {
  std::set<std::string> commutative;
  for (int i = 0; i < kNumOps; ++i) {
    const OpInfo& info = GetOpInfo(static_cast<OpCode>(i));
    if (info.commutative) commutative.insert(info.name);
  }
  EXPECT_EQ(commutative, (std::set<std::string>{"add", "multiply", "max", "min",
                                                "dot", "cosine_sim"}));
}

TEST(OpsTest, Signatures) {
  EXPECT_EQ(GetOpInfo(OpCode::kInterpolate).arity, 3);
  EXPECT_EQ(GetOpInfo(OpCode::kClipByGlobalNorm).arg_types[1],
            ArgType::kScalar);
  EXPECT_EQ(GetOpInfo(OpCode::kGlobalNorm).result, ResultType::kScalar);
  EXPECT_EQ(GetOpInfo(OpCode::kNorm).result, ResultType::kTensor);
  EXPECT_FLOAT_EQ(GetOpInfo(OpCode::kEps).constant, 1e-8);
  EXPECT_NEAR(GetOpInfo(OpCode::kPi).constant, 3.14159265358979, 1e-14);
}

}  // namespace
}  // namespace hero
