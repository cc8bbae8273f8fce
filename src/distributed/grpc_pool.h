// GrpcEvaluationPool: an EvaluationPool whose evaluations run on `hero
// worker` processes over gRPC — the coordinator side of distributed
// evaluation.
//
//   GrpcPoolOptions options;
//   options.targets = *ParseWorkerTargets("127.0.0.1:50051,127.0.0.1:50052");
//   options.security = *MakeClientSecurity({}, {"127.0.0.1"});
//   options.task = config.task();
//   options.expected_semantics = SemanticsFingerprint();
//   options.expected_dataset = *DatasetChecksum(data_dir);
//   absl::StatusOr<std::unique_ptr<GrpcEvaluationPool>> pool =
//       GrpcEvaluationPool::Create(std::move(options));
//
// Workers. Every address (a host:port target, or each address a
// dns:///name:port target resolves to, re-resolved every resolve_every so
// workers may join and leave) is probed with Info. One whose semantics
// fingerprint or dataset checksum differs from the coordinator's is refused
// by name; one that answers is up with the slots it advertises. Unreachable
// ones are probed again with backoff (worker_registry.h has the policy).
// The pool's parallelism is the slots of the up workers.
//
// Scheduling. Queued evaluations go, oldest first (retries first), to the
// least-loaded up worker with a free slot. Each call has a deadline
// (options.deadline, or automatically max(min_auto_deadline, 10 x the first
// evaluation's time)) and the channel pings the worker every
// keepalive_time, so a worker that hangs (e.g. SIGSTOP) is detected within
// keepalive_time + keepalive_timeout and its calls fail.
//
// Exactly once in the journal, at least once on the wire. A try that fails
// because of the worker — it died or hung (UNAVAILABLE, DEADLINE_EXCEEDED,
// CANCELLED, INTERNAL...), or answered garbage (a different request id, an
// accuracy that is not finite or not in [0, 1], the wrong number of seeds)
// — is counted, and the evaluation is sent again after a backoff, to the
// least-loaded other worker (the same one only if no other is up). A refusal
// that says nothing about the candidate (the worker is draining, all its slots
// are busy, the token was rejected) is not counted. Only after max_tries
// counted failures does Next() return the evaluation with a non-OK status and
// the last reason; INVALID_ARGUMENT (the worker rejects the request itself) is
// returned at once. Every evaluation comes out of Next() exactly once; an
// answer to a try that was already given up (a late or duplicate answer) is
// dropped and counted. While no worker is up, evaluations wait (stats().waiting
// says so) — the pool never fails them for that.
//
// Thread-safety: the EvaluationPool methods are called from one thread;
// gRPC callbacks and the pool's dispatcher thread do the rest under one
// mutex. Destruction cancels calls in flight and waits for their callbacks.
#ifndef HERO_DISTRIBUTED_GRPC_POOL_H_
#define HERO_DISTRIBUTED_GRPC_POOL_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/search_config.pb.h"
#include "proto/worker.grpc.pb.h"
#include "src/distributed/security.h"
#include "src/distributed/targets.h"
#include "src/distributed/worker_registry.h"
#include "src/evaluation/completion_queue.h"
#include "src/evaluation/evaluation_pool.h"

namespace hero {

struct GrpcPoolOptions {
  std::vector<WorkerTarget> targets;
  ClientSecurity security;
  // The task every evaluation trains (sent with each request, without
  // data.data_dir: workers read their own copy, checked by checksum).
  TaskConfig task;
  // What the workers' Info must report (compatibility.h).
  std::string expected_semantics;
  std::string expected_dataset;

