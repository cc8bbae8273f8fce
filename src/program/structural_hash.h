// StructuralHash: a 64-bit fingerprint of a program's live dataflow.
//
// Two programs get the same hash when they compute the same dataflow graph
// from the inputs to the returned update and live state slots: the hash does
// not depend on variable names, on the order of independent statements, on
// dead statements (including those that only feed a dead state slot), or on
// the operand order of commutative ops (+ * max min dot cosine_sim). It
// changes when any op, constant (bitwise, except that -0 and +0 are equal) or
// data edge on a live path changes. The value is stable across runs, builds
// and machines, so it can be stored in journals.
//
//   absl::StatusOr<Analysis> a = Analyze(p);
//   uint64_t h = StructuralHash(p, *a);
//   std::string hex = HashToHex(h);  // 16 lowercase hex digits
#ifndef HERO_PROGRAM_STRUCTURAL_HASH_H_
#define HERO_PROGRAM_STRUCTURAL_HASH_H_

#include <cstdint>
#include <string>

#include "src/program/analysis.h"
#include "src/program/program.h"

namespace hero {

// REQUIRES: `analysis` is Analyze(program)'s result.
uint64_t StructuralHash(const Program& program, const Analysis& analysis);

std::string HashToHex(uint64_t hash);

}  // namespace hero

#endif  // HERO_PROGRAM_STRUCTURAL_HASH_H_
