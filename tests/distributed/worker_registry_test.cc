// WorkerRegistry's policies with explicit times: probing and backoff,
// least-loaded dispatch, exclusion after repeated failures, and workers
// joining and leaving a resolved name.
#include "src/distributed/worker_registry.h"

#include "gtest/gtest.h"

namespace hero {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1000000);

WorkerRegistry::Options Options() {
  WorkerRegistry::Options o;
  o.failures_to_exclude = 3;
  o.exclusion = absl::Seconds(30);
  o.min_probe_backoff = absl::Milliseconds(500);
  o.max_probe_backoff = absl::Seconds(4);
  return o;
}

TEST(WorkerRegistryTest, NewWorkersAreProbedOnceThenUp) {
  WorkerRegistry r(Options());
  EXPECT_EQ(r.SetAddresses("a:1", {"a:1"}), std::vector<int>({0}));
  EXPECT_EQ(r.SetAddresses("b:1", {"b:1"}), std::vector<int>({1}));
  EXPECT_EQ(r.DueForProbe(kT0), std::vector<int>({0, 1}));
  EXPECT_TRUE(r.DueForProbe(kT0).empty());  // Probing: not again.
  EXPECT_EQ(r.PickForDispatch(), -1);
  r.ProbeSucceeded(0, 2, "w0");
  EXPECT_EQ(r.up(), 1);
  EXPECT_EQ(r.slots_up(), 2);
  EXPECT_EQ(r.total(), 2);
  EXPECT_EQ(r.Find(0)->worker_id, "w0");
  EXPECT_EQ(r.PickForDispatch(), 0);
}

TEST(WorkerRegistryTest, UnreachableWorkersAreProbedWithDoublingBackoff) {
  WorkerRegistry r(Options());
  r.SetAddresses("a:1", {"a:1"});
  std::vector<absl::Duration> gaps;
  absl::Time now = kT0;
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(r.DueForProbe(now), std::vector<int>({0})) << i;
    r.ProbeFailed(0, "connection refused", now);
    EXPECT_EQ(r.Find(0)->state, WorkerState::kDown);
    EXPECT_TRUE(r.DueForProbe(now).empty());
    gaps.push_back(r.NextProbeTime() - now);
    now = r.NextProbeTime();
  }
  EXPECT_EQ(gaps,
            std::vector<absl::Duration>(
                {absl::Milliseconds(500), absl::Seconds(1), absl::Seconds(2),
                 absl::Seconds(4), absl::Seconds(4), absl::Seconds(4)}));
  EXPECT_EQ(r.Find(0)->last_error, "connection refused");
  ASSERT_EQ(r.DueForProbe(now), std::vector<int>({0}));
  r.ProbeSucceeded(0, 1, "w");
  EXPECT_EQ(r.up(), 1);
}

TEST(WorkerRegistryTest, DispatchGoesToTheLeastLoadedByShareOfSlots) {
  WorkerRegistry r(Options());
  r.SetAddresses("a", {"a:1", "b:1", "c:1"});
  r.DueForProbe(kT0);
  r.ProbeSucceeded(0, 4, "a");
  r.ProbeSucceeded(1, 1, "b");
  r.ProbeSucceeded(2, 2, "c");
  std::vector<int> order;
  for (int i = 0; i < 7; ++i) {
    const int w = r.PickForDispatch();
    ASSERT_GE(w, 0);
    order.push_back(w);
    r.CallStarted(w);
  }
  // a 0/4, b 0/1, c 0/2 tie → a (lowest id); b and c still at 0 → b; c;
  // a 1/4 < c 1/2 → a; a 2/4 = c 1/2, c has fewer in flight → c; then a
  // until it is full.
  EXPECT_EQ(order, std::vector<int>({0, 1, 2, 0, 2, 0, 0}));
  EXPECT_EQ(r.PickForDispatch(), -1);  // 4/4, 1/1, 2/2: full.
  r.CallEnded(1);
  EXPECT_EQ(r.PickForDispatch(), 1);
  // A retry avoids the worker that failed it while others are up...
  EXPECT_EQ(r.PickForDispatch(/*avoid=*/1), -1);
  r.CallEnded(0);
  EXPECT_EQ(r.PickForDispatch(/*avoid=*/1), 0);
}

TEST(WorkerRegistryTest, ARetryGoesBackOnlyToTheOnlyWorker) {
  WorkerRegistry r(Options());
  r.SetAddresses("a", {"a:1"});
  r.DueForProbe(kT0);
  r.ProbeSucceeded(0, 1, "a");
  EXPECT_EQ(r.PickForDispatch(/*avoid=*/0), 0);
}

