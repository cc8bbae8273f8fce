// EvolutionSearch on a synthetic fitness: it finds the known optimum, the
// journal replays to exactly the same population, torn records are
// recovered, and bad situations are reported.
#include "src/search/search.h"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/evaluation/local_pool.h"
#include "src/search/search_options.h"
#include "tests/search/synthetic_evaluator.h"

namespace hero {
namespace {

SearchConfig Config(int64_t max_generated, int population = 50) {
  SearchConfig c;
  EvolutionConfig* s = c.mutable_search();
  s->set_warm_start("configs/programs/adamw.py");
  s->set_population_size(population);
  s->set_tournament_size(5);
  s->set_max_generated(max_generated);
  s->set_seed(17);
  s->set_log_every(1000000);
  return c;
}

std::string Dir(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

std::unique_ptr<LocalEvaluationPool> Pool(int threads) {
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(threads, SyntheticFactory());
  EXPECT_TRUE(pool.ok());
  return *std::move(pool);
}

std::unique_ptr<EvolutionSearch> Make(const SearchConfig& config,
                                      const std::string& dir, bool resume,
                                      EvaluationPool* pool,
                                      std::string* warning = nullptr) {
  EvolutionSearch::Deps deps;
  deps.pool = pool;
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> s =
      EvolutionSearch::Create(config, dir, resume, deps, warning);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SearchTest, FindsTheKnownOptimum) {
  std::unique_ptr<LocalEvaluationPool> pool = Pool(2);
  SearchConfig config = Config(/*max_generated=*/6000, /*population=*/100);
  config.mutable_search()->set_tournament_size(10);
  std::unique_ptr<EvolutionSearch> search =
      Make(config, Dir("optimum"), false, pool.get());
  ASSERT_NE(search, nullptr);
  int calls = 0;
  ASSERT_TRUE(search->Run([&](const SearchProgress&) { ++calls; }).ok());
  const SearchProgress p = search->progress();
  EXPECT_EQ(p.generated, 6000);
  EXPECT_GT(calls, 6000);
  EXPECT_LT(p.warm_start_fitness, 0.8);
  // The exact optimum, two mutations away from AdamW.
  EXPECT_EQ(p.best_fitness, 1.0) << search->answer().program();
  EXPECT_GT(p.cache_hit_rate, 0.1);
  EXPECT_EQ(p.trained + search->cache().stats().structural_hits +
                search->cache().stats().fingerprint_hits,
            p.generated + 1);  // + the warm start.
  // The outputs exist.
  for (const char* f : {"best.py", "top.py", "history.csv", "progress.svg",
                        "summary.json", "journal"}) {
    EXPECT_FALSE(ReadAll(Dir("optimum/") + f).empty()) << f;
  }
  EXPECT_NE(
      ReadAll(Dir("optimum/summary.json")).find("\"evaluations_trained\""),
      std::string::npos);
}

TEST(SearchTest, JournalReplayReproducesThePopulationExactly) {
  std::unique_ptr<LocalEvaluationPool> pool = Pool(2);
  SearchConfig config = Config(400, /*population=*/30);
  config.mutable_search()->set_restart_after(60);
  std::unique_ptr<EvolutionSearch> first =
      Make(config, Dir("replay"), false, pool.get());
  ASSERT_TRUE(first->Run([](const SearchProgress&) {}).ok());
  std::unique_ptr<EvolutionSearch> second =
      Make(config, Dir("replay"), /*resume=*/true, pool.get());
  ASSERT_NE(second, nullptr);
  const auto& a = first->population().members();
  const auto& b = second->population().members();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id) << i;
    EXPECT_EQ(a[i].fitness, b[i].fitness) << i;
    EXPECT_EQ(a[i].hash, b[i].hash) << i;
  }
  const SearchProgress pa = first->progress(), pb = second->progress();
  EXPECT_EQ(pa.trained, pb.trained);
  EXPECT_EQ(pa.generated, pb.generated);
  EXPECT_EQ(pa.best_fitness, pb.best_fitness);
  EXPECT_EQ(pa.restarts, pb.restarts);
}

TEST(SearchTest, ResumeContinuesToTheBudgetWithoutRepeatingWork) {
  std::unique_ptr<LocalEvaluationPool> pool = Pool(2);
  ASSERT_TRUE(Make(Config(150), Dir("resume"), false, pool.get())
                  ->Run([](const SearchProgress&) {})
                  .ok());
  const std::string before = ReadAll(Dir("resume/journal"));
  std::unique_ptr<EvolutionSearch> more =
      Make(Config(300), Dir("resume"), true, pool.get());
  const absl::Status run = more->Run([](const SearchProgress&) {});
  ASSERT_TRUE(run.ok()) << run;
  const std::string after = ReadAll(Dir("resume/journal"));
  EXPECT_EQ(after.substr(0, before.size()), before);  // Nothing rewritten.
  EXPECT_EQ(more->progress().generated, 300);
  std::set<int64_t> ids;
  for (const JournalRecord& r : more->records()) {
    if (r.kind() == JournalRecord::CHILD) {
      EXPECT_TRUE(ids.insert(r.id()).second) << "duplicate id " << r.id();
    }
  }
  EXPECT_EQ(ids.size(), 300u);
}

TEST(SearchTest, TornLastRecordIsDroppedAndCorruptionElsewhereIsAnError) {
  std::unique_ptr<LocalEvaluationPool> pool = Pool(1);
  ASSERT_TRUE(Make(Config(40), Dir("torn"), false, pool.get())
                  ->Run([](const SearchProgress&) {})
                  .ok());
  const std::string path = Dir("torn/journal");
  const std::string good = ReadAll(path);
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "1234abcd kind: CHILD id: 41 parent_i";  // A torn write.
  }
  std::string warning;
  std::unique_ptr<EvolutionSearch> resumed =
      Make(Config(60), Dir("torn"), true, pool.get(), &warning);
  ASSERT_NE(resumed, nullptr);
  EXPECT_NE(warning.find("dropped a torn last record"), std::string::npos)
      << warning;
  EXPECT_EQ(resumed->progress().generated, 40);
  ASSERT_TRUE(resumed->Run([](const SearchProgress&) {}).ok());
  EXPECT_EQ(resumed->progress().generated, 60);
  EXPECT_EQ(ReadAll(path).substr(0, good.size()), good);

