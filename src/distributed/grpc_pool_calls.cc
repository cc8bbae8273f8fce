// GrpcEvaluationPool: starting calls and probes, and what their outcomes
// mean (see the "exactly once" rules in grpc_pool.h).
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/distributed/grpc_pool.h"
#include "src/distributed/grpc_pool_internal.h"
#include "src/distributed/metadata.h"

namespace hero {
namespace {

bool Fraction(double x) { return std::isfinite(x) && x >= 0 && x <= 1; }

bool HasTrailing(const grpc::ClientContext& context, const char* key) {
  return context.GetServerTrailingMetadata().count(key) > 0;
}

absl::StatusCode ToAbsl(grpc::StatusCode code) {
  return static_cast<absl::StatusCode>(static_cast<int>(code));
}

}  // namespace

std::string CheckEvaluateResponse(const EvaluateResponse& response,
                                  const EvaluateRequest& request,
                                  int task_seeds) {
  if (response.request_id() != request.request_id()) {
    return absl::StrCat("answered request ", response.request_id(),
                        " instead of ", request.request_id());
  }
  const EvalResult& r = response.result();
  if (r.status() == EvalResult::FAILED) {
    if (r.failure_reason().empty()) return "a failure without a reason";
    return "";
  }
  if (r.status() != EvalResult::OK) {
    return absl::StrCat("result status ", EvalResult::Status_Name(r.status()));
  }
  if (!Fraction(r.val_accuracy())) {
    return absl::StrCat("validation accuracy ", r.val_accuracy());
  }
  const int seeds =
      request.seeds_size() > 0 ? request.seeds_size() : task_seeds;
  if (r.seed_val_accuracy_size() != seeds) {
    return absl::StrCat(r.seed_val_accuracy_size(), " seed accuracies for ",
                        seeds, " seeds");
  }
  for (double a : r.seed_val_accuracy()) {
    if (!Fraction(a)) return absl::StrCat("seed accuracy ", a);
  }
  if (request.with_test() &&
      !(r.has_test_accuracy() && Fraction(r.test_accuracy()))) {
    return "no valid test accuracy";
  }
  if (!std::isfinite(r.final_train_loss())) {
    return absl::StrCat("final loss ", r.final_train_loss());
  }
  return "";
}

void GrpcEvaluationPool::StartCall(std::shared_ptr<Call> call) {
  ++outstanding_;
  Call* c = call.get();
  c->connection->stub->async()->Evaluate(
      &c->context, &c->request, &c->response,
      [this, call = std::move(call)](grpc::Status status) {
        OnCallDone(*call, status);
        --outstanding_;  // The last access to the pool.
      });
}

void GrpcEvaluationPool::StartProbe(std::shared_ptr<Probe> probe) {
  ++outstanding_;
  Probe* p = probe.get();
  p->connection->stub->async()->Info(
      &p->context, &p->request, &p->response,
      [this, probe = std::move(probe)](grpc::Status status) {
        OnProbeDone(*probe, status);
        --outstanding_;
      });
}

void GrpcEvaluationPool::Finish(Job& job, Completed completed) {
  if (!completed.status.ok()) ++counters_.errors;
  done_.Push(std::move(completed));
  jobs_.erase(job.id);  // `job` is gone from here on.
}

void GrpcEvaluationPool::Requeue(Job& job, absl::Duration delay) {
  job.not_before = absl::Now() + delay;
  queue_.push_front(job.id);
}

void GrpcEvaluationPool::FailTry(Job& job, int worker, const std::string& why,
                                 absl::StatusCode code, bool unreachable) {
  const std::string name = WorkerName(worker);
  ++job.tries;
  job.avoid = worker;
  const bool excluded =
      registry_.CallFailed(worker, why, unreachable, absl::Now());
  if (excluded) {
    Event(absl::StrCat("worker ", name, " excluded for ",
                       absl::FormatDuration(options_.registry.exclusion),
                       " after ", options_.registry.failures_to_exclude,
                       " failures in a row (last: ", why, ")"));
  } else if (unreachable) {
    Event(absl::StrCat("worker ", name, " down: ", why));
  }
  if (job.tries >= options_.max_tries) {
    Completed c;
    c.id = job.id;
    c.status = absl::Status(
        code, absl::StrCat("not evaluated: ", job.tries,
                           " tries failed (last, on ", name, ": ", why, ")"));
    c.evaluated_by = name;
    c.attempts = job.tries;
    Finish(job, std::move(c));
    return;
  }
  ++counters_.retries;
  Requeue(job, std::min(options_.max_retry_backoff,
                        options_.retry_backoff *
                            (1 << std::min(job.tries - 1, 20))));
}

void GrpcEvaluationPool::OnCallDone(Call& call, const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  calls_.erase(call.serial);
  registry_.CallEnded(call.worker);
  wake_ = true;
  auto it = jobs_.find(call.job);
  if (it == jobs_.end() || it->second->call != call.serial) {
    ++counters_.late_answers_dropped;  // That try was given up already.
    return;
  }
  Job& job = *it->second;
  job.call = 0;
  const std::string name = WorkerName(call.worker);
  const absl::Time now = absl::Now();
  if (status.ok()) {
    const std::string garbage =
        CheckEvaluateResponse(call.response, call.request, expected_seeds_);
    if (garbage.empty()) {
      registry_.CallSucceeded(call.worker);
      if (first_seconds_ < 0) first_seconds_ = call.response.result().seconds();
      Completed c;
      c.id = job.id;
      c.result = std::move(*call.response.mutable_result());
      c.evaluated_by = name;
      c.attempts = job.tries + 1;
      Finish(job, std::move(c));
      return;
    }
    FailTry(job, call.worker, absl::StrCat("answered garbage: ", garbage),
            absl::StatusCode::kInternal, /*unreachable=*/false);
    return;
  }
  const std::string message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      if (HasTrailing(call.context, kDrainingMetadataKey)) {
        // Not done, and not the candidate's fault: elsewhere, uncounted.
        registry_.MarkDown(call.worker, "shutting down", now);
        Event(absl::StrCat("worker ", name, " is shutting down"));
        Requeue(job, absl::ZeroDuration());
        return;
      }
      FailTry(job, call.worker, message, absl::StatusCode::kUnavailable,
              /*unreachable=*/true);
      return;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      if (HasTrailing(call.context, kBusyMetadataKey)) {
        Requeue(job, absl::Milliseconds(100));  // Shared with someone else.
        return;
      }
      break;
    case grpc::StatusCode::INVALID_ARGUMENT: {
      Completed c;
      c.id = job.id;
      c.status = absl::InvalidArgumentError(
          absl::StrCat("worker ", name, " rejected the request: ", message));
      c.evaluated_by = name;
      c.attempts = job.tries + 1;
      Finish(job, std::move(c));
      return;
    }
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      registry_.Refuse(call.worker, message, now);
      Event(absl::StrCat("refusing worker ", name,
                         ": it rejected us: ", message));
      Requeue(job, absl::ZeroDuration());
      return;
    default:
      break;
  }
  FailTry(job, call.worker, message, ToAbsl(status.error_code()),
          /*unreachable=*/false);
}

