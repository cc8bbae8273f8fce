// FitnessPlan: the best of several learning rates, and the confirmation of
// a candidate entering the population's top on more seeds.
#include "src/search/fitness_plan.h"

#include "gtest/gtest.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

EvalResult Ok(double fitness, double seconds) {
  EvalResult r;
  r.set_status(EvalResult::OK);
  r.set_val_accuracy(fitness);
  r.set_seconds(seconds);
  r.set_steps(100);
  return r;
}

EvalResult Failed(const std::string& reason, double seconds) {
  EvalResult r;
  r.set_status(EvalResult::FAILED);
  r.set_failure_reason(reason);
  r.set_seconds(seconds);
  r.set_steps(3);
  return r;
}

FitnessPlanOptions ThreeLrs() {
  FitnessPlanOptions o;
  o.peak_lr = 3e-3;
  o.lam = 1;
  o.lr_factors = {0.5, 1, 2};
  o.hurdle.fraction = 0.2;
  o.screen.steps = 60;
  o.confirm_top_fraction = 0.1;
  o.task_seeds = {1, 2};
  o.confirm_seeds = {3};
  return o;
}

TEST(FitnessPlanTest, FirstRunsAreOnePerLrFactor) {
  const FitnessPlan plan(ThreeLrs());
  const Program p = *ReadProgramFile("configs/programs/signum.py");
  const std::vector<EvalRequest> runs = plan.FirstRuns(p);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_DOUBLE_EQ(runs[0].peak_lr, 1.5e-3);
  EXPECT_DOUBLE_EQ(runs[1].peak_lr, 3e-3);
  EXPECT_DOUBLE_EQ(runs[2].peak_lr, 6e-3);
  for (const EvalRequest& r : runs) {
    EXPECT_EQ(r.lam, 1);
    EXPECT_EQ(r.hurdle.fraction, 0.2);
    EXPECT_EQ(r.screen.steps, 60);
    EXPECT_EQ(r.screen.batch_size, 64);
    EXPECT_TRUE(r.seeds.empty());  // The task's.
  }
}

TEST(FitnessPlanTest, CombineFirstKeepsTheBestLr) {
  const FitnessPlan plan(ThreeLrs());
  std::vector<double> lr_fitness;
  const EvalResult r = plan.CombineFirst(
      {Ok(0.80, 1.0), Failed("step 3: loss nan", 0.25), Ok(0.85, 1.5)},
      &lr_fitness);
  EXPECT_EQ(r.status(), EvalResult::OK);
  EXPECT_EQ(r.val_accuracy(), 0.85);
  EXPECT_DOUBLE_EQ(r.peak_lr(), 6e-3);
  EXPECT_EQ(r.seconds(), 2.75);  // All three runs.
  EXPECT_EQ(r.steps(), 203);
  EXPECT_EQ(lr_fitness, std::vector<double>({0.80, 0.0, 0.85}));
  ASSERT_EQ(r.seeds_size(), 2);
  EXPECT_EQ(r.seeds(1), 2u);
  // Ties: the earlier factor.
  const EvalResult tie =
      plan.CombineFirst({Ok(0.8, 1), Ok(0.8, 1), Ok(0.7, 1)}, &lr_fitness);
  EXPECT_DOUBLE_EQ(tie.peak_lr(), 1.5e-3);
}

TEST(FitnessPlanTest, CombineFirstFailsOnlyIfEveryRunFails) {
  const FitnessPlan plan(ThreeLrs());
  std::vector<double> lr_fitness;
  const EvalResult r = plan.CombineFirst(
      {Failed("hurdle: step 20: ...", 0.2), Failed("step 3: loss nan", 0.1),
       Failed("step 1: loss inf", 0.1)},
      &lr_fitness);
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.failure_reason(), "hurdle: step 20: ...");  // The first's.
  EXPECT_EQ(r.val_accuracy(), 0);
  EXPECT_DOUBLE_EQ(r.seconds(), 0.4);
  EXPECT_EQ(lr_fitness, std::vector<double>({0, 0, 0}));
}

TEST(FitnessPlanTest, ConfirmsOnlyAnUnconfirmedSuccessAboveTheCut) {
  const FitnessPlan plan(ThreeLrs());
  std::vector<double> lr_fitness;
  const EvalResult first = plan.CombineFirst({Ok(0.84, 1)}, &lr_fitness);
  EXPECT_TRUE(plan.ShouldConfirm(first, 0.83));
  EXPECT_FALSE(plan.ShouldConfirm(first, 0.84));  // Strictly above.
  EXPECT_FALSE(plan.ShouldConfirm(Failed("x", 1), -1.0));
  const EvalResult confirmed = plan.CombineConfirmed(first, Ok(0.81, 2));
  EXPECT_TRUE(plan.IsConfirmed(confirmed));
  EXPECT_FALSE(plan.IsConfirmed(first));
  EXPECT_FALSE(plan.ShouldConfirm(confirmed, 0.0));
  FitnessPlanOptions off = ThreeLrs();
  off.confirm_top_fraction = 0;
  off.confirm_seeds.clear();
  EXPECT_FALSE(FitnessPlan(off).ShouldConfirm(first, -1.0));
}

