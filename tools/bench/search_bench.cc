// Speed of the search layer's per-candidate work, one thread, excluding
// evaluation: mutation (mutate + analyse + structural hash), the functional
// fingerprint, and the whole candidate pipeline (mutate, cache lookup by
// structural hash, fingerprint on a structural miss, insert on a miss).
// The search needs >= 20,000 candidates/s from the last one. Then, the
// engine end to end (EvolutionSearch with journal, population and outputs)
// driven by a no-op evaluator, against a real evaluation on the quickstart
// proxy; it ends by printing
//   ratio engine_overhead_vs_evaluation=<x>   (target <= 0.01)
//   ratio noop_candidates_per_second=<x>      (target >= 20000)
//
//   bazel run -c opt //tools/bench:search_bench
//
// Parents come from a rolling pool of the last 64 accepted children, reset
// to AdamW now and then, so that program sizes stay in the range a search
// sees (about 6 to 20 statements). Rates are items_per_second.
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "src/cli/config_io.h"
#include "src/evaluation/local_pool.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/search/fingerprint.h"
#include "src/search/fitness_cache.h"
#include "src/search/mutator.h"
#include "src/search/search.h"

namespace hero {
namespace {

struct Parent {
  Program program;
  Analysis analysis;
  uint64_t hash = 0;
};

Parent LoadParent(const std::string& name) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
  if (!p.ok()) {
    std::fprintf(stderr, "%s\n", std::string(p.status().message()).c_str());
    std::abort();
  }
  Analysis a = *Analyze(*p);
  const uint64_t h = StructuralHash(*p, a);
  return {*std::move(p), std::move(a), h};
}

// A pool of recent children that plays the population.
class Pool {
 public:
  explicit Pool(Parent seed) : seed_(std::move(seed)) {}
  const Parent& Pick(std::mt19937_64& rng) {
    if (pool_.empty() || ++picks_ % 1000 == 0) {
      pool_.assign(1, seed_);
    }
    return pool_[rng() % pool_.size()];
  }
  void Add(Mutation& m) {
    Parent p{std::move(m.child), std::move(m.analysis), m.hash};
    if (pool_.size() < 64) {
      pool_.push_back(std::move(p));
    } else {
      pool_[next_++ % 64] = std::move(p);
    }
  }

 private:
  Parent seed_;
  std::vector<Parent> pool_;
  int64_t picks_ = 0;
  int64_t next_ = 0;
};

void BM_Mutate(benchmark::State& state) {
  Pool pool(LoadParent("adamw.py"));
  Mutator mutator(MutatorOptions{});
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    const Parent& p = pool.Pick(rng);
    absl::StatusOr<Mutation> m =
        mutator.Mutate(p.program, p.analysis, p.hash, rng);
    if (m.ok()) pool.Add(*m);
  }
  state.SetItemsProcessed(state.iterations());
  const MutatorStats& s = mutator.stats();
  int64_t proposed = 0;
  for (const auto& k : s.kinds) proposed += k.proposed;
  state.counters["proposals_per_child"] =
      static_cast<double>(proposed) / s.calls;
}
BENCHMARK(BM_Mutate);

void BM_Fingerprint(benchmark::State& state, const char* name) {
  const Parent p = LoadParent(name);
  Fingerprinter fingerprinter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fingerprinter.Compute(p.program, p.analysis));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Fingerprint, adamw, "adamw.py");
BENCHMARK_CAPTURE(BM_Fingerprint, evolved, "evolved.py");

