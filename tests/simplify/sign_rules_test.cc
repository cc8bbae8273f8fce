// The claims behind the sign rules of the rewrite table (rewrite_rules.h),
// checked on the interpreter's own kernels:
//   sign-F:      sign(F(x)) == sign(x) for every float x (NaN: both NaN),
//                for F in tanh arctan sinh arcsinh cbrt expm1 — and the
//                functions left out (cube underflows to 0, sin and tan
//                are not monotone, arcsin and arctanh are NaN beyond ±1)
//                do fail it;
//   odd-of-sign: F(-1) == -F(1), F(0) == 0 and F(NaN) is NaN for the odd
//                functions that rule rewrites.
// By default every float whose bits are a multiple of 1021 and every 7th
// subnormal and near-subnormal value are checked (a few seconds). With
// HERO_EXHAUSTIVE=1 all 2^32 floats are, as was done for the rules'
// introduction (about 3 minutes on one core):
//   HERO_EXHAUSTIVE=1 bazel-bin/tests/simplify/sign_rules_test
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/interpreter/kernels.h"
#include "src/program/ops.h"
#include "src/simplify/rewrite_rules.h"

namespace hero {
namespace {

constexpr int kBatch = 1 << 14;

bool Exhaustive() {
  const char* e = std::getenv("HERO_EXHAUSTIVE");
  return e != nullptr && std::string(e) == "1";
}

// The float bit patterns to check, in batches.
std::vector<uint32_t> Patterns() {
  std::vector<uint32_t> bits;
  for (uint64_t b = 0; b < (uint64_t{1} << 32); b += 1021) bits.push_back(b);
  // Subnormals and the smallest normals (exponent field < 8), both signs.
  for (uint32_t b = 0; b < (8u << 23); b += 7) {
    bits.push_back(b);
    bits.push_back(b | 0x80000000u);
  }
  for (float x : {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1.0f, -1.0f}) {
    uint32_t b;
    std::memcpy(&b, &x, 4);
    bits.push_back(b);
  }
  return bits;
}

// How many floats x have sign(op(x)) != sign(x) (NaN counting as equal to
// NaN); `first_bad` gets the first.
uint64_t SignMismatches(OpCode op, float* first_bad) {
  alignas(kKernelAlignment) static float in[kBatch], out[kBatch], s_in[kBatch],
      s_out[kBatch], zero[kBatch];
  const Kernel f = GetKernel(op, 0);
  const Kernel sign = GetKernel(OpCode::kSign, 0);
  uint64_t bad = 0;
  auto check = [&](int n) {
    const int padded = (n + kKernelWidth - 1) / kKernelWidth * kKernelWidth;
    for (int i = n; i < padded; ++i) in[i] = 0;
    f(out, in, zero, zero, padded);
    sign(s_out, out, zero, zero, padded);
    sign(s_in, in, zero, zero, padded);
    for (int i = 0; i < n; ++i) {
      const bool same =
          (std::isnan(s_in[i]) && std::isnan(s_out[i])) || s_in[i] == s_out[i];
      if (!same && bad++ == 0) *first_bad = in[i];
    }
  };
  if (Exhaustive()) {
    for (uint64_t base = 0; base < (uint64_t{1} << 32); base += kBatch) {
      for (int i = 0; i < kBatch; ++i) {
        const uint32_t b = static_cast<uint32_t>(base + i);
        std::memcpy(&in[i], &b, 4);
      }
      check(kBatch);
    }
    return bad;
  }
  static const std::vector<uint32_t>* const kPatterns =
      new std::vector<uint32_t>(Patterns());
  for (size_t start = 0; start < kPatterns->size(); start += kBatch) {
    const int n =
        static_cast<int>(std::min<size_t>(kBatch, kPatterns->size() - start));
    std::memcpy(in, kPatterns->data() + start, n * sizeof(float));
    check(n);
  }
  return bad;
}

float Apply(OpCode op, float x) {
  const float args[kMaxArity] = {x, 0, 0};
  return EvaluateElementwise(op, args);
}

TEST(SignRulesTest, SignOfFIsSignOfXExactlyForTheTableFunctions) {
  for (OpCode op : {OpCode::kTanh, OpCode::kArctan, OpCode::kSinh,
                    OpCode::kArcsinh, OpCode::kCbrt, OpCode::kExpm1}) {
    float first = 0;
    EXPECT_EQ(SignMismatches(op, &first), 0u)
        << GetOpInfo(op).name << ", e.g. at " << first;
    // And the table has the rule.
    const std::string name = std::string("sign-") + GetOpInfo(op).name;
    bool found = false;
    for (const RewriteRule& r : RewriteRules()) found |= name == r.name;
    EXPECT_TRUE(found) << name;
  }
}

TEST(SignRulesTest, TheFunctionsLeftOutDoChangeTheSign) {
  for (OpCode op : {OpCode::kCube, OpCode::kSin, OpCode::kTan, OpCode::kArcsin,
                    OpCode::kArctanh}) {
    float first = 0;
    EXPECT_GT(SignMismatches(op, &first), 0u) << GetOpInfo(op).name;
  }
  // cube: the smallest subnormal cubed is 0.
  EXPECT_EQ(Apply(OpCode::kCube, 1.4e-45f), 0.0f);
}

TEST(SignRulesTest, OddOfSignHoldsBitForBitAtMinusOneZeroAndNaN) {
  for (OpCode op : {OpCode::kTanh, OpCode::kArctan, OpCode::kSinh,
                    OpCode::kArcsinh, OpCode::kCbrt, OpCode::kCube,
                    OpCode::kSin, OpCode::kTan, OpCode::kArcsin}) {
    SCOPED_TRACE(GetOpInfo(op).name);
    const float one = Apply(op, 1.0f);
    EXPECT_TRUE(std::isfinite(one));
    EXPECT_EQ(Apply(op, -1.0f), -one);  // Bit for bit: -one is exact.
    EXPECT_EQ(Apply(op, 0.0f), 0.0f);
    EXPECT_TRUE(std::isnan(Apply(op, NAN)));
  }
  // arctanh(1) = inf: the rule must not fire (no finite literal).
  EXPECT_FALSE(std::isfinite(Apply(OpCode::kArctanh, 1.0f)));
}

}  // namespace
}  // namespace hero
