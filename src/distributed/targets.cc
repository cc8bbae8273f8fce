#include "src/distributed/targets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hero {

bool SplitHostPort(absl::string_view address, std::string* host, int* port) {
  absl::string_view h, p;
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    if (close == absl::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return false;
    }
    h = address.substr(1, close - 1);
    p = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) return false;
    h = address.substr(0, colon);
    p = address.substr(colon + 1);
    if (absl::StrContains(h, ':')) return false;  // Unbracketed IPv6.
  }
  int value = 0;
  if (h.empty() || p.empty() || !absl::SimpleAtoi(p, &value) || value < 0 ||
      value > 65535 || !std::all_of(p.begin(), p.end(), absl::ascii_isdigit)) {
    return false;
  }
  for (char c : h) {
    if (!(absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_' ||
          c == ':')) {
      return false;
    }
  }
  *host = std::string(h);
  *port = value;
  return true;
}

std::string HostPort(absl::string_view host, int port) {
  if (absl::StrContains(host, ':')) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost") || host == "::1") return true;
  in_addr v4;
  const std::string h(host);
  return inet_pton(AF_INET, h.c_str(), &v4) == 1 &&
         (ntohl(v4.s_addr) >> 24) == 127;
}

absl::StatusOr<std::vector<WorkerTarget>> ParseWorkerTargets(
    absl::string_view list, absl::string_view flag) {
  std::vector<WorkerTarget> out;
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    item = absl::StripAsciiWhitespace(item);
    WorkerTarget t;
    t.spec = std::string(item);
    absl::string_view address = item;
    if (absl::ConsumePrefix(&address, "dns:///")) {
      t.dns = true;
    } else if (absl::StrContains(item, "://") ||
               absl::StartsWith(item, "dns:")) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": `", item,
          "`: expected host:port or dns:///name:port (the only scheme)"));
    }
    if (!SplitHostPort(address, &t.host, &t.port) || t.port == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": `", item, "` is not host:port or dns:///name:port"));
    }
    for (const WorkerTarget& other : out) {
      if (other.spec == t.spec) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": `", item, "` is listed twice"));
      }
    }
    out.push_back(std::move(t));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " is empty"));
  }
  return out;
}

Resolver SystemResolver() {
  return [](const std::string& host,
            int port) -> absl::StatusOr<std::vector<std::string>> {
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (rc != 0) {
      return absl::NotFoundError(
          absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
    }
    std::vector<std::string> out;
    for (addrinfo* a = result; a != nullptr; a = a->ai_next) {
      char buf[INET6_ADDRSTRLEN] = {};
      const void* addr =
          a->ai_family == AF_INET
              ? static_cast<const void*>(
                    &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
              : static_cast<const void*>(
                    &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
      if (inet_ntop(a->ai_family, addr, buf, sizeof buf) != nullptr) {
        out.push_back(HostPort(buf, port));
      }
    }
    freeaddrinfo(result);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.empty()) {
      return absl::NotFoundError(absl::StrCat(host, " has no addresses"));
    }
    return out;
  };
}

}  // namespace hero
