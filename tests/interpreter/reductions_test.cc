// Reductions against double-precision references: per-segment norm on a
// layout whose segments are not multiples of the block size, global_norm,
// dot, cosine_sim, clip_by_global_norm, and a program whose reductions chain
// into three passes.
//
// Tolerance: the interpreter sums in double, block by block; the references
// sum in double, element by element. The sums differ by a few double
// roundings, far below float precision, so every reduction result is within
// 1 ulp (float) of the reference, and values computed from it (clip) within
// 2 ulp.
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "src/interpreter/interpreter.h"
#include "tests/interpreter/test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Buffers;
using testing_util::Make;
using testing_util::Ulps;

ParameterLayout FourSegments() {
  ParameterLayout layout;
  for (int64_t size : {1, 7, 1000, 4099}) layout.Add("t", size);
  return layout;
}

double SumSq(const std::vector<float>& x, int64_t begin, int64_t end) {
  double s = 0.0;
  for (int64_t i = begin; i < end; ++i) s += double{x[i]} * double{x[i]};
  return s;
}

double Dot(const std::vector<float>& x, const std::vector<float>& y) {
  double s = 0.0;
  for (size_t i = 0; i < x.size(); ++i) s += double{x[i]} * double{y[i]};
  return s;
}

TEST(ReductionsTest, NormIsPerSegmentForEveryBlockSize) {
  const ParameterLayout layout = FourSegments();
  for (int block_size : {16, 48, 512, 4096}) {
    Buffers b = Buffers::Random(layout.size(), 11);
    Make(Body("  update = norm(g)\n"), layout, block_size)
        ->Step(b.step(), {0.0f, 0.0f}, false);
    for (const Segment& s : layout.segments()) {
      const double want = std::sqrt(SumSq(b.g, s.offset, s.offset + s.size));
      for (int64_t i = s.offset; i < s.offset + s.size; ++i) {
        ASSERT_LE(Ulps(b.update[i], want), 1.0)
            << "block " << block_size << " segment at " << s.offset;
      }
    }
  }
}

TEST(ReductionsTest, NormOfAnExpressionFeedsALaterPass) {
  const ParameterLayout layout = FourSegments();
  Buffers b = Buffers::Random(layout.size(), 12);
  std::unique_ptr<Interpreter> interp =
      Make(Body("  x = g * 2\n  n = norm(x)\n  update = m / n\n"), layout, 16);
  EXPECT_EQ(interp->num_passes(), 2);
  const std::vector<float> m = b.m;
  interp->Step(b.step(), {0.0f, 0.0f}, false);
  for (const Segment& s : layout.segments()) {
    std::vector<float> x(b.g.begin() + s.offset,
                         b.g.begin() + s.offset + s.size);
    for (float& e : x) e *= 2.0f;
    const float norm = static_cast<float>(
        std::sqrt(SumSq(x, 0, static_cast<int64_t>(x.size()))));
    for (int64_t i = s.offset; i < s.offset + s.size; ++i) {
      ASSERT_LE(Ulps(b.update[i], m[i] / (double{norm} + 1e-8)), 2.0);
    }
  }
}

// s = <reduction>; update = w * s with w = 1 shows s.
float ScalarOf(const std::string& statement, Buffers& b,
               const ParameterLayout& layout, int block_size = 512) {
  std::fill(b.w.begin(), b.w.end(), 1.0f);
  Make(Body("  s = " + statement + "\n  update = w * s\n"), layout, block_size)
      ->Step(b.step(), {0.0f, 0.0f}, false);
  return b.update[0];
}

TEST(ReductionsTest, GlobalReductionsMatchDoubleReferences) {
  const ParameterLayout layout = FourSegments();
  for (int block_size : {16, 512, 4096}) {
    Buffers b = Buffers::Random(layout.size(), 13);
    const double gg = SumSq(b.g, 0, layout.size());
    const double mm = SumSq(b.m, 0, layout.size());
    const double gm = Dot(b.g, b.m);
    EXPECT_LE(
        Ulps(ScalarOf("global_norm(g)", b, layout, block_size), std::sqrt(gg)),
        1.0);
    EXPECT_LE(Ulps(ScalarOf("dot(g, m)", b, layout, block_size), gm), 1.0);
    EXPECT_LE(Ulps(ScalarOf("cosine_sim(g, m)", b, layout, block_size),
                   gm / (std::sqrt(gg) * std::sqrt(mm) + 1e-8)),
              1.0);
    EXPECT_LE(Ulps(ScalarOf("cosine_sim(g, g)", b, layout, block_size), 1.0),
              1.0);
  }
}

TEST(ReductionsTest, CosineSimOfZeroIsZero) {
  Buffers b(100);
  std::fill(b.g.begin(), b.g.end(), 1.0f);
  EXPECT_EQ(ScalarOf("cosine_sim(g, m)", b, ParameterLayout::Single(100)),
            0.0f);
}

TEST(ReductionsTest, ClipByGlobalNormScalesOnlyAboveTheThreshold) {
  const ParameterLayout layout = FourSegments();
  for (float c : {0.5f, 1e6f}) {
    Buffers b = Buffers::Random(layout.size(), 14);
    const std::vector<float> g = b.g;
    std::unique_ptr<Interpreter> interp = Make(
        Body("  update = clip_by_global_norm(g, " + std::to_string(c) + ")\n"),
        layout, 48);
    EXPECT_EQ(interp->num_passes(), 2);
    interp->Step(b.step(), {0.0f, 0.0f}, false);
    const double norm = std::sqrt(SumSq(g, 0, layout.size()));
    const double factor = std::min(1.0, c / (norm + 1e-8));
    for (int64_t i = 0; i < layout.size(); ++i) {
      ASSERT_LE(Ulps(b.update[i], g[i] * factor), 2.0) << "c = " << c;
    }
    if (c > norm) {
      EXPECT_TRUE(testing_util::SameBits(b.update, g));
    }
  }
}

// a = ||g|| (pass 0); b = g * a; c = <b, m> (pass 1); update = b * c
// (pass 2).
TEST(ReductionsTest, ChainedReductionsRunInThreePasses) {
  const ParameterLayout layout = FourSegments();
  Buffers b = Buffers::Random(layout.size(), 15);
  const std::vector<float> g = b.g, m = b.m;
  std::unique_ptr<Interpreter> interp =
      Make(Body("  a = global_norm(g)\n  b = g * a\n  c = dot(b, m)\n"
                "  update = b * c\n"),
           layout, 512);
  EXPECT_EQ(interp->num_passes(), 3);
  interp->Step(b.step(), {0.0f, 0.0f}, false);

  const float a = static_cast<float>(std::sqrt(SumSq(g, 0, layout.size())));
  std::vector<float> bv(g.size());
  for (size_t i = 0; i < g.size(); ++i) bv[i] = g[i] * a;
  const float c = static_cast<float>(Dot(bv, m));
  for (size_t i = 0; i < g.size(); ++i) {
    // a and c are each within 1 ulp, so b * c is within a few.
    ASSERT_LE(Ulps(b.update[i], double{bv[i]} * c), 4.0) << i;
  }
}

}  // namespace
}  // namespace hero
