// Every elementwise op of the op table against its closed form, on hand-picked
// values including the edge cases (±0, negatives, subnormals, huge values,
// ±Inf, NaN), as a tensor statement and as a scalar-only statement; and
// scalar broadcast in every argument position.
//
// Tolerances: the ops whose result is one correctly rounded operation or a C
// function (+ - * / max min power interpolate abs square cube sqrt sign
// reciprocal negative, tan arcsin arccos arctan sinh cosh arcsinh arccosh
// arctanh exp2 exp10 log10 cbrt) must equal the closed form evaluated in
// float bit for bit (NaN = any NaN). The ops on Eigen's vectorized functions
// (exp expm1 log log2 log1p sin cos) must be within 3 ulp of the exact
// (double) result, tanh within 5. Scalar and tensor statements must agree
// bit for bit. This file is compiled with -ffp-contract=off so that the
// closed forms round like the kernels.
#include "src/program/ops.h"

#include <math.h>  // exp10f

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/interpreter/interpreter.h"
#include "src/program/program.h"
#include "tests/interpreter/test_util.h"

namespace hero {
namespace {

using testing_util::Buffers;
using testing_util::Make;
using testing_util::SameBits;
using testing_util::Ulps;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

bool SameValue(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || SameBits(a, b);
}

bool IsEigenBased(OpCode op) {
  switch (op) {
    case OpCode::kExp:
    case OpCode::kExpm1:
    case OpCode::kLog:
    case OpCode::kLog2:
    case OpCode::kLog1p:
    case OpCode::kSin:
    case OpCode::kCos:
    case OpCode::kTanh:
      return true;
    default:
      return false;
  }
}

double UlpTolerance(OpCode op) { return op == OpCode::kTanh ? 5.0 : 3.0; }

// The closed form, in float, of the ops that must match bit for bit.
float Exact(OpCode op, float x, float y, float a) {
  switch (op) {
    case OpCode::kAdd:
      return x + y;
    case OpCode::kSub:
      return x - y;
    case OpCode::kMul:
      return x * y;
    case OpCode::kDiv:
      return x / (y + 1e-8f);
    case OpCode::kMax:
      return std::isnan(x) || std::isnan(y) ? kNaN : (x < y ? y : x);
    case OpCode::kMin:
      return std::isnan(x) || std::isnan(y) ? kNaN : (y < x ? y : x);
    case OpCode::kPower:
      return std::pow(x, y);
    case OpCode::kInterpolate:
      return (1.0f - a) * x + a * y;
    case OpCode::kAbs:
      return std::fabs(x);
    case OpCode::kTan:
      return std::tan(x);
    case OpCode::kArcsin:
      return std::asin(x);
    case OpCode::kArccos:
      return std::acos(x);
    case OpCode::kArctan:
      return std::atan(x);
    case OpCode::kSinh:
      return std::sinh(x);
    case OpCode::kCosh:
      return std::cosh(x);
    case OpCode::kArcsinh:
      return std::asinh(x);
    case OpCode::kArccosh:
      return std::acosh(x);
    case OpCode::kArctanh:
      return std::atanh(x);
    case OpCode::kExp2:
      return std::exp2(x);
    case OpCode::kExp10:
      return exp10f(x);
    case OpCode::kLog10:
      return std::log10(std::fabs(x));
    case OpCode::kSquare:
      return x * x;
    case OpCode::kSqrt:
      return std::sqrt(std::fabs(x));
    case OpCode::kCube:
      return x * x * x;
    case OpCode::kCbrt:
      return std::cbrt(x);
    case OpCode::kSign:
      return std::isnan(x) ? kNaN : (x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f));
    case OpCode::kReciprocal:
      return 1.0f / (x + 1e-8f);
    case OpCode::kNegative:
      return -x;
    default:
      ADD_FAILURE() << "no closed form for " << GetOpInfo(op).name;
      return 0.0f;
  }
}

// The exact value, in double, of the Eigen-based ops.
double Precise(OpCode op, float xf) {
  const double x = xf;
  switch (op) {
    case OpCode::kExp:
      return std::exp(x);
    case OpCode::kExpm1:
      return std::expm1(x);
    case OpCode::kLog:
      return std::log(std::fabs(x));
    case OpCode::kLog2:
      return std::log2(std::fabs(x));
    case OpCode::kLog1p:
      // log|1 + x|, with 1 + x rounded in float as the op does below -1.
      return x >= -1.0 ? std::log1p(x)
                       : std::log(std::fabs(static_cast<double>(1.0f + xf)));
    case OpCode::kSin:
      return std::sin(x);
    case OpCode::kCos:
      return std::cos(x);
    case OpCode::kTanh:
      return std::tanh(x);
    default:
      ADD_FAILURE() << "no reference for " << GetOpInfo(op).name;
      return 0.0;
  }
}

std::vector<OpCode> ElementwiseOps() {
  std::vector<OpCode> ops;
  for (int i = 0; i < kNumOps; ++i) {
    const OpCode op = static_cast<OpCode>(i);
    if (GetOpInfo(op).kind == OpKind::kElementwise) ops.push_back(op);
  }
  return ops;
}

const std::vector<float> kUnaryValues = {
    0.0f,   -0.0f,  1.0f,   -1.0f,  0.5f,    -0.5f,  2.0f,  -3.0f,
    1e-3f,  -1e-3f, 1e-30f, 1e-40f, -1e-40f, 0.999f, 1.5f,  10.0f,
    -10.0f, 88.0f,  -88.0f, 100.0f, -100.0f, 1e10f,  1e30f, -1e30f,
    3e38f,  -3e38f, kInf,   -kInf,  kNaN};
const std::vector<float> kBinaryValues = {0.0f,  -0.0f, 1.0f,   -1.0f, 0.5f,
                                          -2.5f, 3.0f,  1e-20f, 1e30f, -1e30f,
                                          kInf,  -kInf, kNaN};
const std::vector<float> kInterpolateValues = {0.0f,  1.0f, -1.0f, 0.25f,
                                               1e30f, kInf, kNaN};
const std::vector<float> kInterpolateWeights = {0.0f,  0.1f, 0.9f, 1.0f,
                                                -1.0f, 2.0f, kNaN};

// The argument tuples an op is tested on.
std::vector<std::array<float, 3>> Cases(OpCode op) {
  std::vector<std::array<float, 3>> cases;
  switch (GetOpInfo(op).arity) {
    case 1:
      for (float x : kUnaryValues) cases.push_back({x, 0.0f, 0.0f});
      break;
    case 2:
      for (float x : kBinaryValues) {
        for (float y : kBinaryValues) cases.push_back({x, y, 0.0f});
      }
      break;
    default:
      for (float x : kInterpolateValues) {
        for (float y : kInterpolateValues) {
          for (float a : kInterpolateWeights) cases.push_back({x, y, a});
        }
      }
  }
  return cases;
}

// update = op(g, m, v), the first arity of them.
Program TensorStatement(OpCode op) {
  Program p;
  const int update = p.AddVariable("update");
  Statement s;
  s.op = op;
  s.out = static_cast<int16_t>(update);
  for (int i = 0; i < GetOpInfo(op).arity; ++i) s.args[i] = Arg::Var(kG + i);
  p.statements.push_back(s);
  return p;
}

// s = op(lr, λ, c) (the first arity of them, c a literal); update = w * s.
Program ScalarStatement(OpCode op, float c) {
  Program p;
  const int s = p.AddVariable("s");
  const int update = p.AddVariable("update");
  const Arg args[3] = {Arg::Var(kLr), Arg::Var(kLam), Arg::Literal(c)};
  Statement st;
  st.op = op;
  st.out = static_cast<int16_t>(s);
  for (int i = 0; i < GetOpInfo(op).arity; ++i) st.args[i] = args[i];
  p.statements.push_back(st);
  p.statements.push_back(
      Statement::Make(OpCode::kMul, update, {Arg::Var(kW), Arg::Var(s)}));
  return p;
}

void ExpectCloseForm(OpCode op, const std::array<float, 3>& c, float got,
                     const std::string& where) {
  const std::string args = ::testing::PrintToString(c);
  if (IsEigenBased(op)) {
    EXPECT_LE(Ulps(got, Precise(op, c[0])), UlpTolerance(op))
        << where << " " << GetOpInfo(op).name << args << " = " << got
        << ", exact " << Precise(op, c[0]);
  } else {
    const float want = Exact(op, c[0], c[1], c[2]);
    EXPECT_TRUE(SameValue(got, want))
        << where << " " << GetOpInfo(op).name << args << " = " << got
        << ", want " << want;
  }
}

TEST(OpsTest, TensorAndScalarStatementsMatchTheClosedForm) {
  for (OpCode op : ElementwiseOps()) {
    const std::vector<std::array<float, 3>> cases = Cases(op);
    const int64_t n = static_cast<int64_t>(cases.size());
    const ParameterLayout layout = ParameterLayout::Single(n);
    Buffers b(n);
    for (int64_t i = 0; i < n; ++i) {
      b.g[i] = cases[i][0];
      b.m[i] = cases[i][1];
      b.v[i] = cases[i][2];
    }
    std::unique_ptr<Interpreter> tensor = Make(TensorStatement(op), layout);
    ASSERT_NE(tensor, nullptr);
    tensor->Step(b.step(), {0.0f, 0.0f}, /*apply_update=*/false);
    const std::vector<float> tensor_result = b.update;

    for (int64_t i = 0; i < n; ++i) {
      ExpectCloseForm(op, cases[i], tensor_result[i], "tensor");
      // The same values as a scalar-only statement: s = op(lr, λ, c).
      std::unique_ptr<Interpreter> scalar =
          Make(ScalarStatement(op, cases[i][2]), ParameterLayout::Single(1));
      ASSERT_NE(scalar, nullptr);
      Buffers one(1);
      one.w[0] = 1.0f;
      scalar->Step(one.step(), {cases[i][0], cases[i][1]}, false);
      EXPECT_TRUE(SameValue(one.update[0], tensor_result[i]))
          << GetOpInfo(op).name << ::testing::PrintToString(cases[i])
          << ": scalar " << one.update[0] << ", tensor " << tensor_result[i];
    }
  }
}

// Many values per Eigen-based op, over the whole float range.
TEST(OpsTest, EigenBasedOpsStayWithinTheirUlpBoundEverywhere) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::vector<float> xs;
  for (int i = 0; i < 4000; ++i) xs.push_back(unit(rng));
  for (int i = 0; i < 4000; ++i) xs.push_back(100.0f * unit(rng));
  for (int i = 0; i < 8000; ++i) {
    xs.push_back(std::ldexp(unit(rng), static_cast<int>(rng() % 270) - 145));
  }
  const int64_t n = static_cast<int64_t>(xs.size());
  for (OpCode op : ElementwiseOps()) {
    if (!IsEigenBased(op)) continue;
    Buffers b(n);
    b.g = xs;
    std::unique_ptr<Interpreter> interp =
        Make(TensorStatement(op), ParameterLayout::Single(n));
    ASSERT_NE(interp, nullptr);
    interp->Step(b.step(), {0.0f, 0.0f}, false);
    double worst = 0.0;
    float worst_x = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
      const double e = Ulps(b.update[i], Precise(op, xs[i]));
      if (e > worst) {
        worst = e;
        worst_x = xs[i];
      }
    }
    EXPECT_LE(worst, UlpTolerance(op))
        << GetOpInfo(op).name << " at " << worst_x;
  }
}

