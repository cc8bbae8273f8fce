// Common subexpressions (part of simplifier pass 4, copy propagation).
//
// Two op nodes with the same op and the same arguments (in either order for
// a commutative op; equal constants count as the same argument) compute the
// same value — every op is deterministic — so the later one is dropped and
// its readers read the earlier one. Constants are compared by value, bit for
// bit (so `x * 0.9` twice is one value; `pi` is its float value).
//
//   bool changed = MergeCommonSubexpressions(df, &derivation);
//
// Step recorded: `common-subexpression`, before = the dropped statement,
// after = the statement whose value it reuses. Exact (up to the sign of a
// zero from max/min of +0 and -0 with operands swapped).
#ifndef HERO_SIMPLIFY_COMMON_SUBEXPRESSIONS_H_
#define HERO_SIMPLIFY_COMMON_SUBEXPRESSIONS_H_

#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"

namespace hero {

// Returns true iff an op node was merged. Merges that would make the graph
// non-emittable (two outputs becoming one node) are skipped.
bool MergeCommonSubexpressions(Dataflow& df, Derivation* derivation);

}  // namespace hero

#endif  // HERO_SIMPLIFY_COMMON_SUBEXPRESSIONS_H_
