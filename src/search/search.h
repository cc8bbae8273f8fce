// EvolutionSearch: regularized evolution over optimizer programs,
// asynchronous and steady state, warm-started from a program (AdamW).
//
//   absl::StatusOr<std::unique_ptr<EvolutionSearch>> search =
//       EvolutionSearch::Create(config, "/runs/a", /*resume=*/false, {pool});
//   absl::Status s = (*search)->Run([](const SearchProgress& p) { ... });
//
// The loop: the population starts as P copies of the warm start (evaluated
// once). While the budget lasts, keep `in_flight` evaluations running: pick a
// parent by tournament, mutate it (mutator.h), and look the child up in the
// fitness cache (structural hash, then functional fingerprint). A hit enters
// the population at once with the cached fitness; a miss is submitted to the
// EvaluationPool. Whenever an evaluation finishes, its child enters the
// population (the oldest member leaves) and the next child is made. After
// `restart_after` trained candidates without a new best, the population
// becomes P copies of the best.
//
// Never losing work: every completed candidate is appended to DIR/journal
// (journal.h) before anything else happens. Create() with resume = true
// replays the journal — population, cache, best, counters and elapsed time —
// so no completed evaluation is lost or done twice and the budget counts the
// earlier sessions. Evaluations in flight when a process died are simply
// made again. The config's task and search settings must match the
// journal's (budgets may change).
//
// Worker failures: a candidate the pool could not evaluate (a non-OK
// EvaluationPool::Completed, after the pool's own retries) is journaled with
// status ERROR and its reason, but is not cached, does not enter the
// population and does not count as trained; after 20 such candidates in a
// row Run() stops with Unavailable (resume when the workers are healthy).
//
// Outputs (written atomically as the search goes and at the end; see
// run_outputs.h): best.py, top.py, history.csv, progress.svg, summary.json.
//
// Thread-safety: Run() is single-threaded; the pool does the evaluating.
#ifndef HERO_SEARCH_SEARCH_H_
#define HERO_SEARCH_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "proto/journal.pb.h"
#include "proto/search_config.pb.h"
#include "src/evaluation/evaluation_pool.h"
#include "src/search/fingerprint.h"
#include "src/search/fitness_cache.h"
#include "src/search/journal.h"
#include "src/search/mutator.h"
#include "src/search/population.h"
#include "src/search/run_outputs.h"

namespace hero {

// Makes an evaluation pool for a funnel task (a TaskConfig of
// search.funnel.tasks).
using PoolFactory = std::function<absl::StatusOr<std::unique_ptr<EvaluationPool>>(
    const TaskConfig& task)>;

class EvolutionSearch {
 public:
  struct Deps {
    // Evaluates candidates on the search's task. Not owned; must outlive
    // the search.
    EvaluationPool* pool = nullptr;
    // Needed iff the config has funnel tasks.
    PoolFactory funnel_pool_factory;
    // Monotonic seconds (default: std::chrono::steady_clock). Tests inject
    // a fake clock so that the times in the journal and outputs are exact.
    std::function<double()> clock;
  };

  // Validates the search part of `config`, reads the warm start, and
  // prepares DIR (created if missing). With `resume`, replays DIR/journal;
  // without, DIR/journal must not hold records yet. `warning` receives a
  // message about a dropped torn record, if any.
  static absl::StatusOr<std::unique_ptr<EvolutionSearch>> Create(
      const SearchConfig& config, const std::string& output_dir, bool resume,
      Deps deps, std::string* warning);

  EvolutionSearch(const EvolutionSearch&) = delete;
  EvolutionSearch& operator=(const EvolutionSearch&) = delete;

  // Runs until a budget is reached, then the funnel, then writes the
  // outputs. `on_progress` is called after every completed candidate and
  // once at the end (done = true). May be called on an already finished
  // search (after resume): it then only runs the funnel and writes outputs.
  absl::Status Run(const std::function<void(const SearchProgress&)>& on_progress);

  SearchProgress progress() const;
  const std::vector<JournalRecord>& records() const { return records_; }
  const Population& population() const { return population_; }
  const std::vector<FunnelEntry>& funnel() const { return funnel_; }
  const FitnessCache& cache() const { return cache_; }
  const Mutator& mutator() const { return mutator_; }
  // The run's answer: the funnel's best, or the search's best without a
  // funnel. REQUIRES: Run() has returned OK.
  const JournalRecord& answer() const { return answer_; }

 private:
  struct InFlight {
    int64_t id = 0;
    int64_t parent_id = 0;
    Mutation mutation;
    std::optional<uint64_t> fingerprint;
  };

  EvolutionSearch(const SearchConfig& config, std::string output_dir,
                  Deps deps);

  absl::Status StartOrResume(bool resume, std::string* warning);
  absl::Status Replay(const std::vector<JournalRecord>& records);
  absl::Status EvaluateWarmStart(
      const std::function<void(const SearchProgress&)>& on_progress);
  absl::Status Append(JournalRecord record);
  // Adds a completed candidate to the population; updates the counters and
  // the best.
  void Admit(const JournalRecord& record, const Member& member);
  // The journal record of a completed candidate.
  JournalRecord ChildRecord(const InFlight& c, const EvalResult& result,
                            const std::string& cache_hit) const;
  bool BudgetLeft(bool counting_in_flight) const;
  // Makes one child: admitted at once on a cache hit, else submitted.
  absl::Status MakeChild(
      const std::function<void(const SearchProgress&)>& on_progress);
  // Waits for the pool's next completion, calling on_progress about once a
  // second meanwhile. nullopt iff nothing is pending.
  std::optional<EvaluationPool::Completed> AwaitNext(
      const std::function<void(const SearchProgress&)>& on_progress);
  absl::Status Complete(EvaluationPool::Completed done);
  absl::Status MaybeRestart();
  absl::Status RunFunnel();
  absl::Status WriteOutputs(bool final);
  double Elapsed() const;

  SearchConfig config_;
  EvolutionConfig evo_;
  std::string dir_;
  Deps deps_;
  Mutator mutator_;
  Fingerprinter fingerprinter_;
  FitnessCache cache_;
  Population population_;
  std::mt19937_64 rng_;
  std::unique_ptr<JournalWriter> journal_;

  Program warm_start_;
  std::vector<JournalRecord> records_;
  std::vector<std::pair<int64_t, double>> median_history_;  // (generated, median)
  // By pool id.
  absl::flat_hash_map<int64_t, InFlight> in_flight_;
  std::vector<FunnelEntry> funnel_;
  JournalRecord answer_;
  Member best_;
  double warm_fitness_ = 0;
  int64_t next_id_ = 1;
  int64_t trained_ = 0;
  int64_t generated_ = 0;
  int64_t trained_this_session_ = 0;
  int64_t since_improvement_ = 0;
  int64_t restarts_ = 0;
  int64_t mutation_failures_ = 0;
  int64_t errors_ = 0;  // Candidates the pool could not evaluate.
  int64_t errors_in_a_row_ = 0;
  double elapsed_before_ = 0;
  double session_start_ = 0;  // deps_.clock() when this session began.
};


}  // namespace hero

#endif  // HERO_SEARCH_SEARCH_H_
