// EvaluateAll over a real LocalEvaluationPool and over a pool whose workers
// fail: results in request order, progress reported, errors named.
#include "src/evaluation/evaluate_all.h"

#include <atomic>
#include <deque>

#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"

namespace hero {
namespace {

// Scores a request by its peak lr (so the order of results is checkable).
class LrEvaluator : public Evaluator {
 public:
  EvalResult Evaluate(const EvalRequest& request) override {
    EvalResult r;
    r.set_status(EvalResult::OK);
    r.set_val_accuracy(request.peak_lr);
    return r;
  }
};

EvaluatorFactory LrFactory() {
  return []() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
    return std::unique_ptr<Evaluator>(new LrEvaluator());
  };
}

std::vector<EvalRequest> Requests(int n) {
  std::vector<EvalRequest> requests(n);
  for (int i = 0; i < n; ++i) requests[i].peak_lr = 0.01 * (i + 1);
  return requests;
}

TEST(EvaluateAllTest, ResultsInRequestOrderWithProgress) {
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(3, LrFactory());
  ASSERT_TRUE(pool.ok());
  std::vector<int> done;
  absl::StatusOr<std::vector<EvalResult>> results =
      EvaluateAll(**pool, Requests(20), [&](const BatchProgress& p) {
        EXPECT_EQ(p.total, 20);
        if (done.empty() || done.back() != p.done) done.push_back(p.done);
      });
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_DOUBLE_EQ((*results)[i].val_accuracy(), 0.01 * (i + 1)) << i;
  }
  EXPECT_EQ(done.back(), 20);
  for (size_t i = 1; i < done.size(); ++i) EXPECT_GT(done[i], done[i - 1]);
  EXPECT_EQ((*pool)->pending(), 0);
  // An empty batch is fine.
  absl::StatusOr<std::vector<EvalResult>> none = EvaluateAll(**pool, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// Completes everything at once; request number `fail` (0-based) as an error.
class FailingPool : public EvaluationPool {
 public:
  explicit FailingPool(int fail) : fail_(fail) {}
  int64_t Submit(EvalRequest request) override {
    Completed c;
    c.id = next_id_++;
    if (c.id == fail_) {
      c.status = absl::DeadlineExceededError("worker a:1 hung (2 tries)");
    } else {
      c.result.set_val_accuracy(request.peak_lr);
    }
    done_.push_back(std::move(c));
    return done_.back().id;
  }
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration) override {
    if (done_.empty()) return std::nullopt;
    Completed c = std::move(done_.front());
    done_.pop_front();
    return c;
  }
  int pending() const override { return static_cast<int>(done_.size()); }
  int parallelism() const override { return 1; }

 private:
  int fail_;
  int64_t next_id_ = 0;
  std::deque<Completed> done_;
};

TEST(EvaluateAllTest, AWorkerErrorFailsTheBatchNamingTheRequest) {
  FailingPool pool(/*fail=*/2);
  absl::StatusOr<std::vector<EvalResult>> results =
      EvaluateAll(pool, Requests(4));
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(results.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(results.status().message(),
            "evaluation 3 of 4 could not be done: worker a:1 hung (2 tries)");
}

TEST(EvaluateAllTest, RefusesAPoolWithOtherWorkPending) {
  FailingPool pool(/*fail=*/-1);
  pool.Submit(EvalRequest());
  absl::StatusOr<std::vector<EvalResult>> results =
      EvaluateAll(pool, Requests(2));
  EXPECT_EQ(results.status().code(), absl::StatusCode::kInternal);
}

// Blocks every evaluation until released.
class GateEvaluator : public Evaluator {
 public:
  explicit GateEvaluator(std::atomic<bool>* open) : open_(open) {}
  EvalResult Evaluate(const EvalRequest&) override {
    while (!open_->load()) std::this_thread::yield();
    EvalResult r;
    r.set_status(EvalResult::OK);
    return r;
  }

 private:
  std::atomic<bool>* open_;
};

TEST(LocalPoolNextTest, TimesOutWhileNothingIsDone) {
  std::atomic<bool> open{false};
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(
          1, [&]() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
            return std::unique_ptr<Evaluator>(new GateEvaluator(&open));
          });
  ASSERT_TRUE(pool.ok());
  (*pool)->Submit(EvalRequest());
  EXPECT_FALSE((*pool)->Next(absl::Milliseconds(20)).has_value());
  EXPECT_EQ((*pool)->pending(), 1);
  open = true;
  std::optional<EvaluationPool::Completed> c = (*pool)->Next();
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->status.ok());
  EXPECT_EQ(c->evaluated_by, "local");
  EXPECT_EQ(c->attempts, 1);
}

}  // namespace
}  // namespace hero
