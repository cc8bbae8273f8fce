// The fitness cache: structural and fingerprint hits on real program
// variants, LRU eviction order, aliases, and exact counters.
#include "src/search/fitness_cache.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/structural_hash.h"
#include "src/search/fingerprint.h"

namespace hero {
namespace {

struct Candidate {
  Program program;
  Analysis analysis;
  uint64_t hash = 0;
};

Candidate Make(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  absl::StatusOr<Analysis> a = Analyze(*p);
  EXPECT_TRUE(a.ok()) << a.status();
  return {*p, *a, StructuralHash(*p, *a)};
}

EvalResult Result(double accuracy) {
  EvalResult r;
  r.set_status(EvalResult::OK);
  r.set_val_accuracy(accuracy);
  return r;
}

// Looks a candidate up the way the search does; counts fingerprint calls.
class CacheWithFingerprints {
 public:
  explicit CacheWithFingerprints(FitnessCacheOptions options = {})
      : cache(options) {}

  CacheLookup Lookup(const Candidate& c) {
    return cache.Lookup(c.hash, [&]() -> absl::StatusOr<uint64_t> {
      ++fingerprint_calls;
      return fingerprinter.Compute(c.program, c.analysis);
    });
  }
  // A miss is evaluated (here: given `accuracy`) and inserted.
  void Add(const Candidate& c, double accuracy) {
    const CacheLookup r = Lookup(c);
    ASSERT_EQ(r.hit, CacheHit::kMiss);
    ASSERT_TRUE(r.fingerprint.has_value());
    cache.Insert(c.hash, r.fingerprint, Result(accuracy));
  }

