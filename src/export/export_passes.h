// ExportPasses: how a fused, element-by-element export (the C++ one) runs a
// program with reductions — in passes over the parameters, as the
// interpreter does (compiled_program.h).
//
// A statement's stage is the first pass in which its value is available:
// inputs and literals 0; an elementwise statement the largest stage of its
// arguments; a reduction (norm, global_norm, dot, cosine_sim, and the norm
// inside clip_by_global_norm) is accumulated in the pass of its tensor
// arguments' stage and available one pass later. Pass p runs, element by
// element and in program order, the statements needed by the reductions it
// accumulates (all passes but the last) or by the returned update and state
// (the last pass); a reduction from an earlier pass appears there as a read
// of its result.
//
//   std::vector<ExportPass> passes = PlanPasses(plan);  // 1 + reduction depth
//
// Thread-safety: pure function.
#ifndef HERO_EXPORT_EXPORT_PASSES_H_
#define HERO_EXPORT_EXPORT_PASSES_H_

#include <vector>

#include "src/export/export_plan.h"

namespace hero {

struct ExportPass {
  // Indices into plan.statements, in program order: every statement whose
  // value this pass needs (including reductions read from earlier passes).
  std::vector<int> statements;
  // The reductions accumulated in this pass (a subset of `statements`).
  std::vector<int> accumulates;
  // Per input register w, g, m, v: read in this pass.
  bool reads_input[4] = {false, false, false, false};
};

// True for the statements the generators treat as reductions: norm,
// global_norm, dot, cosine_sim and clip_by_global_norm.
bool IsReduction(OpCode op);

std::vector<ExportPass> PlanPasses(const ExportPlan& plan);

}  // namespace hero

#endif  // HERO_EXPORT_EXPORT_PASSES_H_
