// Canonical order (simplifier pass 4, with canonical_naming.h): which operand
// of a commutative op comes first, and in which order statements are written.
// Both depend only on the graph's structure — never on the names or the
// statement order of the source — so equal programs print identically.
//
// Operands of a commutative op (+ * max min dot cosine_sim) are sorted by:
// values that do not depend on lr or λ first (so hyperparameter terms come
// last: `update + wd`, `update * lr`, `w * λ`); then op results before
// inputs before constants; among results the deeper one first, among inputs
// w g m v lr λ order, among constants the smaller; ties by structural hash.
//
// Chains: a value of the same type, read once, as the first operand of its
// reader, continues the reader's variable — `update = sign(update)`. Walking
// first operands back from the returned update gives the `update` chain;
// from a state output the `m` (or `v`) chain, which reaches back only while
// every other reader of the incoming m (v) can still be written before the
// chain's first statement overwrites the register (Dataflow::Schedulable).
//
// Statement order:
//   1. gradient preprocessing: values computed from g alone (and constants),
//      e.g. `g = clip_by_global_norm(g, 1.0)`, unless part of a state chain;
//   2. the update's direction: the update chain up to where lr or λ enter;
//   3. the state updates, m then v — each after every statement that reads
//      the old state (`update = interpolate(g, m, 0.9)` before
//      `m = interpolate(g, m, 0.99)`);
//   4. the hyperparameter tail: the statements of the update chain that
//      combine it with terms depending on lr or λ only (and w), innermost
//      first, each after its term (`wd = w * λ; update = update + wd;
//      update = update * lr`).
// Within a part, values are written depth-first, operands in order, just
// before their first reader; readers of an old state value are written before
// the state chain that overwrites it.
#ifndef HERO_SIMPLIFY_CANONICAL_ORDER_H_
#define HERO_SIMPLIFY_CANONICAL_ORDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/simplify/dataflow.h"

namespace hero {

// Per node: a 64-bit hash of the value it computes, independent of names and
// of commutative operand order; stable across runs.
std::vector<uint64_t> ValueHashes(const Dataflow& df);

// Sorts the operands of every commutative op (see above).
void CanonicalizeOperands(Dataflow& df);

struct Schedule {
  std::vector<int> order;  // Live op nodes, in the order they are written.
  // Per node: "update", "m", "v" for chain members, else "".
  std::vector<std::string> chain;
};

// REQUIRES: dead code removed (dead slots unassigned), operands canonical,
// df.Emittable(). Internal error if no order satisfies the constraints (a
// bug: Emittable guarantees one).
absl::StatusOr<Schedule> MakeSchedule(const Dataflow& df);

}  // namespace hero

#endif  // HERO_SIMPLIFY_CANONICAL_ORDER_H_
