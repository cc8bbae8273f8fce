// Where a command's evaluations run: local threads, or gRPC workers.
//
// `hero search`, `tune`, `compare` and `simplify` train candidates through an
// EvaluationPool; this file owns the flags that choose it and builds it.
//
//   PoolFlags pool_flags;
//   pool_flags.Register(flags);  // --threads
//   ...parse...
//   absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
//       MakeEvaluationPool(pool_flags, task.config.task(), task.spec, use);
#ifndef HERO_CLI_POOL_SETUP_H_
#define HERO_CLI_POOL_SETUP_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proto/search_config.pb.h"
#include "src/cli/flags.h"
#include "src/evaluation/evaluation_pool.h"
#include "src/proxy/task.h"

namespace hero {

struct PoolFlags {
  static constexpr int64_t kNotGiven = std::numeric_limits<int64_t>::min();
  // --threads: local evaluation threads (0 = one per core).
  int64_t threads = kNotGiven;

  // Adds the flags to `flags`; `threads_help` describes --threads for the
  // command.
  void Register(FlagSet& flags, const std::string& threads_help);
  // The local thread count: --threads, else `fallback` (0 = one per core),
  // capped at `max_useful` (> 0) evaluations that can usefully run at once.
  int LocalThreads(int fallback, int max_useful) const;
};

struct PoolUse {
  // Evaluations will ask for test accuracy (the data must include it).
  bool load_test = false;
  // At most this many evaluations can usefully run at once (e.g. the grid's
  // size); 0 = no limit.
  int max_useful = 0;
  // The thread count when --threads is not given (0 = one per core).
  int default_threads = 0;
};

// A pool that trains `spec` (made from `task`, which is what travels to
// workers). Errors: bad flags (InvalidArgument, naming the flag), data that
// cannot be loaded.
absl::StatusOr<std::unique_ptr<EvaluationPool>> MakeEvaluationPool(
    const PoolFlags& flags, const TaskConfig& task, const TaskSpec& spec,
    const PoolUse& use);

// "2 local evaluation threads" / "workers 127.0.0.1:50051,..." for headers.
std::string DescribePool(const PoolFlags& flags, const EvaluationPool& pool);

// What a status line appends about the pool: "" for a local pool, else
// "  workers 2/3 up" plus retries, exclusions and what it waits for.
std::string PoolStatusSuffix(const PoolStats& stats);

}  // namespace hero

#endif  // HERO_CLI_POOL_SETUP_H_
