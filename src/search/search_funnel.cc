// EvolutionSearch's end of run: the funnel (the paper's meta-validation) and
// the output files.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/evaluation/evaluate_all.h"
#include "src/program/parser.h"
#include "src/search/search.h"

namespace hero {

absl::Status EvolutionSearch::RunFunnel() {
  funnel_.clear();
  std::vector<const JournalRecord*> top =
      TopDistinct(records_, evo_.top_k(), plan_.options().size_penalty);
  const JournalRecord* warm = nullptr;
  for (const JournalRecord& r : records_) {
    if (r.kind() == JournalRecord::WARM_START) warm = &r;
  }
  if (warm == nullptr) return absl::InternalError("no warm start record");
  const FunnelConfig& funnel = evo_.funnel();
  if (funnel.tasks_size() == 0) {
    answer_ = top.empty() ? *warm : *top[0];
    return absl::OkStatus();
  }
  std::vector<const JournalRecord*> candidates(
      top.begin(), top.begin() + std::min<size_t>(top.size(), funnel.top_k()));
  bool has_warm = false;
  for (const JournalRecord* c : candidates) {
    has_warm |= c->structural_hash() == warm->structural_hash();
  }
  if (!has_warm) candidates.push_back(warm);
  for (const JournalRecord* c : candidates) {
    FunnelEntry e;
    e.id = c->id();
    e.program = c->program();
    e.hash = c->structural_hash();
    e.search_fitness = c->fitness();
    e.live_statements = c->live_statements();
    e.is_warm_start = c->structural_hash() == warm->structural_hash();
    funnel_.push_back(std::move(e));
  }
  for (int t = 0; t < funnel.tasks_size(); ++t) {
    const TaskConfig& task = funnel.tasks(t);
    absl::StatusOr<std::unique_ptr<EvaluationPool>> pool =
        deps_.funnel_pool_factory(task);
    if (!pool.ok()) return pool.status();
    std::vector<EvalRequest> requests;
    for (const FunnelEntry& e : funnel_) {
      absl::StatusOr<Program> program = ParseProgram(e.program, "funnel");
      if (!program.ok()) return program.status();
      EvalRequest request;
      request.program = *std::move(program);
      request.peak_lr = task.train().peak_lr();
      request.lam = task.train().lam();
      requests.push_back(std::move(request));
    }
    absl::StatusOr<std::vector<EvalResult>> results =
        EvaluateAll(**pool, std::move(requests));
    if (!results.ok()) {
      return absl::Status(results.status().code(),
                          absl::StrCat("funnel task ", task.name(), ": ",
                                       results.status().message()));
    }
    for (size_t i = 0; i < funnel_.size(); ++i) {
      const EvalResult& r = (*results)[i];
      funnel_[i].task_fitness.resize(funnel.tasks_size());
      funnel_[i].task_fitness[t] =
          r.status() == EvalResult::OK ? r.val_accuracy() : 0.0;
    }
  }
  for (FunnelEntry& e : funnel_) {
    double sum = 0;
    for (double f : e.task_fitness) sum += f;
    e.funnel_fitness = sum / funnel.tasks_size();
  }
  // Parsimony (search.fitness.size_penalty) chooses the answer too.
  const double penalty = plan_.options().size_penalty;
  auto score = [penalty](const FunnelEntry& e) {
    return SelectionScore(e.funnel_fitness, e.live_statements, penalty);
  };
  std::stable_sort(funnel_.begin(), funnel_.end(),
                   [&score](const FunnelEntry& a, const FunnelEntry& b) {
                     return score(a) > score(b);
                   });
  for (const JournalRecord& r : records_) {
    if ((r.kind() == JournalRecord::CHILD ||
         r.kind() == JournalRecord::WARM_START) &&
        r.id() == funnel_[0].id) {
      answer_ = r;
      break;
    }
  }
  return absl::OkStatus();
}

absl::Status EvolutionSearch::WriteOutputs(bool final) {
  RunReport report;
  report.task_name = config_.task().name();
  report.progress = progress();
  report.progress.done = final;
  const FitnessCacheStats& cs = cache_.stats();
  report.cache_lookups = cs.lookups;
  report.cache_structural_hits = cs.structural_hits;
  report.cache_fingerprint_hits = cs.fingerprint_hits;
  report.mutation_failures = mutation_failures_;
  report.population_redundant_fraction = population_.RedundantFraction();
  report.top_k = evo_.top_k();
  report.size_penalty = plan_.options().size_penalty;
  report.records = &records_;
  report.median_history = &median_history_;
  report.funnel = &funnel_;
  for (const TaskConfig& t : evo_.funnel().tasks()) {
    report.funnel_task_names.push_back(t.name());
  }
  report.answer = final ? &answer_ : nullptr;
  return WriteRunOutputs(dir_, report);
}

}  // namespace hero
