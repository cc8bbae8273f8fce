// AdamW as the paper's Step 1 writes it (configs/programs/adamw.py, the
// search's warm start), as a native, fused, vectorized loop; optionally with
// PyTorch-style bias correction.
//
//   m ← interpolate(g, m, β1)                 # (1 − β1)·g + β1·m
//   v ← interpolate(g·g, v, β2)
//   update = (m / (sqrt(|v|) + eps) + λ·w) · lr
//   w ← w − update
//
//   AdamWOptions options;                     // β1 0.9, β2 0.999, eps 1e-8
//   absl::StatusOr<std::unique_ptr<AdamW>> adamw = AdamW::Create(groups,
//   options);
//   (*adamw)->Step(lr);
//
// By default there is no bias correction, as in the paper's program (the
// paper reports it makes little difference); with bias_correction the
// update uses m / (1 − β1^t) and sqrt(|v|) / sqrt(1 − β2^t) + eps at step t,
// as PyTorch's torch.optim.AdamW does.
//
// Exactness: with the defaults (float32 state, no bias correction) every
// Step gives bit for bit what the interpreter gives running adamw.py
// (tests/optim/adamw_parity_test.cc).
//
// Memory: two state slots, `m` and `v` (float32, or bfloat16 with
// state_precision). A Step reads w, g, m, v and writes w, m, v: 28 bytes
// per parameter (20 with bfloat16), one pass.
//
// Thread-safety and ownership: as Optimizer (optimizer.h).
#ifndef HERO_OPTIM_ADAMW_H_
#define HERO_OPTIM_ADAMW_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "src/optim/fused_kernels.h"
#include "src/optim/fused_optimizer.h"

namespace hero {
namespace optim {

struct AdamWOptions {
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  // Added to the square root of v (hero's division adds 1e-8 anyway).
  float eps = 1e-8f;
  bool bias_correction = false;
  // Ascend the objective instead (g is negated).
  bool maximize = false;
  // Storage of m and v: float32, or bfloat16 (round to nearest even).
  Precision state_precision = Precision::kFloat32;
  ThreadingOptions threading;
};

class AdamW final : public FusedOptimizer {
 public:
  // InvalidArgument if the groups break optimizer.h's invariants (naming the
  // tensor), a beta is outside [0, 1), eps is negative or not finite, or
  // threading is out of range.
  static absl::StatusOr<std::unique_ptr<AdamW>> Create(
      std::vector<ParamGroup> groups, const AdamWOptions& options);
  static absl::StatusOr<std::unique_ptr<AdamW>> Create(
      std::vector<ParamGroup> groups) {
    return Create(std::move(groups), AdamWOptions());
  }

  const AdamWOptions& options() const { return options_; }

 private:
  AdamW(std::vector<ParamGroup> groups, const AdamWOptions& options);
  bool UpdateRange(const Range& range, float lr, float lam) override;

  const AdamWOptions options_;
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_ADAMW_H_
