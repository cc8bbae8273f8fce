// Seeded shuffling: generator primitives, Fisher–Yates permutations and the
// BatchSampler's epoch coverage and reproducibility. Golden values pin the
// exact sequences so a change to the algorithm (which would silently change
// every search result) fails here.
#include "src/proxy/batch_sampler.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hero {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool IsPermutation(std::vector<int32_t> v) {
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != static_cast<int32_t>(i)) return false;
  }
  return true;
}

TEST(SplitMix64Test, MatchesTheReferenceImplementation) {
  // First output of the reference splitmix64.c with state 0.
  EXPECT_EQ(SplitMix64(0), 0xE220A8397B1DCDAFULL);
  EXPECT_NE(StreamSeed(42, 0), StreamSeed(42, 1));
  EXPECT_NE(StreamSeed(42, 0), StreamSeed(43, 0));
}

TEST(UniformBelowTest, GoldenSequence) {
  std::mt19937_64 rng(StreamSeed(42, 0));
  std::vector<uint64_t> draws;
  for (int i = 0; i < 8; ++i) draws.push_back(UniformBelow(rng, 1000));
  EXPECT_THAT(draws, ElementsAre(477, 573, 565, 57, 802, 881, 352, 916));
}

TEST(UniformBelowTest, StaysInRangeAndOneGivesZero) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(UniformBelow(rng, 1), 0u);
  for (int i = 0; i < 10000; ++i) EXPECT_LT(UniformBelow(rng, 7), 7u);
  const uint64_t big = (uint64_t{1} << 63) + 1;  // rejection is frequent here
  for (int i = 0; i < 1000; ++i) EXPECT_LT(UniformBelow(rng, big), big);
}

TEST(UniformBelowTest, IsUniformByChiSquare) {
  std::mt19937_64 rng(2024);
  constexpr int kBins = 10;
  constexpr int kDraws = 100000;
  std::vector<int> counts(kBins, 0);
  for (int i = 0; i < kDraws; ++i) ++counts[UniformBelow(rng, kBins)];
  double chi2 = 0;
  const double expected = static_cast<double>(kDraws) / kBins;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
  EXPECT_LT(chi2, 27.88);
}

TEST(RandomPermutationPrefixTest, FullShuffleIsAPermutation) {
  std::mt19937_64 rng(3);
  const std::vector<int32_t> p = RandomPermutationPrefix(1000, 1000, rng);
  ASSERT_EQ(p.size(), 1000u);
  EXPECT_TRUE(IsPermutation(p));
}

TEST(RandomPermutationPrefixTest, PrefixesNest) {
  std::mt19937_64 a(9), b(9);
  const std::vector<int32_t> full = RandomPermutationPrefix(500, 500, a);
  const std::vector<int32_t> prefix = RandomPermutationPrefix(500, 37, b);
  ASSERT_EQ(prefix.size(), 37u);
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), full.begin()));
}

TEST(RandomPermutationPrefixTest, EmptyPrefix) {
  std::mt19937_64 rng(3);
  EXPECT_TRUE(RandomPermutationPrefix(10, 0, rng).empty());
  EXPECT_TRUE(RandomPermutationPrefix(0, 0, rng).empty());
}

TEST(BatchSamplerTest, RejectsBadArguments) {
  absl::StatusOr<BatchSampler> s = BatchSampler::Create(0, 4, 1);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("num_examples"));
  s = BatchSampler::Create(10, 0, 1);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("batch_size"));
}

TEST(BatchSamplerTest, GoldenEpochOrders) {
  EXPECT_THAT(BatchSampler::EpochOrder(10, 42, 0),
              ElementsAre(7, 6, 0, 1, 8, 3, 5, 9, 4, 2));
  EXPECT_THAT(BatchSampler::EpochOrder(10, 42, 1),
              ElementsAre(9, 7, 8, 0, 6, 5, 3, 2, 1, 4));
}

// Draws `batches` batches from a fresh sampler, concatenated.
std::vector<int32_t> Draw(int32_t n, int32_t batch_size, uint64_t seed,
                          int batches) {
  absl::StatusOr<BatchSampler> sampler =
      BatchSampler::Create(n, batch_size, seed);
  EXPECT_TRUE(sampler.ok()) << sampler.status();
  std::vector<int32_t> stream(static_cast<size_t>(batches) * batch_size);
  for (int b = 0; b < batches; ++b) sampler->Next(&stream[b * batch_size]);
  return stream;
}

TEST(BatchSamplerTest, EachEpochCoversEveryIndexExactlyOnce) {
  constexpr int32_t kN = 1000;
  constexpr int32_t kBatch = 128;  // does not divide kN: batches straddle
  const std::vector<int32_t> stream = Draw(kN, kBatch, 11, 24);  // 3.07 epochs
  for (int epoch = 0; epoch < 3; ++epoch) {
    const std::vector<int32_t> block(stream.begin() + epoch * kN,
                                     stream.begin() + (epoch + 1) * kN);
    EXPECT_TRUE(IsPermutation(block)) << "epoch " << epoch;
    EXPECT_EQ(block, BatchSampler::EpochOrder(kN, 11, epoch));
  }
}

TEST(BatchSamplerTest, EpochsAreReshuffled) {
  EXPECT_NE(BatchSampler::EpochOrder(1000, 11, 0),
            BatchSampler::EpochOrder(1000, 11, 1));
}

TEST(BatchSamplerTest, SameSeedSameSequenceDifferentSeedDifferent) {
  EXPECT_EQ(Draw(777, 64, 5, 40), Draw(777, 64, 5, 40));
  EXPECT_NE(Draw(777, 64, 5, 40), Draw(777, 64, 6, 40));
}

TEST(BatchSamplerTest, TracksEpochAndOffset) {
  absl::StatusOr<BatchSampler> s = BatchSampler::Create(10, 4, 1);
  ASSERT_TRUE(s.ok());
  std::vector<int32_t> batch(4);
  EXPECT_EQ(s->epoch(), 0);
  EXPECT_EQ(s->offset(), 0);
  s->Next(batch.data());
  s->Next(batch.data());
  EXPECT_EQ(s->epoch(), 0);
  EXPECT_EQ(s->offset(), 8);
  s->Next(batch.data());  // 2 from epoch 0, 2 from epoch 1
  EXPECT_EQ(s->epoch(), 1);
  EXPECT_EQ(s->offset(), 2);
  const std::vector<int32_t> e0 = BatchSampler::EpochOrder(10, 1, 0);
  const std::vector<int32_t> e1 = BatchSampler::EpochOrder(10, 1, 1);
  EXPECT_THAT(batch, ElementsAre(e0[8], e0[9], e1[0], e1[1]));
}

TEST(BatchSamplerTest, BatchLargerThanDataset) {
  const std::vector<int32_t> stream = Draw(3, 7, 2, 3);  // 21 = 7 epochs
  for (int epoch = 0; epoch < 7; ++epoch) {
    EXPECT_TRUE(IsPermutation(std::vector<int32_t>(
        stream.begin() + 3 * epoch, stream.begin() + 3 * (epoch + 1))));
  }
}

TEST(BatchSamplerTest, CopiesContinueIndependently) {
  absl::StatusOr<BatchSampler> a = BatchSampler::Create(50, 8, 4);
  ASSERT_TRUE(a.ok());
  std::vector<int32_t> x(8), y(8);
  for (int i = 0; i < 9; ++i) a->Next(x.data());
  BatchSampler b = *a;
  for (int i = 0; i < 20; ++i) {
    a->Next(x.data());
    b.Next(y.data());
    EXPECT_EQ(x, y);
  }
}

}  // namespace
}  // namespace hero
