#include "src/simplify/canonical_form.h"

#include <string>
#include <utility>
#include <vector>

#include "src/program/printer.h"
#include "src/simplify/canonical_naming.h"
#include "src/simplify/canonical_order.h"

namespace hero {

absl::StatusOr<CanonicalProgram> ToCanonicalProgram(const Dataflow& df,
                                                    Derivation* derivation) {
  CanonicalProgram result;
  Dataflow canonical = df;
  result.live_slots = canonical.LiveSlots();
  if (!result.live_slots[0] && result.live_slots[1]) {
    canonical.SwapStateSlots();
    std::swap(result.live_slots[0], result.live_slots[1]);
    result.swapped_slots = true;
  }
  CanonicalizeOperands(canonical);
  absl::StatusOr<Schedule> schedule = MakeSchedule(canonical);
  if (!schedule.ok()) return schedule.status();
  absl::StatusOr<Program> program = WriteProgram(canonical, *schedule);
  if (!program.ok()) return program.status();
  result.program = *std::move(program);

  if (derivation != nullptr) {
    std::vector<std::string> before, after;
    for (int id : df.LiveOpNodes()) before.push_back(df.StatementText(id));
    for (const Statement& s : result.program.statements) {
      after.push_back(PrintStatement(result.program, s));
    }
    if (before != after || result.swapped_slots) {
      std::string what =
          "statements in canonical order (gradient preprocessing, direction, "
          "state updates, weight decay and lr), variables named for their "
          "role";
      if (result.swapped_slots) {
        what += "; the only state slot, `v`, becomes `m`";
      }
      derivation->AddStep(
          {"canonical-form", what, std::move(before), std::move(after)});
    }
  }
  return result;
}

}  // namespace hero
