#include "src/search/fitness_plan.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace {

constexpr int kMaxLrFactors = 10;
constexpr int kMaxConfirmSeeds = 16;

std::vector<uint64_t> TaskSeeds(const SearchConfig& config) {
  const auto& seeds = config.task().train().seeds();
  if (seeds.empty()) return {1};  // TrainConfig's documented default.
  return std::vector<uint64_t>(seeds.begin(), seeds.end());
}

}  // namespace

void ValidateFitnessConfig(const SearchConfig& config,
                           std::vector<std::string>* problems) {
  const FitnessConfig& f = config.search().fitness();
  const HurdleConfig& h = f.hurdle();
  if (!(h.fraction() >= 0 && h.fraction() <= 1)) {
    problems->push_back(
        absl::StrCat("search.fitness.hurdle.fraction: must be in [0, 1], got ",
                     h.fraction()));
  }
  if (!(h.max_loss() > 0 && h.max_loss() <= 1e6)) {
    problems->push_back(absl::StrCat(
        "search.fitness.hurdle.max_loss: must be in (0, 1e6], got ",
        h.max_loss()));
  }
  const ScreenConfig& sc = f.screen();
  if (sc.steps() < 0 || sc.steps() > 100000) {
    problems->push_back(absl::StrCat(
        "search.fitness.screen.steps: must be in [0, 100000], got ",
        sc.steps()));
  }
  if (sc.steps() > 0) {
    const int batch = config.task().train().batch_size();
    if (sc.batch_size() < 1 || sc.batch_size() > batch) {
      problems->push_back(
          absl::StrCat("search.fitness.screen.batch_size: must be in [1, "
                       "task.train.batch_size = ",
                       batch, "], got ", sc.batch_size()));
    }
    if (!(sc.max_loss() > 0 && sc.max_loss() <= 1e6)) {
      problems->push_back(absl::StrCat(
          "search.fitness.screen.max_loss: must be in (0, 1e6], got ",
          sc.max_loss()));
    }
  }
  if (f.lr_factors_size() > kMaxLrFactors) {
    problems->push_back(absl::StrCat("search.fitness.lr_factors: at most ",
                                     kMaxLrFactors, " factors, got ",
                                     f.lr_factors_size()));
  }
  for (int i = 0; i < f.lr_factors_size(); ++i) {
    const double x = f.lr_factors(i);
    if (!(x > 0 && x <= 1e3)) {
      problems->push_back(absl::StrCat("search.fitness.lr_factors[", i,
                                       "]: must be in (0, 1000], got ", x));
    }
  }
  if (!(f.confirm_top_fraction() >= 0 && f.confirm_top_fraction() <= 1)) {
    problems->push_back(absl::StrCat(
        "search.fitness.confirm_top_fraction: must be in [0, 1], got ",
        f.confirm_top_fraction()));
  }
  if (!(f.size_penalty() >= 0 && f.size_penalty() <= 0.01)) {
    problems->push_back(
        absl::StrCat("search.fitness.size_penalty: must be in [0, 0.01], got ",
                     f.size_penalty()));
  }
  if (f.confirm_seeds_size() > kMaxConfirmSeeds) {
    problems->push_back(absl::StrCat("search.fitness.confirm_seeds: at most ",
                                     kMaxConfirmSeeds, " seeds, got ",
                                     f.confirm_seeds_size()));
  }
  const std::vector<uint64_t> task = TaskSeeds(config);
  absl::flat_hash_set<uint64_t> seen(task.begin(), task.end());
  for (int i = 0; i < f.confirm_seeds_size(); ++i) {
    if (!seen.insert(f.confirm_seeds(i)).second) {
      problems->push_back(absl::StrCat(
          "search.fitness.confirm_seeds[", i, "]: seed ", f.confirm_seeds(i),
          " is already a task seed or listed before"));
    }
  }
}

