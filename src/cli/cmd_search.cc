// hero search --config=CFG [--output_dir=DIR] [--resume] [--threads=N]
#include <unistd.h>

#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/cli/pool_setup.h"
#include "src/cli/progress.h"
#include "src/cli/task_setup.h"
#include "src/search/search.h"
#include "src/search/search_options.h"

namespace hero {
namespace {

std::string DefaultOutputDir(const std::string& config_path) {
  std::string base = config_path.substr(config_path.find_last_of('/') + 1);
  base = base.substr(0, base.find('.'));
  return "runs/" + (base.empty() ? std::string("search") : base);
}

// `start_fraction` is the budget fraction done when this session began; the
// ETA extrapolates this session's rate.
std::string StatusLine(const SearchProgress& p, const EvolutionConfig& evo,
                       double start_fraction) {
  std::string trained = absl::StrCat(p.trained);
  if (evo.max_trained() > 0) absl::StrAppend(&trained, "/", evo.max_trained());
  std::string generated = absl::StrCat(p.generated);
  if (evo.max_generated() > 0) {
    absl::StrAppend(&generated, "/", evo.max_generated());
  }
  const double done_now = p.budget_fraction - start_fraction;
  const double eta =
      done_now > 0 ? p.session_seconds * (1 - p.budget_fraction) / done_now
                   : -1;
  return absl::StrFormat(
      "trained %s  generated %s  %.1f eval/s  cache hits %.0f%%  best %.4f "
      "(warm start %.4f)  elapsed %s  ETA %s%s",
      trained, generated, p.evaluations_per_second, 100 * p.cache_hit_rate,
      p.best_fitness, p.warm_start_fitness, FormatDuration(p.elapsed_seconds),
      FormatDuration(eta), PoolStatusSuffix(p.pool));
}

}  // namespace

int RunSearch(const Args& args) {
  FlagSet flags(
      "search", "",
      "Runs the evolutionary search the config describes: regularized "
      "evolution\n(asynchronous, steady state) warm-started from "
      "search.warm_start (AdamW), each\ncandidate scored by training the "
      "config's task, with a fitness cache, until a\nbudget is reached; then "
      "the funnel. Shows a live status line on a terminal.\n\nWrites to "
      "--output_dir: journal (every completed evaluation; the "
      "checkpoint),\nbest.py, top.py, history.csv, progress.svg, "
      "summary.json. After a crash or\nkill, run the same command with "
      "--resume to continue without losing or\nrepeating completed "
      "evaluations.");
  std::string config_path, output_dir;
  bool resume = false;
  PoolFlags pool_flags;
  flags.AddString("config", &config_path, "SearchConfig textproto (required)");
  flags.AddString("output_dir", &output_dir,
                  "where the run's files go (default: runs/<config name>)");
  flags.AddBool("resume", &resume,
                "continue the search whose journal is in --output_dir");
  pool_flags.Register(flags,
                      "local evaluation threads (default: search.threads; 0 = "
                      "one per core)");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (!flags.positional().empty() || config_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero search: expected --config=CFG and no other arguments (see "
        "`hero search --help`)"));
  }
  // Every problem of the task, tune and search sections, in one report.
  absl::StatusOr<LoadedTask> task =
      LoadTask(config_path, ConfigCheck{/*check_search=*/true});
  if (!task.ok()) return ReportError(task.status());
  if (output_dir.empty()) output_dir = DefaultOutputDir(config_path);
  const EvolutionConfig& evo = task->config.search();
  PoolUse use;
  use.default_threads = evo.threads();
  absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
      MakeEvaluationPool(pool_flags, task->config.task(), task->spec, use);
  if (!pool.ok()) return ReportError(pool.status());

  EvolutionSearch::Deps deps;
  deps.pool = pool->get();
  deps.funnel_pool_factory = [&pool_flags, &use](const TaskConfig& t)
      -> absl::StatusOr<std::unique_ptr<EvaluationPool>> {
    absl::StatusOr<TaskSpec> spec = MakeTaskSpec(t, "search.funnel.tasks");
    if (!spec.ok()) return spec.status();
    return MakeEvaluationPool(pool_flags, t, *spec, use);
  };
  std::string warning;
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> search =
      EvolutionSearch::Create(task->config, output_dir, resume, std::move(deps),
                              &warning);
  if (!search.ok()) return ReportError(search.status());
  if (!warning.empty()) std::cerr << "warning: " << warning << "\n";

  std::cout << "task: " << DescribeTask(task->spec) << "\n"
            << "search: population " << evo.population_size() << ", tournament "
            << evo.tournament_size() << ", " << DescribePool(pool_flags, **pool)
            << ", output " << output_dir << "\n";
  if (resume && !(*search)->records().empty()) {
    const SearchProgress p = (*search)->progress();
    std::cout << "resumed: " << p.trained << " trained, " << p.generated
              << " generated, " << FormatDuration(p.elapsed_seconds)
              << " searched before\n";
  }
  std::cout.flush();
  ProgressLine line(/*log_every_seconds=*/0);
  int64_t last_logged = -1;
  std::string last_waiting;
  const double start_fraction = (*search)->progress().budget_fraction;
  const absl::Status status = (*search)->Run([&](const SearchProgress& p) {
    PrintPoolEvents(**pool, line);
    if (line.is_terminal()) {
      line.Update(StatusLine(p, evo, start_fraction));
    } else if (p.done || p.generated / evo.log_every() != last_logged ||
               p.pool.waiting != last_waiting) {
      last_logged = p.generated / evo.log_every();
      last_waiting = p.pool.waiting;
      std::cerr << StatusLine(p, evo, start_fraction) << "\n";
    }
  });
  line.Done();
  if (!status.ok()) return ReportError(status);

  const EvolutionSearch& s = **search;
  const SearchProgress p = s.progress();
  std::cout << absl::StrFormat(
      "done: %d trained, %d generated, cache hit rate %.1f%%, %s\n", p.trained,
      p.generated, 100 * p.cache_hit_rate, FormatDuration(p.elapsed_seconds));
  if (!s.funnel().empty()) {
    std::cout << "funnel (mean validation accuracy on the funnel tasks):\n";
    for (const FunnelEntry& e : s.funnel()) {
      std::cout << absl::StrFormat("  id %-7d search %.4f  funnel %.4f%s\n",
                                   e.id, e.search_fitness, e.funnel_fitness,
                                   e.is_warm_start ? "  (warm start)" : "");
    }
  }
  std::cout << absl::StrFormat(
      "warm start fitness: %.4f\nbest fitness: %.4f (id %d)\n",
      p.warm_start_fitness, s.answer().fitness(), s.answer().id());
  std::cout << s.answer().program();
  std::cout << "files: " << output_dir
            << "/{best.py,top.py,history.csv,progress.svg,summary.json,"
               "journal}\n";
  return kExitOk;
}

}  // namespace hero
