// FakeWorker: an in-process Worker service that misbehaves on purpose —
// the bad peers a coordinator must survive (garbage answers, refusals,
// hangs) — served on a loopback port.
//
//   FakeWorker bad(FakeWorker::Behavior::kWrongId);
//   pool options.targets = Targets({bad.address()});
#ifndef HERO_TESTS_DISTRIBUTED_FAKE_WORKER_H_
#define HERO_TESTS_DISTRIBUTED_FAKE_WORKER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "proto/worker.grpc.pb.h"
#include "src/distributed/compatibility.h"
#include "src/distributed/metadata.h"

namespace hero {

class FakeWorker final : public Worker::Service {
 public:
  enum class Behavior {
    kGood,         // A plausible answer: val_accuracy = peak_lr.
    kWrongId,      // Answers another request id.
    kNanAccuracy,  // val_accuracy NaN.
    kWrongSeeds,   // Two seed accuracies for one seed.
    kInvalid,      // INVALID_ARGUMENT.
    kDraining,     // UNAVAILABLE + hero-draining.
    kBusy,         // RESOURCE_EXHAUSTED + hero-busy.
    kHang,         // Never answers until cancelled.
    kUnauthenticated,
  };

  explicit FakeWorker(Behavior behavior, std::string dataset = "data",
                      std::string semantics = SemanticsFingerprint())
      : behavior_(behavior),
        dataset_(std::move(dataset)),
        semantics_(std::move(semantics)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~FakeWorker() override { Stop(); }

  void Stop() {
    if (server_ != nullptr) {
      stopping_ = true;
      server_->Shutdown();
      server_.reset();
    }
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  int calls() const { return calls_.load(); }
  void set_behavior(Behavior b) { behavior_ = b; }

  grpc::Status Info(grpc::ServerContext*, const InfoRequest*,
                    InfoResponse* response) override {
    response->set_worker_id(absl::StrCat("fake-", port_));
    response->set_semantics_fingerprint(semantics_);
    response->set_dataset_checksum(dataset_);
    response->set_slots(1);
    return grpc::Status::OK;
  }

  grpc::Status Evaluate(grpc::ServerContext* context,
                        const EvaluateRequest* request,
                        EvaluateResponse* response) override {
    ++calls_;
    response->set_request_id(request->request_id());
    EvalResult* r = response->mutable_result();
    r->set_status(EvalResult::OK);
    r->set_val_accuracy(request->peak_lr());
    r->add_seed_val_accuracy(request->peak_lr());
    r->set_seconds(0.01);
    switch (behavior_.load()) {
      case Behavior::kGood:
        return grpc::Status::OK;
      case Behavior::kWrongId:
        response->set_request_id(request->request_id() + 1000);
        return grpc::Status::OK;
      case Behavior::kNanAccuracy:
        r->set_val_accuracy(std::nan(""));
        return grpc::Status::OK;
      case Behavior::kWrongSeeds:
        r->add_seed_val_accuracy(0.5);
        return grpc::Status::OK;
      case Behavior::kInvalid:
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "request.program:1:1: nope");
      case Behavior::kDraining:
        context->AddTrailingMetadata(kDrainingMetadataKey, "1");
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
      case Behavior::kBusy:
        context->AddTrailingMetadata(kBusyMetadataKey, "1");
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy");
      case Behavior::kHang:
        while (!context->IsCancelled() && !stopping_) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
      case Behavior::kUnauthenticated:
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    return grpc::Status::OK;
  }

 private:
  std::atomic<Behavior> behavior_;
  const std::string dataset_;
  const std::string semantics_;
  std::atomic<int> calls_{0};
  std::atomic<bool> stopping_{false};
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace hero

#endif  // HERO_TESTS_DISTRIBUTED_FAKE_WORKER_H_
