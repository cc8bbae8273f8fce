#include "src/proxy/layers/transformer_block.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::Dot;
using testing::ExpectGradientMatches;
using testing::RandomVector;

constexpr TransformerBlockDims kDims{/*tokens=*/4, /*dim=*/6, /*heads=*/2,
                                     /*mlp_dim=*/10};
constexpr int kBatch = 2;

TEST(TransformerBlockTest, RegistersDocumentedSegments) {
  ParameterSpecs specs;
  specs.Add("before", 3, InitSpec::Zeros());
  TransformerBlock<float> block(kDims, kBatch, "block0.", &specs);
  const std::vector<std::string> names = {"before",
                                          "block0.ln1.gamma",
                                          "block0.ln1.beta",
                                          "block0.attn.qkv.weight",
                                          "block0.attn.qkv.bias",
                                          "block0.attn.out.weight",
                                          "block0.attn.out.bias",
                                          "block0.ln2.gamma",
                                          "block0.ln2.beta",
                                          "block0.mlp.fc1.weight",
                                          "block0.mlp.fc1.bias",
                                          "block0.mlp.fc2.weight",
                                          "block0.mlp.fc2.bias"};
  const auto& segments = specs.layout().segments();
  ASSERT_EQ(segments.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(segments[i].name, names[i]);
  const int d = kDims.dim, m = kDims.mlp_dim;
  EXPECT_EQ(specs.layout().size(), 3 + 2 * d + 3 * d * d + 3 * d + d * d + d +
                                       2 * d + m * d + m + d * m + d);
}

TEST(TransformerBlockTest, BackwardMatchesFiniteDifferences) {
  ParameterSpecs specs;
  TransformerBlock<double> block(kDims, kBatch, "", &specs);
  // Random parameters (not the init: LayerNorm gamma 1 / beta 0 and zero
  // biases would hide transposition mistakes).
  std::vector<double> params = RandomVector(specs.layout().size(), 1, 0.5);
  std::vector<double> x = RandomVector(kBatch * kDims.tokens * kDims.dim, 2);
  const auto r = RandomVector(x.size(), 3);
  std::vector<double> y(x.size());
  TransformerBlockScratch<double> scratch(kDims, kBatch);
  auto loss = [&] {
    y = x;
    block.Forward(params.data(), kBatch, y.data(), &scratch);
    return Dot(r, y);
  };
  loss();
  std::vector<double> dx = r, grads(params.size(), -1.0);
  block.Backward(params.data(), kBatch, dx.data(), grads.data(), &scratch);
  ExpectGradientMatches(loss, &x, dx, "dx");
  for (const Segment& s : specs.layout().segments()) {
    for (int64_t i = s.offset; i < s.offset + s.size; ++i) {
      EXPECT_TRUE(testing::GradientsAgree(
          grads[i], testing::CentralDifference(loss, &params[i])))
          << s.name << "[" << i - s.offset << "]";
    }
  }
}

TEST(TransformerBlockTest, SmallerBatchThanMaximumUsesOnlyItsRows) {
  ParameterSpecs specs;
  TransformerBlock<double> block(kDims, /*max_batch=*/5, "", &specs);
  const std::vector<double> params =
      RandomVector(specs.layout().size(), 1, 0.5);
  const auto x = RandomVector(kBatch * kDims.tokens * kDims.dim, 2);
  TransformerBlockScratch<double> scratch(kDims, 5);
  std::vector<double> both = x;
  block.Forward(params.data(), kBatch, both.data(), &scratch);
  // Each example is independent of the others.
  const int per = kDims.tokens * kDims.dim;
  std::vector<double> second(x.begin() + per, x.end());
  block.Forward(params.data(), 1, second.data(), &scratch);
  for (int i = 0; i < per; ++i) EXPECT_NEAR(second[i], both[per + i], 1e-14);
}

}  // namespace
}  // namespace hero
