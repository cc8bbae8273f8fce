// `hero show`, `--help` and exit statuses.
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

TEST(ShowTest, PrintsProgram) {
  const HeroRun run = RunHero({"show", "configs/programs/hero_lion.py"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = interpolate(g, m, 0.9)\n"
            "  update = sign(update)\n"
            "  m = interpolate(g, m, 0.99)\n"
            "  wd = w * λ\n"
            "  update = update + wd\n"
            "  update = update * lr\n"
            "  return update, m, v\n");
}

TEST(ShowTest, AnalyzeEvolvedReportsDeadM) {
  const HeroRun run =
      RunHero({"show", "configs/programs/evolved.py", "--analyze"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  m: not a state slot (its incoming value is never "
                         "read, so nothing carries over between steps)\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  v: live (its incoming value is read)\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("  m_abs: tensor\n"), std::string::npos);
  EXPECT_NE(run.out.find("redundant statements: none\n"), std::string::npos);
  EXPECT_NE(run.out.find("\nclass: lion_form (direction β 0.9, state β 0.99), "
                         "decoupled weight decay\nstructural_hash: "),
            std::string::npos)
      << run.out;
  const size_t h = run.out.find("\nstructural_hash: ");
  ASSERT_NE(h, std::string::npos);
  const std::string hex = run.out.substr(h + 18);
  EXPECT_EQ(hex.size(), 17u);  // 16 digits and a newline.
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), 16u);
}

TEST(ShowTest, AnalyzeListsRedundantStatements) {
  const std::string prog = TempPath("dead.py");
  WriteFile(prog,
            "def train(w, g, m, v, lr, λ):\n"
            "  junk = exp(w)\n"
            "  update = sign(g)\n"
            "  return update, m, v\n");
  const HeroRun run = RunHero({"show", prog, "--analyze"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  line 2: junk = exp(w)\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  m: not a state slot"), std::string::npos);
  EXPECT_NE(run.out.find("\nclass: other, no weight decay: the sign reads no "
                         "state (no momentum)\n"),
            std::string::npos)
      << run.out;
}

TEST(ShowTest, TextProtoRoundTrip) {
  const HeroRun run =
      RunHero({"show", "configs/programs/adamw.py", "--format=textproto"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string path = TempPath("adamw.textproto");
  WriteFile(path, run.out);
  const HeroRun back = RunHero({"show", path});
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, RunHero({"show", "configs/programs/adamw.py"}).out);
}

TEST(ShowTest, BadProgramExitsTwoWithLocation) {
  const std::string prog = TempPath("bad.py");
  WriteFile(prog,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = sign(q)\n"
            "  return update, m, v\n");
  const HeroRun run = RunHero({"show", prog});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: " + prog + ":2:17: undefined name `q`\n");
}

TEST(ShowTest, UsageErrors) {
  HeroRun run = RunHero({"show"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunHero({"show", "configs/programs/adamw.py", "--formt=python"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: hero show: unknown flag `--formt` (see `hero show "
            "--help`)\n");
  run = RunHero({"show", "configs/programs/adamw.py", "--format=json"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunHero({"frobnicate"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunHero({"show", "/nonexistent.py"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: /nonexistent.py: No such file or directory\n");
  run = RunHero({"show", "configs/programs"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: configs/programs: is a directory\n");
}

// The input that used to kill `hero show` with SIGSEGV (register indices are
// int16_t): 50,000 distinct names. Now the statement limit stops it.
TEST(ShowTest, FiftyThousandNamesExitTwo) {
  std::string text = "def train(w, g, m, v, lr, λ):\n  update = g * lr\n";
  for (int i = 0; i < 50000; ++i) {
    text += "  t" + std::to_string(i) + " = update * 1.0\n";
  }
  text += "  return update, m, v\n";
  const std::string path = TempPath("many.py");
  WriteFile(path, text);
  HeroRun run = RunHero({"show", path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + path +
                         ":10002:3: more than 10000 statements (the statement "
                         "limit)\n");
  EXPECT_EQ(run.out, "");
}

TEST(ShowTest, ByteOrderMarkIsAccepted) {
  const std::string path = TempPath("bom.py");
  WriteFile(path,
            "\xEF\xBB\xBF"
            "def train(w, g, m, v):\n"
            "  update = sign(g)\n"
            "  return update, m, v\n");
  HeroRun run = RunHero({"show", path});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "def train(w, g, m, v, lr, λ):\n"
            "  update = sign(g)\n"
            "  return update, m, v\n");
}

TEST(ShowTest, HelpEverywhere) {
  HeroRun run = RunHero({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("show"), std::string::npos);
  for (const char* command :
       {"show", "trace", "eval", "tune", "compare", "search", "simplify"}) {
    run = RunHero({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_EQ(run.out.rfind(std::string("usage: hero ") + command, 0), 0u)
        << run.out;
    // A flag whose help states its default shows no sentinel value.
    EXPECT_EQ(run.out.find("(default: -"), std::string::npos) << run.out;
  }
  run = RunHero({"tune", "--help"});
  EXPECT_NE(run.out.find("  --threads=VALUE            evaluations run side by "
                         "side (default: one per core)\n"),
            std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace hero
