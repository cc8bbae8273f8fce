// EvaluationPool: evaluations in flight, collected as they finish.
//
// The asynchronous search keeps K evaluations in flight: it submits
// candidates and, whenever one finishes, takes its result and submits the
// next. A pool may run evaluations on local threads (LocalEvaluationPool) or
// on remote workers.
//
//   int64_t id = pool->Submit(request);
//   std::optional<EvaluationPool::Completed> done = pool->Next();  // blocks
//
// Thread-safety: Submit and Next are called from one thread (the search's);
// the pool does the work on its own threads.
#ifndef HERO_EVALUATION_EVALUATION_POOL_H_
#define HERO_EVALUATION_EVALUATION_POOL_H_

#include <cstdint>
#include <optional>

#include "src/evaluation/evaluator.h"

namespace hero {

class EvaluationPool {
 public:
  struct Completed {
    int64_t id = -1;
    EvalResult result;
  };

  virtual ~EvaluationPool() = default;

  // Queues `request`; returns its id (0, 1, 2, ... in submission order).
  // Never blocks.
  virtual int64_t Submit(EvalRequest request) = 0;

  // Blocks until a submitted evaluation finishes and returns it (in
  // completion order). Returns nullopt iff nothing is pending.
  virtual std::optional<Completed> Next() = 0;

  // Submitted and not yet returned by Next.
  virtual int pending() const = 0;

  // How many evaluations run at once.
  virtual int parallelism() const = 0;
};

}  // namespace hero

#endif  // HERO_EVALUATION_EVALUATION_POOL_H_
