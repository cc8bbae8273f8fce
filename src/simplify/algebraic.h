// Algebraic rewrites (simplifier pass 2): applies the rule table
// (rewrite_rules.h) to a dataflow graph.
//
// Rules are tried in table order; each rule at every live op node in program
// order. A match is applied when its result has the replaced value's type
// and the graph stays emittable (Dataflow::Emittable: e.g. `update = g * 1.0`
// is left alone, since `update` cannot be a copy of `g` without a
// statement). A rewrite to an existing value ("copy": `x * 1` → x) makes the
// readers of the rewritten node read that value — copy propagation; a
// rewrite to a new op is written into the node, which keeps its name.
//
//   bool changed = ApplyRewrites(df, Exactness::kNearZero, &derivation);
//
// Steps recorded: one per application, named by the rule, with the
// statement before and after.
#ifndef HERO_SIMPLIFY_ALGEBRAIC_H_
#define HERO_SIMPLIFY_ALGEBRAIC_H_

#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"
#include "src/simplify/rewrite_rules.h"

namespace hero {

// Applies the rules no looser than `loosest`, one sweep over the table.
// Returns true iff a rule was applied. `derivation` may be null.
bool ApplyRewrites(Dataflow& df, Exactness loosest, Derivation* derivation);

// Makes the readers of `node` (and the outputs) read `value` instead, in
// place of a copy statement, if the graph stays emittable. Returns false
// (and leaves df alone) otherwise. Shared with ablation.
bool ReplaceWithValue(Dataflow& df, int node, int value);

}  // namespace hero

#endif  // HERO_SIMPLIFY_ALGEBRAIC_H_
