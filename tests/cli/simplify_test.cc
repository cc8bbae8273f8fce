// `hero simplify`: the paper's Step 3 end to end — stdout, derivation,
// -o, errors, --help, and ablation (a tiny task; the real config's run is
// the `manual` test simplify_config_test).
#include <string>

#include "gtest/gtest.h"
#include "src/cli/config_io.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

constexpr char kEvolvedSimplified[] =
    "def train(w, g, m, v, lr, λ):\n"
    "  g = clip_by_global_norm(g, 1.0)\n"
    "  g = arcsin(g)\n"
    "  update = interpolate(g, m, 0.9)\n"
    "  update = sign(update)\n"
    "  m = interpolate(g, m, 0.99)\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n"
    "  return update, m, v\n";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SimplifyCliTest, EvolvedWithoutConfig) {
  const HeroRun run = RunHero({"simplify", "configs/programs/evolved.py"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, kEvolvedSimplified);
  EXPECT_EQ(run.err.rfind("simplify configs/programs/evolved.py: 10 "
                          "statements → 8\n  1. dead-state: `m` is not a "
                          "state slot",
                          0),
            0u)
      << run.err;
  EXPECT_TRUE(Has(run.err,
                  "  2. div-sqrt-square: x / sqrt(square(x)) → sign(x)  "
                  "[exact up to the 1e-8 in division]\n"
                  "       - update = m / m_abs\n"
                  "       + update = sign(m)\n"))
      << run.err;
  EXPECT_TRUE(Has(run.err,
                  "       - v = interpolate(g, m, 1.1)\n"
                  "       + v = interpolate(g, v, 0.99)\n"));
}

TEST(SimplifyCliTest, RenamedReorderedVariantPrintsTheSame) {
  const std::string path = TempPath("variant.py");
  WriteFile(path,
            "# evolved.py renamed, reordered, with dead code and the state\n"
            "# in m instead of v.\n"
            "def train(w, g, m, v):\n"
            "  junk = exp(w)\n"
            "  grad = clip_by_global_norm(g, 1.0)\n"
            "  decay = lam * w\n"
            "  grad = arcsin(grad)\n"
            "  mom = interpolate(grad, m, 0.9)\n"
            "  sq = square(mom)\n"
            "  m = interpolate(grad, mom, 1.1)\n"
            "  mag = sqrt(sq)\n"
            "  v = sign(junk)\n"
            "  step = mom / mag\n"
            "  step = decay + step\n"
            "  update = lr * step\n"
            "  return update, m, v\n");
  const HeroRun run = RunHero({"simplify", path});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, kEvolvedSimplified);
  EXPECT_TRUE(Has(run.err, "       - junk = exp(w)\n")) << run.err;
}

TEST(SimplifyCliTest, OutputFile) {
  const std::string out = TempPath("simplified.py");
  const HeroRun run =
      RunHero({"simplify", "configs/programs/evolved.py", "-o", out});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(ReadWholeFile(out), kEvolvedSimplified);
  // The written program simplifies to itself, with no step.
  const HeroRun again = RunHero({"simplify", out});
  EXPECT_EQ(again.out, kEvolvedSimplified);
  EXPECT_EQ(again.err, "simplify " + out + ": 8 statements → 8\n");
}

TEST(SimplifyCliTest, ExactFlagKeepsTheDivision) {
  const HeroRun run =
      RunHero({"simplify", "configs/programs/evolved.py", "--exact"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(Has(run.out, "  update = t1 / t1_sq_sqrt\n")) << run.out;
  EXPECT_FALSE(Has(run.err, "div-sqrt-square"));
}

TEST(SimplifyCliTest, Errors) {
  const std::string bad = TempPath("bad.py");
  WriteFile(bad,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = sign(q)\n"
            "  return update, m, v\n");
  HeroRun run = RunHero({"simplify", bad});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: " + bad + ":2:17: undefined name `q`\n");

  run = RunHero({"simplify"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero simplify: expected one PROGRAM (see `hero simplify "
            "--help`)\n");

  run =
      RunHero({"simplify", "configs/programs/evolved.py", "--tolerance=0.01"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero simplify: --tolerance needs --config (it is for "
            "ablation)\n");

  const std::string config = TempPath("typo.textproto");
  WriteFile(config, "task {\n  train { stpes: 10 }\n}\n");
  run = RunHero({"simplify", "configs/programs/evolved.py",
                 "--config=" + config, "--tolerance=-1"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero simplify: --tolerance must be >= 0, got -1\n");
  run = RunHero(
      {"simplify", "configs/programs/evolved.py", "--config=" + config});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + config +
                         ":2:16: Message type \"hero.TrainConfig\" has no "
                         "field named \"stpes\".\n");
  EXPECT_EQ(run.out, "");

  run = RunHero({"simplify", TempPath("missing.py")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(Has(run.err, "missing.py")) << run.err;
}

TEST(SimplifyCliTest, Help) {
  HeroRun run = RunHero({"simplify", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.rfind("usage: hero simplify", 0), 0u) << run.out;
  EXPECT_TRUE(Has(run.out, "--tolerance")) << run.out;
  run = RunHero({"--help"});
  EXPECT_TRUE(Has(run.out, "simplify")) << run.out;
}

TEST(SimplifyCliTest, ShippedSimplifyConfigIsValid) {
  absl::StatusOr<SearchConfig> config =
      ReadSearchConfig("configs/simplify.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_GE(config->task().train().seeds_size(), 3);
}

// Ablation on a tiny task: a clamp that never binds costs exactly nothing and
// goes; the lr and λ statements stay; every fitness is reported.
TEST(SimplifyCliTest, AblationOnATinyTask) {
  const std::string config = TempPath("tiny.textproto");
  WriteFile(config,
            "task {\n"
            "  data { train_examples: 2000 validation_examples: 500 }\n"
            "  model { mlp { hidden: 16 } }\n"
            "  train { steps: 60 batch_size: 32 }\n"
            "}\n");
  const std::string program = TempPath("noop.py");
  WriteFile(program,
            "def train(w, g, m, v, lr, λ):\n"
            "  g = max(g, -1000.0)\n"
            "  update = interpolate(g, m, 0.9)\n"
            "  update = sign(update)\n"
            "  m = interpolate(g, m, 0.99)\n"
            "  wd = w * λ\n"
            "  update = update + wd\n"
            "  update = update * lr\n"
            "  return update, m, v\n");
  const HeroRun run = RunHero({"simplify", program, "--config=" + config,
                               "--tolerance=0", "--threads=2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(Has(run.out, "max(")) << run.out;
  EXPECT_TRUE(Has(run.out,
                  "  wd = w * λ\n  update = update + wd\n"
                  "  update = update * lr\n  return update, m, v\n"))
      << run.out;
  EXPECT_TRUE(Has(run.err, "ablation on " + config +
                               ": task (mlp 784-16-10 "
                               "relu): 60 steps x batch 32, 1 seed\n"))
      << run.err;
  EXPECT_TRUE(Has(run.err, "ablation: reference fitness 0.")) << run.err;
  EXPECT_TRUE(Has(run.err,
                  "  1. ablate-remove: remove `g = max(g, -1000.0)`: "
                  "its readers read `g` (fitness 0."))
      << run.err;
  EXPECT_TRUE(Has(run.err, "training runs in")) << run.err;
  EXPECT_FALSE(Has(run.err, "remove `wd = w * λ`"));
}

}  // namespace
}  // namespace hero