TEST(FitnessPlanTest, ConfirmedFitnessIsTheMeanOverAllSeeds) {
  const FitnessPlan plan(ThreeLrs());
  std::vector<double> lr_fitness;
  const EvalResult first =
      plan.CombineFirst({Ok(0.7, 1), Ok(0.84, 1), Ok(0.8, 1)}, &lr_fitness);
  const EvalRequest again =
      plan.ConfirmRun(*ReadProgramFile("configs/programs/signum.py"), first);
  EXPECT_DOUBLE_EQ(again.peak_lr, 3e-3);  // The lr kept.
  EXPECT_EQ(again.seeds, std::vector<uint64_t>({3}));
  EXPECT_FALSE(again.screen.enabled());  // The program passed it already.
  // Two task seeds at 0.84, one confirmation seed at 0.81.
  const EvalResult r = plan.CombineConfirmed(first, Ok(0.81, 2));
  EXPECT_DOUBLE_EQ(r.val_accuracy(), (0.84 * 2 + 0.81) / 3);
  EXPECT_EQ(r.seconds(), 5);
  ASSERT_EQ(r.seeds_size(), 3);
  EXPECT_EQ(r.seeds(2), 3u);
  // A confirmation that fails counts 0 for its seed; the result stays OK.
  const EvalResult f = plan.CombineConfirmed(first, Failed("step 9", 0.5));
  EXPECT_EQ(f.status(), EvalResult::OK);
  EXPECT_DOUBLE_EQ(f.val_accuracy(), 0.84 * 2 / 3);
}

TEST(FitnessPlanTest, OptionsFromTheConfig) {
  SearchConfig c;
  c.mutable_task()->mutable_train()->set_peak_lr(3e-3);
  c.mutable_task()->mutable_train()->add_seeds(4);
  c.mutable_task()->mutable_train()->add_seeds(9);
  FitnessConfig* f = c.mutable_search()->mutable_fitness();
  f->set_confirm_top_fraction(0.1);
  f->mutable_hurdle()->set_fraction(0.2);
  FitnessPlanOptions o = FitnessPlanFrom(c);
  EXPECT_EQ(o.lr_factors, std::vector<double>({1.0}));
  EXPECT_EQ(o.task_seeds, std::vector<uint64_t>({4, 9}));
  EXPECT_EQ(o.confirm_seeds, std::vector<uint64_t>({10}));  // max + 1
  EXPECT_EQ(o.hurdle.fraction, 0.2);
  EXPECT_EQ(o.hurdle.max_loss, 2.2);
  EXPECT_EQ(o.size_penalty, 0);
  EXPECT_FALSE(o.screen.enabled());
  f->mutable_screen()->set_steps(60);
  f->mutable_screen()->set_batch_size(32);
  o = FitnessPlanFrom(c);
  EXPECT_EQ(o.screen.steps, 60);
  EXPECT_EQ(o.screen.batch_size, 32);
  EXPECT_EQ(o.screen.max_loss, 2.2);
  f->set_size_penalty(0.001);
  EXPECT_EQ(FitnessPlanFrom(c).size_penalty, 0.001);
  // No task seeds: the default [1].
  c.mutable_task()->mutable_train()->clear_seeds();
  EXPECT_EQ(FitnessPlanFrom(c).confirm_seeds, std::vector<uint64_t>({2}));
}

TEST(FitnessPlanTest, ValidationNamesEveryBadField) {
  SearchConfig c;
  c.mutable_task()->mutable_train()->add_seeds(1);
  FitnessConfig* f = c.mutable_search()->mutable_fitness();
  f->mutable_hurdle()->set_fraction(1.5);
  f->mutable_hurdle()->set_max_loss(0);
  f->add_lr_factors(1);
  f->add_lr_factors(-2);
  f->set_confirm_top_fraction(2);
  f->add_confirm_seeds(1);
  f->set_size_penalty(0.5);
  f->mutable_screen()->set_steps(30);
  f->mutable_screen()->set_batch_size(256);  // The task's batch is 128.
  f->mutable_screen()->set_max_loss(-1);
  std::vector<std::string> problems;
  ValidateFitnessConfig(c, &problems);
  EXPECT_EQ(problems,
            std::vector<std::string>(
                {"search.fitness.hurdle.fraction: must be in [0, 1], got 1.5",
                 "search.fitness.hurdle.max_loss: must be in (0, 1e6], got 0",
                 "search.fitness.screen.batch_size: must be in [1, "
                 "task.train.batch_size = 128], got 256",
                 "search.fitness.screen.max_loss: must be in (0, 1e6], got -1",
                 "search.fitness.lr_factors[1]: must be in (0, 1000], got -2",
                 "search.fitness.confirm_top_fraction: must be in [0, 1], got "
                 "2",
                 "search.fitness.size_penalty: must be in [0, 0.01], got 0.5",
                 "search.fitness.confirm_seeds[0]: seed 1 is already a task "
                 "seed or listed before"}));
}

}  // namespace
}  // namespace hero
