// The mutator's statistics and lineages: proposal and acceptance
// frequencies (chi-square), the max_statements limit, validity and novelty
// of every child along a long lineage, the require_lr rule, finite
// constants, determinism, and change-op signatures.
#include "src/search/mutator.h"

#include <array>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/structural_hash.h"
#include "tests/search/mutator_test_util.h"

namespace hero {
namespace {

using testing_util::ExpectWellFormed;
using testing_util::HashOf;
using testing_util::Load;
using testing_util::Parse;
using testing_util::Weights;

// The 0.999 quantile of the chi-square distribution with 4 degrees of
// freedom (5 kinds): a correct sampler exceeds it with probability 1e-3.
constexpr double kChiSquare4Dof999 = 18.467;

// Kind counts per run, as doubles.
std::array<double, kNumMutationKinds> Proposed(const MutatorStats& s) {
  std::array<double, kNumMutationKinds> out;
  for (int k = 0; k < kNumMutationKinds; ++k) out[k] = s.kinds[k].proposed;
  return out;
}
std::array<double, kNumMutationKinds> Accepted(const MutatorStats& s) {
  std::array<double, kNumMutationKinds> out;
  for (int k = 0; k < kNumMutationKinds; ++k) out[k] = s.kinds[k].accepted;
  return out;
}

TEST(MutatorTest, ProposalsFollowTheWeights) {
  // All five kinds apply to AdamW (8 < 30 statements, all live; sqrt,
  // square, +, *, / have same-signature alternatives), so a proposal's kind
  // is k with probability weight_k / 15. With max_retries = 0 every call
  // makes exactly one proposal, so the 20,000 kinds are a multinomial
  // sample of fixed size: a goodness-of-fit test against the weights is
  // exact. (With retries, the number of proposals is a stopping time that
  // depends on the kinds drawn, and the multinomial variance no longer
  // holds.)
  const Program adamw = Load("adamw.py");
  MutatorOptions options = Weights(1, 2, 3, 4, 5);
  options.max_retries = 0;
  Mutator mutator(options);
  std::mt19937_64 rng(20240601);
  int failures = 0;
  for (int i = 0; i < 20000; ++i) failures += !mutator.Mutate(adamw, rng).ok();
  const MutatorStats& stats = mutator.stats();
  EXPECT_EQ(stats.failures, failures);
  const std::array<double, kNumMutationKinds> proposed = Proposed(stats);
  double total = 0, accepted = 0;
  for (int k = 0; k < kNumMutationKinds; ++k) {
    const MutatorStats::PerKind& c = stats.kinds[k];
    EXPECT_EQ(c.proposed, c.accepted + c.invalid + c.same_hash);
    total += proposed[k];
    accepted += c.accepted;
  }
  EXPECT_EQ(total, 20000);
  EXPECT_EQ(accepted + failures, 20000);

  const double weights[kNumMutationKinds] = {1, 2, 3, 4, 5};
  double chi2 = 0;
  for (int k = 0; k < kNumMutationKinds; ++k) {
    const double expected = total * weights[k] / 15.0;
    chi2 += (proposed[k] - expected) * (proposed[k] - expected) / expected;
  }
  EXPECT_LT(chi2, kChiSquare4Dof999) << stats.ToString();
  RecordProperty("chi2", std::to_string(chi2));
}

TEST(MutatorTest, AcceptedKindsFollowWeightsTimesAcceptanceRates) {
  // With retries, the accepted kind is k with probability
  // w_k a_k / sum_j w_j a_j, a_k the acceptance rate of kind k on this
  // parent (proposals are independent; the first accepted one is kept).
  // Single proposals (max_retries = 0) that were accepted are a sample of
  // the same distribution, so the two runs' accepted kinds must pass a
  // chi-square test of homogeneity (2 x 5 table: 4 dof).
  const Program adamw = Load("adamw.py");
  MutatorOptions single_options = Weights(1, 2, 3, 4, 5);
  single_options.max_retries = 0;
  Mutator single(single_options);
  Mutator retrying(Weights(1, 2, 3, 4, 5));
  std::mt19937_64 rng(77);
  for (int i = 0; i < 20000; ++i) (void)single.Mutate(adamw, rng);
  int64_t rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    absl::StatusOr<Mutation> m = retrying.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    rejected += m->rejected_invalid + m->rejected_same_hash;
  }
  const MutatorStats& stats = retrying.stats();
  int64_t proposed = 0;
  for (const auto& k : stats.kinds) proposed += k.proposed;
  EXPECT_EQ(proposed, 20000 + rejected);
  EXPECT_EQ(stats.failures, 0);

