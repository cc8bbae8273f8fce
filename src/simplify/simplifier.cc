#include "src/simplify/simplifier.h"

#include <utility>

#include "src/simplify/algebraic.h"
#include "src/simplify/canonical_form.h"
#include "src/simplify/common_subexpressions.h"
#include "src/simplify/dead_code.h"
#include "src/simplify/interpolation.h"

namespace hero {

void SimplifyDataflow(Dataflow& df, const SimplifyOptions& options,
                      Derivation* derivation) {
  // Every pass shrinks the graph or moves a value closer to the inputs, so
  // this terminates; the bound is a guard against a rule cycle (a bug).
  for (int round = 0; round < 1000; ++round) {
    bool changed = RemoveDeadCode(df, derivation);
    changed |= MergeCommonSubexpressions(df, derivation);
    changed |= ApplyRewrites(df, options.loosest, derivation);
    if (options.merge_interpolations) {
      changed |= MergeInterpolations(df, derivation);
    }
    if (!changed) return;
  }
}

absl::StatusOr<SimplifyResult> Simplify(const Program& program,
                                        const SimplifyOptions& options) {
  absl::StatusOr<Dataflow> df = Dataflow::FromProgram(program);
  if (!df.ok()) return df.status();
  SimplifyResult result;
  SimplifyDataflow(*df, options, &result.derivation);
  absl::StatusOr<CanonicalProgram> canonical =
      ToCanonicalProgram(*df, &result.derivation);
  if (!canonical.ok()) return canonical.status();
  result.program = std::move(canonical->program);
  const std::array<bool, 2> live = df->LiveSlots();
  for (int k = 0; k < 2; ++k) {
    if (!live[k]) continue;
    result.slot_of[k] = canonical->swapped_slots ? 1 - k : k;
  }
  return result;
}

}  // namespace hero
