// `hero simplify configs/programs/evolved.py
// --config=configs/simplify.textproto` prints the paper's Hero-Lion: the
// acceptance run of the simplifier with ablation on the shipped config. About
// a minute and a half of training on 2 cores (size "large"):
//   bazel test //tests/cli:simplify_config_test
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

TEST(SimplifyConfigTest, EvolvedBecomesHeroLion) {
  const HeroRun run = RunHero({"simplify", "configs/programs/evolved.py",
                               "--config=configs/simplify.textproto"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = interpolate(g, m, 0.9)\n"
            "  update = sign(update)\n"
            "  m = interpolate(g, m, 0.99)\n"
            "  wd = w * λ\n"
            "  update = update + wd\n"
            "  update = update * lr\n"
            "  return update, m, v\n")
      << run.err;
  EXPECT_NE(run.err.find("ablate-remove: remove `g = arcsin(g)`"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("ablate-remove: remove `g = clip_by_global_norm(g, "
                         "1.0)`"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace hero
