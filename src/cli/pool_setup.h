// Where a command's evaluations run: local threads, or gRPC workers.
//
// `hero search`, `tune`, `compare` and `simplify` train candidates through an
// EvaluationPool; this file owns the flags that choose it and builds it.
//
//   PoolFlags pool_flags;
//   pool_flags.Register(flags, "evaluations run side by side");
//   ...parse...
//   PoolUse use;
//   use.load_test = true;
//   absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
//       MakeEvaluationPool(pool_flags, task.config.task(), task.spec, use);
//
// Without --workers the pool is a LocalEvaluationPool of --threads threads.
// With --workers it is a GrpcEvaluationPool: the flags' TLS files are read
// and checked first (a bad one is an InvalidArgument naming it), the
// coordinator's own semantics fingerprint and dataset checksum are what
// the workers must match, and the first probes are awaited for a few
// seconds so that the workers found up, down or refused are reported
// before the work starts.
#ifndef HERO_CLI_POOL_SETUP_H_
#define HERO_CLI_POOL_SETUP_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proto/search_config.pb.h"
#include "src/cli/flags.h"
#include "src/cli/progress.h"
#include "src/evaluation/evaluation_pool.h"
#include "src/proxy/task.h"

namespace hero {

struct PoolFlags {
  static constexpr int64_t kNotGiven = std::numeric_limits<int64_t>::min();
  // --threads: local evaluation threads (0 = one per core).
  int64_t threads = kNotGiven;
  // --workers and the client side of the transport.
  std::string workers;
  std::string tls_ca, tls_cert, tls_key, token_file;
  bool insecure = false;
  double eval_deadline = 0;  // Seconds; 0 = automatic.
  int64_t max_tries = 4;

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
// workers). Errors: bad flags or TLS files (InvalidArgument, naming the
// flag or file), data that cannot be loaded.
absl::StatusOr<std::unique_ptr<EvaluationPool>> MakeEvaluationPool(
    const PoolFlags& flags, const TaskConfig& task, const TaskSpec& spec,
    const PoolUse& use);

// "2 local evaluation threads" / "workers 127.0.0.1:50051,..." for headers.
std::string DescribePool(const PoolFlags& flags, const EvaluationPool& pool);

// What a status line appends about the pool: "" for a local pool, else
// "  workers 2/3 up" plus retries, exclusions and what it waits for.
std::string PoolStatusSuffix(const PoolStats& stats);

// Prints the pool's events (workers up, down, refused...) on stderr, above
// the live `progress` line.
void PrintPoolEvents(EvaluationPool& pool, ProgressLine& progress);

}  // namespace hero

#endif  // HERO_CLI_POOL_SETUP_H_
