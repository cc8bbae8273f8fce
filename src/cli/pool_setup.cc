#include "src/cli/pool_setup.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "src/distributed/compatibility.h"
#include "src/distributed/grpc_pool.h"
#include "src/distributed/security.h"
#include "src/distributed/targets.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"

namespace hero {
namespace {

absl::StatusOr<std::unique_ptr<EvaluationPool>> MakeRemotePool(
    const PoolFlags& flags, const TaskConfig& task, const TaskSpec& spec) {
  if (flags.threads != PoolFlags::kNotGiven) {
    return absl::InvalidArgumentError(
        "--threads is for local evaluation; with --workers, each worker's "
        "own --threads sets how many evaluations it runs");
  }
  if (!(flags.eval_deadline >= 0) || !std::isfinite(flags.eval_deadline)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--eval_deadline must be >= 0 seconds, got ", flags.eval_deadline));
  }
  if (flags.max_tries < 1 || flags.max_tries > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_tries must be in [1, 100], got ", flags.max_tries));
  }
  absl::StatusOr<std::vector<WorkerTarget>> targets =
      ParseWorkerTargets(flags.workers);
  if (!targets.ok()) return targets.status();
  std::vector<std::string> hosts;
  for (const WorkerTarget& t : *targets) hosts.push_back(t.host);
  ClientSecurityOptions security;
  security.tls_ca = flags.tls_ca;
  security.tls_cert = flags.tls_cert;
  security.tls_key = flags.tls_key;
  security.token_file = flags.token_file;
  security.insecure = flags.insecure;
  absl::StatusOr<ClientSecurity> credentials =
      MakeClientSecurity(security, hosts);
  if (!credentials.ok()) return credentials.status();
  absl::StatusOr<std::string> dataset = DatasetChecksum(spec.data.data_dir);
  if (!dataset.ok()) return dataset.status();

  GrpcPoolOptions options;
  options.targets = *std::move(targets);
  options.security = *std::move(credentials);
  options.task = task;
  options.expected_semantics = SemanticsFingerprint();
  options.expected_dataset = *dataset;
  options.deadline = absl::Seconds(flags.eval_deadline);
  options.max_tries = static_cast<int>(flags.max_tries);
  absl::StatusOr<std::unique_ptr<GrpcEvaluationPool>> pool =
      GrpcEvaluationPool::Create(std::move(options));
  if (!pool.ok()) return pool.status();
  (*pool)->WaitForFirstProbes(absl::Seconds(5));
  for (const std::string& e : (*pool)->TakeEvents()) {
    std::cerr << "hero: " << e << "\n";
  }
  return std::unique_ptr<EvaluationPool>(*std::move(pool));
}

}  // namespace

void PoolFlags::Register(FlagSet& flags, const std::string& threads_help) {
  flags.AddInt("threads", &threads, threads_help);
  flags.AddString("workers", &workers,
                  "evaluate on gRPC workers (`hero worker`) instead of local "
                  "threads: comma-separated host:port or dns:///name:port "
                  "(re-resolved, for Kubernetes headless Services)");
  flags.AddString("tls_ca", &tls_ca,
                  "with --workers: CA certificate(s) (PEM) that signed the "
                  "workers' certificates; turns TLS on");
  flags.AddString("tls_cert", &tls_cert,
                  "with --tls_ca: client certificate (PEM), for workers that "
                  "require mutual TLS");
  flags.AddString("tls_key", &tls_key, "the client certificate's key (PEM)");
  flags.AddString("token_file", &token_file,
                  "with TLS: send the bearer token in this file");
  flags.AddBool("insecure", &insecure,
                "allow plaintext to workers that are not on this machine");
  flags.AddDouble("eval_deadline", &eval_deadline,
                  "with --workers: seconds one evaluation may take on a "
                  "worker before it is tried elsewhere (0 = 10x the first "
                  "evaluation's time, at least 60)");
  flags.AddInt("max_tries", &max_tries,
               "with --workers: failed tries (worker died, hung, answered "
               "garbage) before a candidate is given up");
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
  if (flags.threads != PoolFlags::kNotGiven && flags.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be >= 0, got ", flags.threads));
  }
  if (!flags.workers.empty()) return MakeRemotePool(flags, task, spec);
  for (const std::string* f :
       {&flags.tls_ca, &flags.tls_cert, &flags.tls_key, &flags.token_file}) {
    if (!f->empty()) {
      return absl::InvalidArgumentError(
          "--tls_ca, --tls_cert, --tls_key and --token_file are for "
          "--workers");
    }
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
  if (!flags.workers.empty()) {
    const PoolStats s = pool.stats();
    return absl::StrCat("workers ", flags.workers, " (", s.workers_up, "/",
                        s.workers_total, " up, ", s.slots_up, " slots)");
  }
  const int n = pool.parallelism();
  return absl::StrCat(n, " local evaluation thread", n == 1 ? "" : "s");
}

std::string PoolStatusSuffix(const PoolStats& stats) {
  if (stats.workers_total == 0 && stats.waiting.empty()) return "";
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

void PrintPoolEvents(EvaluationPool& pool, ProgressLine& progress) {
  std::vector<std::string> events = pool.TakeEvents();
  if (events.empty()) return;
  progress.Done();
  for (const std::string& e : events) std::cerr << "hero: " << e << "\n";
  std::cerr.flush();
}

}  // namespace hero
