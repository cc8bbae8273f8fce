// What ablation tries: removals (first same-type input, or an unassigned
// state slot), never the lr/λ statements, and constant snapping.
#include "src/simplify/ablation_candidates.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/program/printer.h"
#include "tests/simplify/simplify_test_util.h"

namespace hero {
namespace {

using testing_util::Body;
using testing_util::Shipped;
using testing_util::Text;

TEST(SnapConstantTest, FewestDigitsWithinOnePercent) {
  EXPECT_EQ(SnapConstant(0.899f), 0.9f);
  EXPECT_EQ(SnapConstant(1.109f), 1.1f);
  EXPECT_EQ(SnapConstant(-0.899f), -0.9f);
  EXPECT_EQ(SnapConstant(0.99f), 0.99f);  // 1.0 is 1.01% away.
  EXPECT_EQ(SnapConstant(0.98999995f), 0.99f);
  EXPECT_EQ(SnapConstant(0.96000004f), 0.96f);
  EXPECT_EQ(SnapConstant(123.4f), 123.0f);
  EXPECT_EQ(SnapConstant(0.9f), 0.9f);
  EXPECT_EQ(SnapConstant(1e-8f), 1e-8f);
  EXPECT_EQ(SnapConstant(0.0f), 0.0f);
}

TEST(AblationCandidatesTest, HyperparameterStatementsAreTheUsersKnobs) {
  const Program lion = Shipped("hero_lion.py");
  std::vector<bool> reads;
  for (int i = 0; i < static_cast<int>(lion.statements.size()); ++i) {
    reads.push_back(ReadsHyperparameters(lion, i));
  }
  // wd = w * λ; update = update + wd; update = update * lr.
  EXPECT_EQ(reads, (std::vector<bool>{false, false, false, true, true, true}));
  // A statement that merely depends on lr through the data is not a knob.
  const Program p = Body("  a = g * lr\n  update = sign(a)\n");
  EXPECT_TRUE(ReadsHyperparameters(p, 0));
  EXPECT_FALSE(ReadsHyperparameters(p, 1));
}

TEST(AblationCandidatesTest, HeroLionRemovals) {
  absl::StatusOr<std::vector<AblationCandidate>> c =
      AblationCandidates(Shipped("hero_lion.py"), {});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->size(), 3u);
  const std::string tail =
      "  wd = w * λ\n  update = update + wd\n  update = update * lr\n";
  EXPECT_EQ((*c)[0].description, "remove `update = interpolate(g, m, 0.9)`");
  EXPECT_EQ((*c)[0].effect, "its readers read `g`");
  EXPECT_EQ(PrintProgram((*c)[0].program), Text("  update = sign(g)\n" + tail));
  EXPECT_EQ((*c)[1].description, "remove `update = sign(update)`");
  EXPECT_EQ(PrintProgram((*c)[1].program),
            Text("  update = interpolate(g, m, 0.9)\n"
                 "  m = interpolate(g, m, 0.99)\n" +
                 tail));
  // m cannot become g without a copy: the slot keeps its incoming value.
  EXPECT_EQ((*c)[2].description, "remove `m = interpolate(g, m, 0.99)`");
  EXPECT_EQ((*c)[2].effect, "`m` keeps its incoming value");
  EXPECT_EQ(PrintProgram((*c)[2].program),
            Text("  update = interpolate(g, m, 0.9)\n"
                 "  update = sign(update)\n" +
                 tail));
  for (const AblationCandidate& x : *c) {
    EXPECT_EQ(x.kind, AblationCandidate::Kind::kRemove);
  }
}

TEST(AblationCandidatesTest, ConstantsAreSnapped) {
  const Program p = Body(
      "  m = interpolate(g, m, 0.899)\n  update = sign(m)\n"
      "  update = update * 1.0000001\n");
  absl::StatusOr<std::vector<AblationCandidate>> c = AblationCandidates(p, {});
  ASSERT_TRUE(c.ok());
  std::vector<std::string> snaps;
  for (const AblationCandidate& x : *c) {
    if (x.kind == AblationCandidate::Kind::kSnap)
      snaps.push_back(x.description);
  }
  EXPECT_EQ(snaps,
            (std::vector<std::string>{
                "snap 0.899 → 0.9 in `m = interpolate(g, m, 0.899)`",
                "snap 1.0000001 → 1.0 in `update = update * 1.0000001`"}));
  // Snapping 1.0000001 to 1 lets `x * 1 → x` remove the statement.
  EXPECT_EQ(PrintProgram(c->back().program),
            Text("  m = interpolate(g, m, 0.899)\n  update = sign(m)\n"));
}

TEST(AblationCandidatesTest, NotRemovableWithoutACopy) {
  // `update` cannot become `g` itself: there would be no statement for it.
  absl::StatusOr<std::vector<AblationCandidate>> c =
      AblationCandidates(Body("  update = sign(g)\n"), {});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
}

}  // namespace
}  // namespace hero
