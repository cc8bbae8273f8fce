// hero eval PROGRAM --config=CFG [--lr=X] [--lam=X] [--json] [--curve_svg=F]
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/cli/progress.h"
#include "src/cli/task_setup.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/program_proto.h"
#include "src/proxy/trainer.h"
#include "src/util/atomic_file.h"

namespace hero {

int RunEval(const Args& args) {
  FlagSet flags(
      "eval", "PROGRAM",
      "Trains the config's proxy task (Fashion-MNIST, MLP or ViT) with "
      "PROGRAM as the\noptimizer and prints the validation accuracy (the "
      "search's fitness) and the\ntest accuracy. A run that diverges "
      "(NaN/Inf, loss above task.train.max_loss)\nreports status failed with "
      "the reason; the exit status is still 0.");
  std::string config_path, curve_svg;
  double lr = -1, lam = -1;
  bool json = false, test = true;
  flags.AddString("config", &config_path,
                  "SearchConfig textproto whose `task` is trained (required)");
  flags.AddDouble("lr", &lr,
                  "peak learning rate (default: task.train.peak_lr)");
  flags.AddDouble("lam", &lam, "λ, the weight decay (default: task.train.lam)");
  flags.AddBool("json", &json, "print one JSON object instead of text");
  flags.AddBool("test", &test, "also measure test accuracy");
  flags.AddString("curve_svg", &curve_svg,
                  "write the loss and validation-accuracy curves to this SVG");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1 || config_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero eval: expected PROGRAM and --config=CFG (see `hero eval "
        "--help`)"));
  }
  absl::StatusOr<Program> program = ReadProgramFile(flags.positional()[0]);
  if (!program.ok()) return ReportError(program.status());
  absl::StatusOr<LoadedTask> task = LoadTask(config_path);
  if (!task.ok()) return ReportError(task.status());
  if (flags.IsSet("lr") && !(lr > 0)) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("hero eval: --lr must be > 0, got ", lr)));
  }
  if (flags.IsSet("lam") && !(lam >= 0)) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("hero eval: --lam must be >= 0, got ", lam)));
  }
  TrainOptions options;
  options.peak_lr = flags.IsSet("lr") ? lr : task->spec.peak_lr;
  options.lam = flags.IsSet("lam") ? lam : task->spec.lam;
  options.with_test = test;
  options.curve_points = curve_svg.empty() ? 0 : task->spec.curve_points;

  absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
      LoadTaskData(task->spec, test);
  if (!data.ok()) return ReportError(data.status());
  absl::StatusOr<std::unique_ptr<Trainer>> trainer =
      Trainer::Create(task->spec, *data);
  if (!trainer.ok()) return ReportError(trainer.status());

  if (!json) {
    std::cout << "program: " << flags.positional()[0] << "\n"
              << "task: " << DescribeTask(task->spec) << "\n"
              << absl::StrFormat("peak_lr: %g  lam: %g\n", options.peak_lr,
                                 options.lam);
    std::cout.flush();
  }
  ProgressLine progress(/*log_every_seconds=*/0);
  const auto start = std::chrono::steady_clock::now();
  options.progress = [&](int64_t done, int64_t total) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    progress.Update(absl::StrFormat(
        "training: step %d/%d  %s elapsed, ETA %s", done, total,
        FormatDuration(elapsed),
        FormatDuration(elapsed * (total - done) / std::max<int64_t>(1, done))));
  };
  const EvalResult result = (*trainer)->Evaluate(*program, options);
  progress.Done();

  if (json) {
    std::cout << EvalResultJson(result, /*pretty=*/false) << "\n";
  } else {
    std::cout << EvalResultText(result);
  }
  if (!curve_svg.empty()) {
    const std::string svg =
        CurvesSvg(task->spec.name, {{flags.positional()[0], &result}});
    if (absl::Status s = WriteFileAtomically(curve_svg, svg); !s.ok()) {
      return ReportError(s);
    }
  }
  return kExitOk;
}

}  // namespace hero
