// `hero search` killed with SIGKILL mid-run and resumed: no completed
// evaluation is lost or done twice, and the budget counts both sessions.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

constexpr char kConfig[] = R"(
task {
  name: "tiny"
  data { train_examples: 2000 validation_examples: 500 }
  model { mlp { hidden: 16 } }
  train { steps: 60 batch_size: 32 peak_lr: 0.003 lam: 0.01 }
}
search {
  population_size: 10
  tournament_size: 3
  threads: 2
  max_trained: 80
  log_every: 10
}
)";

int CountLines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// The journal's records as (kind, id, cache_hit) triples, from the text.
struct Counts {
  int trained = 0;
  int children = 0;
  std::set<int64_t> ids;
  bool duplicate = false;
};

Counts Count(const std::string& journal) {
  Counts c;
  for (absl::string_view line :
       absl::StrSplit(journal, '\n', absl::SkipEmpty())) {
    const bool warm = line.find("kind: WARM_START") != absl::string_view::npos;
    const bool child = line.find("kind: CHILD") != absl::string_view::npos;
    if (!warm && !child) continue;
    const size_t at = line.find(" id: ");
    const int64_t id = at == absl::string_view::npos
                           ? 0
                           : std::stoll(std::string(line.substr(at + 5, 12)));
    if (!c.ids.insert(id).second) c.duplicate = true;
    if (child) ++c.children;
    if (line.find("cache_hit: \"") == absl::string_view::npos) ++c.trained;
  }
  return c;
}

TEST(SearchResumeTest, KillNineThenResumeLosesAndRepeatsNothing) {
  const std::string config = TempPath("tiny.textproto");
  const std::string dir = TempPath("run");
  WriteFile(config, kConfig);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string out = TempPath("first.out");
    freopen(out.c_str(), "w", stdout);
    freopen(TempPath("first.err").c_str(), "w", stderr);
    execl("src/cli/hero", "hero", "search", ("--config=" + config).c_str(),
          ("--output_dir=" + dir).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until a good part of the budget is in the journal, then kill -9.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (CountLines(ReadWholeFile(dir + "/journal")) < 30 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the search ended before it was killed";
  const std::string before = ReadWholeFile(dir + "/journal");
  const Counts killed = Count(before);
  ASSERT_GT(killed.trained, 10);
  ASSERT_LT(killed.trained, 80);

  // Without --resume the old run is protected.
  HeroRun again =
      RunHero({"search", "--config=" + config, "--output_dir=" + dir});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("pass --resume"), std::string::npos) << again.err;

  const HeroRun resumed = RunHero(
      {"search", "--config=" + config, "--output_dir=" + dir, "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resumed: "), std::string::npos) << resumed.out;
  const std::string after = ReadWholeFile(dir + "/journal");
  // Every complete record written before the kill is still there, unchanged.
  const size_t last_newline = before.rfind('\n');
  ASSERT_NE(last_newline, std::string::npos);
  EXPECT_EQ(after.substr(0, last_newline + 1),
            before.substr(0, last_newline + 1));
  const Counts done = Count(after);
  EXPECT_FALSE(done.duplicate);
  EXPECT_EQ(done.trained, 80);  // The budget, counting both sessions.
  EXPECT_GE(done.children, killed.children);
  for (const char* f :
       {"best.py", "top.py", "history.csv", "progress.svg", "summary.json"}) {
    EXPECT_FALSE(ReadWholeFile(dir + "/" + f).empty()) << f;
  }
  EXPECT_NE(
      ReadWholeFile(dir + "/summary.json").find("\"evaluations_trained\": 80"),
      std::string::npos);
}

}  // namespace
}  // namespace hero
