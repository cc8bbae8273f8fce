// Transport security of workers and coordinators: plaintext on loopback
// only (elsewhere with an explicit --insecure), otherwise TLS, mutual TLS
// when the worker names a client CA, and an optional bearer token, only
// over TLS.
//
//   ServerSecurityOptions o{.tls_cert = "w.crt", .tls_key = "w.key"};
//   absl::StatusOr<ServerSecurity> s = MakeServerSecurity(o, "0.0.0.0");
//   builder.AddListeningPort("0.0.0.0:50051", s->credentials);
//
// Every file is read and checked when the process starts — readable, PEM,
// a certificate that is valid today, a key that matches its certificate —
// and a problem is an InvalidArgument naming the file and the flag, so it
// does not surface later as an opaque "Socket closed" or UNAVAILABLE.
//
// Thread-safety: the functions are thread-safe; the results are immutable.
#ifndef HERO_DISTRIBUTED_SECURITY_H_
#define HERO_DISTRIBUTED_SECURITY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace hero {

struct ServerSecurityOptions {
  std::string tls_cert;       // --tls_cert: the worker's certificate chain.
  std::string tls_key;        // --tls_key: its private key.
  std::string tls_client_ca;  // --tls_client_ca: require client certs.
  std::string token_file;     // --token_file: require this bearer token.
  bool insecure = false;      // --insecure: plaintext off loopback.
};

struct ServerSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  bool tls = false;
  bool mutual_tls = false;
  std::string token;  // Empty: no token required.
};

// `listen_host` is the host part of --listen.
absl::StatusOr<ServerSecurity> MakeServerSecurity(
    const ServerSecurityOptions& options, const std::string& listen_host);

struct ClientSecurityOptions {
  std::string tls_ca;      // --tls_ca: CA that signed the workers' certs.
  std::string tls_cert;    // --tls_cert: client certificate (mutual TLS).
  std::string tls_key;     // --tls_key: its key.
  std::string token_file;  // --token_file: bearer token sent with calls.
  bool insecure = false;   // --insecure: plaintext to non-loopback workers.
};

struct ClientSecurity {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  bool tls = false;
  std::string token;  // Empty: none sent.
};

// `hosts` are the workers' hosts (to check the loopback rule).
absl::StatusOr<ClientSecurity> MakeClientSecurity(
    const ClientSecurityOptions& options,
    const std::vector<std::string>& hosts);

}  // namespace hero

#endif  // HERO_DISTRIBUTED_SECURITY_H_
