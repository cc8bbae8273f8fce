// A worker trusts nothing it receives: raw clients send malformed,
// oversized and out-of-range requests, garbage bytes, no token and wrong
// certificates, and each gets the right status code while the worker keeps
// serving. Start-up checks and the refusal of an incompatible worker by
// name, through the `hero` binary.
#include <fstream>
#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "proto/worker.grpc.pb.h"
#include "tests/distributed/hero_process.h"

namespace hero {
namespace {

std::string Data(const std::string& name) {
  return "tests/distributed/testdata/" + name;
}

EvaluateRequest Valid() {
  EvaluateRequest r;
  r.set_request_id(1);
  r.set_program(
      "def train(w, g, m, v, lr, λ):\n  update = sign(g)\n"
      "  update = update * lr\n  return update, m, v\n");
  TaskConfig* t = r.mutable_task();
  t->mutable_data()->set_train_examples(1000);
  t->mutable_data()->set_validation_examples(200);
  t->mutable_model()->mutable_mlp()->add_hidden(8);
  t->mutable_train()->set_steps(20);
  t->mutable_train()->set_batch_size(16);
  r.set_peak_lr(1e-3);
  r.set_lam(0.1);
  return r;
}

class BadPeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    worker_ = new HeroProcess(
        HeroProcess::Worker("plain", {"--threads=2", "--max_task_mb=512"}));
    ASSERT_TRUE(worker_->WaitForPort()) << worker_->err();
  }
  static void TearDownTestSuite() { delete worker_; }

  static std::unique_ptr<Worker::Stub> Stub() {
    return Worker::NewStub(grpc::CreateChannel(
        worker_->address(), grpc::InsecureChannelCredentials()));
  }
  static grpc::Status Evaluate(const EvaluateRequest& request,
                               EvaluateResponse* response = nullptr) {
    grpc::ClientContext context;
    EvaluateResponse ignored;
    return Stub()->Evaluate(&context, request,
                            response != nullptr ? response : &ignored);
  }
  // The worker still answers Info and evaluates a good request.
  static void ExpectStillServing() {
    grpc::ClientContext context;
    InfoResponse info;
    ASSERT_TRUE(Stub()->Info(&context, InfoRequest(), &info).ok());
    EXPECT_EQ(info.worker_id(), "plain");
    EvaluateResponse response;
    const grpc::Status s = Evaluate(Valid(), &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.result().status(), EvalResult::OK);
    EXPECT_EQ(response.request_id(), 1u);
  }

  static HeroProcess* worker_;
};

HeroProcess* BadPeerTest::worker_ = nullptr;

TEST_F(BadPeerTest, InvalidRequestsAreNamedAndChangeNothing) {
  struct Case {
    std::function<void(EvaluateRequest&)> spoil;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](EvaluateRequest& r) {
         r.set_program("def train(w, g, m, v, lr, λ):\n  update = (g\n");
       },
       "request.program:2:"},
      {[](EvaluateRequest& r) {
         r.set_program(
             "def train(w, g, m, v, lr, λ):\n  update = sign(nope)\n"
             "  return update, m, v\n");
       },
       "request.program:2:17: "},
      {[](EvaluateRequest& r) { r.set_program(""); }, "request.program:"},
      {[](EvaluateRequest& r) {
         r.mutable_task()->mutable_train()->set_batch_size(0);
       },
       "task.train.batch_size: must be in [1, 4096], got 0"},
      {[](EvaluateRequest& r) {
         r.mutable_task()->mutable_train()->set_steps(-5);
       },
       "task.train.steps: must be in [1, 100000000], got -5"},
      {[](EvaluateRequest& r) {
         r.mutable_task()->mutable_model()->mutable_vit()->set_dim(4096);
         r.mutable_task()->mutable_model()->mutable_vit()->set_mlp_dim(16384);
         r.mutable_task()->mutable_model()->mutable_vit()->set_depth(64);
       },
       "this worker takes at most 512 MiB (--max_task_mb)"},
      {[](EvaluateRequest& r) { r.set_peak_lr(std::nan("")); },
       "peak_lr: must be in [0, 1000], got nan"},
      {[](EvaluateRequest& r) { r.set_lam(-1); },
       "lam: must be in [0, 1000], got -1"},
      {[](EvaluateRequest& r) { r.set_curve_points(1 << 30); },
       "curve_points: must be in [0, 10000], got 1073741824"},
      {[](EvaluateRequest& r) { r.set_hurdle_fraction(1.5); },
       "hurdle_fraction: must be in [0, 1], got 1.5"},
      {[](EvaluateRequest& r) {
         r.set_hurdle_fraction(0.2);
         r.set_hurdle_max_loss(std::nan(""));
       },
       "hurdle_max_loss: must be in (0, 1e6] with a hurdle, got nan"},
      {[](EvaluateRequest& r) { r.set_screen_steps(-1); },
       "screen_steps: must be in [0, 100000], got -1"},
      {[](EvaluateRequest& r) {
         r.set_screen_steps(30);
         r.set_screen_batch_size(64);
         r.set_screen_max_loss(0);
       },
       "screen_max_loss: must be in (0, 1e6] with a screen, got 0"},
      {[](EvaluateRequest& r) {
         r.set_screen_steps(30);
         r.set_screen_batch_size(1 << 20);
         r.set_screen_max_loss(2.2);
       },
       "screen_batch_size: must be in [1, task.train.batch_size = "},
      {[](EvaluateRequest& r) {
         for (int i = 0; i < 65; ++i) r.add_seeds(i);
       },
       "seeds: this worker takes at most 64 seeds, got 65"},
      {[](EvaluateRequest& r) {
         r.mutable_task()->mutable_data()->set_data_dir("/etc");
       },
       "task.data.data_dir: must be unset"},
      // Tens of thousands of distinct names (this once crashed the parser):
      // an ordinary error naming the limit it hits.
      {[](EvaluateRequest& r) {
         std::string text = "def train(w, g, m, v, lr, λ):\n";
         for (int i = 0; i < 20000; ++i) {
           absl::StrAppend(&text, "  t", i, " = update * 1.0\n");
         }
         r.set_program(text + "  return update, m, v\n");
       },
       "request.program:10002:3: more than 10000 statements (the statement "
       "limit)"},
      {[](EvaluateRequest& r) {
         std::string text = "def train(w, g, m, v, lr, λ):\n";
         for (int i = 0; i < 6000; ++i) {
           absl::StrAppend(&text, "  a", i, " = b", i, " * c", i, "\n");
         }
         r.set_program(text + "  return update, m, v\n");
       },
       "distinct names (the name limit)"},
  };
  for (const Case& c : cases) {
    EvaluateRequest r = Valid();
    c.spoil(r);
    const grpc::Status s = Evaluate(r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.message << ": " << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_message(), c.message))
        << s.error_message();
  }
  ExpectStillServing();
}

