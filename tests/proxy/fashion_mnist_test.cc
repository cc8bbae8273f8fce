// LoadFashionMnist on the real data set installed by the Debian package
// dataset-fashion-mnist: counts, splits, normalisation, known examples,
// seeded subsampling and batch gathering. Reference labels and pixel sums
// were read once from the official files and are hard-coded here.
#include "src/proxy/fashion_mnist.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/proxy/batch_sampler.h"

namespace hero {
namespace {

const std::string kDir = kDefaultFashionMnistDir;

// The raw byte sum of a normalised image, by inverting NormalizePixel.
int64_t PixelSum(const float* image) {
  int64_t sum = 0;
  for (int p = 0; p < kFashionMnistPixels; ++p) {
    sum += std::lround((image[p] * kPixelStd + kPixelMean) * 255.0);
  }
  return sum;
}

class FashionMnistTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
        LoadSharedFashionMnist(FashionMnistOptions());
    ASSERT_TRUE(data.ok()) << data.status();
    full_ = new std::shared_ptr<const FashionMnist>(*data);
  }
  static void TearDownTestSuite() {
    delete full_;
    full_ = nullptr;
  }
  static const FashionMnist& full() { return **full_; }

  static FashionMnist Load(const FashionMnistOptions& options) {
    absl::StatusOr<FashionMnist> data = LoadFashionMnist(options);
    EXPECT_TRUE(data.ok()) << data.status();
    return data.ok() ? *std::move(data) : FashionMnist();
  }

 private:
  static std::shared_ptr<const FashionMnist>* full_;
};

std::shared_ptr<const FashionMnist>* FashionMnistTest::full_ = nullptr;

TEST(FashionMnistFilesTest, OfficialFilesHaveTheRightCounts) {
  absl::StatusOr<IdxImages> train =
      ReadIdxImages(kDir + "/train-images-idx3-ubyte.gz");
  ASSERT_TRUE(train.ok()) << train.status();
  EXPECT_EQ(train->count, 60000);
  EXPECT_EQ(train->pixels.size(), 60000u * 784u);
  absl::StatusOr<std::vector<uint8_t>> test_labels =
      ReadIdxLabels(kDir + "/t10k-labels-idx1-ubyte.gz");
  ASSERT_TRUE(test_labels.ok()) << test_labels.status();
  EXPECT_EQ(test_labels->size(), 10000u);
  EXPECT_EQ((*test_labels)[0], 9);
}

TEST(NormalizePixelTest, UsesTheDocumentedConstants) {
  EXPECT_EQ(NormalizePixel(0), static_cast<float>(-0.2860 / 0.3530));
  EXPECT_EQ(NormalizePixel(255), static_cast<float>((1.0 - 0.2860) / 0.3530));
  for (int x = 1; x < 256; ++x)
    EXPECT_LT(NormalizePixel(x - 1), NormalizePixel(x));
}

TEST_F(FashionMnistTest, SplitSizes) {
  EXPECT_EQ(full().train.size(), 50000);
  EXPECT_EQ(full().validation.size(), 10000);
  EXPECT_EQ(full().test.size(), 10000);
  for (const Dataset* d : {&full().train, &full().validation, &full().test}) {
    EXPECT_EQ(d->images.size(), d->labels.size() * 784);
    EXPECT_EQ(d->source_index.size(), d->labels.size());
  }
  EXPECT_EQ(full().train.source_index.front(), 0);
  EXPECT_EQ(full().train.source_index.back(), 49999);
  EXPECT_EQ(full().validation.source_index.front(), 50000);
  EXPECT_EQ(full().validation.source_index.back(), 59999);
  EXPECT_EQ(full().test.source_index.back(), 9999);
}

TEST_F(FashionMnistTest, KnownExamples) {
  struct Known {
    const Dataset* split;
    int index;
    int label;
    int64_t pixel_sum;
  };
  const Known known[] = {
      {&full().train, 0, 9, 76247},          // official train row 0
      {&full().train, 1, 0, 84598},          // row 1
      {&full().train, 49999, 7, 30183},      // row 49999
      {&full().validation, 0, 9, 50221},     // row 50000
      {&full().validation, 1, 2, 57831},     // row 50001
      {&full().validation, 9999, 5, 16684},  // row 59999
      {&full().test, 0, 9, 33456},           // official test row 0
      {&full().test, 1, 2, 100994},          // test row 1
      {&full().test, 9999, 5, 24390},        // test row 9999
  };
  for (const Known& k : known) {
    SCOPED_TRACE(k.index);
    EXPECT_EQ(k.split->labels[k.index], k.label);
    EXPECT_EQ(PixelSum(k.split->image(k.index)), k.pixel_sum);
  }
}

