#include "src/cli/pool_setup.h"

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"

namespace hero {

void PoolFlags::Register(FlagSet& flags, const std::string& threads_help) {
  flags.AddInt("threads", &threads, threads_help);
}

int PoolFlags::LocalThreads(int fallback, int max_useful) const {
  int n = threads != kNotGiven ? static_cast<int>(threads) : fallback;
  if (n <= 0) n = std::max(1u, std::thread::hardware_concurrency());
  if (max_useful > 0) n = std::min(n, max_useful);
  return n;
}

absl::StatusOr<std::unique_ptr<EvaluationPool>> MakeEvaluationPool(
    const PoolFlags& flags, const TaskConfig& task, const TaskSpec& spec,
    const PoolUse& use) {
  (void)task;
  if (flags.threads != PoolFlags::kNotGiven && flags.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be >= 0, got ", flags.threads));
  }
  absl::StatusOr<EvaluatorFactory> factory =
      MakeProxyEvaluatorFactory(spec, use.load_test);
  if (!factory.ok()) return factory.status();
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(
          flags.LocalThreads(use.default_threads, use.max_useful), *factory);
  if (!pool.ok()) return pool.status();
  return std::unique_ptr<EvaluationPool>(*std::move(pool));
}

std::string DescribePool(const PoolFlags& flags, const EvaluationPool& pool) {
  (void)flags;
  const int n = pool.parallelism();
  return absl::StrCat(n, " local evaluation thread", n == 1 ? "" : "s");
}

std::string PoolStatusSuffix(const PoolStats& stats) {
  if (stats.workers_total == 0) return "";
  std::string out = absl::StrCat("  workers ", stats.workers_up, "/",
                                 stats.workers_total, " up");
  if (stats.retries > 0) absl::StrAppend(&out, ", ", stats.retries, " retried");
  if (stats.exclusions > 0) {
    absl::StrAppend(&out, ", ", stats.exclusions, " excluded");
  }
  if (stats.errors > 0) absl::StrAppend(&out, ", ", stats.errors, " errors");
  if (!stats.waiting.empty()) absl::StrAppend(&out, " — ", stats.waiting);
  return out;
}

}  // namespace hero
