#include "src/simplify/ablation.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/evaluation/evaluate_all.h"
#include "src/program/printer.h"
#include "src/simplify/ablation_candidates.h"

namespace hero {
namespace {

double Fitness(const EvalResult& r) {
  return r.status() == EvalResult::OK ? r.val_accuracy() : 0.0;
}

class Ablation {
 public:
  Ablation(EvaluationPool& pool, const AblationOptions& options)
      : pool_(pool), options_(options) {}

  absl::StatusOr<AblationResult> Run(const Program& program);

 private:
  // Evaluates `programs` side by side; results in the same order. Fails
  // if the pool could not evaluate one of them.
  absl::StatusOr<std::vector<EvalResult>> Evaluate(
      const std::vector<const Program*>& programs, int round);
  // "0.8781 (-0.0005; seeds …)", or "failed (reason)"; without the
  // difference if `reference` is null.
  std::string Measurement(const EvalResult& r, const double* reference) const;

  EvaluationPool& pool_;
  const AblationOptions& options_;
  std::map<std::string, EvalResult> cache_;  // Printed program → result.
  int evaluations_ = 0;
};

absl::StatusOr<std::vector<EvalResult>> Ablation::Evaluate(
    const std::vector<const Program*>& programs, int round) {
  std::vector<std::string> texts;
  std::vector<std::string> queued;  // Printed programs to evaluate.
  std::vector<EvalRequest> requests;
  for (const Program* p : programs) {
    texts.push_back(PrintProgram(*p));
    const std::string& text = texts.back();
    if (cache_.count(text) > 0 ||
        std::find(queued.begin(), queued.end(), text) != queued.end()) {
      continue;
    }
    queued.push_back(text);
    EvalRequest request;
    request.program = *p;
    request.peak_lr = options_.peak_lr;
    request.lam = options_.lam;
    requests.push_back(std::move(request));
  }
  absl::StatusOr<std::vector<EvalResult>> results =
      EvaluateAll(pool_, std::move(requests), [&](const BatchProgress& p) {
        if (options_.progress) options_.progress(p.done, p.total, round);
      });
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < queued.size(); ++i) {
    cache_[queued[i]] = std::move((*results)[i]);
  }
  evaluations_ += static_cast<int>(queued.size());
  std::vector<EvalResult> out;
  for (const std::string& t : texts) out.push_back(cache_[t]);
  return out;
}

std::string Ablation::Measurement(const EvalResult& r,
                                  const double* reference) const {
  if (r.status() != EvalResult::OK) {
    return absl::StrCat("failed (", r.failure_reason(), ")");
  }
  std::vector<std::string> seeds;
  for (double s : r.seed_val_accuracy()) {
    seeds.push_back(absl::StrFormat("%.4f", s));
  }
  const std::string delta =
      reference == nullptr
          ? ""
          : absl::StrFormat("%+.4f; ", r.val_accuracy() - *reference);
  return absl::StrFormat("%.4f (%sseeds %s)", r.val_accuracy(), delta,
                         absl::StrJoin(seeds, " "));
}

absl::StatusOr<AblationResult> Ablation::Run(const Program& input) {
  absl::StatusOr<SimplifyResult> simplified =
      Simplify(input, options_.simplify);
  if (!simplified.ok()) return simplified.status();
  AblationResult result;
  Program current = simplified->program;
  double reference = 0, fitness = 0;
  for (int round = 1;; ++round) {
    absl::StatusOr<std::vector<AblationCandidate>> candidates =
        AblationCandidates(current, options_.simplify);
    if (!candidates.ok()) return candidates.status();
    std::vector<const Program*> programs;
    if (round == 1) programs.push_back(&current);  // The reference, alongside.
    for (const AblationCandidate& c : *candidates)
      programs.push_back(&c.program);
    absl::StatusOr<std::vector<EvalResult>> evaluated =
        Evaluate(programs, round);
    if (!evaluated.ok()) return evaluated.status();
    std::vector<EvalResult>& results = *evaluated;
    if (round == 1) {
      const EvalResult ref = results.front();
      if (ref.status() != EvalResult::OK) {
        return absl::FailedPreconditionError(absl::StrCat(
            "ablation: the simplified program fails on this task (",
            ref.failure_reason(), "), so nothing can be measured against it"));
      }
      reference = fitness = ref.val_accuracy();
      results.erase(results.begin());
      result.derivation.AddNote({absl::StrFormat(
          "ablation: reference fitness %s of the simplified program; a change "
          "is kept if its fitness is at least %.4f (tolerance %g)",
          Measurement(ref, nullptr), reference - options_.tolerance,
          options_.tolerance)});
    }
    result.rounds = round;
    if (candidates->empty()) {
      result.derivation.AddNote(
          {absl::StrCat("round ", round, ": nothing left to try")});
      if (options_.on_round) options_.on_round(result.derivation);
      break;
    }
    int accepted = -1;
    std::vector<std::string> lines = {
        absl::StrCat("round ", round, ": ", candidates->size(), " candidates")};
    for (size_t i = 0; i < candidates->size(); ++i) {
      const double f = Fitness(results[i]);
      const bool within = f >= reference - options_.tolerance;
      std::string verdict = "";
      if (within && accepted < 0) {
        accepted = static_cast<int>(i);
        verdict = "  → kept";
      } else if (within) {
        verdict = "  (within tolerance; an earlier change was kept)";
      }
      lines.push_back(absl::StrCat("  ", (*candidates)[i].description, ": ",
                                   Measurement(results[i], &reference),
                                   verdict));
    }
    if (accepted < 0) lines.push_back("  nothing within tolerance: done");
    result.derivation.AddNote(std::move(lines));
    if (accepted < 0) {
      if (options_.on_round) options_.on_round(result.derivation);
      break;
    }
    const AblationCandidate& c = (*candidates)[accepted];
    Derivation::Step step;
    const bool remove = c.kind == AblationCandidate::Kind::kRemove;
    step.rule = remove ? "ablate-remove" : "ablate-snap";
    step.description = absl::StrCat(c.description, ": ", remove ? c.effect : "",
                                    remove ? "" : "fewest digits within 1%");
    step.before = {c.statement_text};
    if (!remove) step.after = {c.effect};
    step.fitness_before = fitness;
    step.fitness_after = Fitness(results[accepted]);
    result.derivation.AddStep(std::move(step));
    fitness = Fitness(results[accepted]);
    current = c.program;
    if (options_.on_round) options_.on_round(result.derivation);
  }
  result.program = std::move(current);
  result.reference_fitness = reference;
  result.fitness = fitness;
  result.evaluations = evaluations_;
  return result;
}

}  // namespace

absl::StatusOr<AblationResult> Ablate(const Program& program,
                                      EvaluationPool& pool,
                                      const AblationOptions& options) {
  return Ablation(pool, options).Run(program);
}

}  // namespace hero
