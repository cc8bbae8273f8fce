// The funnel (the paper's meta-validation): the run's answer is the best
// of the top programs and the warm start on the funnel tasks — also when
// that disagrees with the search's ranking — ties keep the search's order,
// a program failing on a funnel task scores 0 there, and a size penalty
// prefers the shorter of two programs that score nearly alike.
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"
#include "src/program/printer.h"
#include "src/search/search.h"
#include "tests/search/synthetic_evaluator.h"

namespace hero {
namespace {

// The small run of run_outputs_test: its search ranking is id 6 (1.0000),
// id 4 (0.9838), id 0 = the warm start (0.7246). They are told apart here
// by one statement each.
enum Who { kId6, kId4, kWarm };

Who Identify(const Program& p) {
  const std::string text = PrintProgram(p);
  if (absl::StrContains(text, "update = update + wd")) return kWarm;
  if (absl::StrContains(text, "update = update + v")) return kId4;
  return kId6;
}

// Scores on one funnel task: a fitness per program; < 0 means it fails.
using Scores = std::map<Who, double>;

class ScoredEvaluator : public Evaluator {
 public:
  explicit ScoredEvaluator(Scores scores) : scores_(std::move(scores)) {}
  EvalResult Evaluate(const EvalRequest& request) override {
    EvalResult r;
    const double f = scores_.at(Identify(request.program));
    if (f < 0) {
      r.set_status(EvalResult::FAILED);
      r.set_failure_reason("diverged on the funnel task");
    } else {
      r.set_status(EvalResult::OK);
      r.set_val_accuracy(f);
    }
    return r;
  }

