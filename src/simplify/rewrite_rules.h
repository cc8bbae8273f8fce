// The algebraic rewrite table (simplifier pass 2).
//
// Each rule is one entry: a name, a left-hand side and a right-hand side in
// the pattern language (pattern.h), and how exact it is. Adding a rewrite is
// adding an entry here and its case in tests/simplify/rewrite_rules_test.cc.
// Constant folding is the one computed rule: an elementwise op whose
// arguments are all constants is evaluated with the interpreter's own kernel
// (so the folded literal is bit for bit what the program would compute) and
// replaced by the result if it is finite.
//
//   for (const RewriteRule& rule : RewriteRules()) { ... rule.lhs ... }
//
// What "exact" means here, for float32 as the interpreter computes it:
//   kExact:    the same result for every input, including ±inf and NaN — up
//              to NaN payloads and the sign of a zero result (`x + 0` is +0
//              for x = -0).
//   kFinite:   the same result whenever the original's intermediate values
//              are finite and (if nonzero) normal: `interpolate(x, y, 0)` is
//              x unless y is ±inf or NaN (0·inf); `sqrt(square(x))` is |x|
//              unless x² overflows or underflows (checked exhaustively over
//              all floats: sqrt(fl(x²)) = |x| whenever fl(x²) is normal).
//   kRounding: an identity of real arithmetic whose float results may differ
//              by rounding (the interpolation merges, interpolation.h).
//   kNearZero: exact up to the 1e-8 in division: x / (|x| + 1e-8) is sign(x)
//              within a relative 1e-8/|x| (exactly ±1 once |x| >= 0.25), and
//              x / sqrt(square(x)) also differs where x² over/underflows.
// A rule is applied only where the result has the type (tensor or scalar)
// of the value it replaces.
#ifndef HERO_SIMPLIFY_REWRITE_RULES_H_
#define HERO_SIMPLIFY_REWRITE_RULES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/simplify/dataflow.h"
#include "src/simplify/pattern.h"

namespace hero {

// Ordered from strictest to loosest.
enum class Exactness : uint8_t { kExact, kFinite, kRounding, kNearZero };

// "exact", "exact on finite values", "exact in real arithmetic",
// "exact up to the 1e-8 in division".
absl::string_view ExactnessText(Exactness e);

struct RewriteRule {
  const char* name;  // e.g. "div-sqrt-square"
  const char* lhs;   // e.g. "x / sqrt(square(x))"
  const char* rhs;   // e.g. "sign(x)"
  Exactness exactness;
  // Computed rules (lhs_pattern unused): the replacement at `node`, or
  // nullopt if the rule does not apply there.
  std::optional<BuiltResult> (*compute)(Dataflow& df, int node) = nullptr;
  Pattern lhs_pattern;
  Pattern rhs_pattern;
};

// The table, in the order the rules are tried (larger patterns first, so
// that `x / sqrt(square(x))` becomes sign(x) in one step). Parsed once;
// thread-safe.
const std::vector<RewriteRule>& RewriteRules();

// Constant folding's evaluation: op applied to `args` (constants) exactly as
// the interpreter's kernel computes it. REQUIRES: op is elementwise; `args`
// holds GetOpInfo(op).arity values.
float EvaluateElementwise(OpCode op, const float* args);

}  // namespace hero

#endif  // HERO_SIMPLIFY_REWRITE_RULES_H_