TEST_F(BadPeerTest, OversizedRequestsAreRefusedBeforeParsing) {
  EvaluateRequest r = Valid();
  r.set_program(std::string(2 << 20, '#'));  // Over the 1 MiB default.
  EXPECT_EQ(Evaluate(r).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ExpectStillServing();
}

TEST_F(BadPeerTest, GarbageBytesAreNotARequest) {
  grpc::GenericStub stub(grpc::CreateChannel(
      worker_->address(), grpc::InsecureChannelCredentials()));
  for (const std::string& bytes :
       // 13 bytes: a 5-byte varint field key, then " garbage".
       {std::string("\xff\xff\xff\xff\x0f garbage", 13),
        std::string("\x12\x05\x00\x01", 4), std::string(3000, '\x0a')}) {
    grpc::ClientContext context;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/hero.Worker/Evaluate", grpc::StubOptions(),
                   &request, &response,
                   [&](grpc::Status s) { done.set_value(s); });
    const grpc::Status s = done.get_future().get();
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.error_code(), grpc::StatusCode::UNAVAILABLE)
        << s.error_message();
  }
  ExpectStillServing();
}

TEST(TlsWorkerTest, CredentialsAreCheckedAndBadOnesRefused) {
  const std::string health = "127.0.0.1:" + std::to_string(UnusedPort());
  HeroProcess worker = HeroProcess::Worker(
      "tls",
      {"--threads=1", "--tls_cert=" + Data("server.crt"),
       "--tls_key=" + Data("server.key"), "--tls_client_ca=" + Data("ca.crt"),
       "--token_file=" + Data("token"), "--health_listen=" + health});
  ASSERT_TRUE(worker.WaitForPort()) << worker.err();
  // Kubernetes' probes cannot speak TLS: health answers in plaintext on its
  // own port, and nothing else does.
  EXPECT_EQ(HealthStatus(health), 1);
  {
    auto plain = Worker::NewStub(
        grpc::CreateChannel(health, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer s3cret-token_42");
    InfoResponse info;
    const grpc::Status s = plain->Info(&context, InfoRequest(), &info);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(s.error_message(), "this worker takes work over TLS only");
  }
  EXPECT_TRUE(absl::StrContains(worker.out(), "mutual TLS + token"))
      << worker.out();
  auto file = [](const std::string& name) { return ReadFileText(Data(name)); };
  auto call = [&](const std::shared_ptr<grpc::ChannelCredentials>& creds,
                  const std::string& token) {
    auto stub = Worker::NewStub(grpc::CreateChannel(worker.address(), creds));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    InfoResponse info;
    return stub->Info(&context, InfoRequest(), &info).error_code();
  };
  auto tls = [&](const std::string& cert, const std::string& key) {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = file("ca.crt");
    if (!cert.empty()) {
      o.pem_cert_chain = file(cert);
      o.pem_private_key = file(key);
    }
    return grpc::SslCredentials(o);
  };
  const std::string token = "s3cret-token_42";
  EXPECT_EQ(call(tls("client.crt", "client.key"), token), grpc::StatusCode::OK);
  EXPECT_EQ(call(tls("client.crt", "client.key"), ""),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(call(tls("client.crt", "client.key"), "wrong"),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(call(tls("stranger.crt", "stranger.key"), token),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(call(tls("", ""), token), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(call(grpc::InsecureChannelCredentials(), token),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(call(tls("client.crt", "client.key"), token), grpc::StatusCode::OK);
  EXPECT_TRUE(worker.Running());

  // A coordinator with the right files evaluates through it.
  std::ofstream(TmpPath("tiny.cfg"))
      << "task { data { train_examples: 1000 validation_examples: 200 } "
         "model { mlp { hidden: 8 } } train { steps: 20 batch_size: 16 } }\n";
  HeroProcess tune(
      "tls_tune",
      {"tune", "configs/programs/signum.py", "--config=" + TmpPath("tiny.cfg"),
       "--lr=1e-3", "--lam=0.1", "--workers=" + worker.address(),
       "--tls_ca=" + Data("ca.crt"), "--tls_cert=" + Data("client.crt"),
       "--tls_key=" + Data("client.key"), "--token_file=" + Data("token")});
  EXPECT_EQ(tune.Wait(), 0) << tune.err();
  EXPECT_TRUE(absl::StrContains(tune.out(), "best: peak_lr 0.001"))
      << tune.out();
}

TEST(WorkerStartupTest, ProblemsAreReportedByFileAndFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--tls_cert=/missing.crt", "--tls_key=" + Data("server.key")},
            "error: --tls_cert=/missing.crt: cannot read: No such file or "
            "directory\n"},
           {{"--tls_cert=" + Data("server.crt"),
             "--tls_key=" + Data("client.key")},
            "error: --tls_key=" + Data("client.key") +
                ": the key does not match the certificate in --tls_cert\n"},
           {{"--tls_cert=" + Data("expired.crt"),
             "--tls_key=" + Data("expired.key")},
            "error: --tls_cert=" + Data("expired.crt") +
                ": certificate 1 has expired\n"},
           {{"--listen=0.0.0.0:0"},
            "error: --listen host 0.0.0.0 is reachable from other machines: "
            "give --tls_cert and --tls_key (and --tls_client_ca for mutual "
            "TLS), or --insecure to serve plaintext anyway\n"},
           {{"--token_file=" + Data("token")},
            "error: --token_file needs TLS (--tls_cert and --tls_key): a "
            "bearer token must not travel in plaintext\n"},
           {{"--listen=nonsense"},
            "error: --listen=nonsense: expected HOST:PORT (e.g. "
            "127.0.0.1:50051)\n"},
           {{"--data_dir=/nonexistent"},
            "error: --data_dir=/nonexistent: /nonexistent/"
            "train-images-idx3-ubyte.gz: cannot read: No such file or "
            "directory (install the data with `apt-get install "
            "dataset-fashion-mnist`)\n"},
       }) {
    std::vector<std::string> args = {"worker"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    HeroProcess p("startup", args);
    EXPECT_EQ(p.Wait(), 2) << p.err();
    EXPECT_EQ(p.err(), c.message);
  }
  // The coordinator checks its files before contacting anyone.
  HeroProcess coordinator(
      "bad_coordinator",
      {"tune", "configs/programs/signum.py",
       "--config=configs/quickstart.textproto", "--workers=10.0.0.1:50051",
       "--tls_ca=/missing-ca.crt"});
  EXPECT_EQ(coordinator.Wait(), 2);
  EXPECT_EQ(coordinator.err(),
            "error: --tls_ca=/missing-ca.crt: cannot read: No such file or "
            "directory\n");
  HeroProcess plaintext(
      "plaintext_coordinator",
      {"tune", "configs/programs/signum.py",
       "--config=configs/quickstart.textproto", "--workers=10.0.0.1:50051"});
  EXPECT_EQ(plaintext.Wait(), 2);
  EXPECT_TRUE(absl::StrContains(plaintext.err(),
                                "worker host 10.0.0.1 is not on this machine"))
      << plaintext.err();
}

TEST(IncompatibleWorkerTest, IsRefusedByName) {
  HeroProcess good = HeroProcess::Worker("good", {"--threads=1"});
  HeroProcess odd = HeroProcess::Worker(
      "odd",
      {"--threads=1", "--test_only_semantics_fingerprint=0123456789abcdef"});
  ASSERT_TRUE(good.WaitForPort() && odd.WaitForPort());
  std::ofstream(TmpPath("odd.cfg"))
      << "task { data { train_examples: 1000 validation_examples: 200 } "
         "model { mlp { hidden: 8 } } train { steps: 20 batch_size: 16 } }\n";
  HeroProcess tune(
      "odd_tune",
      {"tune", "configs/programs/signum.py", "--config=" + TmpPath("odd.cfg"),
       "--lr=1e-3,3e-3", "--lam=0.1",
       "--workers=" + good.address() + "," + odd.address()});
  EXPECT_EQ(tune.Wait(), 0) << tune.err();
  EXPECT_TRUE(absl::StrContains(
      tune.err(), "hero: refusing worker " + odd.address() +
                      " (id odd): its language semantics fingerprint is "
                      "0123456789abcdef, ours "))
      << tune.err();
  EXPECT_TRUE(absl::StrContains(
      tune.err(), "hero: worker " + good.address() + " up (id good"))
      << tune.err();
}

}  // namespace
}  // namespace hero
