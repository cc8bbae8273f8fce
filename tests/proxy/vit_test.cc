#include "src/proxy/vit.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/proxy/layers/cross_entropy.h"
#include "tests/proxy/layers/gradient_check.h"
#include "tests/proxy/model_test_util.h"

namespace hero {
namespace {

using testing::CoversExactly;
using testing::ExpectOverwritesGradientsAndForwardAgrees;
using ::testing::HasSubstr;
using testing::MakeSyntheticBatch;
using testing::RandomVector;

std::unique_ptr<Model> MustMakeVit(const VitOptions& options, int max_batch) {
  absl::StatusOr<std::unique_ptr<Model>> model = MakeVit(options, max_batch);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *std::move(model) : nullptr;
}

// 8x8 images in 4x4 patches: 4 tokens; generic attention kernel.
VitOptions Tiny() {
  VitOptions o;
  o.image_size = 8;
  o.patch_size = 4;
  o.dim = 6;
  o.depth = 2;
  o.heads = 2;
  o.mlp_dim = 10;
  o.num_classes = 3;
  return o;
}

TEST(VitTest, RejectsBadOptionsWithAClearMessage) {
  VitOptions o;
  o.heads = 5;
  EXPECT_THAT(MakeVit(o, 8).status().message(),
              HasSubstr("heads (5) must divide dim (64)"));
  o = VitOptions();
  o.patch_size = 5;
  EXPECT_THAT(MakeVit(o, 8).status().message(),
              HasSubstr("patch_size (5) must divide image_size (28)"));
  o = VitOptions();
  o.depth = 0;
  EXPECT_THAT(MakeVit(o, 8).status().message(),
              HasSubstr("depth must be positive"));
  EXPECT_EQ(MakeVit(VitOptions(), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateVitOptions(VitOptions()).ok());
}

TEST(VitTest, DefaultLayoutIsDocumentedAndCoversTheBuffer) {
  std::unique_ptr<Model> model = MustMakeVit(VitOptions(), 4);
  const ParameterLayout& layout = model->layout();
  EXPECT_EQ(layout.size(), 71946);
  EXPECT_TRUE(CoversExactly(layout));
  const auto& s = layout.segments();
  ASSERT_EQ(s.size(), 3u + 2 * 12 + 4);
  EXPECT_EQ(s[0].name, "patch.weight");
  EXPECT_EQ(s[0].size, 49 * 64);
  EXPECT_EQ(s[1].name, "patch.bias");
  EXPECT_EQ(s[2].name, "pos_embedding");
  EXPECT_EQ(s[2].size, 16 * 64);
  EXPECT_EQ(s[3].name, "block0.ln1.gamma");
  EXPECT_EQ(s[5].name, "block0.attn.qkv.weight");
  EXPECT_EQ(s[5].size, 64 * 192);
  EXPECT_EQ(s[3 + 12].name, "block1.ln1.gamma");
  EXPECT_EQ(s[27].name, "norm.gamma");
  EXPECT_EQ(s[28].name, "norm.beta");
  EXPECT_EQ(s[29].name, "head.weight");
  EXPECT_EQ(s[29].size, 64 * 10);
  EXPECT_EQ(s[30].name, "head.bias");
}

TEST(VitTest, InitIsDeterministicWithDocumentedDistributions) {
  std::unique_ptr<Model> a = MustMakeVit(VitOptions(), 2);
  std::unique_ptr<Model> b = MustMakeVit(VitOptions(), 3);
  std::vector<float> pa(a->layout().size()), pb(pa.size());
  a->Init(5, pa.data());
  b->Init(5, pb.data());
  EXPECT_EQ(pa, pb);
  for (const Segment& s : a->layout().segments()) {
    const float* p = pa.data() + s.offset;
    const bool gamma = s.name.find("gamma") != std::string::npos;
    const bool zero = s.name.find("bias") != std::string::npos ||
                      s.name.find("beta") != std::string::npos;
    for (int64_t i = 0; i < s.size; ++i) {
      if (gamma) {
        ASSERT_EQ(p[i], 1.0f) << s.name;
      }
      if (zero) {
        ASSERT_EQ(p[i], 0.0f) << s.name;
      }
    }
    if (s.name == "pos_embedding") {
      double sq = 0;
      for (int64_t i = 0; i < s.size; ++i) sq += double{p[i]} * p[i];
      // 1024 draws: the sample sd is within 15% of 0.02 (> 6 sigma).
      EXPECT_NEAR(std::sqrt(sq / s.size), 0.02, 0.003);
    }
  }
}

// Analytic vs central-difference gradients in double at initial parameters
// plus noise (so that LayerNorm and bias gradients are not degenerate), for
// `per_segment` coordinates of every segment (all if <= 0).
void CheckGradients(const VitOptions& options, int n, int per_segment) {
  auto net = VitNet<double>::Create(options, n);
  ASSERT_TRUE(net.ok()) << net.status();
  VitNet<double>& vit = **net;
  std::vector<double> params(vit.layout().size());
  vit.Init(1, params.data());
  const auto noise = RandomVector(params.size(), 2, 0.1);
  for (size_t i = 0; i < params.size(); ++i) params[i] += noise[i];
  const int pixels = options.image_size * options.image_size;
  const auto images = RandomVector(int64_t{n} * pixels, 3);
  std::vector<int32_t> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = (3 * i + 1) % options.num_classes;
  std::vector<double> grads(params.size()), scratch(params.size());
  vit.ForwardBackward(params.data(), images.data(), labels.data(), n,
                      grads.data());
  auto loss = [&] {
    return vit.ForwardBackward(params.data(), images.data(), labels.data(), n,
                               scratch.data());
  };
  std::mt19937_64 rng(4);
  for (const Segment& s : vit.layout().segments()) {
    const int count =
        per_segment <= 0 ? s.size : std::min<int64_t>(per_segment, s.size);
    for (int k = 0; k < count; ++k) {
      const int64_t i = s.offset + (per_segment <= 0 ? k : rng() % s.size);
      EXPECT_TRUE(testing::GradientsAgree(
          grads[i], testing::CentralDifference(loss, &params[i])))
          << s.name << "[" << i - s.offset << "]";
    }
  }
}

TEST(VitTest, TinyModelGradientMatchesFiniteDifferencesEverywhere) {
  CheckGradients(Tiny(), /*n=*/3, /*per_segment=*/0);
}

TEST(VitTest, TinyModelGradientMatchesOverSeveralChunks) {
  // 4 tokens per example: chunks of 32 examples, so 70 examples run as
  // 32 + 32 + 6.
  ASSERT_EQ(kVitChunkRows / 4, 32);
  CheckGradients(Tiny(), /*n=*/70, /*per_segment=*/3);
}

TEST(VitTest, DefaultModelGradientMatchesFiniteDifferencesOnSamples) {
  // Tokens 16 and head_dim 16: the fixed-size attention kernel.
  CheckGradients(VitOptions(), /*n=*/2, /*per_segment=*/4);
}

TEST(VitTest, FloatModelAgreesWithDoubleNet) {
  const int n = 4;
  std::unique_ptr<Model> model = MustMakeVit(VitOptions(), n);
  auto net = VitNet<double>::Create(VitOptions(), n);
  ASSERT_TRUE(net.ok());
  const auto batch = MakeSyntheticBatch(n, 784, 10, 3);
  std::vector<float> params(model->layout().size()), grads(params.size());
  model->Init(9, params.data());
  const float loss = model->ForwardBackward(
      params.data(), batch.images.data(), batch.labels.data(), n, grads.data());
  const std::vector<double> params_d(params.begin(), params.end()),
      images_d(batch.images.begin(), batch.images.end());
  std::vector<double> grads_d(params.size());
  const double loss_d = (*net)->ForwardBackward(
      params_d.data(), images_d.data(), batch.labels.data(), n, grads_d.data());
  EXPECT_NEAR(loss, loss_d, 1e-5 * std::abs(loss_d));
  double max_grad = 0;
  for (double g : grads_d) max_grad = std::max(max_grad, std::abs(g));
  for (size_t i = 0; i < grads.size(); ++i) {
    ASSERT_NEAR(grads[i], grads_d[i], 1e-4 * max_grad) << i;
  }
}

TEST(VitTest, SameSeedAndBatchGiveBitwiseIdenticalLossAndGradients) {
  const int n = 8;
  const auto batch = MakeSyntheticBatch(n, 784, 10, 5);
  std::vector<float> results[2];
  float losses[2];
  for (int run = 0; run < 2; ++run) {
    std::unique_ptr<Model> model = MustMakeVit(VitOptions(), n + run);
    std::vector<float> params(model->layout().size());
    results[run].resize(params.size());
    model->Init(11, params.data());
    losses[run] =
        model->ForwardBackward(params.data(), batch.images.data(),
                               batch.labels.data(), n, results[run].data());
  }
  EXPECT_EQ(losses[0], losses[1]);
  EXPECT_EQ(results[0], results[1]);
}

TEST(VitTest, OverwritesEveryGradientAndForwardGivesTheSameLoss) {
  const int n = 5;
  std::unique_ptr<Model> model = MustMakeVit(VitOptions(), n);
  ExpectOverwritesGradientsAndForwardAgrees(*model, n);
}

TEST(VitTest, ExamplesDoNotInteract) {
  const int n = 3;
  auto net = VitNet<double>::Create(Tiny(), n);
  ASSERT_TRUE(net.ok());
  std::vector<double> params((*net)->layout().size());
  (*net)->Init(2, params.data());
  const auto images = RandomVector(n * 64, 8);
  std::vector<double> logits(n * 3), one(3);
  (*net)->Forward(params.data(), images.data(), n, logits.data());
  for (int i = 0; i < n; ++i) {
    (*net)->Forward(params.data(), images.data() + i * 64, 1, one.data());
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(one[c], logits[i * 3 + c], 1e-14);
  }
}

TEST(VitTest, BatchLossAndGradientAreMeansOverExamplesAcrossChunks) {
  // 20 examples of 16 tokens run as chunks of 8 + 8 + 4.
  const int n = 20;
  auto net = VitNet<double>::Create(VitOptions(), n);
  ASSERT_TRUE(net.ok());
  std::vector<double> params((*net)->layout().size());
  (*net)->Init(2, params.data());
  const auto images = RandomVector(n * 784, 8);
  std::vector<int32_t> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = (7 * i) % 10;
  std::vector<double> grads(params.size()), one(params.size()),
      mean(params.size(), 0.0);
  const double loss = (*net)->ForwardBackward(params.data(), images.data(),
                                              labels.data(), n, grads.data());
  double mean_loss = 0;
  for (int i = 0; i < n; ++i) {
    mean_loss += (*net)->ForwardBackward(params.data(), images.data() + i * 784,
                                         labels.data() + i, 1, one.data()) /
                 n;
    for (size_t k = 0; k < one.size(); ++k) mean[k] += one[k] / n;
  }
  EXPECT_NEAR(loss, mean_loss, 1e-13);
  for (size_t k = 0; k < grads.size(); ++k) {
    ASSERT_NEAR(grads[k], mean[k], 1e-13) << k;
  }
  // Forward over several chunks gives the per-example logits.
  std::vector<double> logits(n * 10), single(10);
  (*net)->Forward(params.data(), images.data(), n, logits.data());
  for (int i = 0; i < n; ++i) {
    (*net)->Forward(params.data(), images.data() + i * 784, 1, single.data());
    for (int c = 0; c < 10; ++c)
      EXPECT_NEAR(logits[i * 10 + c], single[c], 1e-13);
  }
}

TEST(VitTest, SgdOnAFixedBatchDrivesTheLossDownTenfold) {
  const int n = 32;
  std::unique_ptr<Model> model = MustMakeVit(VitOptions(), n);
  const auto batch = MakeSyntheticBatch(n, 784, 10, 7, /*noise=*/1.0);
  std::vector<float> params(model->layout().size()), grads(params.size());
  model->Init(1, params.data());
  float first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    last = model->ForwardBackward(params.data(), batch.images.data(),
                                  batch.labels.data(), n, grads.data());
    if (step == 0) first = last;
    for (size_t i = 0; i < params.size(); ++i) params[i] -= 0.05f * grads[i];
  }
  EXPECT_GT(first, 1.0f);
  EXPECT_LT(last, first / 10);
}

}  // namespace
}  // namespace hero
