// SplitMix64: a fixed, well-mixed 64-bit permutation, and a hash combiner
// built from it. Stable across runs, builds and machines (unlike
// absl::Hash), so values built with them can be stored in files: the
// structural hash, the functional fingerprint and the data's seed streams
// all use these.
//
//   uint64_t h = HashCombine(HashCombine(0x1234, a), b);
#ifndef HERO_UTIL_MIX64_H_
#define HERO_UTIL_MIX64_H_

#include <cstdint>

namespace hero {

// The SplitMix64 finaliser of x (Steele, Lea and Flood, 2014).
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Mixes `value` into `seed`; order matters.
inline uint64_t HashCombine(uint64_t seed, uint64_t value) {
  return SplitMix64(seed ^ SplitMix64(value));
}

}  // namespace hero

#endif  // HERO_UTIL_MIX64_H_
