// The files a search leaves, byte for byte, on a small deterministic run
// (one evaluation thread, the synthetic fitness, a fake clock that advances
// 1 ms per reading): best.py, top.py, history.csv and summary.json are the
// product, so their exact contents are the expectation (progress.svg is
// checked by the SVG tests).
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"
#include "src/search/search.h"
#include "tests/search/synthetic_evaluator.h"

namespace hero {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

SearchConfig SmallConfig() {
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
  return c;
}

class RunOutputsTest : public ::testing::Test {
 protected:
  void Run(const SearchConfig& config, const std::string& name) {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
    pool_ = *LocalEvaluationPool::Create(1, SyntheticFactory());
    EvolutionSearch::Deps deps;
    deps.pool = pool_.get();
    deps.clock = [t = 0.0]() mutable { return t += 0.25; };
    absl::StatusOr<std::unique_ptr<EvolutionSearch>> search =
        EvolutionSearch::Create(config, dir_, false, deps, nullptr);
    ASSERT_TRUE(search.ok()) << search.status();
    ASSERT_TRUE((*search)->Run([](const SearchProgress&) {}).ok());
  }
  std::string File(const std::string& name) {
    return ReadAll(dir_ + "/" + name);
  }

  std::string dir_;
  std::unique_ptr<LocalEvaluationPool> pool_;
};

TEST_F(RunOutputsTest, ExactFilesOfASmallDeterministicRun) {
  Run(SmallConfig(), "exact");
  EXPECT_EQ(File("best.py"),
            R"--(# fitness 1.0000  id 6  structural_hash 9b1840184125da59
def train(w, g, m, v, lr, λ):
  g2 = square(g)
  m = interpolate(g, m, 0.9)
  v = interpolate(g2, v, 0.999)
  v_sqrt = sqrt(v)
  update = m / v_sqrt
  wd = w * λ
  update = update * lr
  return update, m, v
)--");
  EXPECT_EQ(File("top.py"),
            R"--(# The top 3 distinct programs of the search, best first.

# rank 1: fitness 1.0000  id 6  structural_hash 9b1840184125da59
def train(w, g, m, v, lr, λ):
  g2 = square(g)
  m = interpolate(g, m, 0.9)
  v = interpolate(g2, v, 0.999)
  v_sqrt = sqrt(v)
  update = m / v_sqrt
  wd = w * λ
  update = update * lr
  return update, m, v

# rank 2: fitness 0.9838  id 4  structural_hash 7e95a184d08244e5
def train(w, g, m, v, lr, λ):
  g2 = square(g)
  m = interpolate(g, m, 0.9)
  v = interpolate(g2, v, 0.999)
  v_sqrt = sqrt(v)
  update = m / v_sqrt
  wd = w * λ
  update = update + v
  update = update * lr
  return update, m, v

# rank 3: fitness 0.7246  id 0  structural_hash c951a3521e7f4327
def train(w, g, m, v, lr, λ):
  g2 = square(g)
  m = interpolate(g, m, 0.9)
  v = interpolate(g2, v, 0.999)
  v_sqrt = sqrt(v)
  update = m / v_sqrt
  wd = w * λ
  update = update + wd
  update = update * lr
  return update, m, v
)--");
  EXPECT_EQ(
      File("history.csv"),
      R"--(id,kind,parent_id,mutation,fitness,status,cache_hit,structural_hash,fingerprint,eval_seconds,elapsed_seconds,live_statements,statements,failure_reason,worker,attempts,peak_lr,seeds,unconfirmed_fitness
0,warm_start,0,warm start,0.724638,ok,,c951a3521e7f4327,83cdd5bff8e1d34c,0.000,0.250,8,8,,local,1,0.001,1,
1,child,0,insert 7: m = g / v_sqrt,0.000724,ok,,93ae9bb87697eecb,351a29c912f4ad82,0.000,1.000,9,9,,local,1,0.001,1,
2,child,0,change_op 4: v_sqrt = cosh(v) (was sqrt),0.097337,ok,,9917da7a02c27ba8,4bca4839f6f0579e,0.000,1.750,8,8,,local,1,0.001,1,
3,child,0,"change_op 8: update = power(update, lr) (was *)",0.000000,failed,,8641bc4c554537e9,1c68467aa60c9629,0.000,2.500,8,8,cannot run or not finite,local,1,0.001,1,
4,child,0,"modify_arg 7, arg 2: update = update + v (was wd)",0.983797,ok,,7e95a184d08244e5,e4b5b93b3bc763be,0.000,3.250,7,8,,local,1,0.001,1,
5,child,3,change_op 1: g2 = cos(g) (was square),0.000000,failed,,581578f0661aa411,4c94badc2e42dd59,0.000,4.000,8,8,cannot run or not finite,local,1,0.001,1,
6,child,4,delete 7: update = update + v,1.000000,ok,,9b1840184125da59,fc3f89611e0bd8f9,0.000,4.750,6,7,,local,1,0.001,1,
)--");
  EXPECT_EQ(File("summary.json"), R"--({
  "task": "synthetic",
  "done": true,
  "evaluations_trained": 7,
  "evaluations_generated": 6,
  "training_runs": 7,
  "confirmed": 0,
  "cache_hit_rate": 0,
  "cache_lookups": 6,
  "cache_structural_hits": 0,
  "cache_fingerprint_hits": 0,
  "warm_start_fitness": 0.7246376686622148,
  "best_fitness": 1,
  "population_median_fitness": 0.49189857832648326,
  "population_redundant_fraction": 0.06451612903225806,
  "restarts": 0,
  "mutation_failures": 0,
  "evaluation_errors": 0,
  "workers": {
    "up": 0,
    "total": 0,
    "retries": 0,
    "exclusions": 0,
    "late_answers_dropped": 0
  },
  "seconds": 5.5,
  "below_chance": {
    "trained": 4,
    "trained_fraction": 0.5714285714285714,
    "training_seconds": 0,
    "training_time_fraction": 0,
    "screened_out": 0,
    "screened_out_fraction": 0
  },
  "mutations": [
    {
      "kind": "change_op",
      "children": 3,
      "trained": 3,
      "broken": 3,
      "broken_fraction": 1,
      "improved": 0
    },
    {
      "kind": "delete",
      "children": 1,
      "trained": 1,
      "broken": 0,
      "broken_fraction": 0,
      "improved": 1
    },
    {
      "kind": "insert",
      "children": 1,
      "trained": 1,
      "broken": 1,
      "broken_fraction": 1,
      "improved": 0
    },
    {
      "kind": "modify_arg",
      "children": 1,
      "trained": 1,
      "broken": 0,
      "broken_fraction": 0,
      "improved": 1
    }
  ],
  "search_ranking": [
    {
      "id": 6,
      "fitness": 1,
      "structural_hash": "9b1840184125da59"
    },
    {
      "id": 4,
      "fitness": 0.9837971566529665,
      "structural_hash": "7e95a184d08244e5"
    },
    {
      "id": 0,
      "fitness": 0.7246376686622148,
      "structural_hash": "c951a3521e7f4327"
    }
  ],
  "funnel": {
    "tasks": [],
    "ranking": []
  },
  "answer": {
    "id": 6,
    "fitness": 1,
    "structural_hash": "9b1840184125da59",
    "program": "def train(w, g, m, v, lr, λ):\n  g2 = square(g)\n  m = interpolate(g, m, 0.9)\n  v = interpolate(g2, v, 0.999)\n  v_sqrt = sqrt(v)\n  update = m / v_sqrt\n  wd = w * λ\n  update = update * lr\n  return update, m, v\n"
  }
}
)--");
}

