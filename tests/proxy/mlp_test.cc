#include "src/proxy/mlp.h"

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

std::unique_ptr<Model> MustMakeMlp(const MlpOptions& options, int max_batch) {
  absl::StatusOr<std::unique_ptr<Model>> model = MakeMlp(options, max_batch);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *std::move(model) : nullptr;
}

MlpOptions Small(Activation activation) {
  MlpOptions options;
  options.input_dim = 7;
  options.hidden = {6, 5};
  options.num_classes = 4;
  options.activation = activation;
  return options;
}

TEST(MlpTest, RejectsBadOptionsWithAClearMessage) {
  MlpOptions options;
  options.hidden = {256, 0};
  EXPECT_THAT(MakeMlp(options, 8).status().message(),
              HasSubstr("hidden[1] must be positive, got 0"));
  options = MlpOptions();
  options.input_dim = -1;
  EXPECT_EQ(MakeMlp(options, 8).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = MlpOptions();
  options.num_classes = 0;
  EXPECT_THAT(MakeMlp(options, 8).status().message(), HasSubstr("num_classes"));
  EXPECT_THAT(MakeMlp(MlpOptions(), 0).status().message(),
              HasSubstr("max_batch"));
  EXPECT_TRUE(ValidateMlpOptions(MlpOptions()).ok());
}

TEST(MlpTest, DefaultLayoutIsDocumentedAndCoversTheBuffer) {
  std::unique_ptr<Model> model = MustMakeMlp(MlpOptions(), 16);
  const ParameterLayout& layout = model->layout();
  ASSERT_EQ(layout.segments().size(), 4u);
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"fc1.weight", 256 * 784},
      {"fc1.bias", 256},
      {"fc2.weight", 10 * 256},
      {"fc2.bias", 10}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(layout.segments()[i].name, expected[i].first);
    EXPECT_EQ(layout.segments()[i].size, expected[i].second);
  }
  EXPECT_EQ(layout.size(), 203530);
  EXPECT_TRUE(CoversExactly(layout));
  EXPECT_EQ(model->num_classes(), 10);
  EXPECT_EQ(model->max_batch(), 16);
}

TEST(MlpTest, InitIsDeterministicXavierWithZeroBiases) {
  std::unique_ptr<Model> a = MustMakeMlp(MlpOptions(), 4);
  std::unique_ptr<Model> b = MustMakeMlp(MlpOptions(), 8);
  std::vector<float> pa(a->layout().size()), pb(pa.size()), pc(pa.size());
  a->Init(3, pa.data());
  b->Init(3, pb.data());
  b->Init(4, pc.data());
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, pc);
  const float bound = std::sqrt(6.0 / (784 + 256));
  float max_abs = 0;
  for (int i = 0; i < 784 * 256; ++i)
    max_abs = std::max(max_abs, std::abs(pa[i]));
  EXPECT_LE(max_abs, bound);
  EXPECT_GT(max_abs, 0.99 * bound);
  for (int i = 784 * 256; i < 784 * 256 + 256; ++i) EXPECT_EQ(pa[i], 0.0f);
}

class MlpGradientTest : public ::testing::TestWithParam<Activation> {};

TEST_P(MlpGradientTest, MatchesFiniteDifferencesInDouble) {
  const int n = 3;
  auto net = MlpNet<double>::Create(Small(GetParam()), n);
  ASSERT_TRUE(net.ok());
  MlpNet<double>& mlp = **net;
  // Initial weights plus noise, so that biases are not all zero.
  std::vector<double> params(mlp.layout().size());
  mlp.Init(1, params.data());
  const auto noise = RandomVector(params.size(), 2, 0.3);
  for (size_t i = 0; i < params.size(); ++i) params[i] += noise[i];
  const auto images = RandomVector(n * 7, 3);
  const std::vector<int32_t> labels = {3, 0, 2};
  std::vector<double> grads(params.size()), scratch(params.size());
  mlp.ForwardBackward(params.data(), images.data(), labels.data(), n,
                      grads.data());
  auto loss = [&] {
    return mlp.ForwardBackward(params.data(), images.data(), labels.data(), n,
                               scratch.data());
  };
  testing::ExpectGradientMatches(loss, &params, grads,
                                 ActivationName(GetParam()));
}

