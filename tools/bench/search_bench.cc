// Speed of the search layer's per-candidate work, one thread, excluding
// evaluation: mutation (mutate + analyse + structural hash), the functional
// fingerprint, and the whole candidate pipeline (mutate, cache lookup by
// structural hash, fingerprint on a structural miss, insert on a miss).
// The search needs >= 20,000 candidates/s from the last one.
//
//   bazel run -c opt //tools/bench:search_bench
//
// Parents come from a rolling pool of the last 64 accepted children, reset
// to AdamW now and then, so that program sizes stay in the range a search
// sees (about 6 to 20 statements). Rates are items_per_second.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/search/fingerprint.h"
#include "src/search/fitness_cache.h"
#include "src/search/mutator.h"

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

}  // namespace
}  // namespace hero

BENCHMARK_MAIN();