  // Per-call deadline; zero: automatic (see above).
  absl::Duration deadline = absl::ZeroDuration();
  absl::Duration min_auto_deadline = absl::Minutes(1);
  // The automatic deadline before any evaluation has finished.
  absl::Duration first_deadline = absl::Minutes(30);
  // Counted failures before an evaluation is given up.
  int max_tries = 4;
  // Backoff before a retry: retry_backoff * 2^(tries - 1), at most
  // max_retry_backoff.
  absl::Duration retry_backoff = absl::Milliseconds(200);
  absl::Duration max_retry_backoff = absl::Seconds(5);
  absl::Duration resolve_every = absl::Seconds(10);
  absl::Duration keepalive_time = absl::Seconds(1);
  absl::Duration keepalive_timeout = absl::Seconds(2);
  absl::Duration probe_timeout = absl::Seconds(5);
  WorkerRegistry::Options registry;
  // Default: SystemResolver().
  Resolver resolver;
};

class GrpcEvaluationPool : public EvaluationPool {
 public:
  // Fails (InvalidArgument) only for bad options; workers that are down
  // are waited for, not errors.
  static absl::StatusOr<std::unique_ptr<GrpcEvaluationPool>> Create(
      GrpcPoolOptions options);

  ~GrpcEvaluationPool() override;
  GrpcEvaluationPool(const GrpcEvaluationPool&) = delete;
  GrpcEvaluationPool& operator=(const GrpcEvaluationPool&) = delete;

  int64_t Submit(EvalRequest request) override;
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration timeout) override;
  int pending() const override;
  int parallelism() const override;
  PoolStats stats() const override;

  // Messages about workers since the last call (up, down, refused,
  // excluded, resolved), oldest first, for the command's log.
  std::vector<std::string> TakeEvents() override;

  // Blocks until at least one worker has been probed (up or not) or
  // `timeout` passes; true iff a worker is up.
  bool WaitForFirstProbes(absl::Duration timeout);

 private:
  struct Job;
  struct Call;
  struct Probe;
  struct Connection;

  explicit GrpcEvaluationPool(GrpcPoolOptions options);

  void DispatcherLoop();
  // One round of the dispatcher: resolution, probes, channel checks and
  // dispatch. Returns what to start outside the lock.
  void Tick(std::vector<std::shared_ptr<Call>>* calls,
            std::vector<std::shared_ptr<Probe>>* probes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Resolve(absl::Time now);
  std::shared_ptr<Connection> ConnectionFor(int worker)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartCall(std::shared_ptr<Call> call);
  void StartProbe(std::shared_ptr<Probe> probe);
  void OnCallDone(Call& call, const grpc::Status& status);
  void OnProbeDone(Probe& probe, const grpc::Status& status);
  // Handles a counted failure of `job`'s try on `worker`.
  void FailTry(Job& job, int worker, const std::string& why,
               absl::StatusCode code, bool unreachable)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Requeue(Job& job, absl::Duration delay)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Finish(Job& job, Completed completed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration CallDeadline() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string WorkerName(int worker) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Event(std::string message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string Waiting() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Immutable after construction.
  const GrpcPoolOptions options_;
  int expected_seeds_ = 1;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  WorkerRegistry registry_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int, std::shared_ptr<Connection>> connections_
      ABSL_GUARDED_BY(mu_);
  absl::Time next_resolve_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::flat_hash_map<int64_t, std::unique_ptr<Job>> jobs_ ABSL_GUARDED_BY(mu_);
  std::deque<int64_t> queue_ ABSL_GUARDED_BY(mu_);  // Job ids to dispatch.
  CompletionQueue done_;
  // Calls and probes in flight; each callback holds its own reference and
  // removes the entry.
  absl::flat_hash_map<uint64_t, std::shared_ptr<Call>> calls_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::shared_ptr<Probe>> probes_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_serial_ ABSL_GUARDED_BY(mu_) = 1;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  int probes_done_ ABSL_GUARDED_BY(mu_) = 0;
  double first_seconds_ ABSL_GUARDED_BY(mu_) = -1;
  PoolStats counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);

  // Callbacks not yet returned; each decrements it as its very last access
  // to the pool, so destruction can wait for them.
  std::atomic<int> outstanding_{0};
  std::thread dispatcher_;
};

}  // namespace hero

#endif  // HERO_DISTRIBUTED_GRPC_POOL_H_
