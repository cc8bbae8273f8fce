// Pass 5, ablation: the greedy rounds over a deterministic fake pool (whose
// fitness mimics the paper's program on a proxy), then the mechanics with
// real training on a tiny task.
#include "src/simplify/ablation.h"

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/printer.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Shipped;

// A pool that scores programs with a function of their text and completes
// them in reverse order (the result must not depend on completion order).
class FakePool : public EvaluationPool {
 public:
  explicit FakePool(std::function<EvalResult(const std::string&)> score)
      : score_(std::move(score)) {}
  int64_t Submit(EvalRequest request) override {
    submitted_.push_back(PrintProgram(request.program));
    Completed c;
    c.id = next_id_;
    if (submitted_.size() == static_cast<size_t>(fail_at_)) {
      c.status = absl::UnavailableError("worker 127.0.0.1:1 died (3 tries)");
    } else {
      c.result = score_(submitted_.back());
    }
    queue_.push_back(std::move(c));
    return next_id_++;
  }
  // The n-th submission (1-based) comes back as a worker error.
  void FailSubmission(int n) { fail_at_ = n; }
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration) override {
    if (queue_.empty()) return std::nullopt;
    Completed c = queue_.back();
    queue_.pop_back();
    return c;
  }
  int pending() const override { return static_cast<int>(queue_.size()); }
  int parallelism() const override { return 2; }
  const std::vector<std::string>& submitted() const { return submitted_; }

 private:
  std::function<EvalResult(const std::string&)> score_;
  std::deque<Completed> queue_;
  std::vector<std::string> submitted_;
  int64_t next_id_ = 0;
  int fail_at_ = 0;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Like the measurements on our proxy: arcsin without clipping diverges,
// clipping is worth 0.001, the sign 0.3, the momentum 0.05.
EvalResult PaperLike(const std::string& text) {
  EvalResult r;
  if (Has(text, "arcsin") && !Has(text, "clip_by_global_norm")) {
    r.set_status(EvalResult::FAILED);
    r.set_failure_reason("non-finite update");
    return r;
  }
  r.set_status(EvalResult::OK);
  double f = 0.5;
  if (Has(text, "clip_by_global_norm")) f += 0.001;
  if (Has(text, "sign(")) f += 0.3;
  if (Has(text, "m = interpolate(g, m")) f += 0.05;
  r.set_val_accuracy(f);
  r.add_seed_val_accuracy(f);
  return r;
}