  const std::array<double, kNumMutationKinds> rows[2] = {
      Accepted(single.stats()), Accepted(stats)};
  double row_sum[2] = {0, 0}, col_sum[kNumMutationKinds] = {}, total = 0;
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < kNumMutationKinds; ++k) {
      row_sum[r] += rows[r][k];
      col_sum[k] += rows[r][k];
      total += rows[r][k];
    }
  }
  EXPECT_EQ(row_sum[1], 20000);
  double chi2 = 0;
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < kNumMutationKinds; ++k) {
      const double expected = row_sum[r] * col_sum[k] / total;
      ASSERT_GT(expected, 100);  // Every kind is accepted often enough.
      chi2 += (rows[r][k] - expected) * (rows[r][k] - expected) / expected;
    }
  }
  EXPECT_LT(chi2, kChiSquare4Dof999) << single.stats().ToString() << "\n"
                                     << stats.ToString();
  RecordProperty("chi2", std::to_string(chi2));
  RecordProperty("stats", stats.ToString());
}

TEST(MutatorTest, InsertDisabledAtMaxStatements) {
  const Program adamw = Load("adamw.py");  // 8 statements.
  MutatorOptions options;
  options.max_statements = 8;
  Mutator mutator(options);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(adamw, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_NE(m->kind, MutationKind::kInsert);
    EXPECT_LE(m->child.statements.size(), 8u);
  }
  EXPECT_EQ(mutator.stats().of(MutationKind::kInsert).proposed, 0);

  // One below the limit, insert is proposed again.
  options.max_statements = 9;
  Mutator below(options);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(below.Mutate(adamw, rng).ok());
  EXPECT_GT(below.stats().of(MutationKind::kInsert).accepted, 0);
}

TEST(MutatorTest, FullProgramWithDeadCodeMakesRoomToInsert) {
  // 4 statements, one dead (`junk`): at max_statements = 4, an insert drops
  // the dead statement to make room.
  const Program parent = Parse(
      "  junk = exp(w)\n"
      "  m = interpolate(g, m, 0.9)\n"
      "  update = sign(m)\n"
      "  update = update * lr\n");
  MutatorOptions options = Weights(1, 0, 0, 0);
  options.max_statements = 4;
  Mutator mutator(options);
  std::mt19937_64 rng(8);
  for (int i = 0; i < 300; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->child.statements.size(), 4u);
    EXPECT_EQ(m->child.FindVariable("junk"), -1) << m->description;
    EXPECT_NE(m->description.find("dropped dead 1: junk = exp(w)"),
              std::string::npos)
        << m->description;
    ExpectWellFormed(m->child);
  }
}

TEST(MutatorTest, LongLineageStaysValidAndNovel) {
  const Program adamw = Load("adamw.py");
  MutatorOptions options;
  options.max_statements = 20;
  Mutator mutator(options);
  std::mt19937_64 rng(12345);
  Program parent = adamw;
  uint64_t parent_hash = HashOf(parent);
  size_t longest = 0;
  for (int step = 0; step < 10000; ++step) {
    if (step % 1000 == 999) {  // An occasional reset, as after selection.
      parent = adamw;
      parent_hash = HashOf(parent);
    }
    absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
    ASSERT_TRUE(m.ok()) << "step " << step << ": " << m.status() << "\n"
                        << PrintProgram(parent);
    // Independently of what the mutator reports.
    absl::StatusOr<Analysis> a = Analyze(m->child);
    ASSERT_TRUE(a.ok()) << a.status() << "\n" << PrintProgram(m->child);
    const uint64_t hash = StructuralHash(m->child, *a);
    ASSERT_EQ(hash, m->hash);
    ASSERT_NE(hash, parent_hash) << m->description;
    ExpectWellFormed(m->child);
    ASSERT_LE(m->child.statements.size(), 20u);
    longest = std::max(longest, m->child.statements.size());
    if (step % 10 == 0) {  // The child prints as a program that reads back.
      absl::StatusOr<Program> back =
          ParseProgram(PrintProgram(m->child), "child.py");
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(HashOf(*back), hash);
    }
    parent = std::move(m->child);
    parent_hash = hash;
  }
  EXPECT_EQ(mutator.stats().failures, 0);
  EXPECT_GT(longest, 12u);  // The lineage did explore longer programs.
}

TEST(MutatorTest, RequireLrRejectsStepsThatIgnoreLr) {
  // Along the same kind of lineage from AdamW, with and without the rule:
  // without it some children drop lr (e.g. delete `update = update * lr`);
  // with it none does.
  const Program adamw = Load("adamw.py");
  for (bool require : {false, true}) {
    MutatorOptions options;
    options.max_statements = 20;
    options.require_lr = require;
    Mutator mutator(options);
    std::mt19937_64 rng(777);
    Program parent = adamw;
    int ignoring_lr = 0;
    for (int step = 0; step < 3000; ++step) {
      if (step % 100 == 99) parent = adamw;
      absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
      ASSERT_TRUE(m.ok()) << m.status();
      if (!ReadsLive(m->child, m->analysis, kLr)) {
        ++ignoring_lr;
        if (!require) continue;  // Keep the lineage comparable: no parent.
      }
      parent = std::move(m->child);
    }
    if (require) {
      EXPECT_EQ(ignoring_lr, 0);
    } else {
      EXPECT_GT(ignoring_lr, 30) << "the rule would have nothing to reject";
    }
    EXPECT_EQ(mutator.stats().failures, 0);
  }
}

