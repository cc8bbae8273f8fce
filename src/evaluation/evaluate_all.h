// EvaluateAll: submit a batch to an EvaluationPool and wait for all of it.
//
// `hero tune` (the grid), `hero compare`, the simplifier's ablation rounds and
// the search's funnel all evaluate a fixed set of requests side by side and
// need every result before going on; this is that loop, once.
//
//   absl::StatusOr<std::vector<EvalResult>> results = EvaluateAll(
//       *pool, std::move(requests), [](const BatchProgress& p) {
//         std::cerr << p.done << "/" << p.total << "\n";
//       });
//
// Results come back in request order. While it waits, `progress` is called
// after every finished evaluation and at least once a second (so a display
// can show that no worker is reachable). If an evaluation could not be done
// (a non-OK EvaluationPool::Completed::status: the pool's workers failed on
// it), EvaluateAll returns that error, naming the request; the results of
// the others are lost — none of these callers can decide without all of
// them. It never returns a partial vector. After an error the pool may
// still hold the batch's other evaluations: callers end there.
//
// REQUIRES: nothing else is pending in `pool` (results are matched by the
// ids this call submitted; anything else returned by Next is an error).
// Thread-safety: drives `pool` from the calling thread only.
#ifndef HERO_EVALUATION_EVALUATE_ALL_H_
#define HERO_EVALUATION_EVALUATE_ALL_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "src/evaluation/evaluation_pool.h"

namespace hero {

struct BatchProgress {
  int done = 0;   // Evaluations finished.
  int total = 0;  // Evaluations submitted by this call.
  PoolStats pool;
};

absl::StatusOr<std::vector<EvalResult>> EvaluateAll(
    EvaluationPool& pool, std::vector<EvalRequest> requests,
    const std::function<void(const BatchProgress&)>& progress = nullptr);

}  // namespace hero

#endif  // HERO_EVALUATION_EVALUATE_ALL_H_