 private:
  Scores scores_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct FunnelRun {
  std::vector<FunnelEntry> funnel;
  JournalRecord answer;
  std::string best_py;
  std::string summary;
};

// The small search with a funnel of top_k 2 over tasks "a" and "b", scored
// by `a` and `b`, with search.fitness.size_penalty `penalty`.
FunnelRun RunFunnel(const std::string& name, const Scores& a, const Scores& b,
                    double penalty = 0) {
  SearchConfig c;
  c.mutable_task()->set_name("synthetic");
  EvolutionConfig* s = c.mutable_search();
  s->set_warm_start("configs/programs/adamw.py");
  s->set_population_size(4);
  s->set_tournament_size(2);
  s->set_max_generated(6);
  s->set_top_k(3);
  s->set_seed(5);
  s->set_log_every(1000);
  s->mutable_funnel()->set_top_k(2);
  s->mutable_funnel()->add_tasks()->set_name("a");
  s->mutable_funnel()->add_tasks()->set_name("b");
  s->mutable_fitness()->set_size_penalty(penalty);
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  auto pool = *LocalEvaluationPool::Create(1, SyntheticFactory());
  EvolutionSearch::Deps deps;
  deps.pool = pool.get();
  deps.clock = [t = 0.0]() mutable { return t += 0.25; };
  deps.funnel_pool_factory = [&](const TaskConfig& task)
      -> absl::StatusOr<std::unique_ptr<EvaluationPool>> {
    const Scores scores = task.name() == "a" ? a : b;
    absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> p =
        LocalEvaluationPool::Create(
            2, [scores]() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
              return std::unique_ptr<Evaluator>(new ScoredEvaluator(scores));
            });
    if (!p.ok()) return p.status();
    return std::unique_ptr<EvaluationPool>(*std::move(p));
  };
  auto search = *EvolutionSearch::Create(c, dir, false, deps, nullptr);
  const absl::Status status = search->Run([](const SearchProgress&) {});
  EXPECT_TRUE(status.ok()) << status;
  return {search->funnel(), search->answer(), ReadAll(dir + "/best.py"),
          ReadAll(dir + "/summary.json")};
}

std::vector<int64_t> Ids(const std::vector<FunnelEntry>& funnel) {
  std::vector<int64_t> ids;
  for (const FunnelEntry& e : funnel) ids.push_back(e.id);
  return ids;
}

TEST(FunnelTest, TheFunnelOverrulesTheSearchRanking) {
  const FunnelRun r =
      RunFunnel("overrule", {{kId6, 0.5}, {kId4, 0.9}, {kWarm, 0.6}},
                {{kId6, 0.7}, {kId4, 0.8}, {kWarm, 0.6}});
  // Top 2 of the search (ids 6, 4) and the warm start, by funnel fitness.
  EXPECT_EQ(Ids(r.funnel), std::vector<int64_t>({4, 6, 0}));
  EXPECT_DOUBLE_EQ(r.funnel[0].funnel_fitness, 0.85);
  EXPECT_EQ(r.funnel[0].task_fitness, std::vector<double>({0.9, 0.8}));
  EXPECT_DOUBLE_EQ(r.funnel[1].funnel_fitness, 0.6);
  EXPECT_TRUE(r.funnel[2].is_warm_start);
  EXPECT_EQ(r.answer.id(), 4);
  EXPECT_TRUE(absl::StartsWith(
      r.best_py,
      "# the funnel's best; search fitness 0.9838  id 4  structural_hash "
      "7e95a184d08244e5\n"))
      << r.best_py;
  EXPECT_TRUE(absl::StrContains(r.summary, R"("tasks": [
      "a",
      "b"
    ],)"))
      << r.summary;
  EXPECT_TRUE(absl::StrContains(r.summary, R"("answer": {
    "id": 4,)"))
      << r.summary;
}

TEST(FunnelTest, TiesKeepTheSearchOrderAndTheWarmStartLast) {
  const FunnelRun r =
      RunFunnel("ties", {{kId6, 0.7}, {kId4, 0.7}, {kWarm, 0.7}},
                {{kId6, 0.7}, {kId4, 0.7}, {kWarm, 0.7}});
  EXPECT_EQ(Ids(r.funnel), std::vector<int64_t>({6, 4, 0}));
  EXPECT_EQ(r.answer.id(), 6);
}

TEST(FunnelTest, AFailureOnAFunnelTaskScoresZeroThere) {
  // id 6 is best on task b but diverges on task a.
  const FunnelRun r =
      RunFunnel("failure", {{kId6, -1}, {kId4, 0.5}, {kWarm, 0.4}},
                {{kId6, 0.95}, {kId4, 0.5}, {kWarm, 0.4}});
  EXPECT_EQ(Ids(r.funnel), std::vector<int64_t>({4, 6, 0}));
  EXPECT_EQ(r.funnel[1].task_fitness, std::vector<double>({0.0, 0.95}));
  EXPECT_DOUBLE_EQ(r.funnel[1].funnel_fitness, 0.475);
  EXPECT_EQ(r.answer.id(), 4);
}

TEST(FunnelTest, TheSizePenaltyChoosesTheShorterOfTwoNearTies) {
  // id 6 has 6 live statements, id 4 has 7, the warm start 8. The penalty
  // is small enough not to change the search itself (its ranking and ids
  // are those of the run without it).
  const Scores a = {{kId6, 0.7}, {kId4, 0.70005}, {kWarm, 0.6}};
  EXPECT_EQ(RunFunnel("no_penalty", a, a).answer.id(), 4);
  const FunnelRun r = RunFunnel("penalty", a, a, /*penalty=*/0.0001);
  // 0.7 - 6e-4 > 0.70005 - 7e-4.
  EXPECT_EQ(Ids(r.funnel), std::vector<int64_t>({6, 4, 0}));
  EXPECT_EQ(r.answer.id(), 6);
  EXPECT_DOUBLE_EQ(r.funnel[1].funnel_fitness, 0.70005);  // Not penalized.
  EXPECT_EQ(r.funnel[0].live_statements, 6);
}

TEST(FunnelTest, TheWarmStartCanWin) {
  const FunnelRun r =
      RunFunnel("warm", {{kId6, 0.1}, {kId4, 0.2}, {kWarm, 0.3}},
                {{kId6, 0.1}, {kId4, 0.2}, {kWarm, 0.3}});
  EXPECT_EQ(Ids(r.funnel), std::vector<int64_t>({0, 4, 6}));
  EXPECT_EQ(r.answer.id(), 0);
  EXPECT_TRUE(absl::StartsWith(
      r.best_py, "# the funnel's best; search fitness 0.7246  id 0  "))
      << r.best_py;
}

}  // namespace
}  // namespace hero
