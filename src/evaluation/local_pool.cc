#include "src/evaluation/local_pool.h"

#include <utility>

#include "absl/status/status.h"

namespace hero {

absl::StatusOr<std::unique_ptr<LocalEvaluationPool>>
LocalEvaluationPool::Create(int threads, const EvaluatorFactory& factory) {
  if (threads < 1) {
    return absl::InvalidArgumentError("evaluation pool needs >= 1 thread");
  }
  std::vector<std::unique_ptr<Evaluator>> evaluators;
  for (int i = 0; i < threads; ++i) {
    absl::StatusOr<std::unique_ptr<Evaluator>> e = factory();
    if (!e.ok()) return e.status();
    evaluators.push_back(*std::move(e));
  }
  return std::unique_ptr<LocalEvaluationPool>(
      new LocalEvaluationPool(std::move(evaluators)));
}

LocalEvaluationPool::LocalEvaluationPool(
    std::vector<std::unique_ptr<Evaluator>> evaluators)
    : evaluators_(std::move(evaluators)) {
  for (auto& e : evaluators_) {
    workers_.emplace_back([this, ev = e.get()] { WorkerLoop(ev); });
  }
}

LocalEvaluationPool::~LocalEvaluationPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    queue_.clear();
  }
  for (std::thread& t : workers_) t.join();
}

void LocalEvaluationPool::WorkerLoop(Evaluator* evaluator) {
  while (true) {
    Job job;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](LocalEvaluationPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return p->stopping_ || !p->queue_.empty();
          },
          this));
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Completed done;
    done.id = job.id;
    done.result = evaluator->Evaluate(job.request);
    done.evaluated_by = "local";
    done_.Push(std::move(done));
  }
}

int64_t LocalEvaluationPool::Submit(EvalRequest request) {
  done_.AddPending();
  absl::MutexLock lock(&mu_);
  const int64_t id = next_id_++;
  queue_.push_back(Job{id, std::move(request)});
  return id;
}

std::optional<EvaluationPool::Completed> LocalEvaluationPool::Next(
    absl::Duration timeout) {
  return done_.Pop(timeout);
}

int LocalEvaluationPool::pending() const { return done_.pending(); }

}  // namespace hero
