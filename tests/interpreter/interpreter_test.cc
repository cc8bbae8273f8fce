// The interpreter's contract: Create's errors, liveness, in-place state,
// apply_update, non-finite detection, determinism, and independence of the
// block size, the layout and the buffers' alignment.
#include "src/interpreter/interpreter.h"

#include <cmath>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/interpreter/test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Buffers;
using testing_util::Make;
using testing_util::SameBits;
using testing_util::Shipped;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

ParameterLayout Segments(std::initializer_list<int64_t> sizes) {
  ParameterLayout layout;
  for (int64_t s : sizes) layout.Add("t", s);
  return layout;
}

TEST(InterpreterTest, CreateRejectsInvalidProgramsAndArguments) {
  const ParameterLayout layout = ParameterLayout::Single(10);
  const char* invalid[] = {
      "  update = foo + g\n",                       // Undefined name.
      "  update = clip_by_global_norm(g, m)\n",     // Tensor as scalar.
      "  x = g * 2\n",                              // No update.
      "  update = lr * 2\n",                        // Scalar update.
      "  x = global_norm(lr)\n  update = g * x\n",  // Scalar as tensor.
  };
  for (const char* body : invalid) {
    absl::StatusOr<std::unique_ptr<Interpreter>> r =
        Interpreter::Create(Body(body), layout);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
  const Program ok = Body("  update = g * lr\n");
  EXPECT_EQ(Interpreter::Create(ok, ParameterLayout()).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (int block_size : {0, -16, 24, 1}) {
    Interpreter::Options options;
    options.block_size = block_size;
    EXPECT_EQ(Interpreter::Create(ok, layout, options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << block_size;
  }
  EXPECT_TRUE(Interpreter::Create(ok, layout).ok());
}

TEST(InterpreterTest, PassCountsOfTheShippedPrograms) {
  const ParameterLayout layout = ParameterLayout::Single(100);
  EXPECT_EQ(Make(Shipped("adamw"), layout)->num_passes(), 1);
  EXPECT_EQ(Make(Shipped("hero_lion"), layout)->num_passes(), 1);
  EXPECT_EQ(Make(Shipped("evolved"), layout)->num_passes(), 2);
}

TEST(InterpreterTest, DeadStatementsDoNotAffectResults) {
  const ParameterLayout layout = Segments({300, 77});
  const std::string live =
      "  m = interpolate(g, m, 0.9)\n  update = sign(m)\n"
      "  update = update * lr\n";
  const std::string with_dead =
      "  junk = log(g)\n  v = v * 0\n  n = global_norm(junk)\n"
      "  m = interpolate(g, m, 0.9)\n  update = sign(m)\n  x = exp(update)\n"
      "  update = update * lr\n  junk = x / n\n";
  Buffers a = Buffers::Random(layout.size(), 1);
  Buffers b = a;
  std::unique_ptr<Interpreter> pa = Make(Body(live), layout);
  std::unique_ptr<Interpreter> pb = Make(Body(with_dead), layout);
  EXPECT_EQ(pb->num_passes(), 1);  // The dead global_norm is not run.
  pa->Step(a.step(), {0.1f, 0.2f}, true);
  pb->Step(b.step(), {0.1f, 0.2f}, true);
  EXPECT_TRUE(SameBits(a.w, b.w));
  EXPECT_TRUE(SameBits(a.m, b.m));
  EXPECT_TRUE(SameBits(a.update, b.update));
  // v is not carried (its incoming value reaches nothing live): untouched.
  EXPECT_TRUE(SameBits(a.v, b.v));
}

// Reference for the in-place test: reads the incoming m after computing
// something else, and swaps information between m and v.
struct InPlaceReference {
  static void Step(Buffers& b, float lr) {
    for (size_t i = 0; i < b.g.size(); ++i) {
      const float x = b.g[i] * 2.0f;
      const float y = b.m[i] + x;                              // Incoming m.
      const float m = (1.0f - 0.9f) * b.g[i] + 0.9f * b.m[i];  // New m.
      const float v = b.m[i] * b.v[i];                         // Incoming m, v.
      const float u = (y + m) * lr;
      b.update[i] = u;
      b.w[i] -= u;
      b.m[i] = v;  // m and v swap roles.
      b.v[i] = m;
    }
  }
};

TEST(InterpreterTest, StateIsUpdatedInPlaceAfterEveryRead) {
  const std::string body =
      "  x = g * 2\n  y = m + x\n  t = interpolate(g, m, 0.9)\n"
      "  s = m * v\n  update = y + t\n  update = update * lr\n"
      "  m = s * 1\n  v = t * 1\n";
  for (const ParameterLayout& layout :
       {ParameterLayout::Single(1000), Segments({1, 7, 1000, 4099})}) {
    for (int block_size : {16, 512}) {
      Buffers got = Buffers::Random(layout.size(), 2);
      Buffers want = got;
      std::unique_ptr<Interpreter> interp =
          Make(Body(body), layout, block_size);
      for (int step = 0; step < 3; ++step) {
        interp->Step(got.step(), {0.5f, 0.0f}, true);
        InPlaceReference::Step(want, 0.5f);
      }
      EXPECT_TRUE(SameBits(got.update, want.update));
      EXPECT_TRUE(SameBits(got.w, want.w));
      EXPECT_TRUE(SameBits(got.m, want.m));
      EXPECT_TRUE(SameBits(got.v, want.v));
    }
  }
}

TEST(InterpreterTest, ApplyUpdateEqualsSubtractingTheUpdate) {
  const ParameterLayout layout = Segments({513, 1, 2000});
  for (const char* name : {"adamw", "hero_lion", "evolved"}) {
    Buffers manual = Buffers::Random(layout.size(), 3);
    Buffers applied = manual;
    std::unique_ptr<Interpreter> a = Make(Shipped(name), layout);
    std::unique_ptr<Interpreter> b = Make(Shipped(name), layout);
    a->Step(manual.step(), {1e-3f, 0.1f}, /*apply_update=*/false);
    for (size_t i = 0; i < manual.w.size(); ++i) {
      manual.w[i] = manual.w[i] - manual.update[i];
    }
    b->Step(applied.step(), {1e-3f, 0.1f}, /*apply_update=*/true);
    EXPECT_TRUE(SameBits(manual.w, applied.w)) << name;
    EXPECT_TRUE(SameBits(manual.update, applied.update)) << name;
    EXPECT_TRUE(SameBits(manual.m, applied.m)) << name;
    EXPECT_TRUE(SameBits(manual.v, applied.v)) << name;
    // Without an update buffer, the same step.
    Buffers bare = Buffers::Random(layout.size(), 3);
    Make(Shipped(name), layout)
        ->Step(bare.step(/*with_update=*/false), {1e-3f, 0.1f}, true);
    EXPECT_TRUE(SameBits(bare.w, applied.w)) << name;
  }
}

// The last pass computes outputs in fused form only where nothing later
// reads what that overwrites: here w and the update are read after the
// update is computed.
TEST(InterpreterTest, OutputsReadAfterTheirStatementStayCorrect) {
  const std::string body =
      "  a = m + v\n  update = g * a\n  update = update * lr\n"
      "  m = w * 2\n  x = update * 3\n  v = x + m\n";
  const ParameterLayout layout = Segments({1000, 37});
  for (bool with_update : {false, true}) {
    Buffers got = Buffers::Random(layout.size(), 10);
    Buffers want = got;
    Make(Body(body), layout)->Step(got.step(with_update), {0.5f, 0.0f}, true);
    for (size_t i = 0; i < want.w.size(); ++i) {
      const float u = (want.g[i] * (want.m[i] + want.v[i])) * 0.5f;
      const float m = want.w[i] * 2.0f;
      want.v[i] = u * 3.0f + m;
      want.m[i] = m;
      want.update[i] = u;
      want.w[i] -= u;
    }
    EXPECT_TRUE(SameBits(got.w, want.w)) << with_update;
    EXPECT_TRUE(SameBits(got.m, want.m)) << with_update;
    EXPECT_TRUE(SameBits(got.v, want.v)) << with_update;
    if (with_update) {
      EXPECT_TRUE(SameBits(got.update, want.update));
    }
  }
}

TEST(InterpreterTest, NonFiniteResultsAreReportedNotFatal) {
  const ParameterLayout layout = Segments({100, 33});
  {
    Buffers b = Buffers::Random(layout.size(), 4);
    b.g[117] = 0.0f;  // log(0) = -inf.
    StepResult r = Make(Body("  update = log(g)\n"), layout)
                       ->Step(b.step(), {0.0f, 0.0f}, true);
    EXPECT_FALSE(r.finite);
    EXPECT_EQ(b.update[117], -std::numeric_limits<float>::infinity());
  }
  {
    Buffers b = Buffers::Random(layout.size(), 4);
    b.g[5] = kNaN;
    StepResult r =
        Make(Shipped("adamw"), layout)->Step(b.step(), {1e-3f, 0.1f}, true);
    EXPECT_FALSE(r.finite);
    EXPECT_TRUE(std::isnan(b.m[5]));
    EXPECT_TRUE(std::isnan(b.w[5]));
  }
  {
    // Only the returned m overflows; update stays finite.
    Buffers b = Buffers::Random(layout.size(), 4);
    b.g[50] = 1e30f;
    StepResult r =
        Make(Body("  c = cube(g)\n  m = m + c\n  update = sign(m)\n"), layout)
            ->Step(b.step(), {0.0f, 0.0f}, true);
    EXPECT_FALSE(r.finite);
  }
  {
    // The same with the program's own reductions in the way.
    Buffers b = Buffers::Random(layout.size(), 4);
    b.g[0] = kNaN;
    StepResult r =
        Make(Shipped("evolved"), layout)->Step(b.step(), {1e-3f, 0.1f}, true);
    EXPECT_FALSE(r.finite);
  }
  Buffers b = Buffers::Random(layout.size(), 4);
  EXPECT_TRUE(Make(Shipped("adamw"), layout)
                  ->Step(b.step(), {1e-3f, 0.1f}, true)
                  .finite);
}

TEST(InterpreterTest, StepsAreDeterministic) {
  const ParameterLayout layout = Segments({1, 7, 1000, 4099});
  const std::string body =
      "  n = norm(g)\n  c = cosine_sim(g, m)\n  m = interpolate(g, m, 0.9)\n"
      "  t = tanh(m)\n  update = t / n\n  update = update * c\n"
      "  update = update * lr\n";
  Buffers a = Buffers::Random(layout.size(), 5);
  Buffers b = a;
  std::unique_ptr<Interpreter> ia = Make(Body(body), layout);
  std::unique_ptr<Interpreter> ib = Make(Body(body), layout);
  for (int step = 0; step < 3; ++step) {
    ia->Step(a.step(), {0.1f, 0.0f}, true);
    ib->Step(b.step(), {0.1f, 0.0f}, true);
  }
  EXPECT_TRUE(SameBits(a.w, b.w));
  EXPECT_TRUE(SameBits(a.m, b.m));
  EXPECT_TRUE(SameBits(a.update, b.update));
}

// Elementwise programs give the same bits whatever the block size, the
// layout's segmentation and the buffers' alignment (kernels never see a
// position-dependent code path).
TEST(InterpreterTest, ElementwiseResultsIgnoreBlockSizeLayoutAndAlignment) {
  const std::string body =
      "  a = exp(g)\n  b = log(m)\n  c1 = sin(a)\n  c2 = cos(b)\n"
      "  c = c1 + c2\n  d = tanh(c)\n  e1 = log1p(g)\n  e2 = expm1(m)\n"
      "  q = e1 * e2\n  f1 = log2(v)\n  f2 = sqrt(v)\n  f = f1 - f2\n"
      "  m = interpolate(g, m, 0.9)\n  v = interpolate(d, v, 0.99)\n"
      "  update = q + f\n  update = update * lr\n";
  const int64_t n = 5107;
  const Buffers start = Buffers::Random(n, 6);
  std::vector<Buffers> results;
  for (const ParameterLayout& layout :
       {ParameterLayout::Single(n), Segments({1, 7, 1000, 4099})}) {
    for (int block_size : {16, 512, 4096}) {
      Buffers b = start;
      Make(Body(body), layout, block_size)->Step(b.step(), {0.1f, 0.0f}, true);
      results.push_back(b);
    }
  }
  // Misaligned buffers: every array starts one float past an aligned address.
  std::vector<std::vector<float>> storage(5, std::vector<float>(n + 1));
  float* p[5];
  const std::vector<float>* src[4] = {&start.w, &start.g, &start.m, &start.v};
  for (int k = 0; k < 5; ++k) {
    p[k] = storage[k].data() + 1;
    if (k < 4) std::copy(src[k]->begin(), src[k]->end(), p[k]);
  }
  Make(Body(body), ParameterLayout::Single(n))
      ->Step({p[0], p[1], p[2], p[3], p[4]}, {0.1f, 0.0f}, true);
  Buffers misaligned(n);
  misaligned.w.assign(p[0], p[0] + n);
  misaligned.m.assign(p[2], p[2] + n);
  misaligned.v.assign(p[3], p[3] + n);
  misaligned.update.assign(p[4], p[4] + n);
  results.push_back(misaligned);

  for (size_t i = 1; i < results.size(); ++i) {
    EXPECT_TRUE(SameBits(results[i].w, results[0].w)) << i;
    EXPECT_TRUE(SameBits(results[i].m, results[0].m)) << i;
    EXPECT_TRUE(SameBits(results[i].v, results[0].v)) << i;
    EXPECT_TRUE(SameBits(results[i].update, results[0].update)) << i;
  }
}

// With reductions, only the sums' rounding may depend on the block size:
// results agree within 1 ulp of the reductions, here 2 ulp of the update.
TEST(InterpreterTest, ReductionResultsDependOnBlockSizeOnlyInTheLastBits) {
  const ParameterLayout layout = Segments({1, 7, 1000, 4099});
  const std::string body =
      "  n = global_norm(g)\n  update = g / n\n  update = update * lr\n";
  const Buffers start = Buffers::Random(layout.size(), 8);
  Buffers a = start, b = start;
  Make(Body(body), layout, 16)->Step(a.step(), {1.0f, 0.0f}, false);
  Make(Body(body), layout, 4096)->Step(b.step(), {1.0f, 0.0f}, false);
  for (int64_t i = 0; i < layout.size(); ++i) {
    ASSERT_LE(testing_util::Ulps(a.update[i], b.update[i]), 2.0) << i;
  }
}

TEST(InterpreterTest, LiteralsAndConstantsAreScalars) {
  Buffers b = Buffers::Random(64, 9);
  const std::vector<float> g = b.g;
  Make(Body("  k = pi * 2\n  update = g * k\n  update = update + eps\n"),
       ParameterLayout::Single(64))
      ->Step(b.step(), {0.0f, 0.0f}, false);
  const float k = static_cast<float>(M_PI) * 2.0f;
  for (int i = 0; i < 64; ++i) {
    EXPECT_TRUE(SameBits(b.update[i], g[i] * k + 1e-8f)) << i;
  }
}

}  // namespace
}  // namespace hero