TEST(TopDistinctTest, SizePenaltyRanksShortProgramsFirst) {
  std::vector<JournalRecord> records;
  auto add = [&](int64_t id, double fitness, int live, const char* hash) {
    JournalRecord r;
    r.set_kind(JournalRecord::CHILD);
    r.set_id(id);
    r.set_fitness(fitness);
    r.set_status(EvalResult::OK);
    r.set_live_statements(live);
    r.set_structural_hash(hash);
    records.push_back(r);
  };
  add(1, 0.900, 12, "a");
  add(2, 0.895, 5, "b");
  add(3, 0.894, 5, "c");
  add(4, 0.894, 5, "c");  // A duplicate of 3: listed once.
  auto ids = [](const std::vector<const JournalRecord*>& top) {
    std::vector<int64_t> out;
    for (const JournalRecord* r : top) out.push_back(r->id());
    return out;
  };
  EXPECT_EQ(ids(TopDistinct(records, 10, 0)), (std::vector<int64_t>{1, 2, 3}));
  // 0.900 - 0.012 = 0.888 < 0.894 - 0.005 < 0.895 - 0.005.
  EXPECT_EQ(ids(TopDistinct(records, 10, 0.001)),
            (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(ids(TopDistinct(records, 1, 0.001)), (std::vector<int64_t>{2}));
}

TEST(SummaryJsonTest, ScreenedOutCandidatesAreCountedApart) {
  std::vector<JournalRecord> records;
  auto add = [&](JournalRecord::Kind kind, double fitness, const char* reason,
                 double seconds, const char* cache_hit = "") {
    JournalRecord r;
    r.set_kind(kind);
    r.set_id(static_cast<int64_t>(records.size()));
    r.set_fitness(fitness);
    r.set_status(*reason ? EvalResult::FAILED : EvalResult::OK);
    r.set_failure_reason(reason);
    r.set_eval_seconds(seconds);
    r.set_cache_hit(cache_hit);
    r.set_mutation("insert 1: ...");
    records.push_back(r);
  };
  add(JournalRecord::WARM_START, 0.84, "", 4);
  add(JournalRecord::CHILD, 0, "screen: step 60: mean training loss 9", 0.5);
  add(JournalRecord::CHILD, 0, "screen: step 2: training loss 1e4 exc", 0.5);
  add(JournalRecord::CHILD, 0, "hurdle: step 30: mean training loss 3", 2);
  add(JournalRecord::CHILD, 0.85, "", 4);
  add(JournalRecord::CHILD, 0.1, "", 4);
  add(JournalRecord::CHILD, 0, "screen: step 60: mean training loss 9", 0,
      "structural");  // A cache hit: not evaluated.
  // A journal header (no candidate) is not counted.
  JournalRecord header;
  header.set_kind(JournalRecord::HEADER);
  records.push_back(header);
  const std::vector<std::pair<int64_t, double>> medians;
  const std::vector<FunnelEntry> funnel;
  RunReport report;
  report.records = &records;
  report.median_history = &medians;
  report.funnel = &funnel;
  const std::string json = SummaryJson(report);
  const size_t at = json.find("  \"below_chance\"");
  ASSERT_NE(at, std::string::npos) << json;
  // 6 evaluated: 2 screened out; of the 4 trained on the task, the hurdle's
  // failure and the 0.1 are below chance; their time and the screens' is
  // 0.5 + 0.5 + 2 + 4 of 15 seconds.
  EXPECT_EQ(json.substr(at, json.find('}', at) + 1 - at),
            R"--(  "below_chance": {
    "trained": 2,
    "trained_fraction": 0.5,
    "training_seconds": 7,
    "training_time_fraction": 0.4666666666666667,
    "screened_out": 2,
    "screened_out_fraction": 0.3333333333333333
  })--");
}

}  // namespace
}  // namespace hero
