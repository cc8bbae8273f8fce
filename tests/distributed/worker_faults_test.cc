// Real `hero worker` processes on loopback, and the faults a week-long
// search meets: a worker killed (-9), hung (SIGSTOP), shut down (SIGTERM),
// none reachable at all, and the coordinator itself killed and resumed.
// What must hold: the budget is completed, the journal has each candidate
// exactly once, and no candidate is recorded as failed because of a fault.
#include <signal.h>

#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "src/distributed/compatibility.h"
#include "src/distributed/grpc_pool.h"
#include "src/program/program_proto.h"
#include "src/search/journal.h"
#include "tests/distributed/hero_process.h"

namespace hero {
namespace {

// About 50 ms per candidate.
constexpr char kSearch[] = R"(
task {
  name: "tiny"
  data { train_examples: 2000 validation_examples: 500 }
  model { mlp { hidden: 16 } }
  train { steps: 300 batch_size: 32 peak_lr: 0.003 lam: 0.01 }
}
search {
  population_size: 10
  tournament_size: 3
  max_trained: 120
  log_every: 10
}
)";

std::string WriteConfig(const std::string& name, const std::string& text) {
  const std::string path = TmpPath(name);
  std::ofstream(path) << text;
  return path;
}

struct JournalCheck {
  int trained = 0;
  int errors = 0;
  int failed = 0;
  bool duplicate = false;
};

JournalCheck CheckJournal(const std::string& path) {
  JournalCheck c;
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  EXPECT_TRUE(j.ok()) << j.status();
  std::set<int64_t> ids;
  for (const JournalRecord& r : j->records) {
    if (r.kind() != JournalRecord::CHILD &&
        r.kind() != JournalRecord::WARM_START) {
      continue;
    }
    c.duplicate |= !ids.insert(r.id()).second;
    c.errors += r.status() == EvalResult::ERROR;
    c.failed += r.status() == EvalResult::FAILED;
    // The warm start counts as trained, as in the search's budget.
    if (r.cache_hit().empty() && r.status() != EvalResult::ERROR) ++c.trained;
  }
  return c;
}

int JournalLines(const std::string& path) {
  int n = 0;
  for (char ch : ReadFileText(path)) n += ch == '\n';
  return n;
}

bool WaitFor(const std::function<bool()>& done, int seconds) {
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

TEST(WorkerFaultsTest, KillNineOneOfThreeWorkersMidSearch) {
  const std::string config = WriteConfig("kill.textproto", kSearch);
  HeroProcess w1 = HeroProcess::Worker("k1", {"--threads=1"});
  HeroProcess w2 = HeroProcess::Worker("k2", {"--threads=1"});
  HeroProcess w3 = HeroProcess::Worker("k3", {"--threads=1"});
  for (HeroProcess* w : {&w1, &w2, &w3})
    ASSERT_TRUE(w->WaitForPort()) << w->err();
  const std::string dir = TmpPath("kill_run");
  HeroProcess search(
      "kill_search",
      {"search", "--config=" + config, "--output_dir=" + dir,
       "--workers=" + w1.address() + "," + w2.address() + "," + w3.address()});
  ASSERT_TRUE(
      WaitFor([&] { return JournalLines(dir + "/journal") >= 40; }, 120));
  w2.Signal(SIGKILL);
  EXPECT_EQ(w2.Wait(), 128 + SIGKILL);
  ASSERT_EQ(search.Wait(), 0) << search.err();
  const JournalCheck c = CheckJournal(dir + "/journal");
  EXPECT_EQ(c.trained, 120);
  EXPECT_FALSE(c.duplicate);
  EXPECT_EQ(c.errors, 0);
  // Failures are the programs' own (they diverged), never the kill's.
  absl::StatusOr<JournalContents> j = ReadJournal(dir + "/journal");
  for (const JournalRecord& r : j->records) {
    if (r.status() == EvalResult::FAILED) {
      EXPECT_TRUE(absl::StrContains(r.failure_reason(), "step "))
          << r.failure_reason();
    }
  }
  const std::string summary = ReadFileText(dir + "/summary.json");
  EXPECT_TRUE(absl::StrContains(summary, "\"up\": 2,")) << summary;
  EXPECT_TRUE(absl::StrContains(summary, "\"total\": 3,")) << summary;
  EXPECT_TRUE(
      absl::StrContains(search.err(), "worker " + w2.address() + " down: "))
      << search.err();
}

// Long evaluations (a few seconds each) for the pool-level tests.
TaskConfig LongTask() {
  TaskConfig t;
  t.mutable_data()->set_train_examples(2000);
  t.mutable_data()->set_validation_examples(500);
  t.mutable_model()->mutable_mlp()->add_hidden(64);
  t.mutable_train()->set_steps(5000);
  t.mutable_train()->set_batch_size(128);
  return t;
}

std::unique_ptr<GrpcEvaluationPool> Pool(const std::string& workers) {
  GrpcPoolOptions o;
  o.targets = *ParseWorkerTargets(workers);
  o.security.credentials = grpc::InsecureChannelCredentials();
  o.task = LongTask();
  o.expected_semantics = SemanticsFingerprint();
  o.expected_dataset = *DatasetChecksum("/usr/share/datasets/fashion-mnist");
  // Far beyond the test's time limit: only keepalive can notice a hang.
  o.deadline = absl::Minutes(30);
  o.registry.min_probe_backoff = absl::Milliseconds(100);
  o.registry.max_probe_backoff = absl::Milliseconds(500);
  return *GrpcEvaluationPool::Create(o);
}

EvalRequest AdamW(double lr) {
  EvalRequest r;
  r.program = *ReadProgramFile("configs/programs/adamw.py");
  r.peak_lr = lr;
  r.lam = 0.01;
  return r;
}

// Waits until `worker` reports `busy` slots busy (through a pool probe is
// not possible: ask it directly).
bool Busy(const HeroProcess& worker, int busy) {
  auto stub = Worker::NewStub(grpc::CreateChannel(
      worker.address(), grpc::InsecureChannelCredentials()));
  return WaitFor(
      [&] {
        grpc::ClientContext context;
        InfoRequest request;
        InfoResponse response;
        return stub->Info(&context, request, &response).ok() &&
               response.busy_slots() == busy;
      },
      60);
}

// Two one-slot workers, each evaluating one of two long evaluations.
struct TwoBusyWorkers {
  TwoBusyWorkers(const std::string& name, std::vector<std::string> a_flags)
      : a(HeroProcess::Worker(name + "_a", a_flags)),
        b(HeroProcess::Worker(name + "_b", {"--threads=1"})) {
    if (!a.WaitForPort() || !b.WaitForPort()) return;
    pool = Pool(a.address() + "," + b.address());
    if (!pool->WaitForFirstProbes(absl::Seconds(30))) return;
    pool->Submit(AdamW(1e-3));
    pool->Submit(AdamW(3e-3));
    ready = Busy(a, 1) && Busy(b, 1);
  }
  HeroProcess a, b;
  std::unique_ptr<GrpcEvaluationPool> pool;
  bool ready = false;
};

TEST(WorkerFaultsTest, AHungWorkerIsDetectedByKeepaliveAndItsWorkResent) {
  TwoBusyWorkers w("stop", {"--threads=1"});
  ASSERT_TRUE(w.ready);
  HeroProcess& a = w.a;
  HeroProcess& b = w.b;
  auto& pool = w.pool;
  a.Signal(SIGSTOP);
  std::vector<EvaluationPool::Completed> done;
  while (pool->pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool->Next(absl::Minutes(5));
    ASSERT_TRUE(c.has_value()) << "the hung worker was not detected";
    done.push_back(*c);
  }
  ASSERT_EQ(done.size(), 2u);
  int resent = 0;
  for (const auto& c : done) {
    EXPECT_TRUE(c.status.ok()) << c.status;
    EXPECT_EQ(c.result.status(), EvalResult::OK);
    EXPECT_EQ(c.evaluated_by, b.address());
    resent += c.attempts == 2;
  }
  EXPECT_EQ(resent, 1);
  EXPECT_EQ(pool->stats().retries, 1);
  bool down = false;
  for (const std::string& e : pool->TakeEvents()) {
    down |= absl::StartsWith(e, "worker " + a.address() + " down: ");
  }
  EXPECT_TRUE(down);
  // Woken up, it finishes (or abandons) its old evaluation; nothing of it
  // comes out of the pool, and the worker is taken back.
  a.Signal(SIGCONT);
  EXPECT_FALSE(pool->Next(absl::Seconds(6)).has_value());
  EXPECT_EQ(pool->pending(), 0);
  EXPECT_TRUE(WaitFor([&] { return pool->stats().workers_up == 2; }, 30));
}

int Health(const HeroProcess& worker) { return HealthStatus(worker.address()); }

TEST(WorkerFaultsTest, SigtermDrainsLettingEvaluationsInFlightFinish) {
  TwoBusyWorkers w("term", {"--threads=1"});
  ASSERT_TRUE(w.ready);
  HeroProcess& a = w.a;
  HeroProcess& b = w.b;
  auto& pool = w.pool;
  EXPECT_EQ(Health(a), 1);
  a.Signal(SIGTERM);
  EXPECT_TRUE(WaitFor([&] { return Health(a) == 2; }, 10));  // NOT_SERVING.
  EXPECT_EQ(a.Wait(), 0) << a.err();
  std::set<std::string> by;
  while (pool->pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool->Next(absl::Minutes(5));
    ASSERT_TRUE(c.has_value());
    EXPECT_TRUE(c->status.ok()) << c->status;
    EXPECT_EQ(c->attempts, 1);
    by.insert(c->evaluated_by);
  }
  // The drained worker finished its evaluation before exiting.
  EXPECT_EQ(by, std::set<std::string>({a.address(), b.address()}));
  EXPECT_TRUE(absl::StrContains(a.out(), "draining (1 evaluation in flight"))
      << a.out();
  EXPECT_TRUE(absl::StrContains(a.out(), "stopped after 1 evaluations\n"))
      << a.out();
}

TEST(WorkerFaultsTest, SigtermWithoutGraceHandsTheWorkBack) {
  TwoBusyWorkers w("nograce", {"--threads=1", "--grace=0"});
  ASSERT_TRUE(w.ready);
  HeroProcess& a = w.a;
  HeroProcess& b = w.b;
  auto& pool = w.pool;
  a.Signal(SIGTERM);
  EXPECT_EQ(a.Wait(), 0) << a.err();
  int done = 0;
  while (pool->pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool->Next(absl::Minutes(5));
    ASSERT_TRUE(c.has_value());
    EXPECT_TRUE(c->status.ok()) << c->status;
    EXPECT_EQ(c->evaluated_by, b.address());
    EXPECT_EQ(c->attempts, 1);  // Handed back: not a failed try.
    ++done;
  }
  EXPECT_EQ(done, 2);
  EXPECT_EQ(pool->stats().retries, 0);
  EXPECT_TRUE(absl::StrContains(a.out(), "(1 handed back unfinished)"))
      << a.out();
}

TEST(WorkerFaultsTest, WaitsWhileNoWorkerIsUpThenFinishes) {
  const std::string config = WriteConfig("wait.textproto", kSearch);
  const int port = UnusedPort();
  const std::string dir = TmpPath("wait_run");
  HeroProcess search("wait_search",
                     {"search", "--config=" + config, "--output_dir=" + dir,
                      "--workers=127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(WaitFor(
      [&] {
        return absl::StrContains(search.err(),
                                 "waiting: no worker up (1 known");
      },
      60))
      << search.err();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_TRUE(search.Running());
  EXPECT_EQ(JournalLines(dir + "/journal"), 1);  // The header only.
  HeroProcess worker = HeroProcess::Worker("late", {"--threads=2"}, port);
  ASSERT_TRUE(worker.WaitForPort()) << worker.err();
  ASSERT_EQ(search.Wait(), 0) << search.err();
  const JournalCheck c = CheckJournal(dir + "/journal");
  EXPECT_EQ(c.trained, 120);
  EXPECT_EQ(c.errors, 0);
  EXPECT_FALSE(c.duplicate);
}

TEST(WorkerFaultsTest, CoordinatorKillNineAndResumeWithWorkers) {
  const std::string config = WriteConfig("resume.textproto", kSearch);
  HeroProcess w1 = HeroProcess::Worker("r1", {"--threads=1"});
  HeroProcess w2 = HeroProcess::Worker("r2", {"--threads=1"});
  ASSERT_TRUE(w1.WaitForPort() && w2.WaitForPort());
  const std::string workers = w1.address() + "," + w2.address();
  const std::string dir = TmpPath("resume_run");
  {
    HeroProcess first("resume_first",
                      {"search", "--config=" + config, "--output_dir=" + dir,
                       "--workers=" + workers});
    ASSERT_TRUE(
        WaitFor([&] { return JournalLines(dir + "/journal") >= 50; }, 120));
    first.Signal(SIGKILL);
    ASSERT_EQ(first.Wait(), 128 + SIGKILL) << "ended before the kill";
  }
  const std::string before = ReadFileText(dir + "/journal");
  HeroProcess second("resume_second",
                     {"search", "--config=" + config, "--output_dir=" + dir,
                      "--workers=" + workers, "--resume"});
  ASSERT_EQ(second.Wait(), 0) << second.err();
  const std::string after = ReadFileText(dir + "/journal");
  const size_t complete = before.rfind('\n') + 1;
  EXPECT_EQ(after.substr(0, complete), before.substr(0, complete));
  const JournalCheck c = CheckJournal(dir + "/journal");
  EXPECT_EQ(c.trained, 120);
  EXPECT_FALSE(c.duplicate);
  EXPECT_EQ(c.errors, 0);
  // The workers served the second session too.
  EXPECT_TRUE(w1.Running() && w2.Running());
}

}  // namespace
}  // namespace hero
