#include "src/proxy/layers/linear.h"

#include <vector>

#include "gtest/gtest.h"
#include "tests/proxy/layers/gradient_check.h"

namespace hero {
namespace {

using testing::Dot;
using testing::ExpectGradientMatches;
using testing::RandomVector;

constexpr LinearDims kDims{/*rows=*/5, /*in=*/7, /*out=*/3};

std::vector<double> Naive(const LinearDims& d, const std::vector<double>& x,
                          const std::vector<double>& w,
                          const std::vector<double>& b) {
  std::vector<double> y(d.rows * d.out);
  for (int r = 0; r < d.rows; ++r) {
    for (int o = 0; o < d.out; ++o) {
      double s = b[o];
      for (int i = 0; i < d.in; ++i) s += x[r * d.in + i] * w[i * d.out + o];
      y[r * d.out + o] = s;
    }
  }
  return y;
}

GemmWorkspace<double> Workspace() {
  GemmWorkspace<double> ws;
  ReserveLinear(kDims, &ws);
  return ws;
}

TEST(LinearTest, ForwardMatchesNaiveRowMajorProduct) {
  GemmWorkspace<double> ws = Workspace();
  const auto x = RandomVector(kDims.rows * kDims.in, 1);
  const auto w = RandomVector(kDims.in * kDims.out, 2);
  const auto b = RandomVector(kDims.out, 3);
  std::vector<double> y(kDims.rows * kDims.out);
  LinearForward(kDims, x.data(), w.data(), b.data(), y.data(), &ws);
  const std::vector<double> expected = Naive(kDims, x, w, b);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1e-12);
}

TEST(LinearTest, ForwardAddAccumulates) {
  GemmWorkspace<double> ws = Workspace();
  const auto x = RandomVector(kDims.rows * kDims.in, 1);
  const auto w = RandomVector(kDims.in * kDims.out, 2);
  const auto b = RandomVector(kDims.out, 3);
  std::vector<double> y = RandomVector(kDims.rows * kDims.out, 4);
  const std::vector<double> y0 = y;
  LinearForwardAdd(kDims, x.data(), w.data(), b.data(), y.data(), &ws);
  const std::vector<double> expected = Naive(kDims, x, w, b);
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i], y0[i] + expected[i], 1e-12);
  }
}

TEST(LinearTest, BackwardMatchesFiniteDifferences) {
  GemmWorkspace<double> ws = Workspace();
  auto x = RandomVector(kDims.rows * kDims.in, 1);
  auto w = RandomVector(kDims.in * kDims.out, 2);
  auto b = RandomVector(kDims.out, 3);
  const auto r = RandomVector(kDims.rows * kDims.out, 4);
  std::vector<double> y(kDims.rows * kDims.out);
  auto loss = [&] {
    LinearForward(kDims, x.data(), w.data(), b.data(), y.data(), &ws);
    return Dot(r, y);
  };
  std::vector<double> dx(x.size()), dw(w.size()), db(b.size());
  LinearBackward(kDims, x.data(), w.data(), r.data(), dw.data(), db.data(),
                 dx.data(), &ws);
  ExpectGradientMatches(loss, &x, dx, "dx");
  ExpectGradientMatches(loss, &w, dw, "dw");
  ExpectGradientMatches(loss, &b, db, "db");
}

TEST(LinearTest, BackwardWithoutInputGradientStillWritesParameters) {
  GemmWorkspace<double> ws = Workspace();
  const auto x = RandomVector(kDims.rows * kDims.in, 1);
  const auto w = RandomVector(kDims.in * kDims.out, 2);
  const auto r = RandomVector(kDims.rows * kDims.out, 4);
  std::vector<double> dw(w.size()), db(kDims.out), dw2(w.size()),
      db2(kDims.out), dx(x.size());
  LinearBackward(kDims, x.data(), w.data(), r.data(), dw.data(), db.data(),
                 static_cast<double*>(nullptr), &ws);
  LinearBackward(kDims, x.data(), w.data(), r.data(), dw2.data(), db2.data(),
                 dx.data(), &ws);
  EXPECT_EQ(dw, dw2);
  EXPECT_EQ(db, db2);
}

TEST(LinearTest, FloatAgreesWithDouble) {
  const LinearDims d{33, 70, 20};  // sizes that exercise the GEMM edges
  const auto x = RandomVector(d.rows * d.in, 1);
  const auto w = RandomVector(d.in * d.out, 2, 0.1);
  const auto b = RandomVector(d.out, 3);
  const std::vector<float> xf(x.begin(), x.end()), wf(w.begin(), w.end()),
      bf(b.begin(), b.end());
  std::vector<double> y(d.rows * d.out);
  std::vector<float> yf(y.size());
  GemmWorkspace<double> ws;
  GemmWorkspace<float> wsf;
  ReserveLinear(d, &ws);
  ReserveLinear(d, &wsf);
  LinearForward(d, x.data(), w.data(), b.data(), y.data(), &ws);
  LinearForward(d, xf.data(), wf.data(), bf.data(), yf.data(), &wsf);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(yf[i], y[i], 1e-5);
}

}  // namespace
}  // namespace hero
