#include "src/proxy/batch_sampler.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace {

// Fills data[0..n) with the identity and runs k steps of the forward
// Fisher–Yates shuffle on it (see RandomPermutationPrefix).
void IdentityThenShufflePrefix(int32_t* data, int32_t n, int32_t k,
                               std::mt19937_64& rng) {
  std::iota(data, data + n, 0);
  for (int32_t i = 0; i < k; ++i) {
    const uint64_t j = static_cast<uint64_t>(i) +
                       UniformBelow(rng, static_cast<uint64_t>(n - i));
    std::swap(data[i], data[j]);
  }
}

}  // namespace

uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  return HashCombine(seed, stream);
}

uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n) {
  // (2^64 - n) mod n, computed in unsigned arithmetic as (-n) mod n: the
  // number of low values that would make r mod n biased.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

std::vector<int32_t> RandomPermutationPrefix(int32_t n, int32_t k,
                                             std::mt19937_64& rng) {
  std::vector<int32_t> result(n);
  IdentityThenShufflePrefix(result.data(), n, k, rng);
  result.resize(k);
  return result;
}

absl::StatusOr<BatchSampler> BatchSampler::Create(int32_t num_examples,
                                                  int32_t batch_size,
                                                  uint64_t seed) {
  if (num_examples < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "BatchSampler: num_examples must be at least 1, got ", num_examples));
  }
  if (batch_size < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "BatchSampler: batch_size must be at least 1, got ", batch_size));
  }
  return BatchSampler(num_examples, batch_size, seed);
}

BatchSampler::BatchSampler(int32_t num_examples, int32_t batch_size,
                           uint64_t seed)
    : batch_size_(batch_size), seed_(seed), order_(num_examples) {
  Shuffle();
}

std::vector<int32_t> BatchSampler::EpochOrder(int32_t num_examples,
                                              uint64_t seed, int64_t epoch) {
  std::mt19937_64 rng(StreamSeed(seed, static_cast<uint64_t>(epoch)));
  return RandomPermutationPrefix(num_examples, num_examples, rng);
}

void BatchSampler::Shuffle() {
  std::mt19937_64 rng(StreamSeed(seed_, static_cast<uint64_t>(epoch_)));
  const int32_t n = num_examples();
  IdentityThenShufflePrefix(order_.data(), n, n, rng);
}

void BatchSampler::Next(int32_t* indices) {
  int32_t written = 0;
  while (written < batch_size_) {
    const int32_t take =
        std::min(batch_size_ - written, num_examples() - offset_);
    std::copy_n(order_.data() + offset_, take, indices + written);
    written += take;
    offset_ += take;
    if (offset_ == num_examples()) {
      ++epoch_;
      offset_ = 0;
      Shuffle();
    }
  }
}

}  // namespace hero
