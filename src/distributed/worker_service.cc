#include "src/distributed/worker_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "src/distributed/compatibility.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/proxy/trainer.h"

namespace hero {
namespace {

constexpr size_t kDataCacheSize = 2;
constexpr size_t kEvaluatorsPerSlot = 2;

grpc::Status Draining(grpc::ServerContext* context, const std::string& what) {
  context->AddTrailingMetadata(kDrainingMetadataKey, "1");
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      absl::StrCat("worker is shutting down: ", what));
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<WorkerService>> WorkerService::Create(
    WorkerServiceOptions options) {
  if (options.slots < 1 || options.slots > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be in [1, 1024], got ", options.slots));
  }
  absl::StatusOr<std::string> checksum = DatasetChecksum(options.data_dir);
  if (!checksum.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "--data_dir=", options.data_dir, ": ", checksum.status().message(),
        " (install the data with `apt-get install dataset-fashion-mnist`)"));
  }
  if (!options.make_evaluator) {
    options.make_evaluator = [](const TaskSpec& spec,
                                std::shared_ptr<const FashionMnist> data) {
      return MakeProxyEvaluatorFactory(spec, std::move(data))();
    };
  }
  InfoResponse info;
  info.set_worker_id(options.worker_id);
  info.set_build_id(BuildId());
  info.set_semantics_fingerprint(options.semantics_fingerprint_override.empty()
                                     ? SemanticsFingerprint()
                                     : options.semantics_fingerprint_override);
  info.set_dataset_checksum(*checksum);
  info.set_slots(options.slots);
  info.set_version(kHeroVersion);
  return std::unique_ptr<WorkerService>(
      new WorkerService(std::move(options), std::move(info)));
}

WorkerService::WorkerService(WorkerServiceOptions options, InfoResponse info)
    : options_(std::move(options)), info_(std::move(info)) {
  for (int i = 0; i < options_.slots; ++i) {
    slots_.push_back(std::make_unique<Slot>());
  }
}

grpc::Status WorkerService::Authorize(
    const grpc::ServerContext& context) const {
  if (options_.require_tls) {
    const std::shared_ptr<const grpc::AuthContext> auth =
        context.auth_context();
    bool tls = false;
    if (auth != nullptr) {
      for (const grpc::string_ref& type : auth->FindPropertyValues(
               GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME)) {
        tls |= type == GRPC_SSL_TRANSPORT_SECURITY_TYPE ||
               type == GRPC_TLS_TRANSPORT_SECURITY_TYPE;
      }
    }
    if (!tls) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "this worker takes work over TLS only");
    }
  }
  if (options_.token.empty()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end() ||
      !ConstantTimeEquals(std::string(it->second.data(), it->second.size()),
                          "Bearer " + options_.token)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "missing or wrong bearer token");
  }
  return grpc::Status::OK;
}

int WorkerService::AcquireSlot(const std::string& task_key) {
  absl::MutexLock lock(&mu_);
  int chosen = -1;
  for (int i = 0; i < static_cast<int>(slots_.size()); ++i) {
    Slot& slot = *slots_[i];
    if (slot.busy) continue;
    if (chosen < 0) chosen = i;
    if (!slot.evaluators.empty() && slot.evaluators.front().first == task_key) {
      chosen = i;
      break;
    }
  }
  if (chosen >= 0) slots_[chosen]->busy = true;
  return chosen;
}

void WorkerService::ReleaseSlot(int slot) {
  absl::MutexLock lock(&mu_);
  slots_[slot]->busy = false;
}

int WorkerService::busy_slots() const {
  absl::MutexLock lock(&mu_);
  int busy = 0;
  for (const auto& slot : slots_) busy += slot->busy;
  return busy;
}

absl::StatusOr<std::shared_ptr<const FashionMnist>> WorkerService::Data(
    const ValidatedRequest& v) {
  absl::MutexLock lock(&data_mu_);
  for (auto it = data_.begin(); it != data_.end(); ++it) {
    if (it->first == v.data_key) {
      data_.splice(data_.begin(), data_, it);
      return data_.front().second;
    }
  }
  // Workers always load the test split too (10,000 images): a later request
  // for the same data may ask for test accuracy.
  absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
      LoadTaskData(v.spec, /*load_test=*/true);
  if (!data.ok()) return data.status();
  data_.emplace_front(v.data_key, *data);
  if (data_.size() > kDataCacheSize) data_.pop_back();
  return *data;
}

absl::StatusOr<Evaluator*> WorkerService::EvaluatorFor(
    int slot_index, const ValidatedRequest& v) {
  Slot& slot = *slots_[slot_index];  // Ours while busy.
  for (auto it = slot.evaluators.begin(); it != slot.evaluators.end(); ++it) {
    if (it->first == v.task_key) {
      slot.evaluators.splice(slot.evaluators.begin(), slot.evaluators, it);
      return slot.evaluators.front().second.get();
    }
  }
  absl::StatusOr<std::shared_ptr<const FashionMnist>> data = Data(v);
  if (!data.ok()) return data.status();
  if (slot.evaluators.size() >= kEvaluatorsPerSlot) {
    slot.evaluators.pop_back();  // Free its memory before the new one.
  }
  absl::StatusOr<std::unique_ptr<Evaluator>> evaluator =
      options_.make_evaluator(v.spec, *std::move(data));
  if (!evaluator.ok()) return evaluator.status();
  slot.evaluators.emplace_front(v.task_key, *std::move(evaluator));
  return slot.evaluators.front().second.get();
}

grpc::Status WorkerService::Evaluate(grpc::ServerContext* context,
                                     const EvaluateRequest* request,
                                     EvaluateResponse* response) {
  if (grpc::Status auth = Authorize(*context); !auth.ok()) return auth;
  if (draining_) return Draining(context, "not accepting new work");
  absl::StatusOr<ValidatedRequest> v =
      ValidateRequest(*request, options_.data_dir, options_.limits);
  if (!v.ok()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        std::string(v.status().message()));
  }
  const int slot = AcquireSlot(v->task_key);
  if (slot < 0) {
    context->AddTrailingMetadata(kBusyMetadataKey, "1");
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("all ", options_.slots, " slots are busy"));
  }
  absl::StatusOr<Evaluator*> evaluator = EvaluatorFor(slot, *v);
  if (!evaluator.ok()) {
    ReleaseSlot(slot);
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        std::string(evaluator.status().message()));
  }
  EvalRequest eval = std::move(v->request);
  eval.should_stop = [this, context] {
    return abort_.load() || context->IsCancelled();
  };
  EvalResult result = (*evaluator)->Evaluate(eval);
  ReleaseSlot(slot);
  if (result.status() == EvalResult::FAILED &&
      result.failure_reason() == kCancelledReason) {
    if (abort_) return Draining(context, "evaluation abandoned");
    return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller");
  }
  ++served_;
  response->set_request_id(request->request_id());
  *response->mutable_result() = std::move(result);
  response->set_worker_id(options_.worker_id);
  return grpc::Status::OK;
}

grpc::Status WorkerService::Info(grpc::ServerContext* context,
                                 const InfoRequest*, InfoResponse* response) {
  if (grpc::Status auth = Authorize(*context); !auth.ok()) return auth;
  *response = info_;
  response->set_busy_slots(busy_slots());
  response->set_draining(draining_);
  return grpc::Status::OK;
}

void WorkerService::StartDraining() { draining_ = true; }

void WorkerService::AbortInFlight() { abort_ = true; }

}  // namespace hero