  // Damage a record in the middle: an error, and the file is left as is.
  std::string damaged = ReadAll(path);
  const size_t mid = damaged.find("kind: CHILD", damaged.size() / 2);
  damaged[mid + 13] ^= 1;
  { std::ofstream(path, std::ios::binary) << damaged; }
  EvolutionSearch::Deps deps;
  deps.pool = pool.get();
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> bad =
      EvolutionSearch::Create(Config(80), Dir("torn"), true, deps, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("CRC mismatch"), std::string::npos)
      << bad.status();
  EXPECT_EQ(ReadAll(path), damaged);
}

TEST(SearchTest, RefusesToOverwriteOrResumeADifferentSearch) {
  std::unique_ptr<LocalEvaluationPool> pool = Pool(1);
  ASSERT_TRUE(Make(Config(10), Dir("twice"), false, pool.get())
                  ->Run([](const SearchProgress&) {})
                  .ok());
  EvolutionSearch::Deps deps;
  deps.pool = pool.get();
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> again =
      EvolutionSearch::Create(Config(10), Dir("twice"), false, deps, nullptr);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("pass --resume"), std::string::npos);
  SearchConfig other = Config(20);
  other.mutable_search()->set_tournament_size(3);
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> different =
      EvolutionSearch::Create(other, Dir("twice"), true, deps, nullptr);
  ASSERT_FALSE(different.ok());
  EXPECT_NE(different.status().message().find("different config"),
            std::string::npos);
}

