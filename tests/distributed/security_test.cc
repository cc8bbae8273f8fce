// TLS files are checked when a worker or coordinator starts, and problems
// are named by flag and file; plaintext only on loopback unless --insecure;
// tokens only over TLS.
#include "src/distributed/security.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace hero {
namespace {

std::string Data(const std::string& name) {
  return "tests/distributed/testdata/" + name;
}

std::string Temp(const std::string& name, const std::string& contents) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path) << contents;
  return path;
}

TEST(ServerSecurityTest, PlaintextOnlyOnLoopbackUnlessInsecure) {
  ServerSecurityOptions o;
  EXPECT_TRUE(MakeServerSecurity(o, "127.0.0.1").ok());
  EXPECT_TRUE(MakeServerSecurity(o, "localhost").ok());
  absl::StatusOr<ServerSecurity> open = MakeServerSecurity(o, "0.0.0.0");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().message(),
            "--listen host 0.0.0.0 is reachable from other machines: give "
            "--tls_cert and --tls_key (and --tls_client_ca for mutual TLS), "
            "or --insecure to serve plaintext anyway");
  o.insecure = true;
  absl::StatusOr<ServerSecurity> insecure = MakeServerSecurity(o, "0.0.0.0");
  ASSERT_TRUE(insecure.ok());
  EXPECT_FALSE(insecure->tls);
}

TEST(ServerSecurityTest, TlsAndMutualTls) {
  ServerSecurityOptions o;
  o.tls_cert = Data("server.crt");
  o.tls_key = Data("server.key");
  absl::StatusOr<ServerSecurity> tls = MakeServerSecurity(o, "0.0.0.0");
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->tls);
  EXPECT_FALSE(tls->mutual_tls);
  o.tls_client_ca = Data("ca.crt");
  o.token_file = Data("token");
  absl::StatusOr<ServerSecurity> mtls = MakeServerSecurity(o, "0.0.0.0");
  ASSERT_TRUE(mtls.ok()) << mtls.status();
  EXPECT_TRUE(mtls->mutual_tls);
  EXPECT_EQ(mtls->token, "s3cret-token_42");
}

TEST(ServerSecurityTest, BadFilesAreNamedAtStartUp) {
  struct Case {
    std::string cert, key, ca, token;
    std::string message;
  };
  const std::string garbage = Temp("garbage.pem", "not a certificate\n");
  const std::string empty_token = Temp("empty_token", " \n");
  const std::string spaced_token = Temp("spaced_token", "two words\n");
  for (const Case& c : std::vector<Case>{
           {"/nonexistent.crt", Data("server.key"), "", "",
            "--tls_cert=/nonexistent.crt: cannot read: No such file or "
            "directory"},
           {garbage, Data("server.key"), "", "",
            "--tls_cert=" + garbage +
                ": no PEM certificate in it (expected -----BEGIN "
                "CERTIFICATE-----)"},
           {Data("server.crt"), Data("server.crt"), "", "",
            "--tls_key=" + Data("server.crt") +
                ": no unencrypted PEM private key in it (expected -----BEGIN "
                "... PRIVATE KEY-----)"},
           {Data("server.crt"), Data("client.key"), "", "",
            "--tls_key=" + Data("client.key") +
                ": the key does not match the certificate in --tls_cert"},
           {Data("expired.crt"), Data("expired.key"), "", "",
            "--tls_cert=" + Data("expired.crt") +
                ": certificate 1 has expired"},
           {Data("server.crt"), Data("server.key"), garbage, "",
            "--tls_client_ca=" + garbage +
                ": no PEM certificate in it (expected -----BEGIN "
                "CERTIFICATE-----)"},
           {Data("server.crt"), Data("server.key"), "", empty_token,
            "--token_file=" + empty_token + ": empty"},
           {Data("server.crt"), Data("server.key"), "", spaced_token,
            "--token_file=" + spaced_token +
                ": a token is one line of printable ASCII without spaces"},
           {Data("server.crt"), "", "", "",
            "TLS needs both --tls_cert and --tls_key"},
           {"", "", Data("ca.crt"), "",
            "--tls_client_ca needs --tls_cert and --tls_key"},
           {"", "", "", Data("token"),
            "--token_file needs TLS (--tls_cert and --tls_key): a bearer "
            "token must not travel in plaintext"},
       }) {
    ServerSecurityOptions o;
    o.tls_cert = c.cert;
    o.tls_key = c.key;
    o.tls_client_ca = c.ca;
    o.token_file = c.token;
    absl::StatusOr<ServerSecurity> s = MakeServerSecurity(o, "127.0.0.1");
    ASSERT_FALSE(s.ok()) << c.message;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.status().message(), c.message);
  }
}

TEST(ClientSecurityTest, LoopbackRuleAndFiles) {
  ClientSecurityOptions o;
  EXPECT_TRUE(MakeClientSecurity(o, {"127.0.0.1", "localhost"}).ok());
  absl::StatusOr<ClientSecurity> remote =
      MakeClientSecurity(o, {"127.0.0.1", "10.1.2.3"});
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.status().message(),
            "worker host 10.1.2.3 is not on this machine: give --tls_ca (and "
            "--tls_cert/--tls_key for mutual TLS), or --insecure to talk "
            "plaintext anyway");
  o.insecure = true;
  EXPECT_TRUE(MakeClientSecurity(o, {"10.1.2.3"}).ok());

  ClientSecurityOptions tls;
  tls.tls_ca = Data("ca.crt");
  tls.tls_cert = Data("client.crt");
  tls.tls_key = Data("client.key");
  tls.token_file = Data("token");
  absl::StatusOr<ClientSecurity> ok = MakeClientSecurity(tls, {"10.1.2.3"});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->tls);
  EXPECT_EQ(ok->token, "s3cret-token_42");
  tls.tls_key = Data("server.key");
  EXPECT_EQ(MakeClientSecurity(tls, {"10.1.2.3"}).status().message(),
            "--tls_key=" + Data("server.key") +
                ": the key does not match the certificate in --tls_cert");
  ClientSecurityOptions token_only;
  token_only.token_file = Data("token");
  EXPECT_EQ(MakeClientSecurity(token_only, {"127.0.0.1"}).status().message(),
            "--token_file needs TLS (--tls_ca): a bearer token must not "
            "travel in plaintext");
}

}  // namespace
}  // namespace hero