// update = op(...) with a scalar (λ or a literal) in argument position `k`
// equals the all-tensor statement whose tensor there holds the scalar.
TEST(OpsTest, ScalarsBroadcastInEveryArgumentPosition) {
  const int64_t n = 1000;  // Not a multiple of the block size.
  Buffers base = Buffers::Random(n, 3);
  for (int64_t i = 0; i < n; i += 17) base.g[i] = kNaN;
  for (int64_t i = 5; i < n; i += 23) base.m[i] = 0.0f;
  for (int64_t i = 0; i < n; ++i) base.v[i] = 0.5f * base.v[i] + 0.1f;
  const ParameterLayout layout = ParameterLayout::Single(n);
  for (OpCode op : ElementwiseOps()) {
    const int arity = GetOpInfo(op).arity;
    if (arity < 2) continue;
    for (int k = 0; k < arity; ++k) {
      for (float lam : {-2.5f, 0.0f, 0.9f, kInf, kNaN}) {
        for (bool literal : {false, true}) {
          Program p = TensorStatement(op);
          p.statements[0].args[k] =
              literal ? Arg::Literal(lam) : Arg::Var(kLam);
          Buffers b = base;
          std::unique_ptr<Interpreter> broadcast = Make(p, layout);
          ASSERT_NE(broadcast, nullptr);
          broadcast->Step(b.step(), {0.0f, lam}, false);

          Buffers full = base;
          std::vector<float>* tensors[3] = {&full.g, &full.m, &full.v};
          std::fill(tensors[k]->begin(), tensors[k]->end(), lam);
          std::unique_ptr<Interpreter> reference =
              Make(TensorStatement(op), layout);
          reference->Step(full.step(), {0.0f, 0.0f}, false);
          for (int64_t i = 0; i < n; ++i) {
            ASSERT_TRUE(SameValue(b.update[i], full.update[i]))
                << GetOpInfo(op).name << " scalar " << lam << " at argument "
                << k << (literal ? " (literal)" : " (λ)") << ", element " << i;
          }
        }
      }
    }
  }
}

TEST(OpsTest, SignOfZeroIsPositiveZeroAndOfNaNIsNaN) {
  Buffers b(4);
  b.g = {0.0f, -0.0f, kNaN, -kInf};
  Make(TensorStatement(OpCode::kSign), ParameterLayout::Single(4))
      ->Step(b.step(), {0.0f, 0.0f}, false);
  EXPECT_TRUE(SameBits(b.update[0], 0.0f));
  EXPECT_TRUE(SameBits(b.update[1], 0.0f));
  EXPECT_TRUE(std::isnan(b.update[2]));
  EXPECT_EQ(b.update[3], -1.0f);
}

}  // namespace
}  // namespace hero