TEST(MutatorTest, ConstantsStayFinite) {
  // Only argument modifications along a lineage: every constant takes a
  // random walk of 2^N(0,1) factors (and fresh N(0,1) draws).
  Program parent = Parse(
      "  m = interpolate(g, m, 0.9)\n"
      "  v = v * 0.5\n"
      "  update = sign(m)\n"
      "  update = update * 2.0\n"
      "  update = update * lr\n");
  Mutator mutator(Weights(0, 0, 1, 0));
  std::mt19937_64 rng(99);
  for (int step = 0; step < 20000; ++step) {
    absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    ExpectWellFormed(m->child);  // Finite, within ±kMaxConstantMagnitude.
    parent = std::move(m->child);
  }
}

TEST(MutatorTest, LargeConstantsAreClamped) {
  // Starting at 5e29, the first factor above 2 would leave the range.
  const Program start = Parse("  update = g * 5e29\n");
  Mutator mutator(Weights(0, 0, 1, 0));
  std::mt19937_64 rng(4);
  int clamped = 0;
  for (int i = 0; i < 400; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(start, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    ExpectWellFormed(m->child);
    const Arg& c = m->child.statements[0].args[1];
    if (c.is_constant() && c.value == kMaxConstantMagnitude) ++clamped;
  }
  // P(2^Z > 2) = P(Z > 1) = 0.159 of the ~half of proposals that hit the
  // constant: ~32 of 400. Fails only if the clamp never engages.
  EXPECT_GT(clamped, 10);
}

TEST(MutatorTest, SameSeedSameChildren) {
  const Program start = Load("adamw.py");
  auto lineage = [&](uint64_t seed) {
    Mutator mutator(MutatorOptions{});
    std::mt19937_64 rng(seed);
    std::vector<std::string> out;
    Program p = start;
    for (int i = 0; i < 300; ++i) {
      absl::StatusOr<Mutation> m = mutator.Mutate(p, rng);
      EXPECT_TRUE(m.ok());
      if (!m.ok()) break;
      out.push_back(m->description + "\n" + PrintProgram(m->child));
      p = std::move(m->child);
    }
    return out;
  };
  const std::vector<std::string> a = lineage(5);
  EXPECT_EQ(a, lineage(5));
  EXPECT_NE(a, lineage(6));
}

TEST(MutatorTest, ChangeOpKeepsTheSignature) {
  const Program parent = Parse(
      "  g = clip_by_global_norm(g, 1.0)\n"
      "  n = norm(g)\n"
      "  c = cosine_sim(g, m)\n"
      "  m = interpolate(g, m, 0.9)\n"
      "  s = sin(m)\n"
      "  update = s / n\n"
      "  update = update * c\n"
      "  update = update * lr\n");
  Mutator mutator(Weights(0, 0, 0, 1));
  std::mt19937_64 rng(3);
  std::set<OpCode> seen;
  for (int i = 0; i < 3000; ++i) {
    absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ(m->kind, MutationKind::kChangeOp);
    ASSERT_EQ(m->child.names, parent.names);
    int changed = 0;
    for (size_t j = 0; j < parent.statements.size(); ++j) {
      const Statement& before = parent.statements[j];
      const Statement& after = m->child.statements[j];
      if (before.SameAs(after)) continue;
      ++changed;
      EXPECT_EQ(static_cast<int>(j), m->statement);
      EXPECT_NE(before.op, after.op);
      const OpInfo& x = GetOpInfo(before.op);
      const OpInfo& y = GetOpInfo(after.op);
      EXPECT_EQ(x.arity, y.arity);
      EXPECT_EQ(x.result, y.result);
      for (int a = 0; a < x.arity; ++a) {
        EXPECT_EQ(x.arg_types[a], y.arg_types[a]);
        EXPECT_EQ(before.args[a], after.args[a]);
      }
      EXPECT_EQ(before.out, after.out);
      seen.insert(after.op);
    }
    EXPECT_EQ(changed, 1);
  }
  // clip, norm and interpolate have no alternative; the others all appear.
  EXPECT_EQ(seen.count(OpCode::kNorm) + seen.count(OpCode::kInterpolate) +
                seen.count(OpCode::kClipByGlobalNorm),
            0u);
  EXPECT_EQ(seen.count(OpCode::kDot), 1u);
  EXPECT_GE(seen.size(), 1u + 27u + 6u);
}

}  // namespace
}  // namespace hero