  Fingerprinter fingerprinter;
  FitnessCache cache;
  int fingerprint_calls = 0;
};

const char kLion[] =
    "  update = interpolate(g, m, 0.9)\n"
    "  update = sign(update)\n"
    "  m = interpolate(g, m, 0.99)\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n";

TEST(FitnessCacheTest, StructuralHitsForRenamedReorderedAndDeadCodeVariants) {
  CacheWithFingerprints c;
  c.Add(Make(kLion), 0.75);
  EXPECT_EQ(c.fingerprint_calls, 1);
  const Candidate variants[] = {
      Make("  c = interpolate(g, m, 0.9)\n"  // Renamed.
           "  s = sign(c)\n"
           "  m = interpolate(g, m, 0.99)\n"
           "  decay = w * λ\n"
           "  t = s + decay\n"
           "  update = t * lr\n"),
      Make("  wd = λ * w\n"  // Reordered and commuted.
           "  update = interpolate(g, m, 0.9)\n"
           "  update = sign(update)\n"
           "  update = wd + update\n"
           "  m = interpolate(g, m, 0.99)\n"
           "  update = lr * update\n"),
      Make(std::string("  junk = exp(w)\n") + kLion + "  v = v + g\n"),
  };
  for (const Candidate& v : variants) {
    const CacheLookup r = c.Lookup(v);
    EXPECT_EQ(r.hit, CacheHit::kStructural);
    ASSERT_NE(r.result, nullptr);
    EXPECT_EQ(r.result->val_accuracy(), 0.75);
    EXPECT_TRUE(r.fingerprint.has_value());
  }
  EXPECT_EQ(c.fingerprint_calls, 1);  // Structural hits never fingerprint.
}

TEST(FitnessCacheTest, FingerprintHitsForEquivalentForms) {
  CacheWithFingerprints c;
  const Candidate sum = Make(
      "  m = interpolate(g, m, 0.9)\n"
      "  d = m + m\n"
      "  update = d * lr\n");
  const Candidate twice = Make(
      "  m = interpolate(g, m, 0.9)\n"
      "  d = 2.0 * m\n"
      "  update = d * lr\n");
  const Candidate lion = Make(kLion);
  const Candidate lion_times_one =
      Make(std::string(kLion) + "  update = update * 1.0\n");
  c.Add(sum, 0.5);
  c.Add(lion, 0.8);

  CacheLookup r = c.Lookup(twice);
  EXPECT_EQ(r.hit, CacheHit::kFingerprint);
  ASSERT_NE(r.result, nullptr);
  EXPECT_EQ(r.result->val_accuracy(), 0.5);
  r = c.Lookup(lion_times_one);
  EXPECT_EQ(r.hit, CacheHit::kFingerprint);
  EXPECT_EQ(r.result->val_accuracy(), 0.8);
  EXPECT_EQ(c.fingerprint_calls, 4);

  // The variant's structural hash became an alias: now a structural hit.
  r = c.Lookup(twice);
  EXPECT_EQ(r.hit, CacheHit::kStructural);
  EXPECT_EQ(r.result->val_accuracy(), 0.5);
  EXPECT_EQ(c.fingerprint_calls, 4);

  // A different constant is a different function.
  std::string other = kLion;
  other.replace(other.find("0.9)"), 3, "0.8");
  EXPECT_EQ(c.Lookup(Make(other)).hit, CacheHit::kMiss);
  EXPECT_EQ(c.cache.size(), 2);
}

TEST(FitnessCacheTest, LeastRecentlyUsedIsEvicted) {
  FitnessCacheOptions options;
  options.capacity = 3;
  FitnessCache cache(options);
  // Entry k: structural hash 100 + k, fingerprint 200 + k.
  auto insert = [&](int k) { cache.Insert(100 + k, 200 + k, Result(k)); };
  auto present = [&](int k) {
    return cache.Lookup(100 + k, std::nullopt).hit == CacheHit::kStructural;
  };
  insert(1);
  insert(2);
  insert(3);
  // Recency, most recent first: 3 2 1. Using 1 makes it 1 3 2.
  EXPECT_EQ(cache.Lookup(100 + 1, std::nullopt).hit, CacheHit::kStructural);
  insert(4);  // Evicts 2: 4 1 3.
  EXPECT_EQ(cache.stats().evictions, 1);
  EXPECT_EQ(cache.size(), 3);
  // A hit by fingerprint also counts as a use: 3 4 1.
  EXPECT_EQ(cache.Lookup(999, uint64_t{200 + 3}).hit, CacheHit::kFingerprint);
  insert(5);  // Evicts 1: 5 3 4.
  EXPECT_EQ(cache.stats().evictions, 2);
  // Re-inserting an existing entry refreshes it: 4 5 3.
  insert(4);
  insert(6);  // Evicts 3: 6 4 5.
  EXPECT_EQ(cache.stats().evictions, 3);
  EXPECT_FALSE(present(1));
  EXPECT_FALSE(present(2));
  EXPECT_FALSE(present(3));
  // An evicted entry's fingerprint and aliases (999) are gone too.
  EXPECT_EQ(cache.Lookup(999, uint64_t{200 + 3}).hit, CacheHit::kMiss);
  EXPECT_TRUE(present(4));
  EXPECT_TRUE(present(5));
  EXPECT_TRUE(present(6));
  EXPECT_EQ(cache.size(), 3);
}

TEST(FitnessCacheTest, CountersAreExact) {
  FitnessCacheOptions options;
  options.capacity = 2;
  FitnessCache cache(options);
  EXPECT_EQ(cache.stats().hit_rate(), 0);
  int calls = 0;
  auto fingerprint_of = [&](uint64_t fp) {
    return [&calls, fp]() -> absl::StatusOr<uint64_t> {
      ++calls;
      return fp;
    };
  };
  EXPECT_EQ(cache.Lookup(1, fingerprint_of(11)).hit, CacheHit::kMiss);
  cache.Insert(1, 11, Result(0.1));
  EXPECT_EQ(cache.Lookup(1, fingerprint_of(11)).hit, CacheHit::kStructural);
  EXPECT_EQ(cache.Lookup(2, fingerprint_of(11)).hit, CacheHit::kFingerprint);
  EXPECT_EQ(cache.Lookup(2, fingerprint_of(11)).hit, CacheHit::kStructural);
  EXPECT_EQ(cache.Lookup(3, fingerprint_of(33)).hit, CacheHit::kMiss);
  cache.Insert(3, 33, Result(0.3));
  // A fingerprint that cannot be computed: a miss, counted separately.
  EXPECT_EQ(cache
                .Lookup(4,
                        [&]() -> absl::StatusOr<uint64_t> {
                          ++calls;
                          return absl::InternalError("no");
                        })
                .hit,
            CacheHit::kMiss);
  cache.Insert(4, std::nullopt, Result(0.4));  // Evicts 1 (and alias 2).
  EXPECT_EQ(cache.Lookup(4, fingerprint_of(44)).hit, CacheHit::kStructural);
  EXPECT_EQ(cache.Lookup(2, fingerprint_of(11)).hit, CacheHit::kMiss);

  const FitnessCacheStats& s = cache.stats();
  EXPECT_EQ(calls, 5);  // Only on structural misses.
  EXPECT_EQ(s.lookups, 8);
  EXPECT_EQ(s.structural_hits, 3);
  EXPECT_EQ(s.fingerprint_hits, 1);
  EXPECT_EQ(s.misses, 4);
  EXPECT_EQ(s.fingerprint_failures, 1);
  EXPECT_EQ(s.insertions, 3);
  EXPECT_EQ(s.evictions, 1);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 4.0 / 8.0);
  EXPECT_EQ(s.lookups, s.structural_hits + s.fingerprint_hits + s.misses);
}

TEST(FitnessCacheTest, AliasesAreBounded) {
  FitnessCacheOptions options;
  options.max_aliases = 2;
  FitnessCache cache(options);
  cache.Insert(1, 10, Result(0.5));
  EXPECT_EQ(cache.Lookup(2, uint64_t{10}).hit, CacheHit::kFingerprint);
  EXPECT_EQ(cache.Lookup(3, uint64_t{10}).hit, CacheHit::kFingerprint);
  // Aliases now 2, 3: the oldest (1) was dropped, the entry is still there.
  EXPECT_EQ(cache.Lookup(1, std::nullopt).hit, CacheHit::kMiss);
  EXPECT_EQ(cache.Lookup(2, std::nullopt).hit, CacheHit::kStructural);
  EXPECT_EQ(cache.Lookup(3, std::nullopt).hit, CacheHit::kStructural);
  EXPECT_EQ(cache.size(), 1);
}

TEST(FitnessCacheTest, InsertReplacesAndCompletesEntries) {
  FitnessCache cache;
  // Same function evaluated twice (e.g. two in-flight twins): one entry,
  // the later result, both structural hashes.
  cache.Insert(1, 10, Result(0.5));
  cache.Insert(2, 10, Result(0.6));
  EXPECT_EQ(cache.size(), 1);
  EXPECT_EQ(cache.Lookup(1, std::nullopt).result->val_accuracy(), 0.6);
  EXPECT_EQ(cache.Lookup(2, std::nullopt).result->val_accuracy(), 0.6);
  // An entry inserted without a fingerprint gets it later.
  cache.Insert(3, std::nullopt, Result(0.7));
  EXPECT_EQ(cache.Lookup(99, uint64_t{30}).hit, CacheHit::kMiss);
  cache.Insert(3, 30, Result(0.7));
  EXPECT_EQ(cache.size(), 2);
  const CacheLookup r = cache.Lookup(99, uint64_t{30});
  EXPECT_EQ(r.hit, CacheHit::kFingerprint);
  EXPECT_EQ(r.result->val_accuracy(), 0.7);
  // A structural hash moves to the entry it is inserted with.
  cache.Insert(1, 40, Result(0.9));
  EXPECT_EQ(cache.size(), 3);
  EXPECT_EQ(cache.Lookup(1, std::nullopt).result->val_accuracy(), 0.9);
  EXPECT_EQ(cache.Lookup(2, std::nullopt).result->val_accuracy(), 0.6);

  // An entry whose only key moves away is dropped (it is unreachable).
  cache.Insert(5, std::nullopt, Result(0.2));
  EXPECT_EQ(cache.size(), 4);
  cache.Insert(5, 50, Result(0.3));  // Completes entry 5: still 4.
  EXPECT_EQ(cache.size(), 4);
  cache.Insert(6, std::nullopt, Result(0.2));
  cache.Insert(6, 40, Result(0.95));  // 6 joins the fingerprint-40 entry.
  EXPECT_EQ(cache.size(), 4);
  EXPECT_EQ(cache.Lookup(6, std::nullopt).result->val_accuracy(), 0.95);
  EXPECT_EQ(cache.Lookup(1, std::nullopt).result->val_accuracy(), 0.95);

  cache.Clear();
  EXPECT_EQ(cache.size(), 0);
  EXPECT_EQ(cache.Lookup(2, uint64_t{10}).hit, CacheHit::kMiss);
}

TEST(FitnessCacheTest, ValidateOptions) {
  EXPECT_TRUE(ValidateFitnessCacheOptions(FitnessCacheOptions{}).ok());
  FitnessCacheOptions o;
  o.capacity = 0;
  o.max_aliases = 0;
  const absl::Status s = ValidateFitnessCacheOptions(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("capacity"), absl::string_view::npos);
  EXPECT_NE(s.message().find("max_aliases"), absl::string_view::npos);
}

}  // namespace
}  // namespace hero
