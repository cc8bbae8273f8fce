#include "src/simplify/rewrite_rules.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "src/interpreter/kernels.h"

namespace hero {
namespace {

std::optional<BuiltResult> FoldConstants(Dataflow& df, int node) {
  const Node& n = df.nodes[node];
  if (GetOpInfo(n.op).kind != OpKind::kElementwise) return std::nullopt;
  float args[kMaxArity] = {0, 0, 0};
  for (int i = 0; i < n.arity(); ++i) {
    const Node& a = df.nodes[n.args[i]];
    if (!a.is_constant()) return std::nullopt;
    args[i] = a.constant.value;
  }
  const float value = EvaluateElementwise(n.op, args);
  if (!std::isfinite(value)) return std::nullopt;
  BuiltResult r;
  r.copy_of = df.AddConstant(value);
  return r;
}

// f(sign(x)) → sign(x) * f(1) for an odd f with f(0) = 0 and f(1) finite:
// sign(x) is -1, 0, 1 or NaN, and f(-1) = -f(1) holds bit for bit in the
// kernels (tests/simplify/sign_rules_test.cc).
std::optional<BuiltResult> OddOfSign(Dataflow& df, int node) {
  const Node& n = df.nodes[node];
  if (!n.is_op()) return std::nullopt;
  switch (n.op) {
    case OpCode::kTanh:
    case OpCode::kArctan:
    case OpCode::kSinh:
    case OpCode::kArcsinh:
    case OpCode::kCbrt:
    case OpCode::kCube:
    case OpCode::kSin:
    case OpCode::kTan:
    case OpCode::kArcsin:
      break;
    default:
      return std::nullopt;
  }
  if (!df.nodes[n.args[0]].is_op() || df.nodes[n.args[0]].op != OpCode::kSign) {
    return std::nullopt;
  }
  const float one[kMaxArity] = {1, 0, 0};
  const float f1 = EvaluateElementwise(n.op, one);
  if (!std::isfinite(f1)) return std::nullopt;
  Node mul;
  mul.kind = Node::Kind::kOp;
  mul.op = OpCode::kMul;
  mul.name = n.name;
  mul.type = n.type;
  mul.args[0] = n.args[0];
  const int constant = df.AddConstant(f1);  // May reallocate df.nodes.
  mul.args[1] = constant;
  BuiltResult r;
  r.node = std::move(mul);
  return r;
}

// The table. Rules whose left-hand side contains another's come first.
std::vector<RewriteRule> MakeTable() {
  using E = Exactness;
  std::vector<RewriteRule> t = {
      {"constant-folding", "f(constants)", "constant", E::kExact,
       FoldConstants},
      {"div-sqrt-square", "x / sqrt(square(x))", "sign(x)", E::kNearZero},
      {"div-abs", "x / abs(x)", "sign(x)", E::kNearZero},
      {"sqrt-square", "sqrt(square(x))", "abs(x)", E::kFinite},
      {"mul-square", "square(x) * x", "cube(x)", E::kExact},
      {"mul-self", "x * x", "square(x)", E::kExact},
      {"add-self", "x + x", "x * 2", E::kExact},
      {"mul-one", "x * 1", "x", E::kExact},
      {"div-one", "x / 1", "x", E::kExact},
      {"add-zero", "x + 0", "x", E::kExact},
      {"sub-zero", "x - 0", "x", E::kExact},
      {"zero-sub", "0 - x", "negative(x)", E::kExact},
      {"mul-minus-one", "x * -1", "negative(x)", E::kExact},
      {"mul-zero", "x * 0", "0", E::kFinite},
      {"interpolate-zero", "interpolate(x, y, 0)", "x", E::kFinite},
      {"interpolate-one", "interpolate(x, y, 1)", "y", E::kFinite},
      {"interpolate-same", "interpolate(x, x, y)", "x", E::kRounding},
      {"double-negation", "negative(negative(x))", "x", E::kExact},
      {"sign-sign", "sign(sign(x))", "sign(x)", E::kExact},
      // f(x) has the sign of x for every float x (checked exhaustively,
      // tests/simplify/sign_rules_test.cc): odd, strictly increasing,
      // f(x) = 0 only at 0, no underflow to 0 (cube has it: not here).
      {"sign-tanh", "sign(tanh(x))", "sign(x)", E::kExact},
      {"sign-arctan", "sign(arctan(x))", "sign(x)", E::kExact},
      {"sign-sinh", "sign(sinh(x))", "sign(x)", E::kExact},
      {"sign-arcsinh", "sign(arcsinh(x))", "sign(x)", E::kExact},
      {"sign-cbrt", "sign(cbrt(x))", "sign(x)", E::kExact},
      {"sign-expm1", "sign(expm1(x))", "sign(x)", E::kExact},
      {"odd-of-sign", "f(sign(x)), f odd", "sign(x) * f(1)", E::kExact,
       OddOfSign},
      {"abs-abs", "abs(abs(x))", "abs(x)", E::kExact},
      {"abs-negative", "abs(negative(x))", "abs(x)", E::kExact},
      {"abs-square", "abs(square(x))", "square(x)", E::kExact},
      {"sqrt-abs", "sqrt(abs(x))", "sqrt(x)", E::kExact},
      {"add-negative", "x + negative(y)", "x - y", E::kExact},
      {"sub-negative", "x - negative(y)", "x + y", E::kExact},
  };
  for (RewriteRule& rule : t) {
    if (rule.compute != nullptr) continue;
    absl::StatusOr<Pattern> lhs = ParsePattern(rule.lhs);
    absl::StatusOr<Pattern> rhs = ParsePattern(rule.rhs);
    // The table is static data: a bad entry is a bug, caught by every test.
    if (!lhs.ok() || !rhs.ok()) {
      std::fprintf(
          stderr, "bad rewrite rule %s: %s\n", rule.name,
          std::string((lhs.ok() ? rhs : lhs).status().message()).c_str());
      std::abort();
    }
    rule.lhs_pattern = *std::move(lhs);
    rule.rhs_pattern = *std::move(rhs);
  }
  return t;
}

}  // namespace

absl::string_view ExactnessText(Exactness e) {
  switch (e) {
    case Exactness::kExact:
      return "exact";
    case Exactness::kFinite:
      return "exact on finite values";
    case Exactness::kRounding:
      return "exact in real arithmetic";
    case Exactness::kNearZero:
      return "exact up to the 1e-8 in division";
  }
  return "";
}

const std::vector<RewriteRule>& RewriteRules() {
  static const std::vector<RewriteRule>* const kTable =
      new std::vector<RewriteRule>(MakeTable());
  return *kTable;
}

float EvaluateElementwise(OpCode op, const float* args) {
  alignas(kKernelAlignment) float in[kMaxArity][kKernelWidth];
  alignas(kKernelAlignment) float out[kKernelWidth];
  // Reads only the op's arguments (callers pass arity-sized arrays); the
  // kernel ignores the unused rows.
  const int arity = GetOpInfo(op).arity;
  for (int a = 0; a < kMaxArity; ++a) {
    const float value = a < arity ? args[a] : 0.0f;
    for (int i = 0; i < kKernelWidth; ++i) in[a][i] = value;
  }
  GetKernel(op, 0)(out, in[0], in[1], in[2], kKernelWidth);
  return out[0];
}

}  // namespace hero