void GrpcEvaluationPool::OnProbeDone(Probe& probe, const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  probes_.erase(probe.serial);
  ++probes_done_;
  wake_ = true;
  const WorkerEntry* w = registry_.Find(probe.worker);
  if (w == nullptr) return;
  const std::string name = w->address;
  const absl::Time now = absl::Now();
  const InfoResponse& info = probe.response;
  std::string refuse;
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      refuse =
          absl::StrCat("it rejected our credentials: ", status.error_message());
    } else {
      const bool news = w->last_error != status.error_message();
      registry_.ProbeFailed(probe.worker, status.error_message(), now);
      if (news) {
        Event(absl::StrCat("worker ", name,
                           " unreachable: ", status.error_message()));
      }
      return;
    }
  } else if (info.semantics_fingerprint() != options_.expected_semantics) {
    refuse = absl::StrCat(
        "its language semantics fingerprint is ", info.semantics_fingerprint(),
        ", ours ", options_.expected_semantics,
        " (another hero build or machine type: its results would differ)");
  } else if (info.dataset_checksum() != options_.expected_dataset) {
    refuse = absl::StrCat("its dataset checksum is ", info.dataset_checksum(),
                          ", ours ", options_.expected_dataset,
                          " (other Fashion-MNIST files)");
  } else if (info.draining()) {
    registry_.ProbeFailed(probe.worker, "shutting down", now);
    return;
  }
  if (!refuse.empty()) {
    const bool news = w->last_error != refuse;
    registry_.Refuse(probe.worker, refuse, now);
    if (news) {
      Event(absl::StrCat("refusing worker ", name,
                         info.worker_id().empty()
                             ? ""
                             : absl::StrCat(" (id ", info.worker_id(), ")"),
                         ": ", refuse));
    }
    return;
  }
  registry_.ProbeSucceeded(probe.worker, std::min(info.slots(), 1024),
                           info.worker_id());
  Event(absl::StrCat("worker ", name, " up (id ", info.worker_id(), ", ",
                     info.slots(), " slot", info.slots() == 1 ? "" : "s",
                     ", build ", info.build_id(), ")"));
}

}  // namespace hero
