// `hero eval`, `hero tune` and `hero compare` on a tiny real proxy.
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

constexpr char kTiny[] =
    "task { name: 'tiny'\n"
    "  data { train_examples: 2000 validation_examples: 500 test_examples: 500 "
    "}\n"
    "  model { mlp { hidden: 16 } }\n"
    "  train { steps: 60 batch_size: 32 peak_lr: 0.003 lam: 0.01 curve_points: "
    "3 } }\n";

std::string TinyConfig() {
  const std::string path = TempPath("tiny.textproto");
  WriteFile(path, kTiny);
  return path;
}

TEST(EvalTest, TextJsonAndCurves) {
  const std::string config = TinyConfig();
  const std::string svg = TempPath("curve.svg");
  HeroRun run = RunHero({"eval", "configs/programs/adamw.py",
                         "--config=" + config, "--curve_svg=" + svg});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("status: ok\nval_accuracy: 0."), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("test_accuracy: 0."), std::string::npos);
  const std::string chart = ReadWholeFile(svg);
  EXPECT_EQ(chart.rfind("<svg", 0), 0u);
  EXPECT_NE(chart.find("validation accuracy"), std::string::npos);

  run = RunHero({"eval", "configs/programs/adamw.py", "--config=" + config,
                 "--json", "--lr=0.001", "--lam=0"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* key :
       {"\"status\":\"ok\"", "\"val_accuracy\":", "\"test_accuracy\":",
        "\"final_loss\":", "\"steps\":60", "\"seconds\":",
        "\"examples_per_second\":", "\"peak_lr\":0.001", "\"lam\":0"}) {
    EXPECT_NE(run.out.find(key), std::string::npos) << key << " in " << run.out;
  }
  EXPECT_EQ(run.out.back(), '\n');
}

TEST(EvalTest, DivergingProgramReportsFailure) {
  const std::string prog = TempPath("diverge.py");
  WriteFile(prog,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = log(m)\n"
            "  return update, m, v\n");
  const HeroRun run =
      RunHero({"eval", prog, "--config=" + TinyConfig(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\"status\":\"failed\""), std::string::npos);
  EXPECT_NE(run.out.find("non-finite"), std::string::npos) << run.out;
}

TEST(EvalTest, BadFlags) {
  HeroRun run = RunHero({"eval", "configs/programs/adamw.py"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunHero({"eval", "configs/programs/adamw.py",
                 "--config=" + TinyConfig(), "--lr=-1"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: hero eval: --lr must be > 0, got -1\n");
  run = RunHero({"eval", "configs/programs/adamw.py", "--config=/nonexistent"});
  EXPECT_EQ(run.exit_code, 2);
}

TEST(TuneTest, GridTableAndBest) {
  const HeroRun run =
      RunHero({"tune", "configs/programs/adamw.py", "--config=" + TinyConfig(),
               "--lr=0.0001,0.003", "--lam=0,0.1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("validation accuracy (rows: peak lr, columns: λ)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("    0.0001 "), std::string::npos);
  EXPECT_NE(run.out.find("*"), std::string::npos);
  EXPECT_NE(run.out.find("best: peak_lr 0.003"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("test_accuracy"), std::string::npos);
}

TEST(TuneTest, JsonHasEveryGridPointWithTestAccuracy) {
  const HeroRun run =
      RunHero({"tune", "configs/programs/adamw.py", "--config=" + TinyConfig(),
               "--lr=0.001,0.003", "--lam=0", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(
      run.out.rfind("{\"program\":\"configs/programs/adamw.py\",\"grid\":[", 0),
      0u)
      << run.out;
  for (const char* key :
       {"{\"peak_lr\":0.001,\"lam\":0,\"status\":\"ok\",\"val_accuracy\":0.",
        "{\"peak_lr\":0.003,\"lam\":0,\"status\":\"ok\",\"val_accuracy\":0.",
        ",\"test_accuracy\":0.", "\"best\":{\"peak_lr\":"}) {
    EXPECT_NE(run.out.find(key), std::string::npos) << key << " in " << run.out;
  }
  // Two grid points and the best: three test accuracies.
  size_t count = 0;
  for (size_t at = run.out.find("test_accuracy"); at != std::string::npos;
       at = run.out.find("test_accuracy", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST(CompareTest, CurvesSideBySide) {
  const std::string svg = TempPath("compare.svg");
  const HeroRun run = RunHero(
      {"compare", "configs/programs/adamw.py", "configs/programs/hero_lion.py",
       "--config=" + TinyConfig(), "--svg=" + svg, "--lr=0.003,0.0003"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("configs/programs/adamw.py"), std::string::npos);
  EXPECT_NE(run.out.find("configs/programs/hero_lion.py"), std::string::npos);
  const std::string chart = ReadWholeFile(svg);
  EXPECT_NE(chart.find("hero_lion.py (lr 0.0003"), std::string::npos);
  EXPECT_NE(chart.find("training loss"), std::string::npos);
  const HeroRun bad = RunHero(
      {"compare", "configs/programs/adamw.py", "configs/programs/hero_lion.py",
       "--config=" + TinyConfig(), "--svg=" + svg, "--lr=1,2,3"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "error: --lr has 3 values for 2 programs (give one value, or one "
            "per program)\n");
}

}  // namespace
}  // namespace hero
