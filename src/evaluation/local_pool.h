// LocalEvaluationPool: an EvaluationPool over N local threads, each with its
// own Evaluator (each evaluation runs on one thread; parallelism comes from
// evaluations side by side).
//
//   absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
//       LocalEvaluationPool::Create(/*threads=*/2, factory);
//
// Every Completed has status OK and evaluated_by "local". Destruction waits
// for running evaluations to finish and drops queued ones.
#ifndef HERO_EVALUATION_LOCAL_POOL_H_
#define HERO_EVALUATION_LOCAL_POOL_H_

#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "src/evaluation/completion_queue.h"
#include "src/evaluation/evaluation_pool.h"

namespace hero {

class LocalEvaluationPool : public EvaluationPool {
 public:
  // Makes `threads` (>= 1) evaluators with `factory` before returning, so a
  // factory error (e.g. missing data) surfaces here.
  static absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> Create(
      int threads, const EvaluatorFactory& factory);

  ~LocalEvaluationPool() override;
  LocalEvaluationPool(const LocalEvaluationPool&) = delete;
  LocalEvaluationPool& operator=(const LocalEvaluationPool&) = delete;

  int64_t Submit(EvalRequest request) override;
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration timeout) override;
  int pending() const override;
  int parallelism() const override { return static_cast<int>(workers_.size()); }

 private:
  struct Job {
    int64_t id;
    EvalRequest request;
  };

  explicit LocalEvaluationPool(
      std::vector<std::unique_ptr<Evaluator>> evaluators);
  void WorkerLoop(Evaluator* evaluator);

  std::vector<std::unique_ptr<Evaluator>> evaluators_;
  std::vector<std::thread> workers_;
  mutable absl::Mutex mu_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  CompletionQueue done_;
};

}  // namespace hero

#endif  // HERO_EVALUATION_LOCAL_POOL_H_
