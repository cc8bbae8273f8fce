// hero worker [--listen=HOST:PORT] [--threads=N] [--data_dir=DIR]
//             [--tls_cert= --tls_key= [--tls_client_ca=]] [--token_file=]
//             [--insecure] [--grace=SECONDS] [--worker_id=ID]
//             [--port_file=FILE]
//
// A gRPC evaluation worker: trains candidates for coordinators started with
// --workers. SIGTERM or SIGINT drains it: NOT_SERVING, no new work, calls in
// flight finish within --grace, then exit 0.
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/distributed/security.h"
#include "src/distributed/targets.h"
#include "src/distributed/worker_server.h"
#include "src/distributed/worker_service.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "worker";
  return buf;
}

}  // namespace

int RunWorker(const Args& args) {
  FlagSet flags(
      "worker", "",
      "A gRPC evaluation worker: trains candidate programs for coordinators "
      "(hero search,\ntune, compare, simplify with --workers=HOST:PORT,...), "
      "with exactly the code of a\nlocal evaluation, and serves the standard "
      "grpc.health.v1 health service.\n\nIt validates every request (program, "
      "task config, sizes) and answers bad ones\nwith INVALID_ARGUMENT. "
      "Plaintext is allowed only on loopback (or with --insecure);\notherwise "
      "give --tls_cert and --tls_key (and --tls_client_ca to require client\n"
      "certificates). SIGTERM/SIGINT: reports NOT_SERVING, takes no new work, "
      "lets\nevaluations in flight finish within --grace seconds (the rest "
      "are handed back to\ntheir coordinators), then exits 0.");
  std::string listen = "127.0.0.1:50051";
  std::string health_listen;
  int64_t threads = 0;
  std::string data_dir = "/usr/share/datasets/fashion-mnist";
  ServerSecurityOptions security;
  double grace = 60;
  std::string worker_id = HostName();
  std::string port_file;
  int64_t max_request_bytes = 1 << 20;
  int64_t max_task_mb = 8192;
  std::string fingerprint_override;
  flags.AddString("listen", &listen,
                  "HOST:PORT to serve on (port 0: any free port)");
  flags.AddString("health_listen", &health_listen,
                  "also serve the health service (only) in plaintext on this "
                  "HOST:PORT, for Kubernetes gRPC probes, which cannot speak "
                  "TLS");
  flags.AddInt("threads", &threads,
               "evaluations run at once (0 = one per core); advertised to "
               "coordinators as slots");
  flags.AddString("data_dir", &data_dir,
                  "where the Fashion-MNIST files are (coordinators check "
                  "their checksum)");
  flags.AddString("tls_cert", &security.tls_cert,
                  "server certificate chain (PEM); turns TLS on");
  flags.AddString("tls_key", &security.tls_key, "its private key (PEM)");
  flags.AddString("tls_client_ca", &security.tls_client_ca,
                  "require client certificates signed by this CA (PEM): "
                  "mutual TLS");
  flags.AddString("token_file", &security.token_file,
                  "require this bearer token (TLS only)");
  flags.AddBool("insecure", &security.insecure,
                "serve plaintext on an address other machines can reach");
  flags.AddDouble("grace", &grace,
                  "seconds evaluations in flight get to finish on "
                  "SIGTERM/SIGINT");
  flags.AddString("worker_id", &worker_id,
                  "name reported to coordinators (default: the host name)");
  flags.AddString("port_file", &port_file,
                  "write the port served on to this file once listening");
  flags.AddInt("max_request_bytes", &max_request_bytes,
               "larger requests are refused (RESOURCE_EXHAUSTED)");
  flags.AddInt("max_task_mb", &max_task_mb,
               "refuse tasks whose model, state and activations need more "
               "memory than this (INVALID_ARGUMENT)");
  flags.AddString("test_only_semantics_fingerprint", &fingerprint_override,
                  "for tests: advertise this semantics fingerprint (so "
                  "coordinators refuse the worker)");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (!flags.positional().empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero worker: takes no arguments (see `hero worker --help`)"));
  }
  std::string host;
  int port = 0;
  if (!SplitHostPort(listen, &host, &port)) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        "--listen=", listen, ": expected HOST:PORT (e.g. 127.0.0.1:50051)")));
  }
  std::string health_host;
  int health_port = 0;
  if (!health_listen.empty() &&
      (!SplitHostPort(health_listen, &health_host, &health_port) ||
       health_port == 0)) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        "--health_listen=", health_listen,
        ": expected HOST:PORT with a fixed port (e.g. 0.0.0.0:50052)")));
  }
  if (threads < 0 || threads > 1024) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("--threads must be in [0, 1024], got ", threads)));
  }
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (!(grace >= 0 && grace <= 86400)) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("--grace must be in [0, 86400] seconds, got ", grace)));
  }
  if (max_request_bytes < 1024 || max_request_bytes > (64 << 20)) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("--max_request_bytes must be in [1024, 67108864], got ",
                     max_request_bytes)));
  }
  if (max_task_mb < 1) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("--max_task_mb must be >= 1, got ", max_task_mb)));
  }
  absl::StatusOr<ServerSecurity> server_security =
      MakeServerSecurity(security, host);
  if (!server_security.ok()) return ReportError(server_security.status());

  WorkerServiceOptions options;
  options.worker_id = worker_id;
  options.slots = static_cast<int>(threads);
  options.data_dir = data_dir;
  options.limits.max_task_bytes = max_task_mb << 20;
  options.token = server_security->token;
  options.require_tls = server_security->tls;
  options.semantics_fingerprint_override = fingerprint_override;
  absl::StatusOr<std::unique_ptr<WorkerService>> service =
      WorkerService::Create(options);
  if (!service.ok()) return ReportError(service.status());

  // SIGTERM and SIGINT are taken by sigwait below; block them before gRPC
  // starts its threads, which inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  WorkerServerOptions server_options;
  server_options.listen = listen;
  server_options.security = *server_security;
  server_options.health_listen = health_listen;
  server_options.max_request_bytes = static_cast<int>(max_request_bytes);
  absl::StatusOr<std::unique_ptr<WorkerServer>> server =
      WorkerServer::Start(server_options, service->get());
  if (!server.ok()) return ReportError(server.status());
  const InfoResponse& info = (*service)->info();
  std::cout << "hero worker " << worker_id << " listening on "
            << HostPort(host, (*server)->port()) << ": " << threads << " slot"
            << (threads == 1 ? "" : "s") << ", "
            << (server_security->mutual_tls ? "mutual TLS"
                : server_security->tls      ? "TLS"
                                            : "plaintext")
            << (server_security->token.empty() ? "" : " + token")
            << (health_listen.empty()
                    ? ""
                    : absl::StrCat(", health also on ", health_listen))
            << ", semantics " << info.semantics_fingerprint() << ", dataset "
            << info.dataset_checksum() << ", build " << info.build_id()
            << std::endl;
  if (!port_file.empty()) {
    if (absl::Status s = WriteFileAtomically(
            port_file, absl::StrCat((*server)->port(), "\n"));
        !s.ok()) {
      return ReportError(s);
    }
  }
  int signal = 0;
  sigwait(&signals, &signal);
  const int busy = (*service)->busy_slots();
  std::cout << "hero worker: " << (signal == SIGTERM ? "SIGTERM" : "SIGINT")
            << ": draining (" << busy << " evaluation" << (busy == 1 ? "" : "s")
            << " in flight, grace " << grace << "s)" << std::endl;
  const int abandoned = (*server)->Drain(absl::Seconds(grace));
  std::cout << "hero worker: stopped after " << (*service)->evaluations_served()
            << " evaluations"
            << (abandoned > 0
                    ? absl::StrCat(" (", abandoned, " handed back unfinished)")
                    : "")
            << std::endl;
  return kExitOk;
}

}  // namespace hero
