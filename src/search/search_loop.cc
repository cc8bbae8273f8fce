// EvolutionSearch::Run and what it calls: the asynchronous loop, restarts,
// the funnel and the outputs. (Set-up and journal replay are in search.cc.)
#include <algorithm>

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

Member MemberOf(const Mutation& m, int64_t id, double fitness) {
  Member member;
  member.id = id;
  member.fitness = fitness;
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
  return r;
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
  EvalRequest request;
  request.program = warm_start_;
  request.peak_lr = config_.task().train().peak_lr();
  request.lam = config_.task().train().lam();
  deps_.pool->Submit(std::move(request));
  std::optional<EvaluationPool::Completed> done = AwaitNext(on_progress);
  if (!done.has_value()) return absl::InternalError("evaluation pool lost the warm start");
  if (!done->status.ok()) {
    return absl::Status(done->status.code(),
                        absl::StrCat("the warm start could not be evaluated: ",
                                     done->status.message()));
  }
  JournalRecord r = ChildRecord(warm, done->result, "");
  r.set_kind(JournalRecord::WARM_START);
  r.set_worker(done->evaluated_by);
  r.set_attempts(done->attempts);
  r.set_parent_id(0);
  if (absl::Status s = Append(r); !s.ok()) return s;
  cache_.Insert(warm.mutation.hash, warm.fingerprint, done->result);
  const Member member = MemberOf(warm.mutation, 0, r.fitness());
  warm_fitness_ = r.fitness();
  population_.Fill(member);
  Admit(r, member);
  ++trained_this_session_;
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
        JournalRecord r = ChildRecord(
            child, *hit.result,
            hit.hit == CacheHit::kStructural ? "structural" : "fingerprint");
        if (absl::Status s = Append(r); !s.ok()) return s;
        Admit(r, MemberOf(child.mutation, child.id, r.fitness()));
        on_progress(progress());
        return absl::OkStatus();
      }
      EvalRequest request;
      request.program = child.mutation.child;
      request.peak_lr = config_.task().train().peak_lr();
      request.lam = config_.task().train().lam();
      const int64_t pool_id = deps_.pool->Submit(std::move(request));
      in_flight_.emplace(pool_id, std::move(child));
      return absl::OkStatus();
    }
    ++mutation_failures_;
    if (++failures >= kMaxMutationFailuresInARow) {
      return absl::InternalError(absl::StrCat(
          "the mutator failed ", failures,
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
  auto it = in_flight_.find(done.id);
  if (it == in_flight_.end()) {
    return absl::InternalError("evaluation pool returned an unknown id");
  }
  InFlight child = std::move(it->second);
  in_flight_.erase(it);
  if (!done.status.ok()) {
    // Not the program's failure: journaled (exactly once), but neither
    // cached nor admitted to the population.
    JournalRecord r = ChildRecord(child, EvalResult(), "");
    r.set_status(EvalResult::ERROR);
    r.set_failure_reason(std::string(done.status.message()));
    r.set_worker(done.evaluated_by);
    r.set_attempts(done.attempts);
    if (absl::Status s = Append(r); !s.ok()) return s;
    ++errors_;
    if (++errors_in_a_row_ >= kMaxErrorsInARow) {
      return absl::UnavailableError(absl::StrCat(
          "the workers could not evaluate ", errors_in_a_row_,
          " candidates in a row (last: ", done.status.message(),
          "); fix them and continue with --resume"));
    }
    return absl::OkStatus();
  }
  errors_in_a_row_ = 0;
  JournalRecord r = ChildRecord(child, done.result, "");
  r.set_worker(done.evaluated_by);
  r.set_attempts(done.attempts);
  if (absl::Status s = Append(r); !s.ok()) return s;
  if (evo_.cache().enabled()) {
    cache_.Insert(child.mutation.hash, child.fingerprint, done.result);
  }
  Admit(r, MemberOf(child.mutation, child.id, r.fitness()));
  ++trained_this_session_;
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
    const int in_flight = std::max(
        1, evo_.in_flight() > 0 ? evo_.in_flight() : deps_.pool->parallelism());
    while (BudgetLeft(/*counting_in_flight=*/true) &&
           static_cast<int>(in_flight_.size()) < in_flight) {
      if (absl::Status s = MakeChild(on_progress); !s.ok()) return s;
    }
    if (in_flight_.empty()) break;
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
