// A remote evaluation is bit-identical to a local one (same build, same
// machine): the same requests through a real `hero worker` process and
// through local threads give the same EvalResults, and a search with one
// one-slot worker writes exactly the journal of a local one-thread search.
#include <fstream>
#include <map>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "src/distributed/compatibility.h"
#include "src/distributed/grpc_pool.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"
#include "src/search/journal.h"
#include "tests/distributed/hero_process.h"

namespace hero {
namespace {

constexpr char kTinyTask[] = R"(
task {
  name: "tiny"
  data { train_examples: 2000 validation_examples: 500 test_examples: 500 }
  model { mlp { hidden: 16 } }
  train { steps: 60 batch_size: 32 peak_lr: 0.003 lam: 0.01 seeds: 1 seeds: 2 }
}
search {
  population_size: 10
  tournament_size: 3
  max_trained: 40
  log_every: 10
}
)";

TaskConfig Task() {
  TaskConfig t;
  t.mutable_data()->set_train_examples(2000);
  t.mutable_data()->set_validation_examples(500);
  t.mutable_data()->set_test_examples(500);
  t.mutable_model()->mutable_mlp()->add_hidden(16);
  t.mutable_train()->set_steps(60);
  t.mutable_train()->set_batch_size(32);
  t.mutable_train()->add_seeds(1);
  t.mutable_train()->add_seeds(2);
  return t;
}

std::vector<EvalRequest> Requests() {
  std::vector<EvalRequest> requests;
  for (const char* name : {"adamw.py", "hero_lion.py", "signum.py"}) {
    EvalRequest r;
    r.program = *ReadProgramFile(std::string("configs/programs/") + name);
    r.peak_lr = name[0] == 'a' ? 3e-3 : 3e-4;
    r.lam = 0.1;
    requests.push_back(r);
  }
  requests[0].with_test = true;
  requests[0].curve_points = 4;
  requests[1].seeds = {7};
  EvalRequest diverging;
  diverging.program = *ParseProgram(
      "def train(w, g, m, v, lr, λ):\n  update = g * 1e30\n"
      "  return update, m, v\n",
      "x.py");
  requests.push_back(diverging);
  // A program that does not learn (no update), stopped by a hurdle: the
  // hurdle crosses the wire.
  EvalRequest stalled;
  stalled.program = *ParseProgram(
      "def train(w, g, m, v, lr, λ):\n  update = g * 0\n"
      "  return update, m, v\n",
      "y.py");
  stalled.hurdle.fraction = 0.5;
  stalled.hurdle.max_loss = 2.2;
  requests.push_back(stalled);
  // The screen crosses the wire: a learner passes it unchanged, the
  // stalled program fails in it.
  requests[0].screen.steps = 20;
  requests[0].screen.batch_size = 8;
  stalled.screen = requests[0].screen;
  requests.push_back(stalled);
  return requests;
}

std::map<int64_t, EvalResult> EvaluateAll(EvaluationPool& pool) {
  std::map<int64_t, EvalResult> out;
  for (EvalRequest& r : Requests()) pool.Submit(r);
  while (pool.pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool.Next(absl::Seconds(120));
    EXPECT_TRUE(c.has_value());
    if (!c.has_value()) break;
    EXPECT_TRUE(c->status.ok()) << c->status;
    out[c->id] = c->result;
  }
  return out;
}

TEST(RemoteVsLocalTest, SameRequestsGiveBitIdenticalResults) {
  HeroProcess worker = HeroProcess::Worker("w", {"--threads=2"});
  ASSERT_TRUE(worker.WaitForPort()) << worker.err();

  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(Task(), "task");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto local = *LocalEvaluationPool::Create(
      2, *MakeProxyEvaluatorFactory(*spec, /*load_test=*/true));
  GrpcPoolOptions o;
  o.targets = *ParseWorkerTargets(worker.address());
  o.security.credentials = grpc::InsecureChannelCredentials();
  o.task = Task();
  o.expected_semantics = SemanticsFingerprint();
  o.expected_dataset = *DatasetChecksum(spec->data.data_dir);
  auto remote = *GrpcEvaluationPool::Create(o);

  const std::map<int64_t, EvalResult> a = EvaluateAll(*local);
  const std::map<int64_t, EvalResult> b = EvaluateAll(*remote);
  ASSERT_EQ(a.size(), 6u);
  ASSERT_EQ(b.size(), 6u);
  google::protobuf::util::MessageDifferencer diff;
  diff.IgnoreField(EvalResult::descriptor()->FindFieldByName("seconds"));
  diff.IgnoreField(
      EvalResult::descriptor()->FindFieldByName("examples_per_second"));
  for (const auto& [id, r] : a) {
    std::string report;
    diff.ReportDifferencesToString(&report);
    EXPECT_TRUE(diff.Compare(r, b.at(id))) << id << ": " << report;
  }
  EXPECT_EQ(a.at(0).status(), EvalResult::OK);
  EXPECT_TRUE(a.at(0).has_test_accuracy());
  EXPECT_EQ(a.at(0).curve_size(), 4);
  EXPECT_EQ(a.at(1).seed_val_accuracy_size(), 1);  // The seeds override.
  EXPECT_EQ(a.at(3).status(), EvalResult::FAILED);
  EXPECT_EQ(a.at(4).status(), EvalResult::FAILED);
  EXPECT_EQ(b.at(4).failure_reason().rfind("seed 1: hurdle: step 30:", 0), 0u)
      << b.at(4).failure_reason();
  EXPECT_EQ(b.at(4).steps(), 30);
  EXPECT_EQ(b.at(0).status(), EvalResult::OK);
  EXPECT_EQ(b.at(0).steps(), 120);
  EXPECT_EQ(b.at(5).failure_reason().rfind("screen: step 20:", 0), 0u)
      << b.at(5).failure_reason();
  EXPECT_EQ(b.at(5).steps(), 0);
}

// The journal without what is allowed to differ: timing and who evaluated.
std::vector<JournalRecord> Comparable(const std::string& path) {
  absl::StatusOr<JournalContents> c = ReadJournal(path);
  EXPECT_TRUE(c.ok()) << c.status();
  std::vector<JournalRecord> out = c->records;
  for (JournalRecord& r : out) {
    r.clear_eval_seconds();
    r.clear_elapsed_seconds();
    r.clear_worker();
  }
  return out;
}

TEST(RemoteVsLocalTest, OneWorkerOneSlotSearchReproducesTheLocalJournal) {
  const std::string config = TmpPath("tiny.textproto");
  { std::ofstream(config) << kTinyTask; }
  HeroProcess worker = HeroProcess::Worker("w1", {"--threads=1"});
  ASSERT_TRUE(worker.WaitForPort()) << worker.err();
  HeroProcess local("local", {"search", "--config=" + config, "--threads=1",
                              "--output_dir=" + TmpPath("local")});
  ASSERT_EQ(local.Wait(), 0) << local.err();
  HeroProcess remote("remote", {"search", "--config=" + config,
                                "--workers=" + worker.address(),
                                "--output_dir=" + TmpPath("remote")});
  ASSERT_EQ(remote.Wait(), 0) << remote.err();

  const std::vector<JournalRecord> a = Comparable(TmpPath("local/journal"));
  const std::vector<JournalRecord> b = Comparable(TmpPath("remote/journal"));
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 40u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a[i], b[i]))
        << i << ":\n"
        << a[i].DebugString() << "\n"
        << b[i].DebugString();
  }
  // Who evaluated: recorded per candidate.
  absl::StatusOr<JournalContents> raw = ReadJournal(TmpPath("remote/journal"));
  EXPECT_EQ(raw->records[1].worker(), worker.address());
  EXPECT_NE(ReadFileText(TmpPath("remote/history.csv"))
                .find("," + worker.address() + ",1,"),
            std::string::npos);
}

}  // namespace
}  // namespace hero
