// The structural hash: invariant under renaming, reordering, dead code and
// commutation; sensitive to constants, ops and edges.
#include "src/program/structural_hash.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

uint64_t HashOf(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  absl::StatusOr<Analysis> a = Analyze(*p);
  EXPECT_TRUE(a.ok()) << a.status();
  return StructuralHash(*p, *a);
}

const char kLion[] =
    "  update = interpolate(g, m, 0.9)\n"
    "  update = sign(update)\n"
    "  m = interpolate(g, m, 0.99)\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n";

TEST(StructuralHashTest, InvariantUnderRenaming) {
  EXPECT_EQ(HashOf(kLion), HashOf("  c = interpolate(g, m, 0.9)\n"
                                  "  s = sign(c)\n"
                                  "  m = interpolate(g, m, 0.99)\n"
                                  "  decay = w * λ\n"
                                  "  t = s + decay\n"
                                  "  update = t * lr\n"));
}

TEST(StructuralHashTest, InvariantUnderReorderingIndependentStatements) {
  EXPECT_EQ(HashOf(kLion), HashOf("  wd = w * λ\n"
                                  "  update = interpolate(g, m, 0.9)\n"
                                  "  update = sign(update)\n"
                                  "  update = update + wd\n"
                                  "  m = interpolate(g, m, 0.99)\n"
                                  "  update = update * lr\n"));
}

TEST(StructuralHashTest, InvariantUnderDeadCode) {
  EXPECT_EQ(HashOf(kLion), HashOf(std::string("  junk = exp(w)\n") + kLion +
                                  "  junk2 = junk * g\n"
                                  "  v = v + g\n"));  // v is a dead slot.
}

TEST(StructuralHashTest, InvariantUnderCommutation) {
  EXPECT_EQ(HashOf(kLion), HashOf("  update = interpolate(g, m, 0.9)\n"
                                  "  update = sign(update)\n"
                                  "  m = interpolate(g, m, 0.99)\n"
                                  "  wd = λ * w\n"
                                  "  update = wd + update\n"
                                  "  update = lr * update\n"));
  EXPECT_EQ(HashOf("  update = max(g, m)\n  m = min(g, w)\n"),
            HashOf("  update = max(m, g)\n  m = min(w, g)\n"));
}

TEST(StructuralHashTest, SensitiveToConstantsOpsAndEdges) {
  const uint64_t lion = HashOf(kLion);
  std::string changed = kLion;
  changed.replace(changed.find("0.99"), 4, "0.98");
  EXPECT_NE(lion, HashOf(changed));
  // interpolate is not commutative.
  EXPECT_NE(HashOf("  update = interpolate(g, m, 0.9)\n"),
            HashOf("  update = interpolate(m, g, 0.9)\n"));
  EXPECT_NE(HashOf("  update = g - m\n"), HashOf("  update = m - g\n"));
  EXPECT_NE(HashOf("  update = sign(g)\n"), HashOf("  update = abs(g)\n"));
  EXPECT_NE(HashOf("  update = sign(g)\n"), HashOf("  update = sign(w)\n"));
  // Same update, but m changes: the state slot is live in both.
  EXPECT_NE(HashOf("  update = sign(m)\n  m = m + g\n"),
            HashOf("  update = sign(m)\n  m = m - g\n"));
}

TEST(StructuralHashTest, HexIsSixteenDigits) {
  EXPECT_EQ(HashToHex(0x1234), "0000000000001234");
  EXPECT_EQ(HashToHex(HashOf(kLion)).size(), 16u);
}

}  // namespace
}  // namespace hero
