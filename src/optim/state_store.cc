#include "src/optim/state_store.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace optim {
namespace {

static_assert(ABSL_IS_LITTLE_ENDIAN,
              "saved state is little-endian; add byte swapping here");

StateDtype ToDtype(Precision p) {
  return p == Precision::kFloat32 ? FLOAT32 : BFLOAT16;
}

}  // namespace

StateStore::StateStore(const std::vector<ParamGroup>& groups,
                       std::vector<std::string> slot_names, Precision precision)
    : groups_(groups),
      slot_names_(std::move(slot_names)),
      precision_(precision),
      tensors_(FlatTensors(groups)) {
  int64_t total = 0;
  for (const ParamGroup& group : groups) {
    group_offset_.push_back(total);
    for (const ParamTensor& t : group.tensors) {
      offset_.push_back(total);
      size_.push_back(static_cast<int64_t>(t.weights.size()));
      total += static_cast<int64_t>(t.weights.size());
    }
  }
  for (size_t s = 0; s < slot_names_.size(); ++s) {
    if (precision_ == Precision::kFloat32) {
      f32_.emplace_back(total, 0.0f);
    } else {
      bf16_.emplace_back(total, uint16_t{0});
    }
  }
}

void StateStore::Zero() {
  for (std::vector<float>& s : f32_) std::fill(s.begin(), s.end(), 0.0f);
  for (std::vector<uint16_t>& s : bf16_) std::fill(s.begin(), s.end(), 0);
}

OptimizerState StateStore::Save(absl::string_view optimizer,
                                int64_t step) const {
  OptimizerState state;
  state.set_format_version(kOptimizerStateFormatVersion);
  state.set_optimizer(std::string(optimizer));
  state.set_step(step);
  const size_t element = precision_ == Precision::kFloat32 ? 4 : 2;
  for (int t = 0; t < num_tensors(); ++t) {
    const ParamTensor& p =
        groups_[tensors_[t].group].tensors[tensors_[t].index];
    TensorState* ts = state.add_tensors();
    ts->set_name(p.name);
    for (int64_t d : p.shape) ts->add_shape(d);
    ts->set_group(tensors_[t].group);
    for (int s = 0; s < num_slots(); ++s) {
      StateSlot* slot = ts->add_slots();
      slot->set_name(slot_names_[s]);
      slot->set_dtype(ToDtype(precision_));
      const void* data =
          precision_ == Precision::kFloat32
              ? static_cast<const void*>(f32_[s].data() + offset_[t])
              : static_cast<const void*>(bf16_[s].data() + offset_[t]);
      slot->set_data(static_cast<const char*>(data), size_[t] * element);
    }
  }
  return state;
}

absl::Status StateStore::Check(const OptimizerState& state,
                               absl::string_view optimizer) const {
  if (state.format_version() != kOptimizerStateFormatVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "optimizer state: format version ", state.format_version(),
        "; this build reads version ", kOptimizerStateFormatVersion));
  }
  if (state.optimizer() != optimizer) {
    return absl::InvalidArgumentError(
        absl::StrCat("optimizer state: written by optimizer `",
                     state.optimizer(), "`, loading into `", optimizer, "`"));
  }
  if (state.step() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("optimizer state: step count ", state.step(), " < 0"));
  }
  if (state.tensors_size() != num_tensors()) {
    return absl::InvalidArgumentError(
        absl::StrCat("optimizer state: ", state.tensors_size(),
                     " tensors; the optimizer has ", num_tensors()));
  }
  const size_t element = precision_ == Precision::kFloat32 ? 4 : 2;
  for (int t = 0; t < num_tensors(); ++t) {
    const ParamTensor& p =
        groups_[tensors_[t].group].tensors[tensors_[t].index];
    const TensorState& ts = state.tensors(t);
    if (ts.name() != p.name) {
      return absl::InvalidArgumentError(
          absl::StrCat("optimizer state: tensor ", t, " is `", ts.name(),
                       "`; the optimizer's is `", p.name, "`"));
    }
    const std::vector<int64_t> shape(ts.shape().begin(), ts.shape().end());
    const std::string where =
        absl::StrCat("optimizer state: tensor `", p.name, "`");
    if (shape != p.shape) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": shape ", ShapeString(shape),
                       "; the optimizer's is ", ShapeString(p.shape)));
    }
    if (ts.group() != tensors_[t].group) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": group ", ts.group(), "; the optimizer's is ",
                       tensors_[t].group));
    }
    if (ts.slots_size() != num_slots()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", ts.slots_size(),
                       " state slots; the optimizer keeps ", num_slots()));
    }
    for (int s = 0; s < num_slots(); ++s) {
      const StateSlot& slot = ts.slots(s);
      if (slot.name() != slot_names_[s]) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": slot ", s, " is `", slot.name(),
                         "`; the optimizer's is `", slot_names_[s], "`"));
      }
      if (slot.dtype() != ToDtype(precision_)) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": slot `", slot.name(), "` is ",
            StateDtype_Name(slot.dtype()), "; the optimizer keeps ",
            StateDtype_Name(ToDtype(precision_))));
      }
      if (slot.data().size() != size_[t] * element) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": slot `", slot.name(), "` has ", slot.data().size(),
            " bytes; expected ", size_[t] * element));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> StateStore::Load(const OptimizerState& state,
                                         absl::string_view optimizer) {
  if (absl::Status s = Check(state, optimizer); !s.ok()) return s;
  for (int t = 0; t < num_tensors(); ++t) {
    for (int s = 0; s < num_slots(); ++s) {
      const std::string& data = state.tensors(t).slots(s).data();
      void* dst = precision_ == Precision::kFloat32
                      ? static_cast<void*>(f32(t, s))
                      : static_cast<void*>(bf16(t, s));
      std::memcpy(dst, data.data(), data.size());
    }
  }
  return state.step();
}

}  // namespace optim
}  // namespace hero
