// EvolutionSearch with search.fitness: every candidate is trained at each lr
// factor and keeps the best; a candidate entering the population's top is
// confirmed on another seed; the journal records both and replays them.
#include <memory>

#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"
#include "src/search/search.h"
#include "tests/search/synthetic_evaluator.h"

namespace hero {
namespace {

// The synthetic fitness, times 1 at peak lr 2e-3 and 0.95 at any other, and
// times 0.9 on the confirmation seed.
class LrSeedEvaluator : public Evaluator {
 public:
  EvalResult Evaluate(const EvalRequest& request) override {
    EvalResult r = synthetic_.Evaluate(request);
    double f = r.val_accuracy() * (request.peak_lr == 2e-3 ? 1.0 : 0.95);
    if (!request.seeds.empty()) f *= 0.9;
    r.set_val_accuracy(f);
    r.set_seconds(request.peak_lr == 2e-3 ? 1.0 : 0.5);
    return r;
  }

 private:
  SyntheticEvaluator synthetic_;
};

SearchConfig Config() {
  SearchConfig c;
  c.mutable_task()->mutable_train()->set_peak_lr(1e-3);
  EvolutionConfig* s = c.mutable_search();
  s->set_warm_start("configs/programs/adamw.py");
  s->set_population_size(20);
  s->set_tournament_size(4);
  s->set_max_generated(120);
  s->set_seed(3);
  s->set_log_every(1000000);
  FitnessConfig* f = s->mutable_fitness();
  f->add_lr_factors(1);
  f->add_lr_factors(2);
  f->set_confirm_top_fraction(0.1);
  return c;
}

std::unique_ptr<EvolutionSearch> Make(const std::string& dir, bool resume,
                                      EvaluationPool* pool) {
  EvolutionSearch::Deps deps;
  deps.pool = pool;
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> s =
      EvolutionSearch::Create(Config(), dir, resume, deps, nullptr);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

TEST(SearchFitnessTest, BestLrAndConfirmationAreJournaledAndReplayed) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/lr";
  auto pool = *LocalEvaluationPool::Create(2, [] {
    return absl::StatusOr<std::unique_ptr<Evaluator>>(
        std::make_unique<LrSeedEvaluator>());
  });
  std::unique_ptr<EvolutionSearch> search = Make(dir, false, pool.get());
  ASSERT_NE(search, nullptr);
  ASSERT_TRUE(search->Run([](const SearchProgress&) {}).ok());
  int64_t trained = 0, confirmed = 0;
  for (const JournalRecord& r : search->records()) {
    if (r.kind() != JournalRecord::CHILD &&
        r.kind() != JournalRecord::WARM_START) {
      continue;
    }
    if (!r.cache_hit().empty() && !r.has_unconfirmed_fitness()) continue;
    if (r.cache_hit().empty()) {
      ++trained;
      ASSERT_EQ(r.lr_fitness_size(), 2) << r.id();
      if (r.status() == EvalResult::OK && r.lr_fitness(1) > 0) {
        // The synthetic fitness is the same at both lrs but for the factor.
        EXPECT_DOUBLE_EQ(r.peak_lr(), 2e-3) << r.id();
        EXPECT_DOUBLE_EQ(r.lr_fitness(0), r.lr_fitness(1) * 0.95) << r.id();
      }
    }
    if (r.has_unconfirmed_fitness()) {
      ++confirmed;
      EXPECT_DOUBLE_EQ(r.fitness(), r.unconfirmed_fitness() * (1 + 0.9) / 2)
          << r.id();
      ASSERT_EQ(r.seeds_size(), 2) << r.id();
      EXPECT_EQ(r.seeds(1), 2u) << r.id();  // Task seed 1, confirmation 2.
    } else {
      EXPECT_EQ(r.seeds_size(), 1) << r.id();
    }
  }
  // The warm start is always confirmed; only the few children that beat
  // the population's top 10% are.
  EXPECT_TRUE(search->records()[1].has_unconfirmed_fitness());
  EXPECT_GT(confirmed, 1);
  EXPECT_LT(confirmed, trained / 4);
  const SearchProgress p = search->progress();
  EXPECT_EQ(p.confirmed, confirmed);
  EXPECT_EQ(p.training_runs, 2 * p.trained + confirmed);
  // A replay counts the same.
  std::unique_ptr<EvolutionSearch> again = Make(dir, true, pool.get());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->progress().training_runs, p.training_runs);
  EXPECT_EQ(again->progress().confirmed, p.confirmed);
  EXPECT_EQ(again->progress().best_fitness, p.best_fitness);
}

}  // namespace
}  // namespace hero
