// Worker addresses as the user writes them in --workers, and their
// resolution.
//
//   absl::StatusOr<std::vector<WorkerTarget>> targets = ParseWorkerTargets(
//       "127.0.0.1:50051,dns:///hero-workers.search.svc.cluster.local:50051");
//   absl::StatusOr<std::vector<std::string>> addresses =
//       SystemResolver()("hero-workers.search.svc.cluster.local", 50051);
//
// A `host:port` target is one worker (gRPC resolves the host when it
// connects). A `dns:///name:port` target stands for every address the name
// resolves to — a Kubernetes headless Service lists one per pod — and the
// coordinator re-resolves it periodically, because gRPC C++ keeps one
// connection per channel and would not notice new pods by itself. IPv6
// literals are written in brackets: `[::1]:50051`.
//
// Thread-safety: the functions are thread-safe; a Resolver may be called
// from any thread.
#ifndef HERO_DISTRIBUTED_TARGETS_H_
#define HERO_DISTRIBUTED_TARGETS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hero {

struct WorkerTarget {
  std::string spec;  // As given ("dns:///name:50051").
  bool dns = false;  // A name re-resolved into several workers.
  std::string host;  // Without brackets.
  int port = 0;
};

// Splits and checks a comma-separated --workers list. Errors
// (InvalidArgument) name `flag` and the bad entry.
absl::StatusOr<std::vector<WorkerTarget>> ParseWorkerTargets(
    absl::string_view list, absl::string_view flag = "--workers");

// "host:port", with brackets around an IPv6 host.
std::string HostPort(absl::string_view host, int port);

// Splits "host:port" / "[v6]:port"; false if malformed or port not in
// [0, 65535].
bool SplitHostPort(absl::string_view address, std::string* host, int* port);

// True for names and literals that stay on this machine: localhost,
// 127.0.0.0/8, ::1.
bool IsLoopbackHost(absl::string_view host);

// Resolves `host` to the addresses to connect to ("10.0.0.7:50051"),
// sorted and without duplicates. NotFound if it resolves to nothing.
using Resolver = std::function<absl::StatusOr<std::vector<std::string>>(
    const std::string& host, int port)>;

// getaddrinfo(3), IPv4 and IPv6.
Resolver SystemResolver();

}  // namespace hero

#endif  // HERO_DISTRIBUTED_TARGETS_H_
