// Shared helpers for the proxy model tests (mlp_test, vit_test).
#ifndef HERO_TESTS_PROXY_MODEL_TEST_UTIL_H_
#define HERO_TESTS_PROXY_MODEL_TEST_UTIL_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/interpreter/parameter_layout.h"
#include "src/proxy/layers/cross_entropy.h"
#include "src/proxy/model.h"

namespace hero {
namespace testing {

// A learnable synthetic batch: each class has a fixed random prototype image
// and each example is its class prototype plus N(0, noise^2) pixels.
struct SyntheticBatch {
  std::vector<float> images;  // [n x pixels]
  std::vector<int32_t> labels;
};

inline SyntheticBatch MakeSyntheticBatch(int n, int pixels, int classes,
                                         uint64_t seed, double noise = 0.5) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> prototypes(int64_t{classes} * pixels);
  for (float& p : prototypes) p = normal(rng);
  SyntheticBatch batch;
  batch.images.resize(int64_t{n} * pixels);
  batch.labels.resize(n);
  for (int i = 0; i < n; ++i) {
    const int label = static_cast<int>(rng() % classes);
    batch.labels[i] = label;
    for (int j = 0; j < pixels; ++j) {
      batch.images[int64_t{i} * pixels + j] =
          prototypes[int64_t{label} * pixels + j] + noise * normal(rng);
    }
  }
  return batch;
}

// True iff the segments are in order, non-empty, contiguous and cover
// [0, layout.size()).
inline bool CoversExactly(const ParameterLayout& layout) {
  int64_t next = 0;
  for (const Segment& s : layout.segments()) {
    if (s.offset != next || s.size <= 0) return false;
    next += s.size;
  }
  return next == layout.size();
}

// Checks, on a batch of `n` synthetic examples, that ForwardBackward writes
// every gradient (the buffer starts as NaN) and that Forward's logits give
// the same loss.
inline void ExpectOverwritesGradientsAndForwardAgrees(Model& model, int n) {
  const SyntheticBatch batch = MakeSyntheticBatch(n, 784, 10, 6);
  std::vector<float> params(model.layout().size());
  std::vector<float> grads(params.size(),
                           std::numeric_limits<float>::quiet_NaN());
  model.Init(1, params.data());
  const float loss = model.ForwardBackward(
      params.data(), batch.images.data(), batch.labels.data(), n, grads.data());
  for (float g : grads) ASSERT_TRUE(std::isfinite(g));
  std::vector<float> logits(n * 10);
  model.Forward(params.data(), batch.images.data(), n, logits.data());
  EXPECT_EQ(SoftmaxCrossEntropy<float>(n, 10, logits.data(),
                                       batch.labels.data(), nullptr),
            loss);
}

}  // namespace testing
}  // namespace hero

#endif  // HERO_TESTS_PROXY_MODEL_TEST_UTIL_H_
