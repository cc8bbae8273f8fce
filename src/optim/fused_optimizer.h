// FusedOptimizer: what the native optimizers (Lion, AdamW) share — the
// groups, the state store, the step count, state I/O, and the split of the
// tensors into work items run on worker threads. A subclass supplies the
// update of a range of one tensor (a fused loop, fused_kernels.h).
//
//   class Lion final : public FusedOptimizer {
//     bool UpdateRange(const Range& r, float lr, float lam) override;
//   };
//
// Work items: with one thread, each tensor is one item. With T > 1 threads,
// a tensor of at least 2 × min_elements_per_item elements is cut into
// pieces of at least min_elements_per_item (multiples of 16) so that every
// thread gets a share; smaller tensors stay whole. Every element is updated
// exactly once per Step, and elements are independent, so the results do
// not depend on the thread count.
//
// Thread-safety: as Optimizer (one call at a time). Step does not allocate.
#ifndef HERO_OPTIM_FUSED_OPTIMIZER_H_
#define HERO_OPTIM_FUSED_OPTIMIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/optim/bf16.h"
#include "src/optim/optimizer.h"
#include "src/optim/state_store.h"
#include "src/optim/worker_pool.h"

namespace hero {
namespace optim {

struct ThreadingOptions {
  // Threads a Step runs on (the caller's included); >= 1.
  int num_threads = 1;
  // Tensors are only split into pieces of at least this many elements.
  int64_t min_elements_per_item = int64_t{1} << 18;
};

class FusedOptimizer : public Optimizer {
 public:
  StepOutcome Step(float lr) final;
  void ResetState() final;
  OptimizerState SaveState() const final;
  absl::Status LoadState(const OptimizerState& state) final;
  absl::string_view name() const final { return name_; }
  const std::vector<ParamGroup>& groups() const final { return groups_; }
  int64_t step_count() const final { return step_; }

  // The number of work items a Step runs (for tests).
  int num_work_items() const { return static_cast<int>(items_.size()); }

 protected:
  // Elements [begin, end) of one tensor (flat index, param_groups.h).
  struct Range {
    int tensor = 0;
    float* w = nullptr;
    const float* g = nullptr;
    int64_t begin = 0;
    int64_t end = 0;
  };

  // REQUIRES: ValidateParamGroups(groups) succeeded; threading.num_threads
  // >= 1 and min_elements_per_item >= 1.
  FusedOptimizer(std::string name, std::vector<ParamGroup> groups,
                 std::vector<std::string> slot_names, Precision precision,
                 const ThreadingOptions& threading);

  // Updates the range with the group's lr (already scaled) and λ; returns
  // whether every update and state value written is finite. Called from
  // worker threads, for disjoint ranges. step_count() is already this
  // step's (1-based) number.
  virtual bool UpdateRange(const Range& range, float lr, float lam) = 0;

  StateStore& state() { return state_; }

 private:
  void MakeItems(const ThreadingOptions& threading);

  const std::string name_;
  const std::vector<ParamGroup> groups_;
  StateStore state_;
  std::vector<Range> items_;
  std::vector<int> item_group_;
  // Per item: the finiteness of its last update (char, not bool: written
  // from different threads).
  std::vector<char> item_finite_;
  // Per group: this step's lr.
  std::vector<float> group_lr_;
  std::unique_ptr<WorkerPool> pool_;  // Null with one thread.
  int64_t step_ = 0;
};

// InvalidArgument unless num_threads >= 1 and min_elements_per_item >= 1.
absl::Status ValidateThreading(const ThreadingOptions& threading);

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_FUSED_OPTIMIZER_H_
