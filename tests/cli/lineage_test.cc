// `hero lineage` on a small journal written by the test: the exact report,
// --id, --first, --svg, and the errors (exit status 2).
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"
#include "tests/search/small_run.h"

namespace hero {
namespace {

using testing_util::WriteSmallRun;

constexpr char kWarmStart[] =
    "warm start (id 0): fitness 0.8502\n"
    "  class: other, decoupled weight decay: no sign in the update direction\n"
    "  g2 = square(g)\n"
    "  m = interpolate(g, m, 0.9)\n"
    "  v = interpolate(g2, v, 0.999)\n"
    "  v_sqrt = sqrt(v)\n"
    "  update = m / v_sqrt\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n";

TEST(LineageTest, DefaultIsTheRunsAnswer) {
  const std::string dir = WriteSmallRun(TempPath("run"), true);
  const HeroRun run = RunHero({"lineage", dir});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(
      run.out,
      "lineage of id 3 in " + dir +
          " (the run's answer, best.py): the warm start and 2 mutations\n" +
          kWarmStart +
          "1. id 1 (parent 0) at 3.0 s: modify_arg 2, arg 3: m = "
          "interpolate(g, m, 0.7) (was 0.9)\n"
          "   fitness 0.8510 (+0.0008)\n"
          "   - m = interpolate(g, m, 0.9)\n"
          "   + m = interpolate(g, m, 0.7)\n"
          "2. id 3 (parent 1) at 5.0 s: insert 6: update = sign(update)\n"
          "   fitness 0.8600 (+0.0090)\n"
          "   class: sign_momentum (direction β 0.7, state β 0.7), decoupled "
          "weight decay\n"
          "   + update = sign(update)\n"
          "program (id 3):\n"
          "  g2 = square(g)\n"
          "  m = interpolate(g, m, 0.7)\n"
          "  v = interpolate(g2, v, 0.999)\n"
          "  v_sqrt = sqrt(v)\n"
          "  update = m / v_sqrt\n"
          "  update = sign(update)\n"
          "  wd = w * λ\n"
          "  update = update + wd\n"
          "  update = update * lr\n"
          "first sign-momentum term: step 2 (id 3 at 5.0 s): insert 6: update "
          "= sign(update)\n"
          "first sign momentum: step 2 (id 3 at 5.0 s): insert 6: update = "
          "sign(update)\n"
          "first lion form: none on this lineage\n");
}

TEST(LineageTest, IdFailedChildAndSvg) {
  const std::string dir = WriteSmallRun(TempPath("run_id"), false);
  const std::string svg = TempPath("lineage.svg");
  const HeroRun run = RunHero({"lineage", dir, "--id=2", "--svg=" + svg});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "lineage of id 2 in " + dir +
                " (--id): the warm start and 1 mutation\n" + kWarmStart +
                "1. id 2 (parent 0) at 3.2 s: delete 3: v = interpolate(g2, "
                "v, 0.999)\n"
                "   failed (step 3: training loss nan)\n"
                "   class: other, no weight decay: no sign in the update "
                "direction\n"
                "   - g2 = square(g)\n"
                "   - m = interpolate(g, m, 0.9)\n"
                "   - v = interpolate(g2, v, 0.999)\n"
                "   - v_sqrt = sqrt(v)\n"
                "   - update = m / v_sqrt\n"
                "   - wd = w * λ\n"
                "   - update = update + wd\n"
                "   - update = update * lr\n"
                "   + update = g / w\n"
                "program (id 2):\n"
                "  update = g / w\n"
                "first sign-momentum term: none on this lineage\n"
                "first sign momentum: none on this lineage\n"
                "first lion form: none on this lineage\n");
  const std::string chart = ReadWholeFile(svg);
  EXPECT_EQ(chart.rfind("<svg", 0), 0u);
  EXPECT_NE(chart.find("lineage of candidate 2"), std::string::npos);
  EXPECT_NE(chart.find("fitness along the lineage"), std::string::npos);
}

TEST(LineageTest, DefaultWithoutBestPyAndFirst) {
  const std::string dir = WriteSmallRun(TempPath("run_first"), false);
  HeroRun run = RunHero({"lineage", dir});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("lineage of id 4 in " + dir +
                              " (the best fitness in the journal): the warm "
                              "start and 3 mutations\n",
                          0),
            0u)
      << run.out;
  EXPECT_NE(run.out.find("3. id 4 (parent 3) at 8.2 s: modify_arg 2, arg 3: "
                         "m = interpolate(g, m, 0.8) (was 0.7)\n"
                         "   fitness 0.8650 (+0.0050)\n"
                         "   class: sign_momentum (direction β 0.8, state β "
                         "0.8), decoupled weight decay\n"),
            std::string::npos)
      << run.out;

  run = RunHero({"lineage", dir, "--first=sign_momentum"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("lineage of id 3 in " + dir +
                              " (the first sign_momentum program in the "
                              "journal): the warm start and 2 mutations\n",
                          0),
            0u)
      << run.out;
  run = RunHero({"lineage", dir, "--first=lion_form"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "no lion_form program among the 6 candidates of " + dir + "\n");
}

TEST(LineageTest, Errors) {
  const std::string dir = WriteSmallRun(TempPath("run_errors"), true);
  HeroRun run = RunHero({"lineage", TempPath("nothing")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: " + TempPath("nothing") + ": no such run directory\n");
  EXPECT_EQ(run.out, "");

  run = RunHero({"lineage", dir, "--id=99"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + dir +
                         "/journal: id 99 is not a candidate of this run (6 "
                         "candidates, ids 0..5)\n");

  run = RunHero({"lineage", dir, "--first=signum"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "error: --first must be sign_momentum or lion_form, not "
            "`signum`\n");

  run = RunHero({"lineage", dir, "--id=1", "--first=lion_form"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: --id and --first exclude each other\n");

  run = RunHero({"lineage"});
  EXPECT_EQ(run.exit_code, 2);

  // A record whose program does not parse (a journal written by something
  // else than hero search).
  const std::string bad = WriteSmallRun(TempPath("run_bad_program"), false);
  JournalRecord r =
      testing_util::Candidate(6, 4, "insert 1: update = sign(q)",
                              "def train(w, g, m, v, lr, λ):\n"
                              "  update = sign(q)\n  return update, m, v\n",
                              0.9, 10, "0000000000000006");
  WriteFile(bad + "/journal",
            ReadWholeFile(bad + "/journal") + EncodeJournalLine(r));
  run = RunHero({"lineage", bad});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: " + bad +
                         "/journal: candidate 6:2:17: undefined name `q`\n");

  // A damaged record in the middle of the journal.
  std::string journal = ReadWholeFile(dir + "/journal");
  journal[journal.find("kind: CHILD") + 6] = 'X';
  WriteFile(dir + "/journal", journal);
  run = RunHero({"lineage", dir});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("error: " + dir + "/journal:3: ", 0), 0u) << run.err;
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace hero
