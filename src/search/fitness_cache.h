// FitnessCache: remembers evaluation results so that a candidate the search
// has effectively seen before is not trained again.
//
// Two keys lead to an entry: the structural hash (structural_hash.h: equal
// for renamed, reordered, commuted and dead-code variants) and the
// functional fingerprint (fingerprint.h: equal for programs that compute the
// same update, like `x + x` and `2 * x`). A lookup tries the structural hash
// first and computes the fingerprint only if that misses (the fingerprint
// runs the interpreter; the hash is already known from mutation).
//
// Layout: one LRU list of entries, one per function (fingerprint); each entry
// also holds the structural hashes that led to it (its aliases, at most
// `max_aliases`, oldest dropped first). A fingerprint hit adds the looked-up
// structural hash as an alias, so the next lookup of that variant is a
// structural hit. `capacity` bounds the number of entries; inserting past it
// evicts the least recently used entry (inserted or hit) with all its keys.
// An entry inserted without a fingerprint is reachable by its structural
// hashes only.
//
//   FitnessCache cache(FitnessCacheOptions{});  // 100000 entries
//   CacheLookup r = cache.Lookup(child.hash, [&] {
//     return fingerprinter.Compute(child.child, child.analysis);
//   });
//   if (r.hit != CacheHit::kMiss) { use(*r.result); }
//   else { cache.Insert(child.hash, r.fingerprint, Evaluate(child)); }
//
// Invariants: (1) every key in either index maps to a live entry; (2) an
// entry's aliases are exactly the structural keys that map to it; (3) every
// entry has a key (an entry whose last key moves to another is dropped);
// (4) size() <= capacity after every call; (5) stats: lookups ==
// structural_hits + fingerprint_hits + misses.
//
// Thread-safety: not thread-safe; the search loop that owns it is
// single-threaded. Guard it externally if that changes.
#ifndef HERO_SEARCH_FITNESS_CACHE_H_
#define HERO_SEARCH_FITNESS_CACHE_H_

#include <cstdint>
#include <list>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/eval_result.pb.h"

namespace hero {

struct FitnessCacheOptions {
  // Entries (distinct functions) kept (>= 1).
  int64_t capacity = 100000;
  // Structural hashes remembered per entry (>= 1).
  int max_aliases = 16;
};

// OK iff the options are in range; the message names every bad field.
absl::Status ValidateFitnessCacheOptions(const FitnessCacheOptions& options);

enum class CacheHit : uint8_t { kMiss, kStructural, kFingerprint };

struct CacheLookup {
  CacheHit hit = CacheHit::kMiss;
  // The cached result; null on a miss. Valid until the next Insert or
  // Clear.
  const EvalResult* result = nullptr;
  // The candidate's fingerprint when known: computed on a structural miss
  // (unless computing it failed), or the entry's on a structural hit. Pass
  // it to Insert after evaluating a miss.
  std::optional<uint64_t> fingerprint;
};

struct FitnessCacheStats {
  int64_t lookups = 0;
  int64_t structural_hits = 0;
  int64_t fingerprint_hits = 0;
  int64_t misses = 0;
  // Lookups whose fingerprint could not be computed (counted as misses).
  int64_t fingerprint_failures = 0;
  int64_t insertions = 0;
  int64_t evictions = 0;

  // (structural_hits + fingerprint_hits) / lookups; 0 before any lookup.
  double hit_rate() const;
};

class FitnessCache {
 public:
  // REQUIRES: ValidateFitnessCacheOptions(options).ok() (checked).
  explicit FitnessCache(const FitnessCacheOptions& options = {});

  FitnessCache(const FitnessCache&) = delete;
  FitnessCache& operator=(const FitnessCache&) = delete;

  // Looks `structural_hash` up; on a miss calls `fingerprint` (once) and
  // looks its value up. A hit makes the entry the most recently used.
  CacheLookup Lookup(uint64_t structural_hash,
                     absl::FunctionRef<absl::StatusOr<uint64_t>()> fingerprint);
  // The same with the fingerprint already known (or unknown: nullopt).
  CacheLookup Lookup(uint64_t structural_hash,
                     std::optional<uint64_t> fingerprint);

  // Stores `result` under both keys (the fingerprint if known) as the most
  // recently used entry, replacing the result of an entry that either key
  // already leads to (by fingerprint first), then evicts past capacity.
  void Insert(uint64_t structural_hash, std::optional<uint64_t> fingerprint,
              EvalResult result);

  // Number of entries.
  int64_t size() const { return static_cast<int64_t>(entries_.size()); }
  const FitnessCacheOptions& options() const { return options_; }
  const FitnessCacheStats& stats() const { return stats_; }
  // Drops every entry; keeps the counters.
  void Clear();

 private:
  struct Entry {
    EvalResult result;
    std::optional<uint64_t> fingerprint;
    std::vector<uint64_t> aliases;  // Structural hashes, oldest first.
  };
  using Iterator = std::list<Entry>::iterator;

  // Moves `it` to the front of the LRU list.
  void Touch(Iterator it);
  // Makes `structural_hash` lead to `it` (and to no other entry).
  void AddAlias(Iterator it, uint64_t structural_hash);
  void EvictPastCapacity();
  // The two halves of a lookup; each counts what it finds.
  bool LookupStructural(uint64_t structural_hash, CacheLookup& out);
  CacheLookup LookupFingerprint(uint64_t structural_hash,
                                std::optional<uint64_t> fingerprint);

  FitnessCacheOptions options_;
  FitnessCacheStats stats_;
  std::list<Entry> entries_;  // Most recently used first.
  absl::flat_hash_map<uint64_t, Iterator> by_structure_;
  absl::flat_hash_map<uint64_t, Iterator> by_fingerprint_;
};

}  // namespace hero

#endif  // HERO_SEARCH_FITNESS_CACHE_H_
