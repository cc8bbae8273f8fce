// The shipped configs parse and validate; bad configs are reported with
// their location or every field path at once, with exit status 2.
#include <string>

#include "gtest/gtest.h"
#include "src/cli/config_io.h"
#include "src/search/search_options.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

class ShippedConfigTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedConfigTest, IsValid) {
  const std::string path = "configs/" + GetParam();
  absl::StatusOr<SearchConfig> config = ReadSearchConfig(path);
  ASSERT_TRUE(config.ok()) << config.status();
  if (config->has_search()) {
    std::vector<std::string> problems;
    ValidateEvolutionConfig(*config, &problems);
    EXPECT_TRUE(problems.empty()) << problems[0];
  }
}

INSTANTIATE_TEST_SUITE_P(All, ShippedConfigTest,
                         ::testing::Values("quickstart.textproto", "quickstart_long.textproto",
                                           "simplify.textproto",
                                           "mlp.textproto", "vit.textproto",
                                           "paper.textproto",
                                           "discovery.textproto"));

TEST(ConfigTest, SyntaxErrorsAreLocated) {
  const std::string path = TempPath("typo.textproto");
  WriteFile(path, "task {\n  train { stpes: 10 }\n}\n");
  const HeroRun run = RunHero({"eval", "configs/programs/adamw.py",
                               "--config=" + path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + path +
                         ":2:16: Message type \"hero.TrainConfig\" has no "
                         "field named \"stpes\".\n");
}

TEST(ConfigTest, AllRangeProblemsReportedTogether) {
  const std::string path = TempPath("ranges.textproto");
  WriteFile(path,
            "task { data { data_dir: '/nowhere' }\n"
            "       train { steps: 0 batch_size: 99999 } }\n"
            "tune { lr: -1 }\n");
  const HeroRun run = RunHero({"eval", "configs/programs/adamw.py",
                               "--config=" + path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: " + path +
                ": task.data.data_dir: /nowhere: no such directory (install "
                "the data with `apt-get install dataset-fashion-mnist`)\n" +
                path + ": task.train.steps: must be in [1, 100000000], got 0\n" +
                path +
                ": task.train.batch_size: must be in [1, 4096], got 99999\n" +
                path + ": tune.lr[0]: must be in (0, 1000], got -1\n");
}

TEST(ConfigTest, SearchProblemsListedBeforeAnythingRuns) {
  const std::string path = TempPath("search.textproto");
  WriteFile(path, "search { population_size: 1 tournament_size: 4 }\n");
  const std::string dir = TempPath("never");
  const HeroRun run =
      RunHero({"search", "--config=" + path, "--output_dir=" + dir});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: " + path +
                ": search.population_size: must be in [2, 1000000], got 1\n" +
                path + ": search.tournament_size: must be in [1, 1], got 4\n" +
                path +
                ": search: set a budget (max_trained, max_generated or "
                "max_seconds)\n");
  EXPECT_EQ(ReadWholeFile(dir + "/journal"), "");  // Nothing was created.
}

}  // namespace
}  // namespace hero
