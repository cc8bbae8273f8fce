// EvaluationPool: evaluations in flight, collected as they finish.
//
// The asynchronous search keeps K evaluations in flight: it submits
// candidates and, whenever one finishes, takes its result and submits the
// next. A pool may run evaluations on local threads (LocalEvaluationPool) or
// on remote workers (src/distributed/grpc_pool.h).
//
//   int64_t id = pool->Submit(request);
//   std::optional<EvaluationPool::Completed> done =
//       pool->Next(absl::Seconds(1));       // nullopt: nothing yet
//   if (done && !done->status.ok()) { /* could not be evaluated */ }
//
// Two kinds of outcome. An evaluation that ran gives `status` OK and an
// EvalResult that is the program's own: OK with its accuracies, or FAILED
// with the program's reason (it diverged). An evaluation that could not be
// done — every try on a worker failed for reasons outside the program (the
// worker died, hung, answered garbage, refused the request) — gives a
// non-OK `status` and an empty result. Callers must not record the second
// kind as the program's failure or cache it. Local pools never produce it.
//
// Thread-safety: Submit, Next, pending, parallelism and stats are called
// from one thread (the search's); the pool does the work on its own threads.
#ifndef HERO_EVALUATION_EVALUATION_POOL_H_
#define HERO_EVALUATION_EVALUATION_POOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "src/evaluation/evaluator.h"

namespace hero {

// What a pool can say about itself for status lines and run summaries.
// A local pool reports no workers (workers_total = 0).
struct PoolStats {
  int workers_up = 0;      // Connected, compatible, not excluded.
  int workers_total = 0;   // Known addresses (resolved names included).
  int slots_up = 0;        // Evaluation slots of the workers that are up.
  int64_t retries = 0;     // Tries re-sent after a failed try.
  int64_t exclusions = 0;  // Times a worker was excluded for failing.
  int64_t late_answers_dropped = 0;  // Answers to tries already given up.
  int64_t errors = 0;  // Evaluations given up (non-OK Completed::status).
  // Non-empty while submitted work cannot go anywhere, e.g.
  // "no worker reachable (3 known)"; empty otherwise.
  std::string waiting;
};

class EvaluationPool {
 public:
  struct Completed {
    int64_t id = -1;
    // OK: `result` is the evaluation's outcome. Otherwise the evaluation
    // could not be done (see the file comment) and `result` is empty.
    absl::Status status;
    EvalResult result;
    // Who evaluated it: "local", or the worker's name ("host:port").
    std::string evaluated_by;
    // Tries it took (1 unless a worker failed on it).
    int attempts = 1;
  };

  virtual ~EvaluationPool() = default;

  // Queues `request`; returns its id (0, 1, 2, ... in submission order).
  // Never blocks.
  virtual int64_t Submit(EvalRequest request) = 0;

  // Blocks until a submitted evaluation finishes or `timeout` passes, and
  // returns it (in completion order). Returns nullopt iff nothing is
  // pending or the timeout passed first.
  virtual std::optional<Completed> Next(absl::Duration timeout) = 0;
  std::optional<Completed> Next() { return Next(absl::InfiniteDuration()); }

  // Submitted and not yet returned by Next.
  virtual int pending() const = 0;

  // How many evaluations can run at once right now (>= 0; a remote pool's
  // changes as workers come and go).
  virtual int parallelism() const = 0;

  virtual PoolStats stats() const { return PoolStats(); }

  // Messages for the user's log since the last call, oldest first (e.g. a
  // remote pool's "worker 10.0.0.7:50051 down: ..."); none for a local pool.
  virtual std::vector<std::string> TakeEvents() { return {}; }
};

}  // namespace hero

#endif  // HERO_EVALUATION_EVALUATION_POOL_H_
