// The code generators behind ExportProgram (exporter.h), one per target,
// and the notes they share. Internal to src/export.
//
//   std::string code = GenerateCpp(plan, options);
//
// Thread-safety: pure functions.
#ifndef HERO_EXPORT_GENERATORS_H_
#define HERO_EXPORT_GENERATORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "src/export/export_plan.h"
#include "src/export/exporter.h"

namespace hero {

std::string GenerateCpp(const ExportPlan& plan, const ExportOptions& options);
std::string GeneratePyTorch(const ExportPlan& plan,
                            const ExportOptions& options);
std::string GenerateNumPy(const ExportPlan& plan, const ExportOptions& options);

// The header comment's first part, as lines to be commented: what made the
// file, the program, the command, the dead statements left out.
std::string ProvenanceText(const ExportPlan& plan, const ExportOptions& options,
                           absl::string_view target_description);

// What the arithmetic is (exactness, float64 for transcendental ops,
// reductions per call, `norm` per tensor), for the header comment; `call`
// says what one application of the program spans ("parameter group").
std::string SemanticsText(const ExportPlan& plan, absl::string_view call);

}  // namespace hero

#endif  // HERO_EXPORT_GENERATORS_H_
