// The local evaluation pool with the real proxy evaluator: every submitted
// evaluation comes back exactly once, failures do not stop the pool.
#include "src/evaluation/local_pool.h"

#include <map>
#include <set>

#include "gtest/gtest.h"
#include "src/evaluation/proxy_evaluator.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

TaskSpec SmallTask() {
  TaskConfig config;
  config.mutable_data()->set_train_examples(2000);
  config.mutable_data()->set_validation_examples(500);
  config.mutable_model()->mutable_mlp()->add_hidden(16);
  config.mutable_train()->set_steps(60);
  config.mutable_train()->set_batch_size(32);
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config, "task");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return *spec;
}

Program FromFile(const std::string& name) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

Program FromText(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "x.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(LocalPoolTest, EveryEvaluationComesBackOnceAndFailuresDoNotStopIt) {
  absl::StatusOr<EvaluatorFactory> factory =
      MakeProxyEvaluatorFactory(SmallTask(), /*load_test=*/false);
  ASSERT_TRUE(factory.ok()) << factory.status();
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(2, *factory);
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->parallelism(), 2);
  EXPECT_FALSE((*pool)->Next().has_value());

  const std::vector<Program> programs = {
      FromFile("adamw.py"), FromText("  update = log(m)\n"),
      FromFile("hero_lion.py"), FromText("  update = w * 1e30\n"),
      FromFile("signum.py")};
  const std::vector<bool> should_fail = {false, true, false, true, false};
  std::map<int64_t, int> index_of;
  for (size_t i = 0; i < programs.size(); ++i) {
    EvalRequest request;
    request.program = programs[i];
    request.peak_lr = 1e-3;
    index_of[(*pool)->Submit(request)] = static_cast<int>(i);
  }
  EXPECT_EQ(index_of.begin()->first, 0);
  EXPECT_EQ((*pool)->pending(), 5);
  std::set<int64_t> seen;
  for (int i = 0; i < 5; ++i) {
    std::optional<EvaluationPool::Completed> done = (*pool)->Next();
    ASSERT_TRUE(done.has_value());
    EXPECT_TRUE(seen.insert(done->id).second);
    const int index = index_of.at(done->id);
    EXPECT_EQ(done->result.status() == EvalResult::FAILED, should_fail[index])
        << index << ": " << done->result.failure_reason();
    if (!should_fail[index]) {
      EXPECT_GT(done->result.val_accuracy(), 0.3);
    }
  }
  EXPECT_EQ((*pool)->pending(), 0);
  EXPECT_FALSE((*pool)->Next().has_value());
}

TEST(LocalPoolTest, FactoryErrorsSurfaceAtCreate) {
  EvaluatorFactory broken = []() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
    return absl::NotFoundError("no data");
  };
  absl::StatusOr<std::unique_ptr<LocalEvaluationPool>> pool =
      LocalEvaluationPool::Create(2, broken);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().message(), "no data");
  EXPECT_FALSE(LocalEvaluationPool::Create(0, broken).ok());
}

}  // namespace
}  // namespace hero
