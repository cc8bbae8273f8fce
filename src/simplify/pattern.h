// Pattern: the little expression language the rewrite table is written in.
//
//   x / sqrt(square(x))     interpolate(x, y, 0)     x * -1     square(x) * x
//
// The letters x, y, z are variables: each matches any node, and every
// occurrence of one letter must match the same node (the same value, not
// merely the same name). A number matches a constant of that float value
// (0 matches +0 and -0). `fn(args)` and the infix operators + - * / (usual
// precedence, left-associative, parentheses allowed) match an op node; for a
// commutative op (+ * max min dot cosine_sim) both operand orders are tried.
//
//   absl::StatusOr<Pattern> p = ParsePattern("x / abs(x)");
//   Bindings b;
//   if (MatchPattern(df, *p, node, b)) { /* b[0] is x's node */ }
//
// A rule's right-hand side is built with BuildResult: a variable (the node
// itself), a number (a new constant), or one op over variables and numbers
// (written into the matched node, which keeps its id and name).
#ifndef HERO_SIMPLIFY_PATTERN_H_
#define HERO_SIMPLIFY_PATTERN_H_

#include <array>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/simplify/dataflow.h"

namespace hero {

struct Pattern {
  enum class Kind { kVariable, kNumber, kOp };
  Kind kind = Kind::kNumber;
  int variable = 0;           // kVariable: 0 for x, 1 for y, 2 for z.
  float number = 0;           // kNumber.
  OpCode op = OpCode::kAdd;   // kOp.
  std::vector<Pattern> args;  // kOp.

  // The variables the pattern mentions, as a bit mask (1 << variable).
  int VariableMask() const;
};

inline constexpr int kNumPatternVariables = 3;
// Node bound to x, y, z, or -1.
using Bindings = std::array<int, kNumPatternVariables>;

// InvalidArgument naming the column of the first error.
absl::StatusOr<Pattern> ParsePattern(absl::string_view text);

// True iff `pattern` matches the value of `node`; fills `bindings` (reset by
// the caller to all -1).
bool MatchPattern(const Dataflow& df, const Pattern& pattern, int node,
                  Bindings& bindings);

// The result of applying a right-hand side at `root`: either an existing node
// (`copy_of` >= 0: readers of root should read it) or a replacement for the
// root node itself (`node`).
struct BuiltResult {
  int copy_of = -1;
  Node node;
};

// REQUIRES: `result` is a variable, a number or one op whose arguments are
// variables or numbers, and every variable it mentions is bound. New
// constants are added to `df`.
BuiltResult BuildResult(Dataflow& df, const Pattern& result,
                        const Bindings& bindings, int root);

}  // namespace hero

#endif  // HERO_SIMPLIFY_PATTERN_H_
