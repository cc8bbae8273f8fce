// Interpolation algebra (simplifier pass 3).
//
// interpolate(x, y, a) = (1-a)·x + a·y is an affine combination of x and y
// (weights summing to 1). An interpolation whose arguments are themselves
// interpolations with constant weights, such that only two distinct values
// x and y remain, is one interpolation of x and y:
//
//   interpolate(x, interpolate(x, y, a), b) → interpolate(x, y, a·b)
//   interpolate(interpolate(x, y, a), y, b) → interpolate(x, y, a + b·(1-a))
//   interpolate(interpolate(x, y, a), x, b) → interpolate(x, y, a·(1-b))
//   interpolate(y, interpolate(x, y, a), b) → interpolate(x, y, 1 - b·(1-a))
//   interpolate(interpolate(x, y, a), interpolate(x, y, c), b)
//                                           → interpolate(x, y, (1-b)·a + b·c)
//
// (the first is the move that turns the paper's 0.9 and 1.1 into 0.99). The
// weights are combined in double and rounded once to float32; x is the value
// met first in (first argument, second argument) order. The inner
// interpolation is left in place (it may have other readers; if not, dead
// code removes it). Only constant weights are merged.
//
//   bool changed = MergeInterpolations(df, &derivation);
//
// Exactness: an identity of real arithmetic (Exactness::kRounding); the
// merged float result may differ from the nested one by rounding.
// Step recorded: `interpolate-merge`, the statement before and after.
#ifndef HERO_SIMPLIFY_INTERPOLATION_H_
#define HERO_SIMPLIFY_INTERPOLATION_H_

#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"

namespace hero {

// Returns true iff an interpolation was merged. `derivation` may be null.
bool MergeInterpolations(Dataflow& df, Derivation* derivation);

}  // namespace hero

#endif  // HERO_SIMPLIFY_INTERPOLATION_H_
