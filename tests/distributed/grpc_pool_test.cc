// GrpcEvaluationPool against in-process workers that misbehave on purpose:
// garbage is retried elsewhere and its worker excluded, refusals that say
// nothing about the candidate are not counted, tries are bounded, and
// incompatible workers are refused by name. Every evaluation comes out of
// Next() exactly once.
#include "src/distributed/grpc_pool.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/distributed/fake_worker.h"

namespace hero {
namespace {

using Behavior = FakeWorker::Behavior;

GrpcPoolOptions Options(const std::vector<const FakeWorker*>& workers) {
  GrpcPoolOptions o;
  std::string list;
  for (const FakeWorker* w : workers) {
    absl::StrAppend(&list, list.empty() ? "" : ",", w->address());
  }
  if (!list.empty()) o.targets = *ParseWorkerTargets(list);
  o.security.credentials = grpc::InsecureChannelCredentials();
  o.expected_semantics = SemanticsFingerprint();
  o.expected_dataset = "data";
  o.retry_backoff = absl::Milliseconds(1);
  o.registry.min_probe_backoff = absl::Milliseconds(50);
  o.registry.max_probe_backoff = absl::Milliseconds(200);
  o.registry.exclusion = absl::Seconds(60);
  return o;
}

EvalRequest Request(double lr) {
  EvalRequest r;
  r.peak_lr = lr;
  return r;
}

// Submits n requests (lr = 0.001 * (i + 1)) and collects every completion.
std::map<int64_t, EvaluationPool::Completed> RunAll(GrpcEvaluationPool& pool,
                                                    int n) {
  for (int i = 0; i < n; ++i) pool.Submit(Request(0.001 * (i + 1)));
  std::map<int64_t, EvaluationPool::Completed> out;
  while (pool.pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool.Next(absl::Seconds(30));
    EXPECT_TRUE(c.has_value()) << "timed out";
    if (!c.has_value()) break;
    EXPECT_TRUE(out.emplace(c->id, *c).second) << "twice: " << c->id;
  }
  EXPECT_FALSE(pool.Next(absl::Milliseconds(50)).has_value());
  return out;
}

// One evaluation at a time, so the order of tries is deterministic.
std::map<int64_t, EvaluationPool::Completed> RunOneByOne(
    GrpcEvaluationPool& pool, int n) {
  std::map<int64_t, EvaluationPool::Completed> out;
  for (int i = 0; i < n; ++i) {
    const int64_t id = pool.Submit(Request(0.001 * (i + 1)));
    std::optional<EvaluationPool::Completed> c = pool.Next(absl::Seconds(30));
    EXPECT_TRUE(c.has_value()) << "timed out";
    if (!c.has_value()) break;
    EXPECT_EQ(c->id, id);
    out.emplace(c->id, *c);
  }
  return out;
}

TEST(GrpcPoolTest, GarbageIsRetriedElsewhereAndItsWorkerExcluded) {
  for (Behavior bad :
       {Behavior::kWrongId, Behavior::kNanAccuracy, Behavior::kWrongSeeds}) {
    FakeWorker garbage(bad), good(Behavior::kGood);
    // The garbage worker is listed first: idle workers tie, and the first
    // wins, so each evaluation tries it first until it is excluded.
    auto pool = *GrpcEvaluationPool::Create(Options({&garbage, &good}));
    ASSERT_TRUE(pool->WaitForFirstProbes(absl::Seconds(10)));
    const auto done = RunOneByOne(*pool, 20);
    ASSERT_EQ(done.size(), 20u);
    for (const auto& [id, c] : done) {
      ASSERT_TRUE(c.status.ok()) << c.status;
      EXPECT_EQ(c.evaluated_by, good.address());
      EXPECT_EQ(c.attempts, id < 3 ? 2 : 1) << id;
      EXPECT_DOUBLE_EQ(c.result.val_accuracy(), 0.001 * (id + 1));
    }
    const PoolStats s = pool->stats();
    EXPECT_EQ(s.exclusions, 1);
    EXPECT_EQ(garbage.calls(), 3);  // Then excluded for a minute.
    EXPECT_EQ(s.retries, 3);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(s.workers_up, 1);
    bool excluded_event = false;
    for (const std::string& e : pool->TakeEvents()) {
      excluded_event |= absl::StrContains(
          e, absl::StrCat("worker ", garbage.address(),
                          " excluded for 1m after 3 failures in a row (last: "
                          "answered garbage: "));
    }
    EXPECT_TRUE(excluded_event);
  }
}

TEST(GrpcPoolTest, TriesAreBoundedAndTheReasonKept) {
  FakeWorker a(Behavior::kNanAccuracy), b(Behavior::kNanAccuracy);
  GrpcPoolOptions o = Options({&a, &b});
  o.max_tries = 2;
  o.registry.failures_to_exclude = 100;
  auto pool = *GrpcEvaluationPool::Create(o);
  const auto done = RunAll(*pool, 3);
  ASSERT_EQ(done.size(), 3u);
  for (const auto& [id, c] : done) {
    EXPECT_EQ(c.status.code(), absl::StatusCode::kInternal);
    EXPECT_TRUE(absl::StartsWith(c.status.message(),
                                 "not evaluated: 2 tries failed (last, on "))
        << c.status;
    EXPECT_TRUE(absl::EndsWith(c.status.message(),
                               ": answered garbage: validation accuracy nan)"))
        << c.status;
    EXPECT_EQ(c.attempts, 2);
  }
  EXPECT_EQ(pool->stats().errors, 3);
  EXPECT_EQ(a.calls() + b.calls(), 6);
}

TEST(GrpcPoolTest, InvalidArgumentIsFinalAtOnce) {
  FakeWorker a(Behavior::kInvalid), b(Behavior::kInvalid);
  auto pool = *GrpcEvaluationPool::Create(Options({&a, &b}));
  const auto done = RunAll(*pool, 2);
  for (const auto& [id, c] : done) {
    EXPECT_EQ(c.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::EndsWith(
        c.status.message(), " rejected the request: request.program:1:1: nope"))
        << c.status;
  }
  EXPECT_EQ(a.calls() + b.calls(), 2);
  EXPECT_EQ(pool->stats().retries, 0);
}

TEST(GrpcPoolTest, DrainingAndBusyWorkersHandBackWithoutCountingATry) {
  FakeWorker draining(Behavior::kDraining), busy(Behavior::kBusy);
  GrpcPoolOptions o = Options({&draining, &busy});
  o.max_tries = 1;  // A counted failure would be an error at once.
  auto pool = *GrpcEvaluationPool::Create(o);
  ASSERT_TRUE(pool->WaitForFirstProbes(absl::Seconds(10)));
  for (int i = 0; i < 4; ++i) pool->Submit(Request(0.01));
  // Nothing completes while the only workers refuse...
  EXPECT_FALSE(pool->Next(absl::Milliseconds(500)).has_value());
  // ...until one of them takes work again.
  busy.set_behavior(Behavior::kGood);
  int completed = 0;
  while (pool->pending() > 0) {
    std::optional<EvaluationPool::Completed> c = pool->Next(absl::Seconds(30));
    ASSERT_TRUE(c.has_value());
    EXPECT_TRUE(c->status.ok()) << c->status;
    EXPECT_EQ(c->attempts, 1);
    EXPECT_EQ(c->evaluated_by, busy.address());
    ++completed;
  }
  EXPECT_EQ(completed, 4);
  EXPECT_EQ(pool->stats().retries, 0);
  EXPECT_EQ(pool->stats().errors, 0);
}

TEST(GrpcPoolTest, HungCallsHitTheDeadlineAndGoElsewhere) {
  FakeWorker hung(Behavior::kHang), good(Behavior::kGood);
  GrpcPoolOptions o = Options({&hung, &good});
  o.deadline = absl::Milliseconds(300);
  auto pool = *GrpcEvaluationPool::Create(o);
  ASSERT_TRUE(pool->WaitForFirstProbes(absl::Seconds(10)));
  const auto done = RunAll(*pool, 6);
  ASSERT_EQ(done.size(), 6u);
  int retried = 0;
  for (const auto& [id, c] : done) {
    ASSERT_TRUE(c.status.ok()) << c.status;
    EXPECT_EQ(c.evaluated_by, good.address());
    // A retry goes to the other worker: never a second try on the hung one.
    EXPECT_LE(c.attempts, 2);
    retried += c.attempts == 2;
  }
  EXPECT_GE(retried, 1);
  EXPECT_EQ(hung.calls(), retried);
  EXPECT_EQ(pool->stats().retries, retried);
}

TEST(GrpcPoolTest, IncompatibleWorkersAreRefusedByName) {
  FakeWorker other_build(Behavior::kGood, "data", "0123456789abcdef");
  FakeWorker other_data(Behavior::kGood, "deadbeef");
  auto pool = *GrpcEvaluationPool::Create(Options({&other_build, &other_data}));
  EXPECT_FALSE(pool->WaitForFirstProbes(absl::Seconds(10)));
  const std::vector<std::string> events = pool->TakeEvents();
  ASSERT_EQ(events.size(), 2u);
  std::set<std::string> set(events.begin(), events.end());
  EXPECT_EQ(set.count(absl::StrCat(
                "refusing worker ", other_build.address(), " (id fake-",
                other_build.address().substr(10),
                "): its language semantics fingerprint is 0123456789abcdef, "
                "ours ",
                SemanticsFingerprint(),
                " (another hero build or machine type: its results would "
                "differ)")),
            1u)
      << events[0] << "\n"
      << events[1];
  EXPECT_EQ(set.count(absl::StrCat(
                "refusing worker ", other_data.address(), " (id fake-",
                other_data.address().substr(10),
                "): its dataset checksum is deadbeef, ours data (other "
                "Fashion-MNIST files)")),
            1u);
  pool->Submit(Request(0.1));
  EXPECT_FALSE(pool->Next(absl::Milliseconds(300)).has_value());
  const PoolStats s = pool->stats();
  EXPECT_EQ(s.workers_up, 0);
  EXPECT_EQ(s.workers_total, 2);
  EXPECT_TRUE(absl::StartsWith(s.waiting,
                               "waiting: no worker up (2 known, 2 refused); "))
      << s.waiting;
  EXPECT_EQ(other_build.calls() + other_data.calls(), 0);
}

TEST(GrpcPoolTest, WaitsWithoutWorkersAndGoesOnWhenOneAppears) {
  // A port with nothing listening (the fake is stopped before use).
  std::string address;
  {
    FakeWorker gone(Behavior::kGood);
    address = gone.address();
  }
  GrpcPoolOptions o = Options({});
  o.targets = *ParseWorkerTargets(address);
  auto pool = *GrpcEvaluationPool::Create(o);
  pool->Submit(Request(0.2));
  EXPECT_FALSE(pool->Next(absl::Milliseconds(500)).has_value());
  EXPECT_TRUE(absl::StartsWith(pool->stats().waiting,
                               "waiting: no worker up (1 known)"))
      << pool->stats().waiting;
  EXPECT_EQ(pool->stats().errors, 0);
  // Now a worker on another port, reached through a name the pool
  // re-resolves: it joins, takes the waiting evaluation.
  FakeWorker late(Behavior::kGood);
  std::atomic<bool> published{false};
  GrpcPoolOptions d = Options({});
  d.targets = *ParseWorkerTargets("dns:///workers.test:1");
  d.resolve_every = absl::Milliseconds(100);
  d.resolver = [&](const std::string&,
                   int) -> absl::StatusOr<std::vector<std::string>> {
    if (!published) return absl::NotFoundError("no pods yet");
    return std::vector<std::string>{late.address()};
  };
  auto resolved = *GrpcEvaluationPool::Create(d);
  resolved->Submit(Request(0.3));
  EXPECT_FALSE(resolved->Next(absl::Milliseconds(300)).has_value());
  published = true;
  std::optional<EvaluationPool::Completed> c =
      resolved->Next(absl::Seconds(30));
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->status.ok());
  EXPECT_EQ(c->evaluated_by, late.address());
  EXPECT_DOUBLE_EQ(c->result.val_accuracy(), 0.3);
  EXPECT_EQ(resolved->stats().workers_up, 1);
}

TEST(GrpcPoolTest, ResolvedWorkersThatLeaveGetNoMoreWork) {
  FakeWorker a(Behavior::kGood), b(Behavior::kGood);
  std::atomic<int> phase{0};
  GrpcPoolOptions o = Options({});
  o.targets = *ParseWorkerTargets("dns:///workers.test:1");
  o.resolve_every = absl::Milliseconds(50);
  o.resolver = [&](const std::string&,
                   int) -> absl::StatusOr<std::vector<std::string>> {
    if (phase == 0) return std::vector<std::string>{a.address(), b.address()};
    return std::vector<std::string>{b.address()};
  };
  auto pool = *GrpcEvaluationPool::Create(o);
  ASSERT_TRUE(pool->WaitForFirstProbes(absl::Seconds(10)));
  EXPECT_EQ(pool->parallelism(), 2);
  phase = 1;
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(pool->parallelism(), 1);
  const int a_before = a.calls();
  const auto done = RunAll(*pool, 10);
  ASSERT_EQ(done.size(), 10u);
  EXPECT_EQ(a.calls(), a_before);
  for (const auto& [id, c] : done) EXPECT_EQ(c.evaluated_by, b.address());
}

TEST(GrpcPoolTest, RejectedCredentialsRefuseTheWorker) {
  FakeWorker strict(Behavior::kUnauthenticated), good(Behavior::kGood);
  auto pool = *GrpcEvaluationPool::Create(Options({&strict, &good}));
  ASSERT_TRUE(pool->WaitForFirstProbes(absl::Seconds(10)));
  const auto done = RunAll(*pool, 8);
  for (const auto& [id, c] : done) {
    EXPECT_TRUE(c.status.ok());
    EXPECT_EQ(c.attempts, 1);
  }
  EXPECT_LE(strict.calls(), 1);
}

}  // namespace
}  // namespace hero
