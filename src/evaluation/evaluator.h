// Evaluator: scores one candidate optimizer program.
//
// The search, `hero eval/tune/compare`, the simplifier's ablation and gRPC
// workers all go through this interface; the proxy-task implementation is in
// proxy_evaluator.h.
//
//   EvalRequest request{program, /*peak_lr=*/1e-3, /*lam=*/0.1};
//   EvalResult result = evaluator->Evaluate(request);
//
// Evaluate never fails hard: a program that cannot run or diverges comes
// back as EvalResult::FAILED with a reason and fitness 0.
//
// Thread-safety: an Evaluator is used by one thread at a time; make one per
// thread with an EvaluatorFactory.
#ifndef HERO_EVALUATION_EVALUATOR_H_
#define HERO_EVALUATION_EVALUATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/eval_result.pb.h"
#include "src/program/program.h"
#include "src/proxy/hurdle.h"

namespace hero {

struct EvalRequest {
  Program program;
  double peak_lr = 1e-3;
  double lam = 0.1;
  // Also measure test accuracy (final reports only, never fitness).
  bool with_test = false;
  // Points on the loss/accuracy curve (0 = none).
  int curve_points = 0;
  // Train with these seeds instead of the task's (empty = the task's).
  std::vector<uint64_t> seeds;
  // Early stopping of a run still at chance level (hurdle.h); off by
  // default. Sent over the wire.
  HurdleOptions hurdle;
  // A cheaper hurdle run before the first (hurdle.h); off by default. Sent
  // over the wire.
  ScreenOptions screen;
  // Optional, not sent over the wire: polled during training; once it
  // returns true the evaluation stops and FAILS with reason "cancelled"
  // (kCancelledReason, proxy/trainer.h).
  std::function<bool()> should_stop;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual EvalResult Evaluate(const EvalRequest& request) = 0;
};

// Makes one Evaluator; called once per worker thread. Must be thread-safe.
using EvaluatorFactory =
    std::function<absl::StatusOr<std::unique_ptr<Evaluator>>()>;

}  // namespace hero

#endif  // HERO_EVALUATION_EVALUATOR_H_
