// ValidateRequest: a worker's check of an EvaluateRequest from the network.
//
// A worker trusts nothing it receives. Before anything is allocated or
// trained, the request is re-parsed and re-analysed (the program: the same
// parser, limits and abstract execution as for a file), its task is
// validated with the same rules as a config file (every problem, by field
// path), and the work it asks for is checked against the worker's limits
// (model size and activations, seeds, curve points). The result is what
// the evaluation path needs; nothing the caller sent is used unchecked.
//
//   absl::StatusOr<ValidatedRequest> v =
//       ValidateRequest(request, "/usr/share/datasets/fashion-mnist", limits);
//   if (!v.ok()) return INVALID_ARGUMENT with v.status().message();
//
// Error messages name the field (`task.train.batch_size: must be in
// [1, 4096], got 0`, `peak_lr: ...`) or the program position
// (`request.program:3:12: ...`).
//
// Thread-safety: thread-safe (no state).
#ifndef HERO_DISTRIBUTED_REQUEST_VALIDATION_H_
#define HERO_DISTRIBUTED_REQUEST_VALIDATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "proto/worker.pb.h"
#include "src/evaluation/evaluator.h"
#include "src/proxy/task.h"

namespace hero {

struct WorkerLimits {
  // An upper bound on the memory one evaluation may need: parameters,
  // gradient, optimizer state and the model's activations at the larger
  // of the training and evaluation batch.
  int64_t max_task_bytes = int64_t{8} << 30;
  // Seeds in one request (task.train.seeds or the seeds override).
  int max_seeds = 64;
};

struct ValidatedRequest {
  // Program, peak lr, λ, seeds, with_test, curve_points; no should_stop.
  EvalRequest request;
  // The task with the worker's data directory.
  TaskConfig task;
  TaskSpec spec;
  // Identify the task and its data (serialized configs), to reuse loaded
  // data and built evaluators across requests.
  std::string task_key;
  std::string data_key;
};

absl::StatusOr<ValidatedRequest> ValidateRequest(const EvaluateRequest& request,
                                                 const std::string& data_dir,
                                                 const WorkerLimits& limits);

// The bound ValidateRequest compares with max_task_bytes (bytes).
int64_t TaskFootprintBytes(const TaskSpec& spec);

}  // namespace hero

#endif  // HERO_DISTRIBUTED_REQUEST_VALIDATION_H_
