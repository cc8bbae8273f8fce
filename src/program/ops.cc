#include "src/program/ops.h"

#include <cmath>

namespace hero {
namespace {

using K = OpKind;
using A = ArgType;
using R = ResultType;

// The op table, one op per line: not reformatted.
// clang-format off
#define HERO_UNARY(code, name, meaning) \
  {OpCode::code, name, nullptr, 1, K::kElementwise, {A::kAny}, R::kBroadcast, false, 0, meaning}

// Indexed by OpCode; the static_asserts below keep order and enum in step.
constexpr OpInfo kOps[] = {
    {OpCode::kAdd, "add", "+", 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, true, 0, "a + b"},
    {OpCode::kSub, "subtract", "-", 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, false, 0, "a - b"},
    {OpCode::kMul, "multiply", "*", 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, true, 0, "a * b"},
    {OpCode::kDiv, "divide", "/", 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, false, 0, "a / (b + 1e-8)"},
    {OpCode::kMax, "max", nullptr, 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, true, 0, "elementwise maximum"},
    {OpCode::kMin, "min", nullptr, 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, true, 0, "elementwise minimum"},
    {OpCode::kPower, "power", nullptr, 2, K::kElementwise, {A::kAny, A::kAny}, R::kBroadcast, false, 0, "a ** b (C pow)"},
    {OpCode::kInterpolate, "interpolate", nullptr, 3, K::kElementwise, {A::kAny, A::kAny, A::kAny}, R::kBroadcast, false, 0, "(1 - a) * x + a * y"},
    HERO_UNARY(kAbs, "abs", "|x|"),
    HERO_UNARY(kCos, "cos", "cosine"),
    HERO_UNARY(kSin, "sin", "sine"),
    HERO_UNARY(kTan, "tan", "tangent"),
    HERO_UNARY(kArcsin, "arcsin", "inverse sine (NaN outside [-1, 1])"),
    HERO_UNARY(kArccos, "arccos", "inverse cosine (NaN outside [-1, 1])"),
    HERO_UNARY(kArctan, "arctan", "inverse tangent"),
    HERO_UNARY(kSinh, "sinh", "hyperbolic sine"),
    HERO_UNARY(kCosh, "cosh", "hyperbolic cosine"),
    HERO_UNARY(kTanh, "tanh", "hyperbolic tangent"),
    HERO_UNARY(kArcsinh, "arcsinh", "inverse hyperbolic sine"),
    HERO_UNARY(kArccosh, "arccosh", "inverse hyperbolic cosine (NaN below 1)"),
    HERO_UNARY(kArctanh, "arctanh", "inverse hyperbolic tangent (NaN outside [-1, 1])"),
    HERO_UNARY(kExp, "exp", "e ** x"),
    HERO_UNARY(kExp2, "exp2", "2 ** x"),
    HERO_UNARY(kExp10, "exp10", "10 ** x"),
    HERO_UNARY(kExpm1, "expm1", "e ** x - 1"),
    HERO_UNARY(kLog, "log", "natural log of |x|"),
    HERO_UNARY(kLog10, "log10", "base-10 log of |x|"),
    HERO_UNARY(kLog2, "log2", "base-2 log of |x|"),
    HERO_UNARY(kLog1p, "log1p", "log |1 + x|"),
    HERO_UNARY(kSquare, "square", "x * x"),
    HERO_UNARY(kSqrt, "sqrt", "square root of |x|"),
    HERO_UNARY(kCube, "cube", "x * x * x"),
    HERO_UNARY(kCbrt, "cbrt", "cube root"),
    HERO_UNARY(kSign, "sign", "-1, 0 or 1 (sign(0) = 0)"),
    HERO_UNARY(kReciprocal, "reciprocal", "1 / (x + 1e-8)"),
    HERO_UNARY(kNegative, "negative", "-x"),
    {OpCode::kNorm, "norm", nullptr, 1, K::kSegmentReduction, {A::kTensor}, R::kTensor, false, 0, "L2 norm of each parameter tensor, broadcast over it"},
    {OpCode::kGlobalNorm, "global_norm", nullptr, 1, K::kGlobalReduction, {A::kTensor}, R::kScalar, false, 0, "L2 norm over all parameters (scalar)"},
    {OpCode::kDot, "dot", nullptr, 2, K::kGlobalReduction, {A::kTensor, A::kTensor}, R::kScalar, true, 0, "sum of x * y over all parameters (scalar)"},
    {OpCode::kCosineSim, "cosine_sim", nullptr, 2, K::kGlobalReduction, {A::kTensor, A::kTensor}, R::kScalar, true, 0, "dot(x, y) / (|x| |y| + 1e-8) (scalar)"},
    {OpCode::kClipByGlobalNorm, "clip_by_global_norm", nullptr, 2, K::kGlobalRescale, {A::kTensor, A::kScalar}, R::kTensor, false, 0, "x * min(1, c / (global_norm(x) + 1e-8))"},
    {OpCode::kPi, "pi", nullptr, 0, K::kConstant, {}, R::kScalar, false, M_PI, "3.14159..."},
    {OpCode::kE, "e", nullptr, 0, K::kConstant, {}, R::kScalar, false, M_E, "2.71828..."},
    {OpCode::kEps, "eps", nullptr, 0, K::kConstant, {}, R::kScalar, false, 1e-8, "1e-8"},
};

#undef HERO_UNARY
// clang-format on

static_assert(sizeof(kOps) / sizeof(kOps[0]) == kNumOps,
              "op table and OpCode enum out of step");

constexpr bool TableInEnumOrder() {
  for (int i = 0; i < kNumOps; ++i) {
    if (static_cast<int>(kOps[i].code) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "op table not in OpCode order");

}  // namespace

const OpInfo& GetOpInfo(OpCode op) { return kOps[static_cast<int>(op)]; }

std::optional<OpCode> FindOp(absl::string_view name_or_symbol) {
  for (const OpInfo& info : kOps) {
    if (name_or_symbol == info.name ||
        (info.infix != nullptr && name_or_symbol == info.infix)) {
      return info.code;
    }
  }
  return std::nullopt;
}

}  // namespace hero
