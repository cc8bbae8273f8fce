// The lr × λ grid behind `hero tune` and `hero compare --tune`.
//
//   absl::StatusOr<TuneResult> r = TuneGrid(program, {1e-3, 3e-3}, {0.1, 1.0},
//                                           *pool, /*with_test=*/true,
//                                           "adamw");
//   const GridPoint& best = r->points[r->best];
//
// Every point trains the pool's task once (each seed) through the pool, side
// by side; the best point has the highest validation accuracy (ties: the
// earlier point, in lr-major order).
#ifndef HERO_CLI_GRID_H_
#define HERO_CLI_GRID_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/eval_result.pb.h"
#include "src/evaluation/evaluation_pool.h"
#include "src/program/program.h"

namespace hero {

struct GridPoint {
  double lr = 0;
  double lam = 0;
  EvalResult result;
};

struct TuneResult {
  std::vector<GridPoint> points;  // lr-major.
  int best = 0;
};

// `label` names the program in the progress line. Fails if the pool could
// not evaluate a point (its workers failed on it).
absl::StatusOr<TuneResult> TuneGrid(const Program& program,
                                    const std::vector<double>& lrs,
                                    const std::vector<double>& lams,
                                    EvaluationPool& pool, bool with_test,
                                    const std::string& label);

// The table of validation accuracies (rows lr, columns λ; "fail" for failed
// runs, `*` on the best), then the best pair and its test accuracy.
std::string FormatGridTable(const TuneResult& result,
                            const std::vector<double>& lrs,
                            const std::vector<double>& lams);

// "1e-3,3e-3" → {1e-3, 3e-3}; every value > 0 (or >= 0); errors name --flag.
absl::StatusOr<std::vector<double>> ParsePositiveList(const std::string& flag,
                                                      const std::string& list);
absl::StatusOr<std::vector<double>> ParseNonNegativeList(
    const std::string& flag, const std::string& list);

}  // namespace hero

#endif  // HERO_CLI_GRID_H_
