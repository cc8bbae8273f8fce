// Lion (EvoLved Sign Momentum), the optimizer hero's search rediscovers:
// the paper's Step 3 program, configs/programs/hero_lion.py, as a native,
// fused, vectorized loop.
//
//   c = interpolate(g, m, β1)          # (1 − β1)·g + β1·m
//   update = (sign(c) + λ·w) · lr      # decoupled weight decay, times lr
//   w ← w − update
//   m ← interpolate(g, m, β2)
//
//   LionOptions options;                    // β1 0.9, β2 0.99 (the paper's)
//   absl::StatusOr<std::unique_ptr<Lion>> lion = Lion::Create(groups, options);
//   (*lion)->Step(lr);
//
// Choosing lr and λ (the paper's guidance, its Table 5): the update is a
// sign, so every element moves by a full lr, more than under AdamW — use a
// learning rate 3–10x smaller than you would for AdamW and, since the decay
// is scaled by lr too, a weight decay λ 3–10x larger, so that the effective
// decay lr·λ stays about the same (e.g. AdamW lr 3e-3, λ 0.1 → Lion lr
// 3e-4, λ 1.0). The paper fixes β1 = 0.9, β2 = 0.99 for every task.
//
// Exactness: with float32 momentum, every Step gives bit for bit what the
// interpreter gives running hero_lion.py with the group's lr and λ
// (tests/optim/lion_parity_test.cc): the same float32 operations in the same
// order, 1 − β rounded to float32 first, sign(±0) = +0, sign(NaN) = NaN, no
// fused multiply-add, denormals kept.
//
// Memory: one state slot, `m` (float32, or bfloat16 with
// momentum_precision: 2 bytes per parameter instead of 4, rounded to
// nearest even after each step). A Step reads w, g, m and writes w, m: 20
// bytes per parameter (16 with bfloat16), one pass.
//
// Thread-safety and ownership: as Optimizer (optimizer.h).
#ifndef HERO_OPTIM_LION_H_
#define HERO_OPTIM_LION_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "src/optim/fused_kernels.h"
#include "src/optim/fused_optimizer.h"

namespace hero {
namespace optim {

struct LionOptions {
  // Interpolation weight of the momentum in the update direction.
  float beta1 = 0.9f;
  // Interpolation weight of the momentum in its own update.
  float beta2 = 0.99f;
  // Ascend the objective instead (g is negated).
  bool maximize = false;
  // Storage of the momentum: float32, or bfloat16 (round to nearest even).
  Precision momentum_precision = Precision::kFloat32;
  // Worker threads for large tensors (threads >= 2 pay off from a few
  // million parameters; see docs/PERFORMANCE.md).
  ThreadingOptions threading;
};

class Lion final : public FusedOptimizer {
 public:
  // InvalidArgument if the groups break optimizer.h's invariants (naming the
  // tensor), a beta is outside [0, 1] or threading is out of range.
  static absl::StatusOr<std::unique_ptr<Lion>> Create(
      std::vector<ParamGroup> groups, const LionOptions& options);
  static absl::StatusOr<std::unique_ptr<Lion>> Create(
      std::vector<ParamGroup> groups) {
    return Create(std::move(groups), LionOptions());
  }

  const LionOptions& options() const { return options_; }

 private:
  Lion(std::vector<ParamGroup> groups, const LionOptions& options);
  bool UpdateRange(const Range& range, float lr, float lam) override;

  const LionOptions options_;
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_LION_H_
