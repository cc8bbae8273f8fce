#include "src/optim/fused_optimizer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hero {
namespace optim {

absl::Status ValidateThreading(const ThreadingOptions& threading) {
  if (threading.num_threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_threads must be >= 1; got ", threading.num_threads));
  }
  if (threading.min_elements_per_item < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_elements_per_item must be >= 1; got ",
                     threading.min_elements_per_item));
  }
  return absl::OkStatus();
}

FusedOptimizer::FusedOptimizer(std::string name, std::vector<ParamGroup> groups,
                               std::vector<std::string> slot_names,
                               Precision precision,
                               const ThreadingOptions& threading)
    : name_(std::move(name)),
      groups_(std::move(groups)),
      state_(groups_, std::move(slot_names), precision),
      group_lr_(groups_.size(), 0.0f) {
  MakeItems(threading);
  item_finite_.assign(items_.size(), 1);
  if (threading.num_threads > 1) {
    pool_ = std::make_unique<WorkerPool>(threading.num_threads);
  }
}

void FusedOptimizer::MakeItems(const ThreadingOptions& threading) {
  const int threads = threading.num_threads;
  const std::vector<TensorRef>& tensors = state_.tensors();
  for (int t = 0; t < static_cast<int>(tensors.size()); ++t) {
    const ParamTensor& p = groups_[tensors[t].group].tensors[tensors[t].index];
    const int64_t n = static_cast<int64_t>(p.weights.size());
    int64_t piece = n;
    if (threads > 1 && n >= 2 * threading.min_elements_per_item) {
      // Pieces of at least the minimum, a multiple of 16 (whole vector
      // chunks), about one per thread.
      piece = std::max(threading.min_elements_per_item,
                       (n + threads - 1) / threads);
      piece = (piece + 15) / 16 * 16;
    }
    for (int64_t begin = 0; begin < n; begin += piece) {
      Range r;
      r.tensor = t;
      r.w = p.weights.data();
      r.g = p.grads.data();
      r.begin = begin;
      r.end = std::min(n, begin + piece);
      items_.push_back(r);
      item_group_.push_back(tensors[t].group);
    }
  }
}

StepOutcome FusedOptimizer::Step(float lr) {
  ++step_;
  for (size_t k = 0; k < groups_.size(); ++k) {
    group_lr_[k] = lr * groups_[k].lr_scale;
  }
  auto run = [this](int i) {
    const int k = item_group_[i];
    item_finite_[i] =
        UpdateRange(items_[i], group_lr_[k], groups_[k].weight_decay);
  };
  if (pool_ != nullptr) {
    pool_->Run(static_cast<int>(items_.size()), run);
  } else {
    for (int i = 0; i < static_cast<int>(items_.size()); ++i) run(i);
  }
  StepOutcome outcome;
  for (char f : item_finite_) outcome.finite &= f != 0;
  return outcome;
}

void FusedOptimizer::ResetState() {
  state_.Zero();
  step_ = 0;
}

OptimizerState FusedOptimizer::SaveState() const {
  return state_.Save(name_, step_);
}

absl::Status FusedOptimizer::LoadState(const OptimizerState& state) {
  absl::StatusOr<int64_t> step = state_.Load(state, name_);
  if (!step.ok()) return step.status();
  step_ = *step;
  return absl::OkStatus();
}

}  // namespace optim
}  // namespace hero
