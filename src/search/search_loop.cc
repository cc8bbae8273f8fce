// EvolutionSearch::Run and what it calls: the asynchronous loop, restarts,
// the funnel and the outputs. (Set-up and journal replay are in search.cc.)
#include <algorithm>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/program/printer.h"
#include "src/program/structural_hash.h"
#include "src/search/search.h"

namespace hero {
namespace {

constexpr int kMaxMutationFailuresInARow = 1000;
// Candidates in a row that the pool could not evaluate (its workers failed
// on each of them after every try) before the search stops: something is
// wrong with the workers, not with the candidates. --resume continues.
constexpr int kMaxErrorsInARow = 20;

Member MemberOf(const Mutation& m, int64_t id, double fitness,
                double size_penalty) {
  Member member;
  member.id = id;
  member.fitness = fitness;
  member.score = SelectionScore(fitness, m.analysis.num_live(), size_penalty);
  member.program = std::make_shared<const Program>(m.child);
  member.analysis = std::make_shared<const Analysis>(m.analysis);
  member.hash = m.hash;
  return member;
}

double FitnessOf(const EvalResult& r) {
  return r.status() == EvalResult::OK ? r.val_accuracy() : 0.0;
}

}  // namespace

JournalRecord EvolutionSearch::ChildRecord(const InFlight& c,
                                           const EvalResult& result,
                                           const std::string& cache_hit) const {
  JournalRecord r;
  r.set_kind(JournalRecord::CHILD);
  r.set_id(c.id);
  r.set_parent_id(c.parent_id);
  r.set_mutation(c.mutation.description);
  r.set_program(PrintProgram(c.mutation.child));
  r.set_structural_hash(HashToHex(c.mutation.hash));
  if (c.fingerprint.has_value()) r.set_fingerprint(HashToHex(*c.fingerprint));
  r.set_cache_hit(cache_hit);
  r.set_fitness(FitnessOf(result));
  r.set_status(result.status());
  r.set_failure_reason(result.failure_reason());
  r.set_eval_seconds(cache_hit.empty() ? result.seconds() : 0.0);
  r.set_elapsed_seconds(Elapsed());
  r.set_live_statements(c.mutation.analysis.num_live());
  r.set_statements(static_cast<int32_t>(c.mutation.child.statements.size()));
  r.set_peak_lr(result.peak_lr());
  r.mutable_seeds()->CopyFrom(result.seeds());
  return r;
}

double EvolutionSearch::ConfirmCut() const {
  // The warm start, measured before there is a population, is confirmed
  // whenever confirmation is on, so that every fitness it is compared with
  // is over the same seeds.
  if (!plan_.confirms() || population_.empty()) {
    return -std::numeric_limits<double>::infinity();
  }
  return population_.TopCut(plan_.confirm_fraction());
}

void EvolutionSearch::Submit(InFlight c, bool confirm_only) {
  const int64_t id = c.id;
  if (confirm_only) {
    c.confirming = true;
    c.runs_pending = 1;
    runs_[deps_.pool->Submit(plan_.ConfirmRun(c.mutation.child, c.first))] =
        PoolRun{id, kConfirmRun};
  } else {
    std::vector<EvalRequest> requests = plan_.FirstRuns(c.mutation.child);
    c.results.assign(requests.size(), EvalResult());
    c.runs_pending = static_cast<int>(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      runs_[deps_.pool->Submit(std::move(requests[i]))] =
          PoolRun{id, static_cast<int>(i)};
    }
  }
  in_flight_[id] = std::move(c);
}

absl::Status EvolutionSearch::EvaluateWarmStart(
    const std::function<void(const SearchProgress&)>& on_progress) {
  absl::StatusOr<Analysis> analysis = Analyze(warm_start_);
  if (!analysis.ok()) return analysis.status();
  InFlight warm;
  warm.id = 0;
  warm.parent_id = -1;
  warm.mutation.child = warm_start_;
  warm.mutation.analysis = *analysis;
  warm.mutation.hash = StructuralHash(warm_start_, *analysis);
  warm.mutation.description = "warm start";
  absl::StatusOr<uint64_t> fp = fingerprinter_.Compute(warm_start_, *analysis);
  if (fp.ok()) warm.fingerprint = *fp;
  Submit(std::move(warm), /*confirm_only=*/false);
  while (!in_flight_.empty()) {
    std::optional<EvaluationPool::Completed> done = AwaitNext(on_progress);
    if (!done.has_value()) {
      return absl::InternalError("evaluation pool lost the warm start");
    }
    if (!done->status.ok()) {
      return absl::Status(
          done->status.code(),
          absl::StrCat("the warm start could not be evaluated: ",
                       done->status.message()));
    }
    if (absl::Status s = Complete(*std::move(done)); !s.ok()) return s;
  }
  on_progress(progress());
  return absl::OkStatus();
}

absl::Status EvolutionSearch::MakeChild(
    const std::function<void(const SearchProgress&)>& on_progress) {
  int failures = 0;
  while (true) {
    const Member& parent = population_.Tournament(evo_.tournament_size(), rng_);
    absl::StatusOr<Mutation> m =
        mutator_.Mutate(*parent.program, *parent.analysis, parent.hash, rng_);
    if (m.ok()) {
      InFlight child;
      child.id = next_id_++;
      child.parent_id = parent.id;
      child.mutation = *std::move(m);
      const bool use_cache = evo_.cache().enabled();
      CacheLookup hit;
      if (use_cache) {
        if (evo_.cache().functional_fingerprint()) {
          hit = cache_.Lookup(child.mutation.hash, [&] {
            return fingerprinter_.Compute(child.mutation.child,
                                          child.mutation.analysis);
          });
        } else {
          hit = cache_.Lookup(child.mutation.hash, std::nullopt);
        }
        child.fingerprint = hit.fingerprint;
      }
      if (hit.hit != CacheHit::kMiss) {
        const std::string kind =
            hit.hit == CacheHit::kStructural ? "structural" : "fingerprint";
        if (plan_.ShouldConfirm(*hit.result, ConfirmCut())) {
          // Its fitness was measured when it ranked lower: confirm it now.
          child.cache_hit = kind;
          child.first = *hit.result;
          Submit(std::move(child), /*confirm_only=*/true);
          return absl::OkStatus();
        }
        JournalRecord r = ChildRecord(child, *hit.result, kind);
        if (absl::Status s = Append(r); !s.ok()) return s;
        Admit(r, MemberOf(child.mutation, child.id, r.fitness(),
                          plan_.options().size_penalty));
        on_progress(progress());
        return absl::OkStatus();
      }
      Submit(std::move(child), /*confirm_only=*/false);
      return absl::OkStatus();
    }
    ++mutation_failures_;
    if (++failures >= kMaxMutationFailuresInARow) {
      return absl::InternalError(
          absl::StrCat("the mutator failed ", failures,
                       " times in a row (last: ", m.status().message(), ")"));
    }
  }
}

std::optional<EvaluationPool::Completed> EvolutionSearch::AwaitNext(
    const std::function<void(const SearchProgress&)>& on_progress) {
  while (true) {
    std::optional<EvaluationPool::Completed> done =
        deps_.pool->Next(absl::Seconds(1));
    if (done.has_value() || deps_.pool->pending() == 0) return done;
    on_progress(progress());  // Still waiting: keep the status line alive.
  }
}

absl::Status EvolutionSearch::Complete(EvaluationPool::Completed done) {
  auto run = runs_.find(done.id);
  if (run == runs_.end()) {
    return absl::InternalError("evaluation pool returned an unknown id");
  }
  const PoolRun r = run->second;
  runs_.erase(run);
  auto it = in_flight_.find(r.candidate);
  if (it == in_flight_.end()) {
    return absl::InternalError("a run of an unknown candidate");
  }
  InFlight& c = it->second;
  if (!done.status.ok()) {
    if (c.error.ok()) c.error = done.status;
  } else {
    ++training_runs_;
    if (r.index == kConfirmRun) {
      c.unconfirmed_fitness = FitnessOf(c.first);
      c.confirm_seconds = done.result.seconds();
      c.first = plan_.CombineConfirmed(c.first, done.result);
    } else {
      c.results[r.index] = std::move(done.result);
    }
  }
  // The worker of the first run (the kept lr's, if it comes first) and the
  // most tries any run took.
  if (c.evaluated_by.empty()) c.evaluated_by = done.evaluated_by;
  c.attempts = std::max(c.attempts, done.attempts);
  if (--c.runs_pending > 0) return absl::OkStatus();
  if (c.error.ok() && !c.confirming) {
    c.first = plan_.CombineFirst(c.results, &c.lr_fitness);
    c.results.clear();
    if (plan_.ShouldConfirm(c.first, ConfirmCut())) {
      InFlight confirm = std::move(c);
      in_flight_.erase(it);
      Submit(std::move(confirm), /*confirm_only=*/true);
      return absl::OkStatus();
    }
  }
  InFlight finished = std::move(c);
  in_flight_.erase(it);
  return Finish(std::move(finished));
}

absl::Status EvolutionSearch::Finish(InFlight c) {
  if (!c.error.ok()) {
    if (c.id == 0) {
      return absl::Status(
          c.error.code(),
          absl::StrCat("the warm start could not be evaluated: ",
                       c.error.message()));
    }
    // Not the program's failure: journaled (exactly once), but neither
    // cached nor admitted to the population.
    JournalRecord r = ChildRecord(c, EvalResult(), c.cache_hit);
    r.set_status(EvalResult::ERROR);
    r.set_failure_reason(std::string(c.error.message()));
    r.set_worker(c.evaluated_by);
    r.set_attempts(c.attempts);
    if (absl::Status s = Append(r); !s.ok()) return s;
    ++errors_;
    if (++errors_in_a_row_ >= kMaxErrorsInARow) {
      return absl::UnavailableError(
          absl::StrCat("the workers could not evaluate ", errors_in_a_row_,
                       " candidates in a row (last: ", c.error.message(),
                       "); fix them and continue with --resume"));
    }
    return absl::OkStatus();
  }
  errors_in_a_row_ = 0;
  JournalRecord r = ChildRecord(c, c.first, c.cache_hit);
  if (c.confirming) {
    r.set_unconfirmed_fitness(c.unconfirmed_fitness);
    // A confirmed cache hit cost only its confirmation run now.
    if (!c.cache_hit.empty()) r.set_eval_seconds(c.confirm_seconds);
    ++confirmed_;
  }
  for (double f : c.lr_fitness) r.add_lr_fitness(f);
  if (c.id == 0) {
    r.set_kind(JournalRecord::WARM_START);
    r.set_parent_id(0);
  }
  r.set_worker(c.evaluated_by);
  r.set_attempts(c.attempts);
  if (absl::Status s = Append(r); !s.ok()) return s;
  if (evo_.cache().enabled() || c.id == 0) {
    cache_.Insert(c.mutation.hash, c.fingerprint, c.first);
  }
  const Member member =
      MemberOf(c.mutation, c.id, r.fitness(), plan_.options().size_penalty);
  if (c.id == 0) {
    warm_fitness_ = r.fitness();
    population_.Fill(member);
  }
  Admit(r, member);
  if (c.cache_hit.empty()) ++trained_this_session_;
  return absl::OkStatus();
}

absl::Status EvolutionSearch::MaybeRestart() {
  if (evo_.restart_after() <= 0 || since_improvement_ < evo_.restart_after()) {
    return absl::OkStatus();
  }
  JournalRecord r;
  r.set_kind(JournalRecord::RESTART);
  r.set_id(best_.id);
  r.set_fitness(best_.fitness);
  r.set_elapsed_seconds(Elapsed());
  if (absl::Status s = Append(r); !s.ok()) return s;
  population_.Fill(best_);
  since_improvement_ = 0;
  ++restarts_;
  return absl::OkStatus();
}

absl::Status EvolutionSearch::Run(
    const std::function<void(const SearchProgress&)>& on_progress) {
  session_start_ = deps_.clock();
  if (population_.empty()) {
    if (absl::Status s = EvaluateWarmStart(on_progress); !s.ok()) return s;
  }
  int64_t last_written = generated_;
  while (true) {
    // A remote pool's parallelism follows the workers that are up; with
    // none up, one candidate waits for the first to return.
    // (Training runs, not candidates: a candidate with several lr
    // factors occupies several.)
    const int in_flight = std::max(
        1, evo_.in_flight() > 0 ? evo_.in_flight() : deps_.pool->parallelism());
    while (BudgetLeft(/*counting_in_flight=*/true) &&
           static_cast<int>(runs_.size()) < in_flight) {
      if (absl::Status s = MakeChild(on_progress); !s.ok()) return s;
    }
    if (runs_.empty()) break;
    std::optional<EvaluationPool::Completed> done = AwaitNext(on_progress);
    if (!done.has_value()) {
      return absl::InternalError("evaluation pool lost evaluations");
    }
    if (absl::Status s = Complete(*std::move(done)); !s.ok()) return s;
    if (absl::Status s = MaybeRestart(); !s.ok()) return s;
    on_progress(progress());
    if (generated_ - last_written >= evo_.log_every()) {
      if (absl::Status s = WriteOutputs(/*final=*/false); !s.ok()) return s;
      last_written = generated_;
    }
  }
  if (absl::Status s = RunFunnel(); !s.ok()) return s;
  if (absl::Status s = WriteOutputs(/*final=*/true); !s.ok()) return s;
  SearchProgress p = progress();
  p.done = true;
  on_progress(p);
  return absl::OkStatus();
}

}  // namespace hero
