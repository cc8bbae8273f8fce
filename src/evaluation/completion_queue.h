// CompletionQueue: the finished evaluations of an EvaluationPool, waiting
// for Next(), and the count of those submitted and not yet returned — the
// part every pool implementation shares.
//
//   queue_.AddPending();                 // in Submit
//   queue_.Push(std::move(completed));   // from the pool's threads
//   return queue_.Pop(timeout);          // Next
//
// Pop returns nullopt at once when nothing is pending, so a caller can tell
// "nothing pending" from "nothing finished yet".
//
// Thread-safety: thread-safe; its mutex may be taken while holding the
// pool's own (never the other way round).
#ifndef HERO_EVALUATION_COMPLETION_QUEUE_H_
#define HERO_EVALUATION_COMPLETION_QUEUE_H_

#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "src/evaluation/evaluation_pool.h"

namespace hero {

class CompletionQueue {
 public:
  void AddPending() {
    absl::MutexLock lock(&mu_);
    ++pending_;
  }

  void Push(EvaluationPool::Completed completed) {
    absl::MutexLock lock(&mu_);
    done_.push_back(std::move(completed));
  }

  // The oldest finished evaluation, waiting up to `timeout` for one.
  std::optional<EvaluationPool::Completed> Pop(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    if (pending_ == 0) return std::nullopt;
    if (!mu_.AwaitWithTimeout(
            absl::Condition(
                +[](std::deque<EvaluationPool::Completed>* d) {
                  return !d->empty();
                },
                &done_),
            timeout)) {
      return std::nullopt;
    }
    EvaluationPool::Completed c = std::move(done_.front());
    done_.pop_front();
    --pending_;
    return c;
  }

  // Submitted (AddPending) and not yet returned by Pop.
  int pending() const {
    absl::MutexLock lock(&mu_);
    return pending_;
  }

 private:
  mutable absl::Mutex mu_;
  std::deque<EvaluationPool::Completed> done_ ABSL_GUARDED_BY(mu_);
  int pending_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hero

#endif  // HERO_EVALUATION_COMPLETION_QUEUE_H_
