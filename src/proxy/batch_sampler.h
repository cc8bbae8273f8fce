// Deterministic, portable shuffling: seeded Fisher–Yates permutations and a
// BatchSampler that deals out minibatch indices epoch after epoch.
//
// Everything here is bitwise reproducible across compilers and standard
// libraries: randomness comes from std::mt19937_64 (whose output sequence the
// C++ standard fixes) and integers in [0, n) are drawn by our own rejection
// sampling (UniformBelow), never std::uniform_int_distribution, whose
// algorithm differs between libstdc++, libc++ and MSVC.
//
//   absl::StatusOr<BatchSampler> sampler =
//       BatchSampler::Create(/*num_examples=*/50000, /*batch_size=*/128,
//                            /*seed=*/7);
//   std::vector<int32_t> batch(128);
//   sampler->Next(batch.data());  // the first 128 indices of epoch 0
//
// Thread-safety: the free functions are thread-safe. A BatchSampler is a
// mutable cursor: not thread-safe, use one per training run.
#ifndef HERO_PROXY_BATCH_SAMPLER_H_
#define HERO_PROXY_BATCH_SAMPLER_H_

#include <cstdint>
#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "src/util/mix64.h"

namespace hero {

// The seed of random stream `stream` under user seed `seed`:
// SplitMix64(seed ^ SplitMix64(stream)). Different streams give unrelated
// generators even for adjacent seeds.
uint64_t StreamSeed(uint64_t seed, uint64_t stream);

// Returns an integer uniformly distributed in [0, n), unbiased: draws r from
// `rng` until r >= (2^64 - n) mod n, then returns r mod n.
// REQUIRES: n >= 1.
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n);

// The first `k` entries of a uniformly random permutation of 0..n-1, by the
// forward Fisher–Yates shuffle: start from the identity, and for
// i = 0, 1, ..., k-1 swap position i with position i + UniformBelow(rng, n-i).
// Running it with k = n gives the whole permutation, and its first k entries
// are exactly the result for k: prefixes of one seed's permutation nest.
// REQUIRES: 0 <= k <= n.
std::vector<int32_t> RandomPermutationPrefix(int32_t n, int32_t k,
                                             std::mt19937_64& rng);

// A stream of example indices in minibatches. The stream is the
// concatenation P(0) P(1) P(2) ... where P(e), the order of epoch e, is
// RandomPermutationPrefix(n, n, rng) with rng seeded by StreamSeed(seed, e).
// Next() hands out the next batch_size indices of the stream, so every index
// appears exactly once in each epoch, nothing is dropped, and a batch may
// straddle two epochs (when batch_size does not divide n). P(e) depends only
// on (n, seed, e), so epochs can be regenerated independently.
//
// Invariants: 0 <= offset() < num_examples(); order_ == P(epoch()).
class BatchSampler {
 public:
  // Returns InvalidArgument when num_examples < 1 or batch_size < 1.
  static absl::StatusOr<BatchSampler> Create(int32_t num_examples,
                                             int32_t batch_size, uint64_t seed);

  BatchSampler(const BatchSampler&) = default;
  BatchSampler& operator=(const BatchSampler&) = default;
  BatchSampler(BatchSampler&&) = default;
  BatchSampler& operator=(BatchSampler&&) = default;

  // Writes the next batch_size() indices, each in [0, num_examples()), into
  // `indices`. Allocation-free: epochs are reshuffled in place.
  void Next(int32_t* indices);

  // The order of epoch `epoch`, P(epoch) above.
  static std::vector<int32_t> EpochOrder(int32_t num_examples, uint64_t seed,
                                         int64_t epoch);

  int32_t num_examples() const { return static_cast<int32_t>(order_.size()); }
  int32_t batch_size() const { return batch_size_; }
  uint64_t seed() const { return seed_; }
  // The epoch the next index comes from, starting at 0.
  int64_t epoch() const { return epoch_; }
  // The position of the next index within epoch().
  int32_t offset() const { return offset_; }

 private:
  BatchSampler(int32_t num_examples, int32_t batch_size, uint64_t seed);
  // Rewrites order_ as P(epoch_).
  void Shuffle();

  int32_t batch_size_;
  uint64_t seed_;
  int64_t epoch_ = 0;
  int32_t offset_ = 0;
  std::vector<int32_t> order_;
};

}  // namespace hero

#endif  // HERO_PROXY_BATCH_SAMPLER_H_
