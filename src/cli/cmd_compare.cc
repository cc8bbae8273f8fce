// hero compare A.py B.py ... --config=CFG --svg=FILE [--lr=LIST] [--lam=LIST]
//              [--tune] [--threads=N] [--json]
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/commands.h"
#include "src/cli/config_io.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/cli/grid.h"
#include "src/cli/pool_setup.h"
#include "src/cli/progress.h"
#include "src/cli/task_setup.h"
#include "src/evaluation/evaluate_all.h"
#include "src/program/program_proto.h"
#include "src/util/atomic_file.h"
#include "src/util/json_writer.h"

namespace hero {
namespace {

// One value per program, or one value for all.
absl::StatusOr<std::vector<double>> PerProgram(const std::string& flag,
                                               const std::string& list,
                                               bool allow_zero, size_t n,
                                               double fallback) {
  if (list.empty()) return std::vector<double>(n, fallback);
  absl::StatusOr<std::vector<double>> v = allow_zero
                                              ? ParseNonNegativeList(flag, list)
                                              : ParsePositiveList(flag, list);
  if (!v.ok()) return v.status();
  if (v->size() == 1) return std::vector<double>(n, (*v)[0]);
  if (v->size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, " has ", v->size(), " values for ", n,
                     " programs (give one value, or one per program)"));
  }
  return v;
}

}  // namespace

int RunCompare(const Args& args) {
  FlagSet flags(
      "compare", "A.py B.py ...",
      "Trains the config's proxy task with each program as the optimizer, "
      "with the same\nseeds and budget, and draws their training-loss and "
      "validation-accuracy curves\nside by side in one SVG. Each program runs "
      "at its own peak lr and λ: given by\n--lr/--lam (one value for all or "
      "one per program), found by --tune (the\nconfig's tune grid), or the "
      "config's task.train values.");
  std::string config_path, svg_path, lr_list, lam_list;
  bool tune = false, json = false;
  PoolFlags pool_flags;
  flags.AddString("config", &config_path, "SearchConfig textproto (required)");
  flags.AddString("svg", &svg_path, "where to write the curves (required)");
  flags.AddString("lr", &lr_list, "peak lr: one value, or one per program");
  flags.AddString("lam", &lam_list, "λ: one value, or one per program");
  flags.AddBool("tune", &tune,
                "tune each program's lr and λ on the config's grid first");
  pool_flags.Register(flags,
                      "evaluations run side by side (default: one per core)");
  flags.AddBool("json", &json, "print one JSON object instead of the table");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  const std::vector<std::string>& paths = flags.positional();
  if (paths.empty() || config_path.empty() || svg_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero compare: expected programs, --config=CFG and --svg=FILE (see "
        "`hero compare --help`)"));
  }
  if (tune && (!lr_list.empty() || !lam_list.empty())) {
    return ReportError(absl::InvalidArgumentError(
        "hero compare: --tune and --lr/--lam exclude each other"));
  }
  std::vector<Program> programs;
  for (const std::string& path : paths) {
    absl::StatusOr<Program> p = ReadProgramFile(path);
    if (!p.ok()) return ReportError(p.status());
    programs.push_back(*std::move(p));
  }
  absl::StatusOr<LoadedTask> task = LoadTask(config_path);
  if (!task.ok()) return ReportError(task.status());
  absl::StatusOr<std::vector<double>> lrs =
      PerProgram("lr", lr_list, false, paths.size(), task->spec.peak_lr);
  if (!lrs.ok()) return ReportError(lrs.status());
  absl::StatusOr<std::vector<double>> lams =
      PerProgram("lam", lam_list, true, paths.size(), task->spec.lam);
  if (!lams.ok()) return ReportError(lams.status());
  if (!json) {
    std::cout << "task: " << DescribeTask(task->spec) << "\n";
    std::cout.flush();
  }
  // One pool for the tuning grids and the final runs (with test accuracy:
  // the final runs report it).
  PoolUse use;
  use.load_test = true;
  use.max_useful = tune ? static_cast<int>(TuneLrGrid(task->config).size() *
                                           TuneLamGrid(task->config).size())
                        : static_cast<int>(programs.size());
  absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
      MakeEvaluationPool(pool_flags, task->config.task(), task->spec, use);
  if (!pool.ok()) return ReportError(pool.status());
  if (tune) {
    for (size_t i = 0; i < programs.size(); ++i) {
      absl::StatusOr<TuneResult> t =
          TuneGrid(programs[i], TuneLrGrid(task->config),
                   TuneLamGrid(task->config), **pool,
                   /*with_test=*/false, paths[i]);
      if (!t.ok()) return ReportError(t.status());
      (*lrs)[i] = t->points[t->best].lr;
      (*lams)[i] = t->points[t->best].lam;
    }
  }

  std::vector<EvalRequest> requests;
  for (size_t i = 0; i < programs.size(); ++i) {
    EvalRequest request;
    request.program = programs[i];
    request.peak_lr = (*lrs)[i];
    request.lam = (*lams)[i];
    request.with_test = true;
    request.curve_points = std::max(2, task->spec.curve_points);
    requests.push_back(std::move(request));
  }
  ProgressLine progress(/*log_every_seconds=*/30);
  absl::StatusOr<std::vector<EvalResult>> evaluated =
      EvaluateAll(**pool, std::move(requests), [&](const BatchProgress& p) {
        PrintPoolEvents(**pool, progress);
        progress.Update(
            absl::StrFormat("compare: training %d programs, %d done%s", p.total,
                            p.done, PoolStatusSuffix(p.pool)));
      });
  progress.Done();
  if (!evaluated.ok()) return ReportError(evaluated.status());
  const std::vector<EvalResult>& results = *evaluated;

  std::vector<NamedCurve> curves;
  for (size_t i = 0; i < programs.size(); ++i) {
    curves.push_back(
        {absl::StrFormat("%s (lr %g, λ %g)", paths[i], (*lrs)[i], (*lams)[i]),
         &results[i]});
  }
  if (absl::Status s =
          WriteFileAtomically(svg_path, CurvesSvg(task->spec.name, curves));
      !s.ok()) {
    return ReportError(s);
  }
  if (json) {
    JsonWriter w;
    w.BeginArray();
    for (size_t i = 0; i < programs.size(); ++i) {
      w.BeginObject();
      w.Key("program").String(paths[i]);
      w.Key("result");
      w.Raw(EvalResultJson(results[i], /*pretty=*/false));
      w.EndObject();
    }
    w.EndArray();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << absl::StrFormat("%-36s %9s %7s %8s %8s %8s\n", "program",
                               "peak_lr", "lam", "val_acc", "test_acc", "loss");
  for (size_t i = 0; i < programs.size(); ++i) {
    const EvalResult& r = results[i];
    if (r.status() != EvalResult::OK) {
      std::cout << absl::StrFormat("%-36s %9g %7g   failed: %s\n", paths[i],
                                   (*lrs)[i], (*lams)[i], r.failure_reason());
      continue;
    }
    std::cout << absl::StrFormat("%-36s %9g %7g %8.4f %8.4f %8.4f\n", paths[i],
                                 (*lrs)[i], (*lams)[i], r.val_accuracy(),
                                 r.test_accuracy(), r.final_train_loss());
  }
  std::cout << "curves: " << svg_path << "\n";
  return kExitOk;
}

}  // namespace hero
