#include "src/export/export_passes.h"

#include <algorithm>

namespace hero {
namespace {

// The arguments a reduction accumulates over (clip_by_global_norm's
// threshold is only needed where its result is computed).
int ReducedArity(OpCode op) {
  switch (op) {
    case OpCode::kDot:
    case OpCode::kCosineSim:
      return 2;
    default:
      return 1;
  }
}

}  // namespace

bool IsReduction(OpCode op) {
  const OpKind kind = GetOpInfo(op).kind;
  return kind == OpKind::kSegmentReduction ||
         kind == OpKind::kGlobalReduction || kind == OpKind::kGlobalRescale;
}

std::vector<ExportPass> PlanPasses(const ExportPlan& plan) {
  const int n = static_cast<int>(plan.statements.size());
  // stage[s]: first pass with s's value; reduced_in[s]: the pass a
  // reduction accumulates in (-1 for other statements).
  std::vector<int> stage(n, 0), reduced_in(n, -1);
  auto arg_stage = [&](const ExportArg& a) {
    return a.def >= 0 ? stage[a.def] : 0;
  };
  for (int s = 0; s < n; ++s) {
    const ExportStatement& st = plan.statements[s];
    int max_stage = 0;
    for (const ExportArg& a : st.args)
      max_stage = std::max(max_stage, arg_stage(a));
    if (!IsReduction(st.op)) {
      stage[s] = max_stage;
      continue;
    }
    int reduced = 0;
    for (int a = 0; a < ReducedArity(st.op); ++a) {
      reduced = std::max(reduced, arg_stage(st.args[a]));
    }
    reduced_in[s] = reduced;
    stage[s] = std::max(reduced + 1, max_stage);
  }
  int last = 0;
  std::vector<int> outputs = {plan.update};
  for (int k = 0; k < 2; ++k) {
    if (plan.slot_out[k] >= 0) outputs.push_back(plan.slot_out[k]);
  }
  for (int s : outputs) last = std::max(last, stage[s]);

  std::vector<ExportPass> passes(last + 1);
  for (int p = 0; p <= last; ++p) {
    ExportPass& pass = passes[p];
    std::vector<bool> needed(n, false);
    std::vector<int> work;  // Statements whose values the pass needs.
    auto need_args = [&](int s, int arity) {
      for (int a = 0; a < arity; ++a) {
        const ExportArg& arg = plan.statements[s].args[a];
        if (arg.def >= 0) {
          work.push_back(arg.def);
        } else if (arg.input >= 0 && arg.input < 4) {
          pass.reads_input[arg.input] = true;
        }
      }
    };
    if (p < last) {
      for (int s = 0; s < n; ++s) {
        if (reduced_in[s] != p) continue;
        needed[s] = true;
        pass.accumulates.push_back(s);
        need_args(s, ReducedArity(plan.statements[s].op));
      }
    } else {
      work = outputs;
    }
    while (!work.empty()) {
      const int s = work.back();
      work.pop_back();
      if (needed[s]) continue;
      needed[s] = true;
      const ExportStatement& st = plan.statements[s];
      if (IsReduction(st.op)) {
        // Read from an earlier pass (nothing in pass p reads a reduction
        // accumulated in p); clip_by_global_norm also scales its argument
        // here.
        if (st.op == OpCode::kClipByGlobalNorm) need_args(s, 2);
        continue;
      }
      need_args(s, static_cast<int>(st.args.size()));
    }
    for (int s = 0; s < n; ++s) {
      if (needed[s]) pass.statements.push_back(s);
    }
  }
  return passes;
}

}  // namespace hero