void BM_FingerprintMutants(benchmark::State& state) {
  Pool pool(LoadParent("adamw.py"));
  Mutator mutator(MutatorOptions{});
  std::mt19937_64 rng(2);
  std::vector<Parent> mutants;
  while (mutants.size() < 1000) {
    const Parent& p = pool.Pick(rng);
    absl::StatusOr<Mutation> m =
        mutator.Mutate(p.program, p.analysis, p.hash, rng);
    if (!m.ok()) continue;
    mutants.push_back({m->child, m->analysis, m->hash});
    pool.Add(*m);
  }
  Fingerprinter fingerprinter;
  size_t i = 0;
  for (auto _ : state) {
    const Parent& p = mutants[i++ % mutants.size()];
    benchmark::DoNotOptimize(fingerprinter.Compute(p.program, p.analysis));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FingerprintMutants);

// The whole per-candidate pipeline of the search, without evaluation.
void BM_Candidate(benchmark::State& state) {
  Pool pool(LoadParent("adamw.py"));
  Mutator mutator(MutatorOptions{});
  Fingerprinter fingerprinter;
  FitnessCache cache(FitnessCacheOptions{});
  std::mt19937_64 rng(3);
  EvalResult result;
  result.set_status(EvalResult::OK);
  for (auto _ : state) {
    const Parent& p = pool.Pick(rng);
    absl::StatusOr<Mutation> m =
        mutator.Mutate(p.program, p.analysis, p.hash, rng);
    if (!m.ok()) continue;
    const CacheLookup r = cache.Lookup(
        m->hash, [&] { return fingerprinter.Compute(m->child, m->analysis); });
    if (r.hit == CacheHit::kMiss) cache.Insert(m->hash, r.fingerprint, result);
    pool.Add(*m);
  }
  state.SetItemsProcessed(state.iterations());
  const FitnessCacheStats& s = cache.stats();
  state.counters["structural_hit_rate"] =
      static_cast<double>(s.structural_hits) / s.lookups;
  state.counters["fingerprint_hit_rate"] =
      static_cast<double>(s.fingerprint_hits) / s.lookups;
}
BENCHMARK(BM_Candidate);

// A no-op evaluator: no training, a cheap fitness derived from the program's
// size so that selection has something to compare.
class NoOpEvaluator : public Evaluator {
 public:
  EvalResult Evaluate(const EvalRequest& request) override {
    EvalResult r;
    r.set_status(EvalResult::OK);
    r.set_val_accuracy(1.0 / (1.0 + request.program.statements.size()));
    return r;
  }
};

// An EvaluationPool that evaluates on Submit, in the calling thread: the
// engine's own work without any thread hand-off.
class InlinePool : public EvaluationPool {
 public:
  int64_t Submit(EvalRequest request) override {
    Completed c;
    c.id = next_id_;
    c.result = evaluator_.Evaluate(request);
    done_.push_back(std::move(c));
    return next_id_++;
  }
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration) override {
    if (done_.empty()) return std::nullopt;
    Completed c = std::move(done_.front());
    done_.pop_front();
    return c;
  }
  int pending() const override { return static_cast<int>(done_.size()); }
  int parallelism() const override { return 1; }

 private:
  NoOpEvaluator evaluator_;
  std::deque<Completed> done_;
  int64_t next_id_ = 0;
};

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// The engine end to end (EvolutionSearch: mutation, cache, journal,
// population, outputs) with a no-op evaluator, either inline or on the
// LocalEvaluationPool's threads (as many as the quickstart config uses).
// Returns seconds per generated candidate.
double EngineSecondsPerCandidate(const SearchConfig& quickstart,
                                 int64_t candidates, bool threaded,
                                 double* trained_share) {
  SearchConfig config = quickstart;
  EvolutionConfig* s = config.mutable_search();
  s->clear_max_trained();
  s->clear_max_seconds();
  s->set_max_generated(candidates);
  s->set_log_every(1000000);  // Outputs once, at the end (counted).
  char dir_template[] = "/tmp/hero_search_bench.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  std::unique_ptr<EvaluationPool> pool;
  if (threaded) {
    pool = *LocalEvaluationPool::Create(
        std::max(1u, std::thread::hardware_concurrency()),
        []() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
          return std::unique_ptr<Evaluator>(new NoOpEvaluator());
        });
  } else {
    pool = std::make_unique<InlinePool>();
  }
  EvolutionSearch::Deps deps;
  deps.pool = pool.get();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> search =
      EvolutionSearch::Create(config, dir, false, deps, nullptr);
  if (!search.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(search.status().message()).c_str());
    std::abort();
  }
  if (absl::Status st = (*search)->Run([](const SearchProgress&) {});
      !st.ok()) {
    std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
    std::abort();
  }
  const double seconds = Seconds(start);
  const SearchProgress p = (*search)->progress();
  *trained_share = static_cast<double>(p.trained) / p.generated;
  std::filesystem::remove_all(dir);
  return seconds / p.generated;
}

// Seconds of one evaluation of AdamW on the quickstart proxy (real
// training), the best of `repeats`.
double EvaluationSeconds(const SearchConfig& quickstart, int repeats) {
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(quickstart.task(), "task");
  absl::StatusOr<EvaluatorFactory> factory =
      MakeProxyEvaluatorFactory(*spec, /*load_test=*/false);
  absl::StatusOr<std::unique_ptr<Evaluator>> evaluator = (*factory)();
  EvalRequest request;
  request.program = LoadParent("adamw.py").program;
  request.peak_lr = spec->peak_lr;
  request.lam = spec->lam;
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    (*evaluator)->Evaluate(request);
    best = std::min(best, Seconds(start));
  }
  return best;
}

void PrintEngineRatios() {
  absl::StatusOr<SearchConfig> config =
      ReadSearchConfig("configs/quickstart.textproto");
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(config.status().message()).c_str());
    std::abort();
  }
  double trained_share = 0, threaded_share = 0;
  const double engine =
      EngineSecondsPerCandidate(*config, 50000, false, &trained_share);
  const double threaded =
      EngineSecondsPerCandidate(*config, 50000, true, &threaded_share);
  const double evaluation = EvaluationSeconds(*config, 5);
  // Per trained candidate, the engine also made the cache hits in between.
  const double overhead_per_trained = engine / trained_share;
  std::printf(
      "engine: %.1f us per generated candidate (%.0f candidates/s with a "
      "no-op evaluator inline; %.0f%% of them trained); through the "
      "threaded local pool %.1f us (%.0f/s, thread hand-off included); "
      "quickstart evaluation %.3f s\n",
      1e6 * engine, 1.0 / engine, 100 * trained_share, 1e6 * threaded,
      1.0 / threaded, evaluation);
  std::printf("ratio engine_overhead_vs_evaluation=%.5f\n",
              overhead_per_trained / evaluation);
  std::printf("ratio noop_candidates_per_second=%.0f\n", 1.0 / engine);
}

}  // namespace
}  // namespace hero

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  hero::PrintEngineRatios();
  return 0;
}
