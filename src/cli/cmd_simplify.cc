// hero simplify PROGRAM [--config=CFG] [--tolerance=X] [--threads=N]
//                       [--exact] [-o OUT]
//
// The paper's Step 3: prints the simplified program (paper syntax) on stdout
// and its derivation on stderr. With --config, also ablates (pass 5):
// statements and constant digits that the config's proxy task says do not
// matter are removed, every measured fitness is reported.
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/cli/pool_setup.h"
#include "src/cli/progress.h"
#include "src/cli/task_setup.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "src/simplify/ablation.h"
#include "src/simplify/simplifier.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

// Prints the ablation's derivation on stderr as it grows (steps numbered
// after the symbolic ones) and returns the result.
absl::StatusOr<AblationResult> RunAblation(const Program& program,
                                           const LoadedTask& task,
                                           double tolerance,
                                           const PoolFlags& pool_flags,
                                           const SimplifyOptions& simplify,
                                           int first_step) {
  absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
      MakeEvaluationPool(pool_flags, task.config.task(), task.spec, PoolUse());
  if (!pool.ok()) return pool.status();
  AblationOptions options;
  options.tolerance = tolerance;
  options.peak_lr = task.spec.peak_lr;
  options.lam = task.spec.lam;
  options.simplify = simplify;
  ProgressLine progress(/*log_every_seconds=*/0);
  const auto start = std::chrono::steady_clock::now();
  options.progress = [&](int done, int submitted, int round) {
    PrintPoolEvents(**pool, progress);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    progress.Update(absl::StrFormat(
        "ablation round %d: %d/%d evaluated, %s%s", round, done, submitted,
        FormatDuration(elapsed), PoolStatusSuffix((*pool)->stats())));
  };
  size_t printed = 0;
  options.on_round = [&](const Derivation& so_far) {
    progress.Done();
    const std::string text = so_far.ToText(first_step);
    std::cerr << text.substr(printed);
    std::cerr.flush();
    printed = text.size();
  };
  absl::StatusOr<AblationResult> result = Ablate(program, **pool, options);
  progress.Done();
  if (result.ok()) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::cerr << absl::StrFormat(
        "     ablation: %d training runs in %d rounds, %s on %s; "
        "fitness %.4f → %.4f\n",
        result->evaluations, result->rounds, FormatDuration(seconds),
        DescribePool(pool_flags, **pool), result->reference_fitness,
        result->fitness);
  }
  return result;
}

}  // namespace

int RunSimplify(const Args& args) {
  FlagSet flags(
      "simplify", "PROGRAM",
      "The paper's Step 3: simplifies PROGRAM and prints it (paper syntax) on "
      "stdout, with\nits derivation on stderr — one numbered step per change: "
      "the rule, the statements\nbefore (-) and after (+). The symbolic passes "
      "run to a fixpoint: dead code\n(including state slots whose incoming "
      "value is never read), algebraic rewrites\n(x / sqrt(square(x)) → "
      "sign(x), x * 1 → x, constant folding, ...), interpolation\nmerging "
      "(interpolate(x, interpolate(x, y, a), b) → interpolate(x, y, a·b)),\n"
      "common subexpressions, then the canonical form (the live state slot in "
      "m,\ncanonical statement order and names: equal programs print "
      "identically).\n\nWith --config, ablation follows: each statement is "
      "removed in turn and each\nconstant snapped to fewer digits, every "
      "candidate trained on the config's task\n(at task.train.peak_lr and "
      "lam), and a change kept when its fitness (mean\nvalidation accuracy "
      "over the seeds) is at most --tolerance below the simplified\nprogram's. "
      "Statements reading lr or λ are the user's knobs and are kept.");
  std::string config_path, out_path;
  double tolerance = 0.002;
  PoolFlags pool_flags;
  bool exact = false;
  flags.AddString("config", &config_path,
                  "SearchConfig textproto: ablate on its task (e.g. "
                  "configs/simplify.textproto)");
  flags.AddDouble("tolerance", &tolerance,
                  "ablation keeps a change costing at most this much fitness "
                  "(absolute)");
  pool_flags.Register(flags,
                      "ablation evaluations run side by side (default: one per "
                      "core)");
  flags.AddBool("exact", &exact,
                "only rewrites that keep every value bit for bit (no 1e-8 "
                "division rules, no interpolation merging)");
  flags.AddString("output", &out_path,
                  "write the program to this file (atomically) instead of "
                  "stdout");
  flags.AddAlias('o', "output");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        "hero simplify: expected one PROGRAM (see `hero simplify --help`)"));
  }
  if (!(tolerance >= 0)) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        "hero simplify: --tolerance must be >= 0, got ", tolerance)));
  }
  if (flags.IsSet("tolerance") && config_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero simplify: --tolerance needs --config (it is for ablation)"));
  }
  const std::string& path = flags.positional()[0];
  absl::StatusOr<Program> program = ReadProgramFile(path);
  if (!program.ok()) return ReportError(program.status());
  std::optional<LoadedTask> task;
  if (!config_path.empty()) {
    absl::StatusOr<LoadedTask> loaded = LoadTask(config_path);
    if (!loaded.ok()) return ReportError(loaded.status());
    task = *std::move(loaded);
  }
  SimplifyOptions options;
  if (exact) {
    options.loosest = Exactness::kExact;
    options.merge_interpolations = false;
  }
  absl::StatusOr<SimplifyResult> simplified = Simplify(*program, options);
  if (!simplified.ok()) return ReportError(simplified.status());
  std::cerr << "simplify " << path << ": " << program->statements.size()
            << " statements → " << simplified->program.statements.size() << "\n"
            << simplified->derivation.ToText();
  Program result = simplified->program;
  if (task.has_value()) {
    std::cerr << "ablation on " << config_path << ": "
              << DescribeTask(task->spec) << "\n";
    std::cerr.flush();
    absl::StatusOr<AblationResult> ablated =
        RunAblation(result, *task, tolerance, pool_flags, options,
                    simplified->derivation.num_steps() + 1);
    if (!ablated.ok()) return ReportError(ablated.status());
    result = ablated->program;
    std::cerr << "result: " << result.statements.size() << " statements\n";
  }
  const std::string text = PrintProgram(result);
  if (!out_path.empty()) {
    if (absl::Status s = WriteFileAtomically(out_path, text); !s.ok()) {
      return ReportError(s);
    }
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace hero
