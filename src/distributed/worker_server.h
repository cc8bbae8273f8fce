// WorkerServer: the gRPC server of `hero worker` — the Worker service, the
// standard grpc.health.v1 health service, keepalive, a cap on request size,
// and the drain on shutdown.
//
//   absl::StatusOr<std::unique_ptr<WorkerServer>> server =
//       WorkerServer::Start(options, service.get());
//   std::cout << "listening on port " << (*server)->port();
//   ... on SIGTERM: (*server)->Drain(absl::Seconds(60));
//
// Health: SERVING from Start; NOT_SERVING as soon as Drain begins, so
// Kubernetes stops routing to the pod and coordinators stop sending.
// Keepalive: the server pings idle clients and lets clients ping it every
// second even during a long call (gRPC refuses that by default), so a
// coordinator detects a hung worker within its keepalive bound.
//
// Thread-safety: Drain and port may be called from any thread; Drain once.
#ifndef HERO_DISTRIBUTED_WORKER_SERVER_H_
#define HERO_DISTRIBUTED_WORKER_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "src/distributed/security.h"
#include "src/distributed/worker_service.h"

namespace hero {

struct WorkerServerOptions {
  // host:port; port 0 picks a free port (see port()).
  std::string listen = "127.0.0.1:50051";
  ServerSecurity security;  // MakeServerSecurity's result.
  // Optional second address, always plaintext, for probes that cannot
  // speak TLS (Kubernetes' gRPC probes). The health service answers there;
  // with TLS on, the Worker service refuses it (WorkerServiceOptions::
  // require_tls).
  std::string health_listen;
  // Larger requests are refused (RESOURCE_EXHAUSTED) before parsing.
  int max_request_bytes = 1 << 20;
};

class WorkerServer {
 public:
  // Serves `service` (not owned; must outlive the server). Unavailable if
  // the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<WorkerServer>> Start(
      const WorkerServerOptions& options, WorkerService* service);

  ~WorkerServer();
  WorkerServer(const WorkerServer&) = delete;
  WorkerServer& operator=(const WorkerServer&) = delete;

  int port() const { return port_; }

  // Reports NOT_SERVING, refuses new evaluations, waits up to `grace` for
  // the ones in flight, makes any still running stop (their callers are
  // told to send them elsewhere), and shuts the server down. Returns the
  // number of evaluations abandoned.
  int Drain(absl::Duration grace);

 private:
  WorkerServer(std::unique_ptr<grpc::Server> server, WorkerService* service,
               int port)
      : server_(std::move(server)), service_(service), port_(port) {}

  std::unique_ptr<grpc::Server> server_;
  WorkerService* const service_;
  const int port_;
};

}  // namespace hero

#endif  // HERO_DISTRIBUTED_WORKER_SERVER_H_
