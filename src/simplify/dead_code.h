// Dead code, including dead state across steps (simplifier pass 1).
//
// A state slot whose incoming value is never read (analysis.h: not live)
// carries nothing from one step to the next, so it is not a state slot: its
// returned value is dropped (the slot is left unassigned; the interpreter
// then leaves its buffer alone). Then every op node that no longer reaches
// the update or a live slot's output is removed — statements that only fed
// the dropped slot go with it.
//
//   Derivation d;
//   bool changed = RemoveDeadCode(df, &d);
//
// Steps recorded: `dead-state` (one per dropped slot, naming the statement
// that computed it) and `dead-code` (one per call that removes statements,
// listing them in program order). Exact: the update and the live slots'
// values are unchanged.
#ifndef HERO_SIMPLIFY_DEAD_CODE_H_
#define HERO_SIMPLIFY_DEAD_CODE_H_

#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"

namespace hero {

// Returns true iff something was dropped or removed. `derivation` may be null.
bool RemoveDeadCode(Dataflow& df, Derivation* derivation);

}  // namespace hero

#endif  // HERO_SIMPLIFY_DEAD_CODE_H_
