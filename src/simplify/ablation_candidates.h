// The edits ablation tries on a program (simplifier pass 5; ablation.h
// measures them).
//
// For each statement, in program order, a removal:
//   - its readers read its first variable argument of the same type instead
//     (`g = arcsin(g)` removed: readers of the new g read the old g), if the
//     program can still be written without a copy;
//   - otherwise, for the statement computing a returned state slot, the slot
//     is left unassigned (it keeps its incoming value);
//   - otherwise it is not removable.
// Statements that read lr or λ, or a value computed from them and w alone
// (`update = update + wd` with `wd = w * λ`), are the user's knobs, not the
// program's: they are never removed (dropping weight decay is choosing
// λ = 0). Then for each literal constant, in program order, a snap to the
// fewest significant digits within 1% of its value (SnapConstant), if that
// changes it.
//
// Every candidate is simplified symbolically (with the given options) and
// written in canonical form; candidates identical to the program are
// dropped.
//
//   std::vector<AblationCandidate> c = AblationCandidates(program, {});
#ifndef HERO_SIMPLIFY_ABLATION_CANDIDATES_H_
#define HERO_SIMPLIFY_ABLATION_CANDIDATES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/program/program.h"
#include "src/simplify/simplifier.h"

namespace hero {

struct AblationCandidate {
  enum class Kind { kRemove, kSnap };
  Kind kind = Kind::kRemove;
  int statement = 0;           // 0-based, in the program given.
  std::string statement_text;  // That statement, as printed.
  std::string
      description;  // "remove `g = arcsin(g)`", "snap 0.899 → 0.9 in `…`"
  std::string effect;  // "readers read `g`", "`m` keeps its incoming value", …
  Program program;     // The edited program, simplified, canonical.
};

// REQUIRES: `program` passes Analyze() (InvalidArgument otherwise).
absl::StatusOr<std::vector<AblationCandidate>> AblationCandidates(
    const Program& program, const SimplifyOptions& options);

// True iff statement `index` reads lr, λ or a value computed only from them,
// w and constants.
bool ReadsHyperparameters(const Program& program, int index);

// The value with the fewest significant decimal digits within 1% of `value`
// (0.899 → 0.9, 1.109 → 1.1, 0.99 → 0.99); `value` itself if none is
// shorter. Rounded to float32.
float SnapConstant(float value);

}  // namespace hero

#endif  // HERO_SIMPLIFY_ABLATION_CANDIDATES_H_
