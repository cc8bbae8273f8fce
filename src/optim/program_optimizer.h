// ProgramOptimizer: any optimizer program, run by the interpreter, behind
// the Optimizer interface — so a training loop written against Optimizer
// can train with a discovered program exactly as with the native Lion.
//
//   absl::StatusOr<Program> program = ReadProgramFile("best.py");
//   absl::StatusOr<std::unique_ptr<ProgramOptimizer>> opt =
//       ProgramOptimizer::Create(*program, groups);
//   (*opt)->Step(lr);  // w ← w − update, m and v advanced
//
// Each parameter group is one application of the program: one interpreter
// over the group's tensors (one segment each, so `norm` is per tensor), with
// the group's lr (Step's lr times lr_scale) and λ (weight_decay) as the
// program's `lr` and `λ`. Reductions (global_norm, dot, cosine_sim,
// clip_by_global_norm) therefore span the tensors of one group — all of the
// model's with a single group. The results are the interpreter's, bit for
// bit, whatever the grouping into Step calls.
//
// State: the program's live slots only (Analysis::state_is_live; "m", "v"),
// float32, one contiguous buffer per group and slot. When a group's weights
// (and its gradients) are contiguous, back to back in tensor order — as a
// model's flat parameter buffer is — the interpreter runs on them in place;
// otherwise Step copies them into a scratch buffer and the new weights back.
// name() is "program:<structural hash>" (structural_hash.h), so saved state
// loads only into the same program (up to names and dead code).
//
// Thread-safety and ownership: as Optimizer (optimizer.h); Step runs on the
// calling thread and does not allocate.
#ifndef HERO_OPTIM_PROGRAM_OPTIMIZER_H_
#define HERO_OPTIM_PROGRAM_OPTIMIZER_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/interpreter/interpreter.h"
#include "src/optim/optimizer.h"
#include "src/optim/state_store.h"
#include "src/program/program.h"

namespace hero {
namespace optim {

class ProgramOptimizer final : public Optimizer {
 public:
  // InvalidArgument if the program is invalid (Analyze's message, with the
  // position) or the groups break optimizer.h's invariants.
  static absl::StatusOr<std::unique_ptr<ProgramOptimizer>> Create(
      const Program& program, std::vector<ParamGroup> groups);

  StepOutcome Step(float lr) override;
  void ResetState() override;
  OptimizerState SaveState() const override;
  absl::Status LoadState(const OptimizerState& state) override;
  absl::string_view name() const override { return name_; }
  const std::vector<ParamGroup>& groups() const override { return groups_; }
  int64_t step_count() const override { return step_; }

  // The live state slots, of "m" and "v".
  const std::vector<std::string>& slot_names() const { return slot_names_; }

 private:
  struct GroupRun {
    std::unique_ptr<Interpreter> interpreter;
    // Where the interpreter reads w and g: the caller's buffers if the
    // group's tensors are contiguous, else scratch (copied in and out).
    bool in_place = true;
    std::vector<float> scratch_w, scratch_g;
    // Per program slot m, v: its index in the state store, or -1.
    std::array<int, 2> slot = {-1, -1};
  };

  ProgramOptimizer(std::string name, std::vector<ParamGroup> groups,
                   std::vector<std::string> slot_names);

  const std::string name_;
  const std::vector<ParamGroup> groups_;
  const std::vector<std::string> slot_names_;
  StateStore state_;
  std::vector<GroupRun> runs_;
  int64_t step_ = 0;
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_PROGRAM_OPTIMIZER_H_
