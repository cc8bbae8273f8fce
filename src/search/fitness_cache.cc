#include "src/search/fitness_cache.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hero {

absl::Status ValidateFitnessCacheOptions(const FitnessCacheOptions& o) {
  std::vector<std::string> errors;
  if (o.capacity < 1) errors.push_back("capacity must be >= 1");
  if (o.max_aliases < 1) errors.push_back("max_aliases must be >= 1");
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("fitness cache options: ", absl::StrJoin(errors, "; ")));
}

double FitnessCacheStats::hit_rate() const {
  if (lookups == 0) return 0;
  return static_cast<double>(structural_hits + fingerprint_hits) / lookups;
}

FitnessCache::FitnessCache(const FitnessCacheOptions& options)
    : options_(options) {
  const absl::Status status = ValidateFitnessCacheOptions(options);
  if (!status.ok()) {
    // A bug in the caller: options must be validated at the boundary.
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::abort();
  }
}

void FitnessCache::Touch(Iterator it) {
  entries_.splice(entries_.begin(), entries_, it);
}

void FitnessCache::AddAlias(Iterator it, uint64_t structural_hash) {
  auto [slot, inserted] = by_structure_.try_emplace(structural_hash, it);
  if (!inserted) {
    if (slot->second == it) return;
    const Iterator previous = slot->second;
    std::vector<uint64_t>& old = previous->aliases;
    old.erase(std::find(old.begin(), old.end(), structural_hash));
    slot->second = it;
    // An entry left with no key can never be found again.
    if (old.empty() && !previous->fingerprint.has_value()) {
      entries_.erase(previous);
    }
  }
  it->aliases.push_back(structural_hash);
  if (static_cast<int>(it->aliases.size()) > options_.max_aliases) {
    by_structure_.erase(it->aliases.front());
    it->aliases.erase(it->aliases.begin());
  }
}

void FitnessCache::EvictPastCapacity() {
  while (size() > options_.capacity) {
    const Entry& victim = entries_.back();
    for (uint64_t h : victim.aliases) by_structure_.erase(h);
    if (victim.fingerprint.has_value()) {
      by_fingerprint_.erase(*victim.fingerprint);
    }
    entries_.pop_back();
    ++stats_.evictions;
  }
}

bool FitnessCache::LookupStructural(uint64_t structural_hash,
                                    CacheLookup& out) {
  auto it = by_structure_.find(structural_hash);
  if (it == by_structure_.end()) return false;
  ++stats_.lookups;
  ++stats_.structural_hits;
  Touch(it->second);
  out = {CacheHit::kStructural, &it->second->result, it->second->fingerprint};
  return true;
}

CacheLookup FitnessCache::LookupFingerprint(
    uint64_t structural_hash, std::optional<uint64_t> fingerprint) {
  ++stats_.lookups;
  if (fingerprint.has_value()) {
    if (auto it = by_fingerprint_.find(*fingerprint);
        it != by_fingerprint_.end()) {
      ++stats_.fingerprint_hits;
      Touch(it->second);
      AddAlias(it->second, structural_hash);
      return {CacheHit::kFingerprint, &it->second->result, fingerprint};
    }
  }
  ++stats_.misses;
  return {CacheHit::kMiss, nullptr, fingerprint};
}

CacheLookup FitnessCache::Lookup(
    uint64_t structural_hash,
    absl::FunctionRef<absl::StatusOr<uint64_t>()> fingerprint) {
  CacheLookup out;
  if (LookupStructural(structural_hash, out)) return out;
  absl::StatusOr<uint64_t> fp = fingerprint();
  if (!fp.ok()) {
    ++stats_.fingerprint_failures;
    return LookupFingerprint(structural_hash, std::nullopt);
  }
  return LookupFingerprint(structural_hash, *fp);
}

CacheLookup FitnessCache::Lookup(uint64_t structural_hash,
                                 std::optional<uint64_t> fingerprint) {
  CacheLookup out;
  if (LookupStructural(structural_hash, out)) return out;
  return LookupFingerprint(structural_hash, fingerprint);
}

void FitnessCache::Insert(uint64_t structural_hash,
                          std::optional<uint64_t> fingerprint,
                          EvalResult result) {
  ++stats_.insertions;
  Iterator it = entries_.end();
  if (fingerprint.has_value()) {
    if (auto f = by_fingerprint_.find(*fingerprint);
        f != by_fingerprint_.end()) {
      it = f->second;
    }
  }
  if (it == entries_.end()) {
    // An entry reached by the structural hash that has no fingerprint yet
    // (or none is given) is the same candidate: complete it.
    auto s = by_structure_.find(structural_hash);
    if (s != by_structure_.end() &&
        (!fingerprint.has_value() || !s->second->fingerprint.has_value())) {
      it = s->second;
      if (fingerprint.has_value()) {
        it->fingerprint = fingerprint;
        by_fingerprint_[*fingerprint] = it;
      }
    }
  }
  if (it == entries_.end()) {
    entries_.emplace_front();
    it = entries_.begin();
    it->fingerprint = fingerprint;
    if (fingerprint.has_value()) by_fingerprint_[*fingerprint] = it;
  } else {
    Touch(it);
  }
  it->result = std::move(result);
  AddAlias(it, structural_hash);
  EvictPastCapacity();
}

void FitnessCache::Clear() {
  entries_.clear();
  by_structure_.clear();
  by_fingerprint_.clear();
}

}  // namespace hero
