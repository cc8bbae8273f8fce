// The shipped configs parse and validate; bad configs are reported with
// their location or every field path at once, with exit status 2.
#include <string>

#include "absl/strings/str_cat.h"
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

INSTANTIATE_TEST_SUITE_P(
    All, ShippedConfigTest,
    ::testing::Values("quickstart.textproto", "quickstart_long.textproto",
                      "simplify.textproto", "mlp.textproto", "vit.textproto",
                      "paper.textproto", "discovery.textproto"));

TEST(ConfigTest, SyntaxErrorsAreLocated) {
  const std::string path = TempPath("typo.textproto");
  WriteFile(path, "task {\n  train { stpes: 10 }\n}\n");
  const HeroRun run =
      RunHero({"eval", "configs/programs/adamw.py", "--config=" + path});
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
  const HeroRun run =
      RunHero({"eval", "configs/programs/adamw.py", "--config=" + path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(
      run.err,
      "error: " + path +
          ": task.data.data_dir: /nowhere: no such directory (install "
          "the data with `apt-get install dataset-fashion-mnist`)\n" +
          path + ": task.train.steps: must be in [1, 100000000], got 0\n" +
          path + ": task.train.batch_size: must be in [1, 4096], got 99999\n" +
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

// proto/search_config.proto promises every problem at once: a config bad in
// both `task` and `search` lists both in one run of `hero search`.
TEST(ConfigTest, TaskAndSearchProblemsInOneRun) {
  const std::string path = TempPath("both.textproto");
  WriteFile(path,
            "task { train { steps: 0 } }\n"
            "search { population_size: 1 max_trained: 10\n"
            "         mutation { max_statements: 10001 } }\n");
  const std::string dir = TempPath("never_both");
  const HeroRun run =
      RunHero({"search", "--config=" + path, "--output_dir=" + dir});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: " + path +
                ": task.train.steps: must be in [1, 100000000], "
                "got 0\n" +
                path +
                ": search.population_size: must be in [2, 1000000], "
                "got 1\n" +
                path + ": search.tournament_size: must be in [1, 1], got 2\n" +
                path +
                ": search.mutation.max_statements: must be in [1, "
                "10000], got 10001\n");
  EXPECT_EQ(ReadWholeFile(dir + "/journal"), "");
}

// Other commands do not use `search`, so they do not check it.
TEST(ConfigTest, SearchSectionCheckedOnlyWhenAsked) {
  const std::string path = TempPath("search_only.textproto");
  WriteFile(path, "search { population_size: 1 }\n");
  EXPECT_TRUE(ReadSearchConfig(path).ok());
  absl::StatusOr<SearchConfig> checked =
      ReadSearchConfig(path, ConfigCheck{/*check_search=*/true});
  EXPECT_EQ(
      std::string(checked.status().message()),
      path + ": search.population_size: must be in [2, 1000000], got 1\n" +
          path + ": search.tournament_size: must be in [1, 1], got 2\n" + path +
          ": search: set a budget (max_trained, max_generated or "
          "max_seconds)");
}

std::string Message(const absl::StatusOr<SearchConfig>& config) {
  return std::string(config.status().message());
}

// `mutation { max_statements: N }` with a budget, for the limit tests.
std::string SearchWithMaxStatements(int n) {
  return absl::StrCat("search { max_trained: 10 mutation { max_statements: ", n,
                      " } }\n");
}

TEST(ConfigLimitsTest, MaxStatementsAtMostTheProgramLimit) {
  const std::string path = TempPath("max_statements.textproto");
  WriteFile(path, SearchWithMaxStatements(10000));
  EXPECT_TRUE(ReadSearchConfig(path, {/*check_search=*/true}).ok());
  WriteFile(path, SearchWithMaxStatements(10001));
  EXPECT_EQ(Message(ReadSearchConfig(path, {/*check_search=*/true})),
            path +
                ": search.mutation.max_statements: must be in [1, 10000], "
                "got 10001");
}

TEST(ConfigLimitsTest, FileSize) {
  const std::string path = TempPath("size.textproto");
  std::string text = "task { name: 'big' }\n";
  while (text.size() + 1000 <= kMaxConfigBytes) {
    text += "#" + std::string(998, 'x') + "\n";
  }
  text += "#" + std::string(kMaxConfigBytes - text.size() - 2, 'x') + "\n";
  ASSERT_EQ(static_cast<int64_t>(text.size()), kMaxConfigBytes);
  WriteFile(path, text);
  absl::StatusOr<SearchConfig> at = ReadSearchConfig(path);
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(at->task().name(), "big");
  WriteFile(path, text + " ");
  const absl::StatusOr<SearchConfig> past = ReadSearchConfig(path);
  EXPECT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(past.status().message()),
            path + ": larger than the config size limit of 1048576 bytes");
}

TEST(ConfigLimitsTest, TuneGridValues) {
  const std::string path = TempPath("grid.textproto");
  std::string at = "tune {";
  for (int i = 0; i < 100; ++i) at += " lr: 0.001 lam: 0.1";
  WriteFile(path, at + " }\n");
  EXPECT_TRUE(ReadSearchConfig(path).ok());
  WriteFile(path, at + " lr: 0.001 lam: 0.1 }\n");
  EXPECT_EQ(Message(ReadSearchConfig(path)),
            path + ": tune.lr: 101 values, more than the grid limit of 100\n" +
                path +
                ": tune.lam: 101 values, more than the grid limit of 100");
}

TEST(ConfigLimitsTest, FunnelTasks) {
  const std::string path = TempPath("funnel.textproto");
  std::string at = "search { max_trained: 10 funnel {";
  for (int i = 0; i < 100; ++i) at += " tasks { name: 'f' }";
  WriteFile(path, at + " } }\n");
  EXPECT_TRUE(ReadSearchConfig(path, {/*check_search=*/true}).ok());
  WriteFile(path,
            at + " tasks { train { steps: 0 } } } population_size: 1 }\n");
  // The limit, and the rest of `search`, but not each of the 101 tasks.
  EXPECT_EQ(Message(ReadSearchConfig(path, {/*check_search=*/true})),
            path +
                ": search.funnel.tasks: 101 tasks, more than the funnel "
                "limit of 100\n" +
                path +
                ": search.population_size: must be in [2, 1000000], "
                "got 1\n" +
                path + ": search.tournament_size: must be in [1, 1], got 2");
}

TEST(ConfigTest, ByteOrderMarkAndDirectory) {
  const std::string path = TempPath("bom.textproto");
  WriteFile(path, "\xEF\xBB\xBFtask { name: 'bom' }\n");
  absl::StatusOr<SearchConfig> config = ReadSearchConfig(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->task().name(), "bom");
  const HeroRun run =
      RunHero({"eval", "configs/programs/adamw.py", "--config=configs"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: configs: is a directory\n");
}

}  // namespace
}  // namespace hero
