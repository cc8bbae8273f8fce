#include "src/proxy/layers/gemm.h"

#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::RandomVector;

struct Case {
  GemmShape shape;
  bool trans_a, trans_b, accumulate;
  int pad;  // extra elements per row (leading dimension > row length)
};

// C (+)= op(A) op(B) by definition.
template <typename T>
void Naive(const Case& c, const std::vector<T>& a, int lda,
           const std::vector<T>& b, int ldb, std::vector<T>* out, int ldc) {
  for (int i = 0; i < c.shape.m; ++i) {
    for (int j = 0; j < c.shape.n; ++j) {
      double s = 0;
      for (int p = 0; p < c.shape.k; ++p) {
        const T av = c.trans_a ? a[p * lda + i] : a[i * lda + p];
        const T bv = c.trans_b ? b[j * ldb + p] : b[p * ldb + j];
        s += double{av} * bv;
      }
      T& dst = (*out)[i * ldc + j];
      dst = static_cast<T>(c.accumulate ? dst + s : s);
    }
  }
}

template <typename T>
void Check(const Case& c, GemmWorkspace<T>* workspace, double tolerance) {
  const GemmShape& s = c.shape;
  const int lda = (c.trans_a ? s.m : s.k) + c.pad;
  const int ldb = (c.trans_b ? s.k : s.n) + c.pad;
  const int ldc = s.n + c.pad;
  const auto a64 = RandomVector((c.trans_a ? s.k : s.m) * lda, 1);
  const auto b64 = RandomVector((c.trans_b ? s.n : s.k) * ldb, 2);
  const auto c64 = RandomVector(s.m * ldc, 3);
  const std::vector<T> a(a64.begin(), a64.end()), b(b64.begin(), b64.end());
  std::vector<T> got(c64.begin(), c64.end()), want = got;
  Gemm<T>(s, c.trans_a, a.data(), lda, c.trans_b, b.data(), ldb, c.accumulate,
          got.data(), ldc, workspace);
  Naive(c, a, lda, b, ldb, &want, ldc);
  for (int i = 0; i < s.m; ++i) {
    for (int j = 0; j < ldc; ++j) {
      if (j < s.n) {
        ASSERT_NEAR(got[i * ldc + j], want[i * ldc + j], tolerance)
            << "m=" << s.m << " n=" << s.n << " k=" << s.k
            << " ta=" << c.trans_a << " tb=" << c.trans_b
            << " acc=" << c.accumulate << " at " << i << "," << j;
      } else {
        ASSERT_EQ(got[i * ldc + j], want[i * ldc + j]) << "padding written";
      }
    }
  }
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (GemmShape s :
       {GemmShape{1, 1, 1}, GemmShape{5, 7, 3}, GemmShape{37, 29, 300},
        GemmShape{130, 70, 64}, GemmShape{64, 49, 2048}}) {
    for (int t = 0; t < 8; ++t) {
      cases.push_back(Case{s, (t & 1) != 0, (t & 2) != 0, (t & 4) != 0,
                           /*pad=*/t % 3});
    }
  }
  return cases;
}

TEST(GemmTest, MatchesDefinitionInDouble) {
  for (const Case& c : Cases()) {
    GemmWorkspace<double> workspace;
    workspace.Reserve(c.shape);
    Check<double>(c, &workspace, 1e-11);
  }
}

TEST(GemmTest, MatchesDefinitionInFloat) {
  for (const Case& c : Cases()) {
    GemmWorkspace<float> workspace;
    workspace.Reserve(c.shape);
    // |error| <~ k * 2^-24 * sum |a b| with O(1) entries.
    Check<float>(c, &workspace, 1e-5 * c.shape.k);
  }
}

TEST(GemmTest, SmallerShapesRunInALargerReservation) {
  GemmWorkspace<double> workspace;
  workspace.Reserve(GemmShape{256, 192, 2048});
  for (const Case& c : Cases()) Check<double>(c, &workspace, 1e-11);
}

TEST(GemmTest, UnderReservedWorkspaceShrinksItsBlocksAndStaysCorrect) {
  GemmWorkspace<double> workspace;
  workspace.Reserve(GemmShape{4, 4, 4});
  for (const Case& c : Cases()) Check<double>(c, &workspace, 1e-11);
}

TEST(GemmTest, IsDeterministic) {
  const Case c{GemmShape{130, 70, 300}, true, false, false, 0};
  const auto a = RandomVector(300 * 130, 4), b = RandomVector(300 * 70, 5);
  std::vector<double> c1(130 * 70), c2(c1.size());
  GemmWorkspace<double> w1, w2;
  w1.Reserve(c.shape);
  w2.Reserve(GemmShape{200, 100, 300});
  Gemm<double>(c.shape, true, a.data(), 130, false, b.data(), 70, false,
               c1.data(), 70, &w1);
  Gemm<double>(c.shape, true, a.data(), 130, false, b.data(), 70, false,
               c2.data(), 70, &w2);
  EXPECT_EQ(c1, c2);
}

}  // namespace
}  // namespace hero