FitnessPlanOptions FitnessPlanFrom(const SearchConfig& config) {
  const FitnessConfig& f = config.search().fitness();
  FitnessPlanOptions o;
  o.peak_lr = config.task().train().peak_lr();
  o.lam = config.task().train().lam();
  if (f.lr_factors_size() > 0) {
    o.lr_factors.assign(f.lr_factors().begin(), f.lr_factors().end());
  }
  o.hurdle.fraction = f.hurdle().fraction();
  o.hurdle.max_loss = f.hurdle().max_loss();
  o.screen.steps = f.screen().steps();
  o.screen.batch_size = f.screen().batch_size();
  o.screen.max_loss = f.screen().max_loss();
  o.confirm_top_fraction = f.confirm_top_fraction();
  o.task_seeds = TaskSeeds(config);
  o.size_penalty = f.size_penalty();
  if (o.confirm_top_fraction > 0) {
    if (f.confirm_seeds_size() > 0) {
      o.confirm_seeds.assign(f.confirm_seeds().begin(),
                             f.confirm_seeds().end());
    } else {
      o.confirm_seeds = {
          *std::max_element(o.task_seeds.begin(), o.task_seeds.end()) + 1};
    }
  }
  return o;
}

FitnessPlan::FitnessPlan(FitnessPlanOptions options)
    : options_(std::move(options)) {}

std::vector<EvalRequest> FitnessPlan::FirstRuns(const Program& program) const {
  std::vector<EvalRequest> runs;
  for (double factor : options_.lr_factors) {
    EvalRequest r;
    r.program = program;
    r.peak_lr = options_.peak_lr * factor;
    r.lam = options_.lam;
    r.hurdle = options_.hurdle;
    r.screen = options_.screen;
    runs.push_back(std::move(r));
  }
  return runs;
}

EvalResult FitnessPlan::CombineFirst(const std::vector<EvalResult>& results,
                                     std::vector<double>* lr_fitness) const {
  int best = -1;
  double seconds = 0;
  int64_t steps = 0;
  lr_fitness->clear();
  for (size_t i = 0; i < results.size(); ++i) {
    const EvalResult& r = results[i];
    seconds += r.seconds();
    steps += r.steps();
    const bool ok = r.status() == EvalResult::OK;
    lr_fitness->push_back(ok ? r.val_accuracy() : 0.0);
    if (ok && (best < 0 || r.val_accuracy() > results[best].val_accuracy())) {
      best = static_cast<int>(i);
    }
  }
  const int kept = best >= 0 ? best : 0;
  EvalResult out = results[kept];
  out.set_peak_lr(options_.peak_lr * options_.lr_factors[kept]);
  out.set_lam(options_.lam);
  out.set_seconds(seconds);
  out.set_steps(steps);
  out.clear_seeds();
  for (uint64_t s : options_.task_seeds) out.add_seeds(s);
  if (out.status() != EvalResult::OK) out.set_val_accuracy(0);
  return out;
}

bool FitnessPlan::IsConfirmed(const EvalResult& result) const {
  for (uint64_t s : result.seeds()) {
    if (std::find(options_.confirm_seeds.begin(), options_.confirm_seeds.end(),
                  s) != options_.confirm_seeds.end()) {
      return true;
    }
  }
  return false;
}

bool FitnessPlan::ShouldConfirm(const EvalResult& result,
                                double top_cut) const {
  return confirms() && result.status() == EvalResult::OK &&
         !IsConfirmed(result) && result.val_accuracy() > top_cut;
}

EvalRequest FitnessPlan::ConfirmRun(const Program& program,
                                    const EvalResult& first) const {
  EvalRequest r;
  r.program = program;
  r.peak_lr = first.peak_lr();
  r.lam = options_.lam;
  r.hurdle = options_.hurdle;
  r.seeds = options_.confirm_seeds;
  return r;
}

EvalResult FitnessPlan::CombineConfirmed(const EvalResult& first,
                                         const EvalResult& confirm) const {
  const double n1 = static_cast<double>(std::max(1, first.seeds_size()));
  const double n2 = static_cast<double>(options_.confirm_seeds.size());
  const double second =
      confirm.status() == EvalResult::OK ? confirm.val_accuracy() : 0.0;
  EvalResult out = first;
  out.set_val_accuracy((first.val_accuracy() * n1 + second * n2) / (n1 + n2));
  out.set_seconds(first.seconds() + confirm.seconds());
  out.set_steps(first.steps() + confirm.steps());
  for (uint64_t s : options_.confirm_seeds) out.add_seeds(s);
  if (confirm.status() == EvalResult::OK) {
    for (double a : confirm.seed_val_accuracy()) out.add_seed_val_accuracy(a);
    out.set_final_train_loss(
        (first.final_train_loss() * n1 + confirm.final_train_loss() * n2) /
        (n1 + n2));
  } else {
    for (size_t i = 0; i < options_.confirm_seeds.size(); ++i) {
      out.add_seed_val_accuracy(0.0);
    }
  }
  return out;
}

}  // namespace hero
