#include "src/optim/program_optimizer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/optim/param_groups.h"
#include "src/program/analysis.h"
#include "src/program/structural_hash.h"

namespace hero {
namespace optim {
namespace {

// True iff the group's weights, and its gradients, are back to back.
bool Contiguous(const ParamGroup& group) {
  for (size_t i = 1; i < group.tensors.size(); ++i) {
    const ParamTensor& a = group.tensors[i - 1];
    const ParamTensor& b = group.tensors[i];
    if (b.weights.data() != a.weights.data() + a.weights.size() ||
        b.grads.data() != a.grads.data() + a.grads.size()) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProgramOptimizer>> ProgramOptimizer::Create(
    const Program& program, std::vector<ParamGroup> groups) {
  absl::StatusOr<Analysis> analysis = Analyze(program);
  if (!analysis.ok()) return analysis.status();
  if (absl::Status s = ValidateParamGroups(groups); !s.ok()) return s;
  std::vector<std::string> slot_names;
  std::array<int, 2> slot = {-1, -1};
  for (int k = 0; k < 2; ++k) {
    if (!analysis->state_is_live[k]) continue;
    slot[k] = static_cast<int>(slot_names.size());
    slot_names.push_back(k == 0 ? "m" : "v");
  }
  std::unique_ptr<ProgramOptimizer> opt(new ProgramOptimizer(
      absl::StrCat("program:", HashToHex(StructuralHash(program, *analysis))),
      std::move(groups), std::move(slot_names)));
  for (const ParamGroup& group : opt->groups_) {
    ParameterLayout layout;
    for (const ParamTensor& t : group.tensors) {
      layout.Add(t.name, static_cast<int64_t>(t.weights.size()));
    }
    absl::StatusOr<std::unique_ptr<Interpreter>> interpreter =
        Interpreter::Create(program, layout);
    if (!interpreter.ok()) return interpreter.status();
    GroupRun run;
    run.interpreter = *std::move(interpreter);
    run.in_place = Contiguous(group);
    if (!run.in_place) {
      run.scratch_w.resize(layout.size());
      run.scratch_g.resize(layout.size());
    }
    run.slot = slot;
    opt->runs_.push_back(std::move(run));
  }
  return opt;
}

ProgramOptimizer::ProgramOptimizer(std::string name,
                                   std::vector<ParamGroup> groups,
                                   std::vector<std::string> slot_names)
    : name_(std::move(name)),
      groups_(std::move(groups)),
      slot_names_(std::move(slot_names)),
      state_(groups_, slot_names_, Precision::kFloat32) {}

StepOutcome ProgramOptimizer::Step(float lr) {
  ++step_;
  StepOutcome outcome;
  for (size_t k = 0; k < groups_.size(); ++k) {
    const ParamGroup& group = groups_[k];
    GroupRun& run = runs_[k];
    StepBuffers buffers;
    if (run.in_place) {
      buffers.w = group.tensors.front().weights.data();
      buffers.g = group.tensors.front().grads.data();
    } else {
      float* w = run.scratch_w.data();
      float* g = run.scratch_g.data();
      for (const ParamTensor& t : group.tensors) {
        w = std::copy(t.weights.begin(), t.weights.end(), w);
        g = std::copy(t.grads.begin(), t.grads.end(), g);
      }
      buffers.w = run.scratch_w.data();
      buffers.g = run.scratch_g.data();
    }
    // A slot the program does not carry is never read or written.
    buffers.m = run.slot[0] >= 0 ? state_.group_f32(k, run.slot[0]) : nullptr;
    buffers.v = run.slot[1] >= 0 ? state_.group_f32(k, run.slot[1]) : nullptr;
    const StepResult result = run.interpreter->Step(
        buffers, {lr * group.lr_scale, group.weight_decay},
        /*apply_update=*/true);
    outcome.finite &= result.finite;
    if (!run.in_place) {
      const float* w = run.scratch_w.data();
      for (const ParamTensor& t : group.tensors) {
        std::copy(w, w + t.weights.size(), t.weights.begin());
        w += t.weights.size();
      }
    }
  }
  return outcome;
}

void ProgramOptimizer::ResetState() {
  state_.Zero();
  step_ = 0;
}

OptimizerState ProgramOptimizer::SaveState() const {
  return state_.Save(name_, step_);
}

absl::Status ProgramOptimizer::LoadState(const OptimizerState& state) {
  absl::StatusOr<int64_t> step = state_.Load(state, name_);
  if (!step.ok()) return step.status();
  step_ = *step;
  return absl::OkStatus();
}

}  // namespace optim
}  // namespace hero
