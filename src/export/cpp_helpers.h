// The static helper functions of a C++ export: one per op the program uses,
// each the op's exact semantics (ops.h) in float32, or in float64 rounded
// once for the transcendental ones, plus the reductions' float64 products
// and the finiteness test. Internal to src/export.
//
//   AppendCppHelpers(plan, &code);  // "  static float Sign(float x) {...}"
//
// No helper writes a * b + c in one expression, so no compiler contracts it
// into a fused multiply-add under its default settings.
// Thread-safety: pure function.
#ifndef HERO_EXPORT_CPP_HELPERS_H_
#define HERO_EXPORT_CPP_HELPERS_H_

#include <string>

#include "src/export/export_plan.h"

namespace hero {

void AppendCppHelpers(const ExportPlan& plan, std::string* out);

}  // namespace hero

#endif  // HERO_EXPORT_CPP_HELPERS_H_
