// The functional fingerprint: equal for programs that compute the same
// update, different for programs that do not, stable, and consistent with
// the structural hash.
#include "src/search/fingerprint.h"

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/search/mutator.h"

namespace hero {
namespace {

Program Parse(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

Program Load(const std::string& name) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

uint64_t Fingerprint(const Program& p) {
  static const Fingerprinter* const fingerprinter = new Fingerprinter();
  absl::StatusOr<uint64_t> fp = fingerprinter->Compute(p);
  EXPECT_TRUE(fp.ok()) << fp.status();
  return fp.ok() ? *fp : 0;
}

uint64_t Structural(const Program& p) {
  absl::StatusOr<Analysis> a = Analyze(p);
  EXPECT_TRUE(a.ok()) << a.status();
  return StructuralHash(p, *a);
}

const char kLion[] =
    "  update = interpolate(g, m, 0.9)\n"
    "  update = sign(update)\n"
    "  m = interpolate(g, m, 0.99)\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n";

TEST(FingerprintTest, SumOfEqualTermsEqualsDoubling) {
  const Program sum = Parse(
      "  m = interpolate(g, m, 0.9)\n"
      "  d = m + m\n"
      "  update = d * lr\n");
  const Program twice = Parse(
      "  m = interpolate(g, m, 0.9)\n"
      "  d = 2.0 * m\n"
      "  update = d * lr\n");
  EXPECT_NE(Structural(sum), Structural(twice));
  EXPECT_EQ(Fingerprint(sum), Fingerprint(twice));
}

TEST(FingerprintTest, MultiplyingByOneIsTheIdentity) {
  const Program lion = Parse(kLion);
  const Program with_one = Parse(std::string(kLion) +
                                 "  update = update * 1.0\n"
                                 "  update = 1.0 * update\n");
  EXPECT_NE(Structural(lion), Structural(with_one));
  EXPECT_EQ(Fingerprint(lion), Fingerprint(with_one));
}

TEST(FingerprintTest, DifferentOptimizersDiffer) {
  const uint64_t adamw = Fingerprint(Load("adamw.py"));
  const uint64_t lion = Fingerprint(Load("hero_lion.py"));
  const uint64_t signum = Fingerprint(Load("signum.py"));
  const uint64_t sgd = Fingerprint(Load("sgd_momentum.py"));
  const uint64_t evolved = Fingerprint(Load("evolved.py"));
  EXPECT_NE(adamw, lion);
  EXPECT_NE(lion, signum);
  EXPECT_NE(adamw, sgd);
  EXPECT_NE(evolved, lion);
  EXPECT_NE(evolved, adamw);
}

TEST(FingerprintTest, ChangedConstantDiffers) {
  std::string changed = kLion;
  changed.replace(changed.find("0.9)"), 3, "0.8");
  EXPECT_NE(Fingerprint(Parse(kLion)), Fingerprint(Parse(changed)));
  std::string decay = kLion;
  decay.replace(decay.find("0.99"), 4, "0.98");
  EXPECT_NE(Fingerprint(Parse(kLion)), Fingerprint(Parse(decay)));
}

TEST(FingerprintTest, DeadStateIsIgnored) {
  // v is not a state slot in either program (nothing reads it), but its
  // returned value differs.
  EXPECT_EQ(Fingerprint(Parse(kLion)),
            Fingerprint(Parse(std::string(kLion) + "  v = exp(g)\n")));
}

TEST(FingerprintTest, StateSlotsAreInterchangeable) {
  // Lion keeping its momentum in v instead of m computes the same optimizer;
  // the structural hash tells the slots apart, the fingerprint does not.
  std::string in_v = kLion;
  for (size_t at; (at = in_v.find(", m,")) != std::string::npos;) {
    in_v.replace(at, 4, ", v,");
  }
  in_v.replace(in_v.find("  m = "), 6, "  v = ");
  const Program lion = Parse(kLion);
  const Program lion_v = Parse(in_v);
  EXPECT_NE(Structural(lion), Structural(lion_v));
  EXPECT_EQ(Fingerprint(lion), Fingerprint(lion_v));
}

TEST(FingerprintTest, StableAcrossInstancesAndCalls) {
  const Program adamw = Load("adamw.py");
  Fingerprinter a, b;
  EXPECT_EQ(*a.Compute(adamw), *b.Compute(adamw));
  EXPECT_EQ(*a.Compute(adamw), *a.Compute(adamw));
  // A different seed is a different problem.
  FingerprintOptions other;
  other.seed = 1;
  EXPECT_NE(*a.Compute(adamw), *Fingerprinter(other).Compute(adamw));
}

TEST(FingerprintTest, GoldenValues) {
  // Pinned so that an accidental change of the problem, the quantization or
  // the mixing (which would invalidate stored journals) is noticed. Lion and
  // signum use no libm function, so these are machine-independent.
  EXPECT_EQ(HashToHex(Fingerprint(Load("hero_lion.py"))), "97440031704ab85c");
  EXPECT_EQ(HashToHex(Fingerprint(Load("signum.py"))), "fbe868589f808adc");
}

TEST(FingerprintTest, NonFiniteOutputsAreHashedNotErrors) {
  // arccosh is NaN below 1: every typical-scenario value is NaN.
  const Program a = Parse("  update = arccosh(g)\n");
  const Program b = Parse("  update = arccosh(w)\n");
  const Program c = Parse(
      "  x = exp(g)\n  x = exp(x)\n  x = exp(x)\n"
      "  update = exp(x)\n");                 // Overflows to inf.
  EXPECT_NE(Fingerprint(a), Fingerprint(b));  // The extreme scenario differs.
  EXPECT_NE(Fingerprint(a), Fingerprint(c));
}

TEST(FingerprintTest, StructurallyEqualImpliesFunctionallyEqual) {
  // Among random mutants of AdamW, programs with equal structural hashes
  // must have equal fingerprints; and most structurally different ones
  // compute different functions. (At this seed 2277 of 2824. The merged ones
  // seen are true equivalences on every input — g * λ and g / (1 / λ); a
  // state slot never written stays 0, so m + g is g — or degenerate programs
  // that are NaN everywhere or dominated by a 1e8 term.)
  const Program adamw = Load("adamw.py");
  Mutator mutator(MutatorOptions{});
  std::mt19937_64 rng(31);
  std::map<uint64_t, uint64_t> by_structure;
  std::map<uint64_t, int> functions;
  Program parent = adamw;
  for (int i = 0; i < 3000; ++i) {
    if (i % 20 == 0) parent = adamw;
    absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    static const Fingerprinter* const fingerprinter = new Fingerprinter();
    absl::StatusOr<uint64_t> fp = fingerprinter->Compute(m->child, m->analysis);
    ASSERT_TRUE(fp.ok()) << fp.status();
    auto [it, inserted] = by_structure.emplace(m->hash, *fp);
    EXPECT_EQ(it->second, *fp) << m->description;
    if (inserted) ++functions[*fp];
    parent = std::move(m->child);
  }
  EXPECT_GT(functions.size(), by_structure.size() * 7 / 10)
      << functions.size() << " functions among " << by_structure.size()
      << " structures";
}

TEST(FingerprintTest, Quantization) {
  constexpr int kBits = 13;
  auto q = [](float x) { return QuantizeForFingerprint(x, kBits); };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(q(nan), q(-nan));
  EXPECT_EQ(q(inf), q(inf));
  EXPECT_NE(q(inf), q(-inf));
  EXPECT_NE(q(inf), q(nan));
  EXPECT_EQ(q(std::numeric_limits<float>::max()), q(inf));  // Rounds up.
  EXPECT_NE(q(std::numeric_limits<float>::max()), q(nan));
  EXPECT_EQ(q(0.0f), q(-0.0f));
  EXPECT_EQ(q(0.0f), q(1e-35f));
  EXPECT_EQ(q(0.0f), q(-1e-40f));  // Denormal.
  EXPECT_NE(q(0.0f), q(1e-30f));   // The threshold.
  EXPECT_EQ(q(0.0f), q(std::nextafter(1e-30f, 0.0f)));
  EXPECT_EQ(q(0.0f), q(-std::nextafter(1e-30f, 0.0f)));
  // Within the resolution (2^-13 relative) equal, beyond it different.
  EXPECT_EQ(q(1.0f), q(1.0f + std::ldexp(1.0f, -16)));
  EXPECT_EQ(q(1.0f), q(std::nextafter(1.0f, 0.0f)));  // Rounds up to 1.
  EXPECT_NE(q(1.0f), q(1.001f));
  EXPECT_NE(q(0.9f), q(0.8f));
  EXPECT_NE(q(1.0f), q(-1.0f));
  // Four significant digits: 1234.5 and 1234.6 merge, 1234 and 1236 do not.
  EXPECT_EQ(q(1234.5f), q(1234.55f));
  EXPECT_NE(q(1234.0f), q(1236.0f));
  // All 23 bits: the identity on finite non-tiny values.
  EXPECT_NE(QuantizeForFingerprint(1.0f, 23),
            QuantizeForFingerprint(std::nextafter(1.0f, 2.0f), 23));
}

TEST(FingerprintTest, ValidateOptions) {
  EXPECT_TRUE(ValidateFingerprintOptions(FingerprintOptions{}).ok());
  FingerprintOptions o;
  o.steps = 0;
  o.mantissa_bits = 24;
  const absl::Status s = ValidateFingerprintOptions(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("steps"), absl::string_view::npos);
  EXPECT_NE(s.message().find("mantissa_bits"), absl::string_view::npos);
}

}  // namespace
}  // namespace hero