TEST_P(MlpGradientTest, FloatModelAgreesWithDoubleNet) {
  const MlpOptions options = Small(GetParam());
  const int n = 5;
  std::unique_ptr<Model> model = MustMakeMlp(options, n);
  auto net = MlpNet<double>::Create(options, n);
  ASSERT_TRUE(net.ok());
  std::vector<float> params(model->layout().size()), grads(params.size());
  model->Init(9, params.data());
  const auto images = RandomVector(n * 7, 4);
  const std::vector<float> images_f(images.begin(), images.end());
  const std::vector<int32_t> labels = {0, 1, 2, 3, 0};
  const float loss = model->ForwardBackward(params.data(), images_f.data(),
                                            labels.data(), n, grads.data());
  const std::vector<double> params_d(params.begin(), params.end()),
      images_d(images_f.begin(), images_f.end());
  std::vector<double> grads_d(params.size());
  const double loss_d = (*net)->ForwardBackward(
      params_d.data(), images_d.data(), labels.data(), n, grads_d.data());
  EXPECT_NEAR(loss, loss_d, 1e-6 * std::abs(loss_d));
  for (size_t i = 0; i < grads.size(); ++i) {
    EXPECT_NEAR(grads[i], grads_d[i], 1e-6 + 1e-5 * std::abs(grads_d[i]));
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, MlpGradientTest,
                         ::testing::Values(Activation::kRelu,
                                           Activation::kGelu),
                         [](const auto& info) {
                           return std::string(ActivationName(info.param));
                         });

TEST(MlpTest, NoHiddenLayerIsALinearClassifierWithCorrectGradient) {
  MlpOptions options = Small(Activation::kRelu);
  options.hidden = {};
  const int n = 4;
  auto net = MlpNet<double>::Create(options, n);
  ASSERT_TRUE(net.ok());
  EXPECT_EQ((*net)->layout().size(), 7 * 4 + 4);
  std::vector<double> params = RandomVector((*net)->layout().size(), 1);
  const auto images = RandomVector(n * 7, 2);
  const std::vector<int32_t> labels = {0, 1, 2, 3};
  std::vector<double> grads(params.size()), scratch(params.size());
  (*net)->ForwardBackward(params.data(), images.data(), labels.data(), n,
                          grads.data());
  auto loss = [&] {
    return (*net)->ForwardBackward(params.data(), images.data(), labels.data(),
                                   n, scratch.data());
  };
  testing::ExpectGradientMatches(loss, &params, grads, "linear");
}

TEST(MlpTest, SameSeedAndBatchGiveBitwiseIdenticalLossAndGradients) {
  for (Activation activation : {Activation::kRelu, Activation::kGelu}) {
    MlpOptions options;
    options.activation = activation;
    const int n = 32;
    const auto batch = MakeSyntheticBatch(n, 784, 10, 5);
    std::vector<float> results[2];
    float losses[2];
    for (int run = 0; run < 2; ++run) {
      std::unique_ptr<Model> model = MustMakeMlp(options, 64 + run);
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
}

TEST(MlpTest, OverwritesEveryGradientAndForwardGivesTheSameLoss) {
  const int n = 16;
  std::unique_ptr<Model> model = MustMakeMlp(MlpOptions(), n);
  ExpectOverwritesGradientsAndForwardAgrees(*model, n);
}

TEST(MlpTest, BatchLossAndGradientAreMeansOverExamples) {
  const int n = 4;
  auto net = MlpNet<double>::Create(Small(Activation::kGelu), n);
  ASSERT_TRUE(net.ok());
  std::vector<double> params((*net)->layout().size());
  (*net)->Init(2, params.data());
  const auto images = RandomVector(n * 7, 8);
  const std::vector<int32_t> labels = {1, 3, 3, 0};
  std::vector<double> grads(params.size()), one(params.size()),
      mean(params.size(), 0.0);
  const double loss = (*net)->ForwardBackward(params.data(), images.data(),
                                              labels.data(), n, grads.data());
  double mean_loss = 0;
  for (int i = 0; i < n; ++i) {
    mean_loss += (*net)->ForwardBackward(params.data(), images.data() + i * 7,
                                         labels.data() + i, 1, one.data()) /
                 n;
    for (size_t k = 0; k < one.size(); ++k) mean[k] += one[k] / n;
  }
  EXPECT_NEAR(loss, mean_loss, 1e-14);
  for (size_t k = 0; k < grads.size(); ++k)
    EXPECT_NEAR(grads[k], mean[k], 1e-14);
}

TEST(MlpTest, SgdOnAFixedBatchDrivesTheLossDownTenfold) {
  const int n = 64;
  std::unique_ptr<Model> model = MustMakeMlp(MlpOptions(), n);
  const auto batch = MakeSyntheticBatch(n, 784, 10, 7, /*noise=*/1.0);
  std::vector<float> params(model->layout().size()), grads(params.size());
  model->Init(1, params.data());
  float first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    last = model->ForwardBackward(params.data(), batch.images.data(),
                                  batch.labels.data(), n, grads.data());
    if (step == 0) first = last;
    for (size_t i = 0; i < params.size(); ++i) params[i] -= 0.01f * grads[i];
  }
  EXPECT_GT(first, 1.0f);
  EXPECT_LT(last, first / 10);
}

}  // namespace
}  // namespace hero
