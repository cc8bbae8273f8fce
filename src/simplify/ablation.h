// Ablation (simplifier pass 5): keep only what the fitness says matters.
//
// The symbolic passes keep everything that changes the computed values;
// ablation measures. From the simplified program P (fitness f_ref, measured
// first), it proceeds in rounds. A round builds the candidates of the current
// program (ablation_candidates.h: each removable statement removed, in
// program order, then each constant snapped to fewer digits), evaluates all
// of them side by side through the EvaluationPool, and accepts the first
// candidate in that order whose fitness is at least f_ref − tolerance. The
// accepted candidate becomes the current program and the next round starts;
// a round that accepts nothing ends the ablation. Fitness is the evaluator's
// val_accuracy (the mean over the task's seeds) at `peak_lr` and `lam`; a
// failed evaluation has fitness 0. The threshold is relative to f_ref, not to
// the previous round, so removals cannot drift the fitness down step by step:
// the result's measured fitness is at least f_ref − tolerance.
//
// Greedy and deterministic (given a deterministic evaluator): candidates are
// ordered by the program alone; results are collected for the whole round
// before deciding. A program already measured (same printed text) is not
// evaluated again.
//
//   absl::StatusOr<AblationResult> r = Ablate(program, *pool, options);
//   std::cerr << r->derivation.ToText();  // rounds (notes) and accepted steps
//
// Thread-safety: drives `pool` from the calling thread only.
#ifndef HERO_SIMPLIFY_ABLATION_H_
#define HERO_SIMPLIFY_ABLATION_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "src/evaluation/evaluation_pool.h"
#include "src/program/program.h"
#include "src/simplify/derivation.h"
#include "src/simplify/simplifier.h"

namespace hero {

struct AblationOptions {
  double tolerance = 0.002;  // Absolute fitness (validation accuracy).
  double peak_lr = 1e-3;
  double lam = 0.1;
  SimplifyOptions simplify;
  // Optional: told (evaluations finished, evaluations submitted, round)
  // after each result and about once a second while waiting, for a
  // progress display.
  std::function<void(int done, int submitted, int round)> progress;
  // Optional: given the derivation so far after each round, so that a long
  // ablation can be followed as it goes.
  std::function<void(const Derivation& so_far)> on_round;
};

struct AblationResult {
  Program program;
  double reference_fitness = 0;  // Of the input (simplified).
  double fitness = 0;            // Of `program`, as measured.
  int evaluations = 0;           // Training runs (cache hits not counted).
  int rounds = 0;
  Derivation derivation;  // Accepted steps and, as notes, every measurement.
};

// `program` is simplified first (with options.simplify). InvalidArgument if
// it does not pass Analyze(); FailedPrecondition if its own evaluation fails
// (nothing can be judged against it); the pool's error if it could not
// evaluate a candidate (its workers failed on it).
absl::StatusOr<AblationResult> Ablate(const Program& program,
                                      EvaluationPool& pool,
                                      const AblationOptions& options);

}  // namespace hero

#endif  // HERO_SIMPLIFY_ABLATION_H_
