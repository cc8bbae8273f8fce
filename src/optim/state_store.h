// StateStore: the state slots of an optimizer (momentum `m`, second moment
// `v`, ...) for every parameter tensor, and their saved form.
//
// Each slot of each parameter group is one contiguous, zero-initialised
// buffer in float32 or bfloat16, with the group's tensors at consecutive
// offsets (so a group's slot can be handed to the interpreter as one flat
// buffer). Only the slots an optimizer names are allocated: Lion keeps "m",
// AdamW "m" and "v".
//
//   StateStore state(groups, {"m"}, Precision::kFloat32);
//   float* m = state.f32(/*tensor=*/3, /*slot=*/0);  // tensor 3's momentum
//   OptimizerState saved = state.Save("lion", step);
//   absl::StatusOr<int64_t> step = state.Load(saved, "lion");
//
// Load refuses (InvalidArgument, naming the difference; the store is left
// unchanged) a state of another format version or optimizer, or whose
// tensors (count, order, names, shapes, groups), slots (names, order) or
// dtypes differ. Float32 data round-trips bit for bit; data is written
// little-endian.
//
// Thread-safety: not thread-safe; distinct tensors' buffers may be written
// from different threads.
#ifndef HERO_OPTIM_STATE_STORE_H_
#define HERO_OPTIM_STATE_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/optimizer_state.pb.h"
#include "src/optim/bf16.h"
#include "src/optim/optimizer.h"
#include "src/optim/param_groups.h"

namespace hero {
namespace optim {

// The value of OptimizerState.format_version this code writes and reads.
inline constexpr uint32_t kOptimizerStateFormatVersion = 1;

class StateStore {
 public:
  // REQUIRES: ValidateParamGroups(groups) succeeded.
  StateStore(const std::vector<ParamGroup>& groups,
             std::vector<std::string> slot_names, Precision precision);

  int num_slots() const { return static_cast<int>(slot_names_.size()); }
  int num_tensors() const { return static_cast<int>(tensors_.size()); }
  Precision precision() const { return precision_; }
  const std::vector<TensorRef>& tensors() const { return tensors_; }

  // Tensor `t`'s (flat index) elements of slot `s`.
  // REQUIRES: precision() is kFloat32 (f32) or kBfloat16 (bf16).
  float* f32(int t, int s) { return f32_[s].data() + offset_[t]; }
  uint16_t* bf16(int t, int s) { return bf16_[s].data() + offset_[t]; }
  // Group g's whole slot `s` (its tensors back to back), float32.
  float* group_f32(int g, int s) { return f32_[s].data() + group_offset_[g]; }

  void Zero();

  OptimizerState Save(absl::string_view optimizer, int64_t step) const;
  // Loads `state`, returning its step count.
  absl::StatusOr<int64_t> Load(const OptimizerState& state,
                               absl::string_view optimizer);

 private:
  absl::Status Check(const OptimizerState& state,
                     absl::string_view optimizer) const;

  const std::vector<ParamGroup>& groups_;
  std::vector<std::string> slot_names_;
  Precision precision_;
  std::vector<TensorRef> tensors_;
  std::vector<int64_t> offset_;        // Per tensor, within all slots.
  std::vector<int64_t> size_;          // Per tensor.
  std::vector<int64_t> group_offset_;  // Per group.
  // Per slot: all tensors' elements.
  std::vector<std::vector<float>> f32_;
  std::vector<std::vector<uint16_t>> bf16_;
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_STATE_STORE_H_
