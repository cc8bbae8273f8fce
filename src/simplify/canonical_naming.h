// Canonical names (simplifier pass 4, with canonical_order.h): writes a
// scheduled dataflow graph as a Program, choosing every variable name from
// the graph's structure alone.
//
// A value's name, in order of preference:
//   1. its chain's name, `update`, `m` or `v` (canonical_order.h):
//      `update = interpolate(g, m, 0.9); update = sign(update)`;
//   2. `g`, for a value computed from the gradient alone that is the only
//      reader of the current `g`, as its first operand:
//      `g = clip_by_global_norm(g, 1.0); g = arcsin(g)`;
//   3. a name for its role: `wd` for w·λ (weight decay); for a unary function
//      of a variable X, `X2` (square; `X_sq` if X ends in a digit),
//      `X_sqrt`, `X_<function>` (`m_abs`, `lam_exp`);
//   4. `t1`, `t2`, … in order.
// Names 1 and 2 reuse a variable, and are taken only where its previous
// value is no longer read; names 3 and 4 are each used once in the program
// (a clash gets a suffix `_2`, `_3`, …).
//
//   absl::StatusOr<Schedule> s = MakeSchedule(df);
//   absl::StatusOr<Program> p = WriteProgram(df, *s);
//
// The result is checked: it must pass Analyze() and compute the same values
// (ValueHashes of update and the state outputs) as the graph; otherwise an
// Internal error (a bug).
#ifndef HERO_SIMPLIFY_CANONICAL_NAMING_H_
#define HERO_SIMPLIFY_CANONICAL_NAMING_H_

#include "absl/status/statusor.h"
#include "src/program/program.h"
#include "src/simplify/canonical_order.h"
#include "src/simplify/dataflow.h"

namespace hero {

// REQUIRES: `schedule` is MakeSchedule(df).
absl::StatusOr<Program> WriteProgram(const Dataflow& df,
                                     const Schedule& schedule);

}  // namespace hero

#endif  // HERO_SIMPLIFY_CANONICAL_NAMING_H_
