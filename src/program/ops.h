// The op table: every function an optimizer program may call.
//
// One table drives the parser, the printer, the type checker, the mutator,
// the interpreter and the exporters; nothing else lists ops. It holds the
// paper's search space as given in DESIGN.md: + - * / max min power
// interpolate, 28 elementwise unary functions, the per-tensor `norm`, the
// reductions global_norm, dot, cosine_sim, clip_by_global_norm, and the
// constants pi, e, eps. (`invert` is bitwise in the paper's library and has no
// float meaning, so it is left out: 44 entries.)
//
//   const OpInfo& info = GetOpInfo(OpCode::kInterpolate);
//   std::optional<OpCode> op = FindOp("arcsin");
//
// Exact semantics (also the interpreter's contract): division is
// a / (b + 1e-8); `log`, `log2`, `log10` and `sqrt` act on |x|;
// log1p(x) = log|1 + x|; sign(0) = 0; interpolate(x, y, a) = (1-a)x + ay;
// norm(x) is the L2 norm of x's parameter tensor (segment) broadcast over it;
// global_norm(x) = ||x||_2 over all parameters; dot(x, y) = sum x*y;
// cosine_sim(x, y) = dot(x, y) / (||x|| ||y|| + 1e-8);
// clip_by_global_norm(x, c) = x * min(1, c / (||x|| + 1e-8)).
//
// Thread-safety: the table is immutable static data.
#ifndef HERO_PROGRAM_OPS_H_
#define HERO_PROGRAM_OPS_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace hero {

// The order is part of the serialized journal format only through names, never
// through these numbers; reordering is safe.
enum class OpCode : uint8_t {
  // Binary elementwise.
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMax,
  kMin,
  kPower,
  // Ternary elementwise.
  kInterpolate,
  // Unary elementwise.
  kAbs,
  kCos,
  kSin,
  kTan,
  kArcsin,
  kArccos,
  kArctan,
  kSinh,
  kCosh,
  kTanh,
  kArcsinh,
  kArccosh,
  kArctanh,
  kExp,
  kExp2,
  kExp10,
  kExpm1,
  kLog,
  kLog10,
  kLog2,
  kLog1p,
  kSquare,
  kSqrt,
  kCube,
  kCbrt,
  kSign,
  kReciprocal,
  kNegative,
  // Per-tensor and global reductions.
  kNorm,
  kGlobalNorm,
  kDot,
  kCosineSim,
  kClipByGlobalNorm,
  // Constants (arity 0): usable wherever a numeric literal is.
  kPi,
  kE,
  kEps,
};

inline constexpr int kNumOps = static_cast<int>(OpCode::kEps) + 1;
inline constexpr int kMaxArity = 3;

// What the interpreter has to do for an op.
enum class OpKind : uint8_t {
  kElementwise,       // Output element i depends on input element i only.
  kSegmentReduction,  // norm: one value per parameter tensor, broadcast.
  kGlobalReduction,   // global_norm, dot, cosine_sim: a scalar.
  kGlobalRescale,     // clip_by_global_norm: needs a reduction of its input.
  kConstant,          // pi, e, eps.
};

// Argument type constraint.
enum class ArgType : uint8_t {
  kAny,     // tensor or scalar (scalars broadcast).
  kTensor,  // must be a tensor.
  kScalar,  // must be a scalar.
};

// Result type rule.
enum class ResultType : uint8_t {
  kBroadcast,  // tensor if any argument is a tensor, else scalar.
  kTensor,
  kScalar,
};

struct OpInfo {
  OpCode code;
  const char* name;   // Function name in paper syntax ("interpolate").
  const char* infix;  // "+", "-", "*", "/" for infix ops, else nullptr.
  int arity;          // 0..kMaxArity.
  OpKind kind;
  ArgType arg_types[kMaxArity];
  ResultType result;
  bool commutative;     // Operand order does not matter (+ * max min).
  double constant;      // Value of a kConstant op, else 0.
  const char* meaning;  // One line, for --help and docs.
};

// The entry for `op`.
const OpInfo& GetOpInfo(OpCode op);

// Looks an op up by function name ("add", "arcsin", "pi") or infix symbol
// ("+"). Returns nullopt if there is none.
std::optional<OpCode> FindOp(absl::string_view name_or_symbol);

// True for pi, e and eps.
inline bool IsConstantOp(OpCode op) {
  return GetOpInfo(op).kind == OpKind::kConstant;
}

}  // namespace hero

#endif  // HERO_PROGRAM_OPS_H_
