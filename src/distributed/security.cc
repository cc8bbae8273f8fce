#include "src/distributed/security.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/distributed/targets.h"

namespace hero {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;

absl::StatusOr<std::string> ReadSmallFile(const std::string& flag,
                                          const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", path, ": cannot read: ", std::strerror(errno)));
  }
  std::stringstream s;
  s << in.rdbuf();
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", path, ": cannot read (is it a directory?)"));
  }
  std::string text = s.str();
  if (text.size() > kMaxPemBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", path, ": larger than 1 MiB"));
  }
  return text;
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

BioPtr MemBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
                &BIO_free);
}

// Reads the PEM certificates in `path`; checks there is at least one and
// each is valid now. Returns the text.
absl::StatusOr<std::string> ReadCertificates(const std::string& flag,
                                             const std::string& path,
                                             X509Ptr* first) {
  absl::StatusOr<std::string> text = ReadSmallFile(flag, path);
  if (!text.ok()) return text.status();
  BioPtr bio = MemBio(*text);
  int count = 0;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                 &X509_free);
    if (cert == nullptr) break;
    ++count;
    if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, "=", path, ": certificate ", count, " has expired"));
    }
    if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, "=", path, ": certificate ", count, " is not valid yet"));
    }
    if (first != nullptr && count == 1) *first = std::move(cert);
  }
  ERR_clear_error();
  if (count == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", path,
                     ": no PEM certificate in it (expected "
                     "-----BEGIN CERTIFICATE-----)"));
  }
  return text;
}

// Reads the key in `path` and checks it belongs to `cert`.
absl::StatusOr<std::string> ReadKeyFor(const std::string& flag,
                                       const std::string& path,
                                       const std::string& cert_flag,
                                       X509* cert) {
  absl::StatusOr<std::string> text = ReadSmallFile(flag, path);
  if (!text.ok()) return text.status();
  BioPtr bio = MemBio(*text);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
             &EVP_PKEY_free);
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, "=", path,
        ": no unencrypted PEM private key in it (expected -----BEGIN ... "
        "PRIVATE KEY-----)"));
  }
  if (X509_check_private_key(cert, key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        flag, "=", path, ": the key does not match the certificate in ",
        cert_flag));
  }
  return text;
}

struct CertAndKey {
  std::string cert;
  std::string key;
};

// --tls_cert and --tls_key: both given, valid, and belonging together.
absl::StatusOr<CertAndKey> ReadCertAndKey(const std::string& cert_path,
                                          const std::string& key_path) {
  if (cert_path.empty() || key_path.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls_cert and --tls_key");
  }
  X509Ptr cert(nullptr, &X509_free);
  absl::StatusOr<std::string> cert_text =
      ReadCertificates("--tls_cert", cert_path, &cert);
  if (!cert_text.ok()) return cert_text.status();
  absl::StatusOr<std::string> key_text =
      ReadKeyFor("--tls_key", key_path, "--tls_cert", cert.get());
  if (!key_text.ok()) return key_text.status();
  return CertAndKey{*std::move(cert_text), *std::move(key_text)};
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile("--token_file", path);
  if (!text.ok()) return text.status();
  std::string token(absl::StripAsciiWhitespace(*text));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token_file=", path, ": empty"));
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--token_file=", path,
          ": a token is one line of printable ASCII without spaces"));
    }
  }
  return token;
}

}  // namespace

absl::StatusOr<ServerSecurity> MakeServerSecurity(
    const ServerSecurityOptions& o, const std::string& listen_host) {
  ServerSecurity s;
  const bool tls = !o.tls_cert.empty() || !o.tls_key.empty();
  if (!tls) {
    if (!o.tls_client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca needs --tls_cert and --tls_key");
    }
    if (!o.token_file.empty()) {
      return absl::InvalidArgumentError(
          "--token_file needs TLS (--tls_cert and --tls_key): a bearer token "
          "must not travel in plaintext");
    }
    if (!IsLoopbackHost(listen_host) && !o.insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen host ", listen_host,
          " is reachable from other machines: give --tls_cert and --tls_key "
          "(and --tls_client_ca for mutual TLS), or --insecure to serve "
          "plaintext anyway"));
    }
    s.credentials = grpc::InsecureServerCredentials();
    return s;
  }
  absl::StatusOr<CertAndKey> pair = ReadCertAndKey(o.tls_cert, o.tls_key);
  if (!pair.ok()) return pair.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({pair->key, pair->cert});
  if (!o.tls_client_ca.empty()) {
    absl::StatusOr<std::string> ca =
        ReadCertificates("--tls_client_ca", o.tls_client_ca, nullptr);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    s.mutual_tls = true;
  }
  if (!o.token_file.empty()) {
    absl::StatusOr<std::string> token = ReadToken(o.token_file);
    if (!token.ok()) return token.status();
    s.token = *token;
  }
  s.credentials = grpc::SslServerCredentials(ssl);
  s.tls = true;
  return s;
}

absl::StatusOr<ClientSecurity> MakeClientSecurity(
    const ClientSecurityOptions& o, const std::vector<std::string>& hosts) {
  ClientSecurity s;
  if (o.tls_ca.empty()) {
    if (!o.tls_cert.empty() || !o.tls_key.empty()) {
      return absl::InvalidArgumentError(
          "--tls_cert/--tls_key (a client certificate) need --tls_ca");
    }
    if (!o.token_file.empty()) {
      return absl::InvalidArgumentError(
          "--token_file needs TLS (--tls_ca): a bearer token must not "
          "travel in plaintext");
    }
    for (const std::string& host : hosts) {
      if (!IsLoopbackHost(host) && !o.insecure) {
        return absl::InvalidArgumentError(absl::StrCat(
            "worker host ", host,
            " is not on this machine: give --tls_ca (and --tls_cert/--tls_key "
            "for mutual TLS), or --insecure to talk plaintext anyway"));
      }
    }
    s.credentials = grpc::InsecureChannelCredentials();
    return s;
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca =
      ReadCertificates("--tls_ca", o.tls_ca, nullptr);
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *ca;
  if (!o.tls_cert.empty() || !o.tls_key.empty()) {  // Mutual TLS.
    absl::StatusOr<CertAndKey> pair = ReadCertAndKey(o.tls_cert, o.tls_key);
    if (!pair.ok()) return pair.status();
    ssl.pem_cert_chain = pair->cert;
    ssl.pem_private_key = pair->key;
  }
  if (!o.token_file.empty()) {
    absl::StatusOr<std::string> token = ReadToken(o.token_file);
    if (!token.ok()) return token.status();
    s.token = *token;
  }
  s.credentials = grpc::SslCredentials(ssl);
  s.tls = true;
  return s;
}

}  // namespace hero
