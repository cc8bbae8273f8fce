// hero tune PROGRAM --config=CFG [--lr=LIST] [--lam=LIST] [--threads=N]
// [--json]
//
// The paper's protocol: "we only tune the peak learning rate and λ ... in the
// log scale". Trains the task at every (lr, λ) of a grid, prints the table of
// validation accuracies, the best pair and its test accuracy.
#include <iostream>
#include <string>
#include <thread>
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
#include "src/program/program_proto.h"
#include "src/util/json_writer.h"

namespace hero {

int RunTune(const Args& args) {
  FlagSet flags(
      "tune", "PROGRAM",
      "Tunes PROGRAM's peak learning rate and λ on the config's proxy task "
      "(the paper's\nprotocol): trains at every point of a log-scale grid, "
      "prints the validation\naccuracy of each, the best pair and its test "
      "accuracy. The grid is the config's\n`tune` section (default lr 1e-4 "
      "3e-4 1e-3 3e-3 1e-2, λ 0.01 0.03 0.1 0.3 1 3)\nor the flags.");
  std::string config_path, lr_list, lam_list;
  PoolFlags pool_flags;
  bool json = false;
  flags.AddString("config", &config_path, "SearchConfig textproto (required)");
  flags.AddString("lr", &lr_list, "comma-separated peak learning rates");
  flags.AddString("lam", &lam_list, "comma-separated λ values");
  pool_flags.Register(flags,
                      "evaluations run side by side (default: one per core)");
  flags.AddBool("json", &json, "print one JSON object instead of the table");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1 || config_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero tune: expected PROGRAM and --config=CFG (see `hero tune "
        "--help`)"));
  }
  absl::StatusOr<Program> program = ReadProgramFile(flags.positional()[0]);
  if (!program.ok()) return ReportError(program.status());
  absl::StatusOr<LoadedTask> task = LoadTask(config_path);
  if (!task.ok()) return ReportError(task.status());
  std::vector<double> lrs = TuneLrGrid(task->config);
  std::vector<double> lams = TuneLamGrid(task->config);
  if (!lr_list.empty()) {
    absl::StatusOr<std::vector<double>> v = ParsePositiveList("lr", lr_list);
    if (!v.ok()) return ReportError(v.status());
    lrs = *v;
  }
  if (!lam_list.empty()) {
    absl::StatusOr<std::vector<double>> v =
        ParseNonNegativeList("lam", lam_list);
    if (!v.ok()) return ReportError(v.status());
    lams = *v;
  }
  if (!json) {
    std::cout << "program: " << flags.positional()[0] << "\n"
              << "task: " << DescribeTask(task->spec) << "\n";
    std::cout.flush();
  }
  PoolUse use;
  use.load_test = true;
  use.max_useful = static_cast<int>(lrs.size() * lams.size());
  absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
      MakeEvaluationPool(pool_flags, task->config.task(), task->spec, use);
  if (!pool.ok()) return ReportError(pool.status());
  absl::StatusOr<TuneResult> result = TuneGrid(
      *program, lrs, lams, **pool, /*with_test=*/true, flags.positional()[0]);
  if (!result.ok()) return ReportError(result.status());
  if (json) {
    JsonWriter w;
    w.BeginObject();
    w.Key("program").String(flags.positional()[0]);
    w.Key("grid").BeginArray();
    for (const GridPoint& p : result->points) {
      w.BeginObject();
      w.Key("peak_lr").Double(p.lr);
      w.Key("lam").Double(p.lam);
      w.Key("status").String(p.result.status() == EvalResult::OK ? "ok"
                                                                 : "failed");
      w.Key("val_accuracy").Double(p.result.val_accuracy());
      w.Key("test_accuracy").Double(p.result.test_accuracy());
      w.EndObject();
    }
    w.EndArray();
    const GridPoint& best = result->points[result->best];
    w.Key("best").BeginObject();
    w.Key("peak_lr").Double(best.lr);
    w.Key("lam").Double(best.lam);
    w.Key("val_accuracy").Double(best.result.val_accuracy());
    w.Key("test_accuracy").Double(best.result.test_accuracy());
    w.EndObject();
    w.EndObject();
    std::cout << w.str() << "\n";
  } else {
    std::cout << FormatGridTable(*result, lrs, lams);
  }
  return kExitOk;
}

}  // namespace hero
