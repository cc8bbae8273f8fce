// The files a search leaves in its output directory, rewritten atomically as
// it goes and at the end:
//
//   best.py       the run's answer (paper syntax), with its fitness in a
//                 comment header
//   top.py        the top-k distinct programs by search fitness (less the
//                 size penalty, if any), best first
//   history.csv   one row per journal record (id, parent, mutation,
//                 fitness, ...)
//   progress.svg  best and population-median fitness against candidates,
//                 with the warm start's fitness as a reference line
//   summary.json  counts, cache hit rate, fitnesses, seconds, funnel, the
//                 waste (trained candidates and training time at chance
//                 level or below) and per mutation kind the children made
//                 and the share broken
//
// (The journal itself is written by journal.h.)
#ifndef HERO_SEARCH_RUN_OUTPUTS_H_
#define HERO_SEARCH_RUN_OUTPUTS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "proto/journal.pb.h"
#include "src/evaluation/evaluation_pool.h"

namespace hero {

struct SearchProgress {
  int64_t trained = 0;  // Candidates evaluated by the pool (cache misses).
  // Training runs of the pool: one per lr factor per trained candidate,
  // plus confirmations (search.fitness).
  int64_t training_runs = 0;
  int64_t confirmed = 0;  // Candidates whose fitness was confirmed.
  int64_t generated = 0;  // Children that entered the population.
  int64_t in_flight = 0;
  double cache_hit_rate = 0;
  double best_fitness = 0;
  double warm_start_fitness = 0;
  double median_fitness = 0;
  double elapsed_seconds = 0;  // Over all sessions.
  double session_seconds = 0;
  // Trained candidates per second in this session.
  double evaluations_per_second = 0;
  // Fraction of the budget used (the largest over the set budgets), in
  // [0, 1].
  double budget_fraction = 0;
  int64_t restarts = 0;
  // Candidates the pool could not evaluate (journaled with status ERROR).
  int64_t errors = 0;
  // The evaluation pool's workers, retries and exclusions (none for local).
  PoolStats pool;
  bool done = false;
};

struct FunnelEntry {
  int64_t id = 0;
  std::string program;  // Paper syntax.
  std::string hash;
  double search_fitness = 0;
  int64_t live_statements = 0;
  std::vector<double> task_fitness;  // One per funnel task.
  double funnel_fitness = 0;         // Mean over the funnel tasks.
  bool is_warm_start = false;
};
struct RunReport {
  std::string task_name;
  SearchProgress progress;
  int64_t cache_lookups = 0;
  int64_t cache_structural_hits = 0;
  int64_t cache_fingerprint_hits = 0;
  int64_t mutation_failures = 0;
  double population_redundant_fraction = 0;
  int top_k = 10;
  double size_penalty = 0;  // search.fitness.size_penalty: top.py's ranking.
  const std::vector<JournalRecord>* records = nullptr;
  // (candidates generated, population median fitness) after each record.
  const std::vector<std::pair<int64_t, double>>* median_history = nullptr;
  const std::vector<FunnelEntry>* funnel = nullptr;
  std::vector<std::string> funnel_task_names;
  // The run's answer; null before the search has finished.
  const JournalRecord* answer = nullptr;
};

// The top `k` distinct (by structural hash) successful programs, best
// first by SelectionScore(fitness, live_statements, size_penalty) (ties:
// lower id first).
std::vector<const JournalRecord*> TopDistinct(
    const std::vector<JournalRecord>& records, int k, double size_penalty);

absl::Status WriteRunOutputs(const std::string& dir, const RunReport& report);

// summary.json's text.
std::string SummaryJson(const RunReport& report);

// A candidate "at chance level or below": failed, or fitness under this (a
// 10-class model below 0.2 has learned next to nothing).
inline constexpr double kChanceFitness = 0.2;

// What the children of one mutation kind (the first word of their
// mutation description) came to.
struct MutationOutcome {
  std::string kind;
  int64_t children = 0;  // Entered the population (trained or cached).
  int64_t trained = 0;
  int64_t broken = 0;    // Failed or fitness < kChanceFitness.
  int64_t improved = 0;  // Fitness above the parent's.
};

// Per kind, sorted by kind; ERROR records are not children.
std::vector<MutationOutcome> MutationOutcomes(
    const std::vector<JournalRecord>& records);

}  // namespace hero

#endif  // HERO_SEARCH_RUN_OUTPUTS_H_
