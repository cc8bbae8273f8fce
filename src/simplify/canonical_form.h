// Canonical form (simplifier pass 4): the last step of every simplification,
// which turns the graph back into a program that prints the same whatever
// the source's names, statement order or slot choice.
//
//   1. The live state slot is `m`: a program whose only real state is in `v`
//      (the paper's evolved program) has its slots exchanged. With both
//      slots live, the order is kept.
//   2. Commutative operands, statement order and names follow
//      canonical_order.h and canonical_naming.h.
//
//   absl::StatusOr<CanonicalProgram> c = ToCanonicalProgram(df, &derivation);
//
// Step recorded (when anything changes): `canonical-form`, with the
// statements before (as named in the source) and after.
#ifndef HERO_SIMPLIFY_CANONICAL_FORM_H_
#define HERO_SIMPLIFY_CANONICAL_FORM_H_

#include <array>

#include "absl/status/statusor.h"
#include "src/program/program.h"
#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"

namespace hero {

struct CanonicalProgram {
  Program program;
  bool swapped_slots = false;  // The program's m is the graph's v.
  std::array<bool, 2> live_slots = {false, false};  // In the program.
};

// REQUIRES: dead code removed and df.Emittable() (as after the simplifier's
// symbolic passes). `derivation` may be null.
absl::StatusOr<CanonicalProgram> ToCanonicalProgram(const Dataflow& df,
                                                    Derivation* derivation);

}  // namespace hero

#endif  // HERO_SIMPLIFY_CANONICAL_FORM_H_
