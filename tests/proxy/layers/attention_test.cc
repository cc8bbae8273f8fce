#include "src/proxy/layers/attention.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::Dot;
using testing::ExpectGradientMatches;
using testing::RandomVector;

// Straightforward loops over the documented layouts.
std::vector<double> NaiveAttention(const AttentionDims& d,
                                   const std::vector<double>& qkv) {
  const int n = d.tokens, hd = d.head_dim, dim = d.dim();
  std::vector<double> out(d.batch * n * dim);
  auto at = [&](int b, int t, int part, int h, int j) {
    return qkv[(b * n + t) * 3 * dim + part * dim + h * hd + j];
  };
  for (int b = 0; b < d.batch; ++b) {
    for (int h = 0; h < d.heads; ++h) {
      for (int i = 0; i < n; ++i) {
        std::vector<double> s(n);
        double max = -1e300, sum = 0;
        for (int j = 0; j < n; ++j) {
          for (int c = 0; c < hd; ++c)
            s[j] += at(b, i, 0, h, c) * at(b, j, 1, h, c);
          s[j] /= std::sqrt(hd);
          max = std::max(max, s[j]);
        }
        for (int j = 0; j < n; ++j) sum += (s[j] = std::exp(s[j] - max));
        for (int c = 0; c < hd; ++c) {
          double o = 0;
          for (int j = 0; j < n; ++j) o += s[j] / sum * at(b, j, 2, h, c);
          out[(b * n + i) * dim + h * hd + c] = o;
        }
      }
    }
  }
  return out;
}

class AttentionTest : public ::testing::TestWithParam<AttentionDims> {};

TEST_P(AttentionTest, ForwardMatchesNaive) {
  const AttentionDims d = GetParam();
  const auto qkv = RandomVector(d.batch * d.tokens * 3 * d.dim(), 1);
  std::vector<double> probs(d.probs_size()), out(d.batch * d.tokens * d.dim());
  AttentionForward(d, qkv.data(), probs.data(), out.data());
  const std::vector<double> expected = NaiveAttention(d, qkv);
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(out[i], expected[i], 1e-12);
  // probs holds P^T per (example, head): each column sums to 1.
  const int n = d.tokens;
  for (int block = 0; block < d.batch * d.heads; ++block) {
    for (int i = 0; i < n; ++i) {
      double sum = 0;
      for (int j = 0; j < n; ++j) sum += probs[block * n * n + j * n + i];
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  }
}

TEST_P(AttentionTest, BackwardMatchesFiniteDifferences) {
  const AttentionDims d = GetParam();
  auto qkv = RandomVector(d.batch * d.tokens * 3 * d.dim(), 2);
  const auto r = RandomVector(d.batch * d.tokens * d.dim(), 3);
  std::vector<double> probs(d.probs_size()), out(r.size());
  auto loss = [&] {
    AttentionForward(d, qkv.data(), probs.data(), out.data());
    return Dot(r, out);
  };
  loss();
  std::vector<double> scratch(d.scratch_size()), dqkv(qkv.size());
  AttentionBackward(d, qkv.data(), probs.data(), r.data(), scratch.data(),
                    dqkv.data());
  ExpectGradientMatches(loss, &qkv, dqkv, "dqkv");
}

TEST_P(AttentionTest, FloatAgreesWithDouble) {
  const AttentionDims d = GetParam();
  const auto qkv = RandomVector(d.batch * d.tokens * 3 * d.dim(), 4);
  const auto dout = RandomVector(d.batch * d.tokens * d.dim(), 5);
  const std::vector<float> qkvf(qkv.begin(), qkv.end()),
      doutf(dout.begin(), dout.end());
  std::vector<double> probs(d.probs_size()), out(dout.size()),
      scratch(d.scratch_size()), dqkv(qkv.size());
  std::vector<float> probsf(probs.size()), outf(out.size()),
      scratchf(scratch.size()), dqkvf(dqkv.size());
  AttentionForward(d, qkv.data(), probs.data(), out.data());
  AttentionBackward(d, qkv.data(), probs.data(), dout.data(), scratch.data(),
                    dqkv.data());
  AttentionForward(d, qkvf.data(), probsf.data(), outf.data());
  AttentionBackward(d, qkvf.data(), probsf.data(), doutf.data(),
                    scratchf.data(), dqkvf.data());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(outf[i], out[i], 1e-5);
  for (size_t i = 0; i < dqkv.size(); ++i) EXPECT_NEAR(dqkvf[i], dqkv[i], 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionTest,
    ::testing::Values(
        // The fixed-size kernel (tokens 16, head_dim 16).
        AttentionDims{/*batch=*/2, /*tokens=*/16, /*heads=*/2, /*head_dim=*/16},
        // The generic kernel.
        AttentionDims{/*batch=*/3, /*tokens=*/5, /*heads=*/3, /*head_dim=*/4},
        AttentionDims{/*batch=*/1, /*tokens=*/1, /*heads=*/1, /*head_dim=*/2}));

}  // namespace
}  // namespace hero
