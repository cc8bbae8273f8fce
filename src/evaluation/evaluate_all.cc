#include "src/evaluation/evaluate_all.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hero {

absl::StatusOr<std::vector<EvalResult>> EvaluateAll(
    EvaluationPool& pool, std::vector<EvalRequest> requests,
    const std::function<void(const BatchProgress&)>& progress) {
  if (pool.pending() != 0) {
    return absl::InternalError("EvaluateAll: the pool has other work pending");
  }
  const int total = static_cast<int>(requests.size());
  absl::flat_hash_map<int64_t, int> index_of;
  for (int i = 0; i < total; ++i) {
    index_of[pool.Submit(std::move(requests[i]))] = i;
  }
  std::vector<EvalResult> results(total);
  BatchProgress p;
  p.total = total;
  while (p.done < total) {
    std::optional<EvaluationPool::Completed> c = pool.Next(absl::Seconds(1));
    if (c.has_value()) {
      auto it = index_of.find(c->id);
      if (it == index_of.end()) {
        return absl::InternalError("evaluation pool returned an unknown id");
      }
      if (!c->status.ok()) {
        return absl::Status(
            c->status.code(),
            absl::StrCat("evaluation ", it->second + 1, " of ", total,
                         " could not be done: ", c->status.message()));
      }
      results[it->second] = std::move(c->result);
      index_of.erase(it);
      ++p.done;
    } else if (pool.pending() == 0) {
      return absl::InternalError("evaluation pool lost evaluations");
    }
    if (progress) {
      p.pool = pool.stats();
      progress(p);
    }
  }
  return results;
}

}  // namespace hero