// Passes evaluations through to `inner`, except that the chosen submissions
// (0-based, in submission order) come back as worker errors.
class ErrorInjectingPool : public EvaluationPool {
 public:
  ErrorInjectingPool(EvaluationPool* inner, std::function<bool(int64_t)> fail)
      : inner_(inner), fail_(std::move(fail)) {}
  int64_t Submit(EvalRequest request) override {
    return inner_->Submit(std::move(request));
  }
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration timeout) override {
    std::optional<Completed> c = inner_->Next(timeout);
    if (c.has_value() && fail_(c->id)) {
      c->status = absl::UnavailableError("worker w1 died (3 tries)");
      c->result = EvalResult();
      c->evaluated_by = "w1";
      c->attempts = 3;
    }
    return c;
  }
  int pending() const override { return inner_->pending(); }
  int parallelism() const override { return inner_->parallelism(); }
  PoolStats stats() const override {
    PoolStats s;
    s.workers_up = 2;
    s.workers_total = 3;
    s.retries = 7;
    return s;
  }

 private:
  EvaluationPool* inner_;
  std::function<bool(int64_t)> fail_;
};

TEST(SearchTest, WorkerErrorsAreJournaledButNeitherCachedNorAdmitted) {
  std::unique_ptr<LocalEvaluationPool> local = Pool(1);
  // Every 7th submission fails (the warm start, submission 0, does not).
  ErrorInjectingPool pool(local.get(),
                          [](int64_t id) { return id > 0 && id % 7 == 0; });
  SearchConfig config = Config(/*max_generated=*/120, /*population=*/20);
  config.mutable_search()->mutable_cache()->set_enabled(false);
  std::unique_ptr<EvolutionSearch> search =
      Make(config, Dir("errors"), false, &pool);
  ASSERT_NE(search, nullptr);
  ASSERT_TRUE(search->Run([](const SearchProgress&) {}).ok());
  const SearchProgress p = search->progress();
  int errors = 0, children = 0;
  for (const JournalRecord& r : search->records()) {
    if (r.kind() != JournalRecord::CHILD) continue;
    if (r.status() == EvalResult::ERROR) {
      ++errors;
      EXPECT_EQ(r.failure_reason(), "worker w1 died (3 tries)");
      EXPECT_EQ(r.worker(), "w1");
      EXPECT_EQ(r.attempts(), 3);
      EXPECT_EQ(r.fitness(), 0);
      for (const Member& m : search->population().members()) {
        EXPECT_NE(m.id, r.id()) << "an unevaluated candidate was admitted";
      }
    } else {
      ++children;
      EXPECT_EQ(r.worker(), "local");
      EXPECT_EQ(r.attempts(), 1);
    }
  }
  EXPECT_EQ(children, 120);  // The budget counts evaluated children only.
  EXPECT_EQ(p.generated, 120);
  EXPECT_EQ(p.errors, errors);
  EXPECT_EQ(errors, (120 + errors) / 7);  // Submissions 7, 14, ... failed.
  EXPECT_EQ(p.pool.workers_total, 3);
  const std::string summary = ReadAll(Dir("errors/summary.json"));
  EXPECT_NE(summary.find(absl::StrCat("\"evaluation_errors\": ", errors)),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("\"retries\": 7"), std::string::npos) << summary;
  EXPECT_NE(ReadAll(Dir("errors/history.csv")).find(",error,"),
            std::string::npos);

  // Replay agrees: same population, same counters.
  std::unique_ptr<EvolutionSearch> again =
      Make(config, Dir("errors"), /*resume=*/true, &pool);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->progress().generated, 120);
  EXPECT_EQ(again->progress().errors, errors);
  const auto& a = search->population().members();
  const auto& b = again->population().members();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id) << i;
}

TEST(SearchTest, StopsWhenTheWorkersFailOnEveryCandidate) {
  std::unique_ptr<LocalEvaluationPool> local = Pool(1);
  ErrorInjectingPool pool(local.get(), [](int64_t id) { return id > 0; });
  std::unique_ptr<EvolutionSearch> search =
      Make(Config(100), Dir("all_errors"), false, &pool);
  ASSERT_NE(search, nullptr);
  const absl::Status s = search->Run([](const SearchProgress&) {});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("could not evaluate 20 candidates in a row"),
            std::string::npos)
      << s;
  EXPECT_EQ(search->progress().errors, 20);
  EXPECT_EQ(search->progress().generated, 0);
}

