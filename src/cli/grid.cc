#include "src/cli/grid.h"

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "src/cli/pool_setup.h"
#include "src/cli/progress.h"
#include "src/evaluation/evaluate_all.h"

namespace hero {
namespace {

absl::StatusOr<std::vector<double>> ParseList(const std::string& flag,
                                              const std::string& list,
                                              bool allow_zero) {
  std::vector<double> out;
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    double v;
    if (!absl::SimpleAtod(item, &v) || !(allow_zero ? v >= 0 : v > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": `", item, "` is not a number ",
                       allow_zero ? ">= 0" : "> 0"));
    }
    out.push_back(v);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, " is empty"));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<double>> ParsePositiveList(const std::string& flag,
                                                      const std::string& list) {
  return ParseList(flag, list, false);
}

absl::StatusOr<std::vector<double>> ParseNonNegativeList(
    const std::string& flag, const std::string& list) {
  return ParseList(flag, list, true);
}

absl::StatusOr<TuneResult> TuneGrid(const Program& program,
                                    const std::vector<double>& lrs,
                                    const std::vector<double>& lams,
                                    EvaluationPool& pool, bool with_test,
                                    const std::string& label) {
  TuneResult result;
  std::vector<EvalRequest> requests;
  for (double lr : lrs) {
    for (double lam : lams) {
      EvalRequest request;
      request.program = program;
      request.peak_lr = lr;
      request.lam = lam;
      request.with_test = with_test;
      requests.push_back(std::move(request));
      result.points.push_back(GridPoint{lr, lam, EvalResult()});
    }
  }
  ProgressLine progress(/*log_every_seconds=*/30);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<EvalResult>> results =
      EvaluateAll(pool, std::move(requests), [&](const BatchProgress& p) {
        PrintPoolEvents(pool, progress);
        const double elapsed = std::chrono::duration<double>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
        progress.Update(absl::StrFormat(
            "tune %s: %d/%d runs  %s elapsed, ETA %s%s", label, p.done, p.total,
            FormatDuration(elapsed),
            p.done > 0 ? FormatDuration(elapsed * (p.total - p.done) / p.done)
                       : "?",
            PoolStatusSuffix(p.pool)));
      });
  progress.Done();
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < results->size(); ++i) {
    result.points[i].result = std::move((*results)[i]);
    if (result.points[i].result.val_accuracy() >
        result.points[result.best].result.val_accuracy()) {
      result.best = static_cast<int>(i);
    }
  }
  return result;
}

std::string FormatGridTable(const TuneResult& result,
                            const std::vector<double>& lrs,
                            const std::vector<double>& lams) {
  std::string out = "validation accuracy (rows: peak lr, columns: λ)\n";
  absl::StrAppendFormat(&out, "%10s", "lr \\ λ");
  for (double lam : lams) absl::StrAppendFormat(&out, " %9g", lam);
  out += "\n";
  for (size_t r = 0; r < lrs.size(); ++r) {
    absl::StrAppendFormat(&out, "%10g", lrs[r]);
    for (size_t c = 0; c < lams.size(); ++c) {
      const int i = static_cast<int>(r * lams.size() + c);
      const EvalResult& e = result.points[i].result;
      const std::string cell =
          e.status() == EvalResult::OK
              ? absl::StrFormat("%.4f%s", e.val_accuracy(),
                                i == result.best ? "*" : " ")
              : "fail ";
      absl::StrAppendFormat(&out, " %9s", cell);
    }
    out += "\n";
  }
  const GridPoint& best = result.points[result.best];
  absl::StrAppendFormat(&out, "best: peak_lr %g  lam %g  val_accuracy %.4f",
                        best.lr, best.lam, best.result.val_accuracy());
  if (best.result.has_test_accuracy()) {
    absl::StrAppendFormat(&out, "  test_accuracy %.4f",
                          best.result.test_accuracy());
  }
  out += "\n";
  return out;
}

}  // namespace hero
