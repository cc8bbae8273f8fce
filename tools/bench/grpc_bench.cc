// Distributed evaluation's costs, measured in one run:
//   ratio grpc_overhead_vs_evaluation=<x>   (target <= 0.01)
//       seconds per no-op evaluation through the gRPC pool and two
//       in-process loopback workers (serialization, dispatch, the worker's
//       request validation, bookkeeping on both sides: an upper bound on the
//       coordinator's share) over the seconds of one quickstart evaluation
//   noop dispatch rate (evaluations/s, target >= 2,000)
//   ratio remote_vs_local_throughput=<x>    (target >= 0.95)
//       quickstart evaluations per second through two one-thread `hero
//       worker` processes over the two-thread local pool
//   detection seconds of a worker killed (-9) and of one hung (SIGSTOP)
//       while evaluating (keepalive 1 s + 2 s)
//
//   bazel run -c opt //tools/bench:grpc_bench
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "src/cli/config_io.h"
#include "src/distributed/compatibility.h"
#include "src/distributed/grpc_pool.h"
#include "src/distributed/security.h"
#include "src/distributed/worker_server.h"
#include "src/distributed/worker_service.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/program_proto.h"
#include "tests/distributed/hero_process.h"

namespace hero {
namespace {

constexpr char kDataDir[] = "/usr/share/datasets/fashion-mnist";

template <typename T>
T Check(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "%s\n", std::string(v.status().message()).c_str());
    std::abort();
  }
  return *std::move(v);
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

class NoOpEvaluator : public Evaluator {
 public:
  EvalResult Evaluate(const EvalRequest& r) override {
    EvalResult result;
    result.set_status(EvalResult::OK);
    result.set_val_accuracy(0.5);
    for (size_t i = 0; i < std::max<size_t>(1, r.seeds.size()); ++i) {
      result.add_seed_val_accuracy(0.5);
    }
    return result;
  }
};

std::unique_ptr<GrpcEvaluationPool> Pool(const std::string& workers,
                                         const TaskConfig& task) {
  GrpcPoolOptions o;
  o.targets = Check(ParseWorkerTargets(workers));
  o.security = Check(MakeClientSecurity({}, {"127.0.0.1"}));
  o.task = task;
  o.expected_semantics = SemanticsFingerprint();
  o.expected_dataset = Check(DatasetChecksum(kDataDir));
  auto pool = Check(GrpcEvaluationPool::Create(o));
  if (!pool->WaitForFirstProbes(absl::Seconds(30))) std::abort();
  return pool;
}

// Runs `n` requests through `pool` keeping `in_flight` submitted; seconds.
double Drive(EvaluationPool& pool, const std::vector<EvalRequest>& requests,
             int in_flight) {
  const auto start = std::chrono::steady_clock::now();
  size_t next = 0;
  int done = 0;
  while (done < static_cast<int>(requests.size())) {
    while (next < requests.size() && pool.pending() < in_flight) {
      pool.Submit(requests[next++]);
    }
    std::optional<EvaluationPool::Completed> c = pool.Next();
    if (!c.has_value() || !c->status.ok()) std::abort();
    ++done;
  }
  return Since(start);
}

double NoOpDispatchSeconds(const TaskConfig& task, const Program& program) {
  std::vector<std::unique_ptr<WorkerService>> services;
  std::vector<std::unique_ptr<WorkerServer>> servers;
  std::string workers;
  for (int i = 0; i < 2; ++i) {
    WorkerServiceOptions o;
    o.worker_id = "noop";
    o.slots = 32;
    o.data_dir = kDataDir;
    o.make_evaluator = [](const TaskSpec&, std::shared_ptr<const FashionMnist>)
        -> absl::StatusOr<std::unique_ptr<Evaluator>> {
      return std::unique_ptr<Evaluator>(new NoOpEvaluator());
    };
    services.push_back(Check(WorkerService::Create(o)));
    WorkerServerOptions so;
    so.listen = "127.0.0.1:0";
    so.security = Check(MakeServerSecurity({}, "127.0.0.1"));
    servers.push_back(Check(WorkerServer::Start(so, services.back().get())));
    workers += (i ? ",127.0.0.1:" : "127.0.0.1:") +
               std::to_string(servers.back()->port());
  }
  auto pool = Pool(workers, task);
  EvalRequest request;
  request.program = program;
  std::vector<EvalRequest> warmup(2000, request), run(20000, request);
  Drive(*pool, warmup, 64);  // Data loaded, connections warm.
  return Drive(*pool, run, 64) / run.size();
}

std::vector<EvalRequest> QuickstartRequests(const Program& program, int n) {
  std::vector<EvalRequest> requests;
  for (int i = 0; i < n; ++i) {
    EvalRequest r;
    r.program = program;
    r.peak_lr = 1e-3 * (1 + (i % 5));
    r.lam = 0.1;
    requests.push_back(r);
  }
  return requests;
}

// Seconds from the signal until the pool marks the worker down, while it
// evaluates.
double DetectionSeconds(int signal, const Program& program) {
  TaskConfig task;
  task.mutable_data()->set_train_examples(2000);
  task.mutable_data()->set_validation_examples(500);
  task.mutable_model()->mutable_mlp()->add_hidden(64);
  task.mutable_train()->set_steps(20000);
  task.mutable_train()->set_batch_size(128);
  HeroProcess worker = HeroProcess::Worker(
      signal == SIGKILL ? "bench_kill" : "bench_stop", {"--threads=1"});
  if (!worker.WaitForPort()) std::abort();
  auto pool = Pool(worker.address(), task);
  EvalRequest r;
  r.program = program;
  pool->Submit(r);
  absl::SleepFor(absl::Seconds(1));  // It is evaluating.
  const auto start = std::chrono::steady_clock::now();
  worker.Signal(signal);
  while (pool->stats().workers_up > 0) absl::SleepFor(absl::Milliseconds(5));
  const double seconds = Since(start);
  if (signal == SIGSTOP) worker.Signal(SIGCONT);
  return seconds;
}

void Run() {
  const SearchConfig config =
      Check(ReadSearchConfig("configs/quickstart.textproto"));
  const Program adamw = Check(ReadProgramFile("configs/programs/adamw.py"));
  const TaskSpec spec = Check(MakeTaskSpec(config.task(), "task"));

  // One quickstart evaluation, best of 5.
  auto evaluator =
      Check(Check(MakeProxyEvaluatorFactory(spec, /*load_test=*/false))());
  double evaluation = 1e30;
  for (const EvalRequest& r : QuickstartRequests(adamw, 5)) {
    const auto start = std::chrono::steady_clock::now();
    evaluator->Evaluate(r);
    evaluation = std::min(evaluation, Since(start));
  }
  const double noop = NoOpDispatchSeconds(config.task(), adamw);
  std::printf(
      "noop dispatch through 2 in-process loopback workers: %.0f "
      "evaluations/s (%.1f us each); quickstart evaluation %.3f s\n",
      1 / noop, 1e6 * noop, evaluation);
  std::printf("ratio grpc_overhead_vs_evaluation=%.5f\n", noop / evaluation);

  const std::vector<EvalRequest> work = QuickstartRequests(adamw, 60);
  auto local = Check(LocalEvaluationPool::Create(
      2, Check(MakeProxyEvaluatorFactory(spec, false))));
  Drive(*local, QuickstartRequests(adamw, 4), 2);
  const double local_seconds = Drive(*local, work, 2);
  local.reset();
  HeroProcess w1 = HeroProcess::Worker("bench_w1", {"--threads=1"});
  HeroProcess w2 = HeroProcess::Worker("bench_w2", {"--threads=1"});
  if (!w1.WaitForPort() || !w2.WaitForPort()) std::abort();
  auto remote = Pool(w1.address() + "," + w2.address(), config.task());
  Drive(*remote, QuickstartRequests(adamw, 4), 2);  // Workers load data.
  const double remote_seconds = Drive(*remote, work, 2);
  std::printf(
      "60 quickstart evaluations: local pool (2 threads) %.2f s, two "
      "one-thread workers %.2f s\n",
      local_seconds, remote_seconds);
  std::printf("ratio remote_vs_local_throughput=%.3f\n",
              local_seconds / remote_seconds);
  remote.reset();

  std::printf("detection: worker killed (-9) while evaluating: %.3f s\n",
              DetectionSeconds(SIGKILL, adamw));
  std::printf(
      "detection: worker hung (SIGSTOP) while evaluating: %.3f s "
      "(keepalive 1 s + timeout 2 s)\n",
      DetectionSeconds(SIGSTOP, adamw));
}

}  // namespace
}  // namespace hero

int main() {
  hero::Run();
  return 0;
}