TEST_F(FashionMnistTest, ValidationIsTheLast10000OfficialTrainingExamples) {
  absl::StatusOr<IdxImages> raw =
      ReadIdxImages(kDir + "/train-images-idx3-ubyte.gz");
  absl::StatusOr<std::vector<uint8_t>> labels =
      ReadIdxLabels(kDir + "/train-labels-idx1-ubyte.gz");
  ASSERT_TRUE(raw.ok() && labels.ok());
  const Dataset& validation = full().validation;
  int mismatches = 0;
  for (int i = 0; i < validation.size(); ++i) {
    const size_t row = 50000 + i;
    if (validation.labels[i] != (*labels)[row]) ++mismatches;
    for (int p = 0; p < kFashionMnistPixels; ++p) {
      if (validation.image(i)[p] !=
          NormalizePixel(raw->pixels[row * 784 + p])) {
        ++mismatches;
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_F(FashionMnistTest, TrainSplitIsRoughlyStandardised) {
  double sum = 0, sum_sq = 0;
  for (float x : full().train.images) {
    sum += x;
    sum_sq += double{x} * x;
  }
  const double n = full().train.images.size();
  const double mean = sum / n;
  const double std = std::sqrt(sum_sq / n - mean * mean);
  // Exact values over these 50000 images: -0.00142 and 0.99939.
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(std, 1.0, 0.005);
}

TEST_F(FashionMnistTest, LoadTestFalseSkipsTest) {
  FashionMnistOptions options;
  options.load_test = false;
  options.train_examples = 10;
  options.validation_examples = 10;
  EXPECT_EQ(Load(options).test.size(), 0);
}

FashionMnistOptions SubsetOptions(uint64_t seed) {
  FashionMnistOptions options;
  options.train_examples = 1000;
  options.validation_examples = 300;
  options.test_examples = 200;
  options.subsample_seed = seed;
  return options;
}

TEST_F(FashionMnistTest, SubsetsAreDeterministic) {
  const FashionMnist a = Load(SubsetOptions(5));
  const FashionMnist b = Load(SubsetOptions(5));
  EXPECT_EQ(a.train.source_index, b.train.source_index);
  EXPECT_EQ(a.validation.source_index, b.validation.source_index);
  EXPECT_EQ(a.test.source_index, b.test.source_index);
  EXPECT_EQ(a.train.images, b.train.images);  // bitwise: float ==
  EXPECT_EQ(a.train.labels, b.train.labels);
}

TEST_F(FashionMnistTest, SubsetsDependOnTheSeed) {
  const FashionMnist a = Load(SubsetOptions(5));
  const FashionMnist b = Load(SubsetOptions(6));
  EXPECT_NE(a.train.source_index, b.train.source_index);
  EXPECT_NE(a.validation.source_index, b.validation.source_index);
  EXPECT_NE(a.test.source_index, b.test.source_index);
}

TEST_F(FashionMnistTest, SubsetsFollowTheDocumentedAlgorithm) {
  const FashionMnist a = Load(SubsetOptions(5));
  auto expected = [](int32_t first, int32_t size, int32_t k, uint64_t stream) {
    std::mt19937_64 rng(StreamSeed(5, stream));
    std::vector<int32_t> rows = RandomPermutationPrefix(size, k, rng);
    std::sort(rows.begin(), rows.end());
    for (int32_t& r : rows) r += first;
    return rows;
  };
  EXPECT_EQ(a.train.source_index, expected(0, 50000, 1000, 1));
  EXPECT_EQ(a.validation.source_index, expected(50000, 10000, 300, 2));
  EXPECT_EQ(a.test.source_index, expected(0, 10000, 200, 3));
}

TEST_F(FashionMnistTest, SubsetsAreSortedDistinctAndMatchTheFullSplit) {
  const FashionMnist a = Load(SubsetOptions(5));
  struct Case {
    const Dataset* subset;
    const Dataset* whole;
    int32_t first;
    int32_t expected_size;
  };
  for (const Case& c : {Case{&a.train, &full().train, 0, 1000},
                        Case{&a.validation, &full().validation, 50000, 300},
                        Case{&a.test, &full().test, 0, 200}}) {
    ASSERT_EQ(c.subset->size(), c.expected_size);
    for (int i = 0; i < c.subset->size(); ++i) {
      const int32_t row = c.subset->source_index[i];
      if (i > 0) {
        ASSERT_LT(c.subset->source_index[i - 1], row);
      }
      const int32_t in_whole = row - c.first;
      ASSERT_GE(in_whole, 0);
      ASSERT_LT(in_whole, c.whole->size());
      ASSERT_EQ(c.subset->labels[i], c.whole->labels[in_whole]);
      ASSERT_TRUE(std::equal(c.subset->image(i), c.subset->image(i) + 784,
                             c.whole->image(in_whole)));
    }
  }
}

TEST_F(FashionMnistTest, SmallerSubsetIsContainedInLargerOne) {
  FashionMnistOptions small = SubsetOptions(5);
  small.train_examples = 100;
  small.load_test = false;
  const std::vector<int32_t> a = Load(small).train.source_index;
  const std::vector<int32_t> b = Load(SubsetOptions(5)).train.source_index;
  ASSERT_EQ(a.size(), 100u);
  EXPECT_TRUE(std::includes(b.begin(), b.end(), a.begin(), a.end()));
}

TEST_F(FashionMnistTest, GatherBatchCopiesTheIndexedExamples) {
  const Dataset& v = full().validation;
  const std::vector<int32_t> indices = {9999, 0, 9999, 17};
  std::vector<float> images(indices.size() * 784, -100.0f);
  std::vector<int32_t> labels(indices.size(), -1);
  GatherBatch(v, indices, images.data(), labels.data());
  for (size_t i = 0; i < indices.size(); ++i) {
    EXPECT_EQ(labels[i], v.labels[indices[i]]);
    EXPECT_TRUE(std::equal(images.begin() + i * 784,
                           images.begin() + (i + 1) * 784,
                           v.image(indices[i])));
  }
  EXPECT_EQ(PixelSum(images.data()), 16684);  // validation[9999], row 59999
}

TEST_F(FashionMnistTest, GatherBatchDiesOnOutOfRangeIndex) {
  const std::vector<int32_t> indices = {10000};
  std::vector<float> images(784);
  std::vector<int32_t> labels(1);
  EXPECT_DEATH(
      GatherBatch(full().validation, indices, images.data(), labels.data()),
      "index 10000 out of range \\[0, 10000\\)");
}

}  // namespace
}  // namespace hero
