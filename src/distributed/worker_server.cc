#include "src/distributed/worker_server.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"

namespace hero {

absl::StatusOr<std::unique_ptr<WorkerServer>> WorkerServer::Start(
    const WorkerServerOptions& options, WorkerService* service) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, options.security.credentials, &port);
  int health_port = -1;
  if (!options.health_listen.empty()) {
    builder.AddListeningPort(options.health_listen,
                             grpc::InsecureServerCredentials(), &health_port);
  }
  builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  // Detect dead clients (their evaluations are cancelled).
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Let clients ping often, also while a long call sends no data, so they
  // notice a hung worker in seconds.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 500);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0 || health_port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen,
        options.health_listen.empty() ? "" : " and " + options.health_listen,
        " (address in use, or not an address of this machine?)"));
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  return std::unique_ptr<WorkerServer>(
      new WorkerServer(std::move(server), service, port));
}

WorkerServer::~WorkerServer() {
  if (server_ != nullptr) {
    service_->AbortInFlight();
    server_->Shutdown();
  }
}

int WorkerServer::Drain(absl::Duration grace) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  service_->StartDraining();
  const absl::Time deadline = absl::Now() + grace;
  while (service_->busy_slots() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const int abandoned = service_->busy_slots();
  service_->AbortInFlight();
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::seconds(10));
  server_.reset();
  return abandoned;
}

}  // namespace hero