TEST(AblationTest, EvolvedBecomesHeroLion) {
  FakePool pool(PaperLike);
  absl::StatusOr<AblationResult> r =
      Ablate(Shipped("evolved.py"), pool, AblationOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(PrintProgram(r->program), PrintProgram(Shipped("hero_lion.py")));
  EXPECT_DOUBLE_EQ(r->reference_fitness, 0.851);
  EXPECT_DOUBLE_EQ(r->fitness, 0.85);
  // Round 1: the reference and 5 removals; round 2: 4; round 3: 3.
  EXPECT_EQ(r->rounds, 3);
  EXPECT_EQ(r->evaluations, 13);
  EXPECT_EQ(r->derivation.RuleNames(),
            (std::vector<std::string>{"ablate-remove", "ablate-remove"}));
  const std::string text = r->derivation.ToText(/*first_step=*/6);
  // Clipping cannot go first (arcsin then diverges): arcsin goes, then it.
  EXPECT_NE(text.find("  6. ablate-remove: remove `g = arcsin(g)`: its readers "
                      "read `g` (fitness 0.8510 → 0.8510)\n"
                      "       - g = arcsin(g)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("  7. ablate-remove: remove `g = clip_by_global_norm(g, "
                "1.0)`: its readers read `g` (fitness 0.8510 → 0.8500)\n"),
      std::string::npos)
      << text;
  // Every measurement is reported, failures with their reason.
  EXPECT_NE(text.find("remove `g = clip_by_global_norm(g, 1.0)`: failed "
                      "(non-finite update)"),
            std::string::npos);
  EXPECT_NE(text.find("remove `update = sign(update)`: 0.5510 (-0.3000; "
                      "seeds 0.5510)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nothing within tolerance: done"), std::string::npos);
  // The lr and λ statements were never candidates.
  EXPECT_EQ(text.find("remove `wd"), std::string::npos);
  EXPECT_EQ(text.find("remove `update = update + wd`"), std::string::npos);
  EXPECT_EQ(text.find("remove `update = update * lr`"), std::string::npos);
}

TEST(AblationTest, ToleranceIsAgainstTheReference) {
  // With tolerance 0 even the clipping (worth 0.001) stays.
  FakePool pool(PaperLike);
  AblationOptions options;
  options.tolerance = 0;
  absl::StatusOr<AblationResult> r =
      Ablate(Shipped("evolved.py"), pool, options);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(Has(PrintProgram(r->program), "clip_by_global_norm"));
  EXPECT_FALSE(Has(PrintProgram(r->program), "arcsin"));
}

TEST(AblationTest, SnapsConstants) {
  FakePool pool([](const std::string& text) {
    EvalResult r = PaperLike(text);
    if (Has(text, "0.899")) r.set_val_accuracy(r.val_accuracy() + 0.0005);
    return r;
  });
  absl::StatusOr<AblationResult> r = Ablate(
      Body("  m = interpolate(g, m, 0.899)\n  update = sign(m)\n"), pool, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(PrintProgram(r->program),
            testing_util::Text("  m = interpolate(g, m, 0.9)\n"
                               "  update = sign(m)\n"));
  EXPECT_EQ(r->derivation.RuleNames(), std::vector<std::string>{"ablate-snap"});
  EXPECT_NE(r->derivation.ToText().find(
                "snap 0.899 → 0.9 in `m = interpolate(g, m, 0.899)`: fewest "
                "digits within 1% (fitness 0.8505 → 0.8500)\n"
                "       - m = interpolate(g, m, 0.899)\n"
                "       + m = interpolate(g, m, 0.9)\n"),
            std::string::npos)
      << r->derivation.ToText();
}

TEST(AblationTest, FailingReferenceIsAnError) {
  FakePool pool(PaperLike);
  absl::StatusOr<AblationResult> r =
      Ablate(Body("  g = arcsin(g)\n  update = sign(g)\n"), pool, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  // The reference and the two candidates of round 1, nothing more.
  EXPECT_EQ(pool.submitted().size(), 3u);
}

TEST(AblationTest, WorkerErrorEndsTheAblationWithIt) {
  // An evaluation the pool could not do is not a fitness of 0: the ablation
  // stops with the pool's error instead of judging the candidate by it.
  FakePool pool(PaperLike);
  pool.FailSubmission(2);
  absl::StatusOr<AblationResult> r =
      Ablate(Shipped("evolved.py"), pool, AblationOptions{});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find(
                "could not be done: worker 127.0.0.1:1 died (3 tries)"),
            std::string::npos)
      << r.status();
}

TEST(AblationTest, SameProgramIsMeasuredOnce) {
  FakePool pool(PaperLike);
  ASSERT_TRUE(Ablate(Shipped("evolved.py"), pool, AblationOptions{}).ok());
  std::vector<std::string> seen = pool.submitted();
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

// Real training on a tiny task: a statement that changes nothing numerically
// (the clamp never binds) costs exactly nothing and is removed; the lr and λ
// statements stay; the fitnesses are reported.
TEST(AblationTest, RealTrainingRemovesANoOp) {
  TaskConfig config;
  config.mutable_data()->set_train_examples(2000);
  config.mutable_data()->set_validation_examples(500);
  config.mutable_model()->mutable_mlp()->add_hidden(16);
  config.mutable_train()->set_steps(60);
  config.mutable_train()->set_batch_size(32);
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config, "task");
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<EvaluatorFactory> factory =
      MakeProxyEvaluatorFactory(*spec, /*load_test=*/false);
  ASSERT_TRUE(factory.ok()) << factory.status();
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(2, *factory);
  ASSERT_TRUE(pool.ok());
  AblationOptions options;
  options.tolerance = 0;
  options.peak_lr = spec->peak_lr;
  options.lam = spec->lam;
  absl::StatusOr<AblationResult> r = Ablate(
      Body("  g = max(g, -1000.0)\n  update = interpolate(g, m, 0.9)\n"
           "  update = sign(update)\n  m = interpolate(g, m, 0.99)\n"
           "  wd = w * λ\n  update = update + wd\n  update = update * lr\n"),
      **pool, options);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string program = PrintProgram(r->program);
  EXPECT_FALSE(Has(program, "max(")) << program;
  EXPECT_TRUE(Has(program,
                  "  wd = w * λ\n  update = update + wd\n"
                  "  update = update * lr\n"))
      << program;
  ASSERT_GE(r->derivation.num_steps(), 1);
  const std::string text = r->derivation.ToText();
  EXPECT_NE(text.find("1. ablate-remove: remove `g = max(g, -1000.0)`"),
            std::string::npos)
      << text;
  EXPECT_GE(r->fitness, r->reference_fitness);
  EXPECT_GT(r->reference_fitness, 0.3);
}

}  // namespace
}  // namespace hero
