// Internals of GrpcEvaluationPool shared by grpc_pool.cc and
// grpc_pool_calls.cc; not part of the pool's interface.
#ifndef HERO_DISTRIBUTED_GRPC_POOL_INTERNAL_H_
#define HERO_DISTRIBUTED_GRPC_POOL_INTERNAL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "src/distributed/grpc_pool.h"

namespace hero {

struct GrpcEvaluationPool::Connection {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<Worker::Stub> stub;
};

// An evaluation from Submit until Next returns it.
struct GrpcEvaluationPool::Job {
  int64_t id = 0;
  EvaluateRequest wire;  // Without request_id (set per try).
  int tries = 0;         // Counted failures so far.
  absl::Time not_before = absl::InfinitePast();  // Retry backoff.
  uint64_t call = 0;  // Serial of the try in flight; 0 = queued.
  int avoid = -1;     // The worker whose try last failed.
};

// One try of a job on one worker.
struct GrpcEvaluationPool::Call {
  uint64_t serial = 0;
  int64_t job = 0;
  int worker = 0;
  std::shared_ptr<Connection> connection;
  grpc::ClientContext context;
  EvaluateRequest request;
  EvaluateResponse response;
};

// One Info call to a worker.
struct GrpcEvaluationPool::Probe {
  uint64_t serial = 0;
  int worker = 0;
  std::shared_ptr<Connection> connection;
  grpc::ClientContext context;
  InfoRequest request;
  InfoResponse response;
};

// Why `response` cannot be the answer to `request` ("" if it can):
// another request id, a status other than OK/FAILED, an accuracy that is
// not finite or not in [0, 1], the wrong number of seed accuracies, a
// missing test accuracy, a failure without a reason.
std::string CheckEvaluateResponse(const EvaluateResponse& response,
                                  const EvaluateRequest& request,
                                  int task_seeds);

}  // namespace hero

#endif  // HERO_DISTRIBUTED_GRPC_POOL_INTERNAL_H_
