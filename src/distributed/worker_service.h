// WorkerService: the gRPC Worker service of `hero worker` — evaluates
// candidates for remote coordinators with exactly the code path of a local
// evaluation (ProxyEvaluator over the same Trainer), so a remote result is
// bit-identical to a local one on the same build and machine type.
//
//   WorkerServiceOptions options;
//   options.slots = 4;
//   options.data_dir = "/usr/share/datasets/fashion-mnist";
//   absl::StatusOr<std::unique_ptr<WorkerService>> service =
//       WorkerService::Create(options);
//   builder.RegisterService(service->get());
//
// Every request is validated first (request_validation.h); a bad one gets
// INVALID_ARGUMENT and changes nothing. The worker runs at most `slots`
// evaluations at once and answers RESOURCE_EXHAUSTED beyond that (the
// coordinator schedules by the slots Info advertises, so this only happens
// when several coordinators share a worker). Loaded datasets are kept per
// data config and evaluators per task (a small LRU each), so a run of
// candidates on one task loads its data once.
//
// Shutting down (SIGTERM): StartDraining() makes new calls fail with
// UNAVAILABLE and trailing metadata `hero-draining: 1`; calls in flight go
// on. AbortInFlight() makes them stop at their next check (about every 1%
// of training) and answer the same way, so the coordinator knows the work
// was not done and sends it elsewhere without counting a failure. A call
// whose client goes away (deadline, cancel, crash) stops likewise.
//
// Thread-safety: thread-safe; gRPC calls the handlers from its threads.
#ifndef HERO_DISTRIBUTED_WORKER_SERVICE_H_
#define HERO_DISTRIBUTED_WORKER_SERVICE_H_

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/worker.grpc.pb.h"
#include "src/distributed/metadata.h"
#include "src/distributed/request_validation.h"
#include "src/evaluation/evaluator.h"
#include "src/proxy/fashion_mnist.h"

namespace hero {

// Builds the evaluator for a validated task over its loaded data.
using TaskEvaluatorFactory =
    std::function<absl::StatusOr<std::unique_ptr<Evaluator>>(
        const TaskSpec& spec, std::shared_ptr<const FashionMnist> data)>;

struct WorkerServiceOptions {
  std::string worker_id = "worker";
  int slots = 1;
  std::string data_dir = "/usr/share/datasets/fashion-mnist";
  WorkerLimits limits;
  // Required bearer token (metadata `authorization: Bearer <token>`);
  // empty: none.
  std::string token;
  // Refuse Evaluate and Info on connections without TLS (UNAUTHENTICATED):
  // set when the worker serves TLS, so a plaintext port opened for the
  // health service only (Kubernetes' gRPC probes cannot speak TLS) cannot
  // be used to evaluate.
  bool require_tls = false;
  // Default: the proxy evaluator (what local pools use).
  TaskEvaluatorFactory make_evaluator;
  // Test hook: advertise this semantics fingerprint instead of the real
  // one (to test that coordinators refuse incompatible workers).
  std::string semantics_fingerprint_override;
};

class WorkerService final : public Worker::Service {
 public:
  // Checks the options and the data directory (its checksum is computed
  // here, once).
  static absl::StatusOr<std::unique_ptr<WorkerService>> Create(
      WorkerServiceOptions options);

  WorkerService(const WorkerService&) = delete;
  WorkerService& operator=(const WorkerService&) = delete;

  grpc::Status Evaluate(grpc::ServerContext* context,
                        const EvaluateRequest* request,
                        EvaluateResponse* response) override;
  grpc::Status Info(grpc::ServerContext* context, const InfoRequest* request,
                    InfoResponse* response) override;

  void StartDraining();
  void AbortInFlight();
  int busy_slots() const;
  int64_t evaluations_served() const { return served_.load(); }
  const InfoResponse& info() const { return info_; }

 private:
  struct Slot {
    bool busy = false;  // Guarded by mu_.
    // Used only by the call holding the slot (busy). Most recently used
    // first: (task key, evaluator).
    std::list<std::pair<std::string, std::unique_ptr<Evaluator>>> evaluators;
  };

  explicit WorkerService(WorkerServiceOptions options, InfoResponse info);

  // OK, or why the call is refused (no TLS, missing or wrong token).
  grpc::Status Authorize(const grpc::ServerContext& context) const;
  // A free slot, preferring one that already has an evaluator for
  // `task_key`; -1 if all are busy.
  int AcquireSlot(const std::string& task_key);
  void ReleaseSlot(int slot);
  absl::StatusOr<std::shared_ptr<const FashionMnist>> Data(
      const ValidatedRequest& v);
  absl::StatusOr<Evaluator*> EvaluatorFor(int slot, const ValidatedRequest& v);

  // Immutable after construction.
  const WorkerServiceOptions options_;
  const InfoResponse info_;

  std::atomic<bool> draining_{false};
  std::atomic<bool> abort_{false};
  std::atomic<int64_t> served_{0};

  mutable absl::Mutex mu_;
  // The vector is fixed at construction; Slot::busy is guarded by mu_.
  std::vector<std::unique_ptr<Slot>> slots_;

  // Loads run under data_mu_ (not mu_), so Info and other slots go on.
  absl::Mutex data_mu_;
  std::list<std::pair<std::string, std::shared_ptr<const FashionMnist>>> data_
      ABSL_GUARDED_BY(data_mu_);
};

}  // namespace hero

#endif  // HERO_DISTRIBUTED_WORKER_SERVICE_H_