TEST(WorkerRegistryTest, RepeatedFailuresExcludeThenReprobe) {
  WorkerRegistry r(Options());
  r.SetAddresses("a:1", {"a:1"});
  r.DueForProbe(kT0);
  r.ProbeSucceeded(0, 1, "w");
  for (int i = 0; i < 2; ++i) {
    r.CallStarted(0);
    r.CallEnded(0);
    EXPECT_FALSE(r.CallFailed(0, "garbage", /*unreachable=*/false, kT0));
    EXPECT_EQ(r.Find(0)->state, WorkerState::kUp);
  }
  r.CallStarted(0);
  r.CallEnded(0);
  EXPECT_TRUE(r.CallFailed(0, "garbage", false, kT0));
  EXPECT_EQ(r.Find(0)->state, WorkerState::kExcluded);
  EXPECT_EQ(r.exclusions(), 1);
  EXPECT_EQ(r.PickForDispatch(), -1);
  EXPECT_TRUE(r.DueForProbe(kT0 + absl::Seconds(29)).empty());
  EXPECT_EQ(r.DueForProbe(kT0 + absl::Seconds(30)), std::vector<int>({0}));
  r.ProbeSucceeded(0, 1, "w");
  // A clean slate: two more failures do not exclude it again.
  EXPECT_FALSE(r.CallFailed(0, "garbage", false, kT0));
  EXPECT_FALSE(r.CallFailed(0, "garbage", false, kT0));
  EXPECT_EQ(r.Find(0)->state, WorkerState::kUp);
}

TEST(WorkerRegistryTest, ASuccessResetsTheFailureCount) {
  WorkerRegistry r(Options());
  r.SetAddresses("a:1", {"a:1"});
  r.DueForProbe(kT0);
  r.ProbeSucceeded(0, 1, "w");
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(r.CallFailed(0, "x", false, kT0));
    EXPECT_FALSE(r.CallFailed(0, "x", false, kT0));
    r.CallSucceeded(0);
  }
  EXPECT_EQ(r.Find(0)->state, WorkerState::kUp);
}

TEST(WorkerRegistryTest, UnreachableGoesDownAtOnceAndCrashLoopsAreExcluded) {
  WorkerRegistry r(Options());
  r.SetAddresses("a:1", {"a:1"});
  absl::Time now = kT0;
  // A worker that dies on every call and comes back: probes succeed, calls
  // fail; the third failure in a row (probes do not reset the count) takes
  // effect once it is up again.
  for (int round = 0; round < 4; ++round) {
    ASSERT_EQ(r.DueForProbe(now), std::vector<int>({0})) << round;
    r.ProbeSucceeded(0, 1, "w");
    r.CallStarted(0);
    r.CallEnded(0);
    const bool excluded = r.CallFailed(0, "died", /*unreachable=*/true, now);
    EXPECT_EQ(excluded, round == 2) << round;
    EXPECT_EQ(r.Find(0)->state,
              round == 2 ? WorkerState::kExcluded : WorkerState::kDown);
    now = r.NextProbeTime();
  }
}

TEST(WorkerRegistryTest, AddressesJoinAndLeave) {
  WorkerRegistry r(Options());
  EXPECT_EQ(r.SetAddresses("dns:///w:1", {"10.0.0.1:1", "10.0.0.2:1"}),
            std::vector<int>({0, 1}));
  r.DueForProbe(kT0);
  r.ProbeSucceeded(0, 1, "p1");
  r.ProbeSucceeded(1, 1, "p2");
  r.CallStarted(0);
  // Pod 1 leaves while busy, pod 3 joins.
  EXPECT_EQ(r.SetAddresses("dns:///w:1", {"10.0.0.2:1", "10.0.0.3:1"}),
            std::vector<int>({2}));
  EXPECT_EQ(r.Find(0)->state, WorkerState::kGone);
  EXPECT_EQ(r.total(), 2);
  EXPECT_EQ(r.up(), 1);
  EXPECT_EQ(r.PickForDispatch(), 1);  // Never the gone one.
  r.CallEnded(0);                     // Its last call ends: forgotten.
  EXPECT_EQ(r.Find(0), nullptr);
  // Another origin's addresses are untouched.
  r.SetAddresses("x:1", {"x:1"});
  r.SetAddresses("dns:///w:1", {});
  EXPECT_EQ(r.Known(), std::vector<int>({3}));
}

}  // namespace
}  // namespace hero