TEST(SearchTest, BadConfigListsEveryProblem) {
  SearchConfig c = Config(0, 1);
  c.mutable_search()->set_tournament_size(5);
  c.mutable_search()->set_warm_start("/nonexistent.py");
  std::vector<std::string> problems;
  ValidateEvolutionConfig(c, &problems);
  EXPECT_EQ(problems,
            std::vector<std::string>(
                {"search.warm_start: /nonexistent.py: no such file",
                 "search.population_size: must be in [2, 1000000], got 1",
                 "search.tournament_size: must be in [1, 1], got 5",
                 "search: set a budget (max_trained, max_generated or "
                 "max_seconds)"}));
}

TEST(SearchTest, BadMutationConfigNamesTheField) {
  SearchConfig c = Config(10, 10);
  MutationConfig* m = c.mutable_search()->mutable_mutation();
  m->set_wrap_weight(-1);
  m->set_constant_log2_sigma(0);
  (*m->mutable_op_weights())["sin"] = 0.5;  // Fine.
  (*m->mutable_op_weights())["pi"] = 1;     // A constant, not drawn.
  (*m->mutable_op_weights())["+"] = 1;      // Not a function name.
  (*m->mutable_op_weights())["sign"] = -2;
  std::vector<std::string> problems;
  ValidateEvolutionConfig(c, &problems);
  EXPECT_EQ(problems,
            std::vector<std::string>(
                {"search.mutation.wrap_weight: must be in [0, 1e+06], got -1",
                 "search.mutation.constant_log2_sigma: must be in (0, 10], "
                 "got 0",
                 "search.mutation.op_weights: \"+\" is not the function name "
                 "of an op",
                 "search.mutation.op_weights: \"pi\" is not the function name "
                 "of an op",
                 "search.mutation.op_weights[\"sign\"]: must be in [0, "
                 "1e+06], got -2"}));
  // The valid ones reach the mutator: unlisted ops weigh 1.
  (*m->mutable_op_weights()).erase("pi");
  (*m->mutable_op_weights()).erase("+");
  (*m->mutable_op_weights())["sign"] = 3;
  m->set_wrap_weight(2);
  const MutatorOptions o = MutatorOptionsFrom(c.search());
  EXPECT_EQ(o.wrap_weight, 2);
  ASSERT_EQ(o.op_weights.size(), static_cast<size_t>(kNumOps));
  EXPECT_EQ(o.op_weights[static_cast<int>(OpCode::kSin)], 0.5);
  EXPECT_EQ(o.op_weights[static_cast<int>(OpCode::kSign)], 3);
  EXPECT_EQ(o.op_weights[static_cast<int>(OpCode::kAbs)], 1);
  EXPECT_TRUE(MutatorOptionsFrom(SearchConfig().search()).op_weights.empty());
}

TEST(SearchTest, RequireLrNeedsAWarmStartThatReadsLr) {
  const std::string warm = Dir("fixed_step.py");
  std::ofstream(warm) << "def train(w, g, m, v, lr, λ):\n"
                         "  m = interpolate(g, m, 0.9)\n"
                         "  update = m * 0.2\n"
                         "  return update, m, v\n";
  SearchConfig c = Config(10, 10);
  c.mutable_search()->set_warm_start(warm);
  c.mutable_search()->mutable_mutation()->set_require_lr(true);
  EXPECT_TRUE(MutatorOptionsFrom(c.search()).require_lr);
  EXPECT_FALSE(MutatorOptionsFrom(SearchConfig().search()).require_lr);
  std::unique_ptr<LocalEvaluationPool> pool = Pool(1);
  EvolutionSearch::Deps deps;
  deps.pool = pool.get();
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> s =
      EvolutionSearch::Create(c, Dir("require_lr"), false, deps, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(),
            absl::StrCat("search.mutation.require_lr: the warm start ", warm,
                         " does not read lr"));
  struct stat st;
  EXPECT_NE(stat(Dir("require_lr").c_str(), &st), 0) << "nothing written";
  // AdamW reads lr: the same search starts and runs.
  c.mutable_search()->set_warm_start("configs/programs/adamw.py");
  std::unique_ptr<EvolutionSearch> ok =
      Make(c, Dir("require_lr"), false, pool.get());
  ASSERT_NE(ok, nullptr);
  EXPECT_TRUE(ok->Run([](const SearchProgress&) {}).ok());
}

}  // namespace
}  // namespace hero
