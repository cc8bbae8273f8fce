// FitnessPlan: how the search turns training runs into one candidate's
// fitness (search.fitness in the config).
//
//   FitnessPlan plan(FitnessPlanFrom(config));
//   std::vector<EvalRequest> runs = plan.FirstRuns(program);   // side by side
//   EvalResult first = plan.CombineFirst(results);             // best lr
//   if (plan.ShouldConfirm(first, population.TopCut(plan.confirm_fraction())))
//     EvalResult r = plan.CombineConfirmed(first,
//     Evaluate(plan.ConfirmRun(program, first)));
//
// Stage 1 trains the candidate once per lr factor (peak_lr × factor, the
// task's seeds, the screen and the hurdle) and keeps the run with the best
// validation accuracy (ties: the earlier factor): a program cannot win by
// re-scaling its own step, since the warm start gets the same choice. Stage 2,
// for a candidate that would enter the population's top fraction, trains it
// again at the kept lr on the confirmation seeds; the fitness becomes the
// mean over all the seeds, so one lucky seed cannot make a program the
// best. Selection (not the recorded fitness) may prefer short programs:
// SelectionScore with size_penalty. Every combined result lists its seeds
// (EvalResult::seeds), its lr (peak_lr) and, summed, the seconds and steps of
// all its runs.
//
// Thread-safety: immutable after construction; pure functions.
#ifndef HERO_SEARCH_FITNESS_PLAN_H_
#define HERO_SEARCH_FITNESS_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "proto/eval_result.pb.h"
#include "proto/search_config.pb.h"
#include "src/evaluation/evaluator.h"
#include "src/program/program.h"

namespace hero {

struct FitnessPlanOptions {
  double peak_lr = 1e-3;
  double lam = 0.1;
  // Never empty.
  std::vector<double> lr_factors = {1.0};
  HurdleOptions hurdle;
  // Stage 1's runs only: a confirmation trains a program that passed.
  ScreenOptions screen;
  // 0 = no confirmation.
  double confirm_top_fraction = 0;
  // The task's seeds (never empty) and the confirmation seeds (non-empty
  // iff confirm_top_fraction > 0; disjoint from task_seeds).
  std::vector<uint64_t> task_seeds = {1};
  std::vector<uint64_t> confirm_seeds;
  // Selection's parsimony pressure (SelectionScore); 0 = none.
  double size_penalty = 0;
};

// What selection ranks by: fitness − size_penalty × live_statements.
inline double SelectionScore(double fitness, int64_t live_statements,
                             double size_penalty) {
  return fitness - size_penalty * static_cast<double>(live_statements);
}

// The options of `config` (already validated: ValidateEvolutionConfig).
FitnessPlanOptions FitnessPlanFrom(const SearchConfig& config);

// Appends one message per problem in config.search().fitness, each
// prefixed with its field path.
void ValidateFitnessConfig(const SearchConfig& config,
                           std::vector<std::string>* problems);

class FitnessPlan {
 public:
  explicit FitnessPlan(FitnessPlanOptions options);

  // Stage 1: one request per lr factor, in order.
  std::vector<EvalRequest> FirstRuns(const Program& program) const;
  // The best of stage 1's results (one per factor, in order): OK iff one
  // is; otherwise the first factor's failure. Records the lr kept, each
  // factor's fitness (lr_fitness, 0 for a failure) and the total seconds.
  EvalResult CombineFirst(const std::vector<EvalResult>& results,
                          std::vector<double>* lr_fitness) const;

  bool confirms() const { return options_.confirm_top_fraction > 0; }
  double confirm_fraction() const { return options_.confirm_top_fraction; }
  // True iff confirmation is on, `result` is OK, not yet confirmed, and
  // its fitness is strictly above `top_cut` (Population::TopCut).
  bool ShouldConfirm(const EvalResult& result, double top_cut) const;
  // Stage 2's request: `first`'s lr, the confirmation seeds.
  EvalRequest ConfirmRun(const Program& program, const EvalResult& first) const;
  // The mean over all seeds of `first` (OK) and `confirm` (a failed
  // confirmation counts 0 for each of its seeds).
  EvalResult CombineConfirmed(const EvalResult& first,
                              const EvalResult& confirm) const;
  // True iff `result` lists a confirmation seed.
  bool IsConfirmed(const EvalResult& result) const;

  const FitnessPlanOptions& options() const { return options_; }

 private:
  FitnessPlanOptions options_;
};

}  // namespace hero

#endif  // HERO_SEARCH_FITNESS_PLAN_H_
