// The trainer on real Fashion-MNIST (small subsets so the test is fast):
// learning, determinism, failures.
#include "src/proxy/trainer.h"

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

class TrainerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TaskConfig config;
    config.mutable_data()->set_train_examples(4000);
    config.mutable_data()->set_validation_examples(1000);
    config.mutable_data()->set_test_examples(1000);
    config.mutable_model()->mutable_mlp()->add_hidden(32);
    config.mutable_train()->set_steps(200);
    config.mutable_train()->set_batch_size(32);
    config.mutable_train()->add_seeds(7);
    absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config, "task");
    ASSERT_TRUE(spec.ok()) << spec.status();
    spec_ = new TaskSpec(*spec);
    FashionMnistOptions options = spec->data;
    absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
        LoadSharedFashionMnist(options);
    ASSERT_TRUE(data.ok()) << data.status();
    data_ = new std::shared_ptr<const FashionMnist>(*data);
  }

  static Program Load(const std::string& name) {
    absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }

  std::unique_ptr<Trainer> MakeTrainer(const TaskSpec& spec) {
    absl::StatusOr<std::unique_ptr<Trainer>> t = Trainer::Create(spec, *data_);
    EXPECT_TRUE(t.ok()) << t.status();
    return *std::move(t);
  }

  static TaskSpec* spec_;
  static std::shared_ptr<const FashionMnist>* data_;
};

TaskSpec* TrainerTest::spec_ = nullptr;
std::shared_ptr<const FashionMnist>* TrainerTest::data_ = nullptr;

TEST_F(TrainerTest, AdamWLearns) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  TrainOptions options;
  options.peak_lr = 3e-3;
  options.lam = 0.01;
  options.with_test = true;
  options.curve_points = 4;
  const EvalResult r = trainer->Evaluate(Load("adamw.py"), options);
  ASSERT_EQ(r.status(), EvalResult::OK) << r.failure_reason();
  EXPECT_GT(r.val_accuracy(), 0.70);
  EXPECT_GT(r.test_accuracy(), 0.70);
  EXPECT_LT(r.final_train_loss(), 1.0);
  EXPECT_EQ(r.steps(), 200);
  ASSERT_EQ(r.curve_size(), 4);
  EXPECT_EQ(r.curve(3).step(), 200);
  EXPECT_EQ(r.curve(3).val_accuracy(), r.val_accuracy());
  EXPECT_GT(r.curve(0).train_loss(), r.curve(3).train_loss());
  EXPECT_EQ(r.seed_val_accuracy_size(), 1);
}

TEST_F(TrainerTest, Deterministic) {
  std::unique_ptr<Trainer> a = MakeTrainer(*spec_);
  std::unique_ptr<Trainer> b = MakeTrainer(*spec_);
  TrainOptions options;
  options.peak_lr = 1e-3;
  const EvalResult r1 = a->Evaluate(Load("hero_lion.py"), options);
  const EvalResult r2 = b->Evaluate(Load("hero_lion.py"), options);
  const EvalResult r3 = a->Evaluate(Load("hero_lion.py"), options);
  ASSERT_EQ(r1.status(), EvalResult::OK);
  EXPECT_EQ(r1.val_accuracy(), r2.val_accuracy());
  EXPECT_EQ(r1.final_train_loss(), r2.final_train_loss());
  EXPECT_EQ(r1.final_train_loss(), r3.final_train_loss());
}

TEST_F(TrainerTest, SeedsAverageAndDiffer) {
  TaskSpec spec = *spec_;
  spec.seeds = {1, 2};
  std::unique_ptr<Trainer> trainer = MakeTrainer(spec);
  TrainOptions options;
  options.peak_lr = 3e-3;
  const EvalResult r = trainer->Evaluate(Load("adamw.py"), options);
  ASSERT_EQ(r.status(), EvalResult::OK);
  ASSERT_EQ(r.seed_val_accuracy_size(), 2);
  EXPECT_NE(r.seed_val_accuracy(0), r.seed_val_accuracy(1));
  EXPECT_DOUBLE_EQ(r.val_accuracy(),
                   (r.seed_val_accuracy(0) + r.seed_val_accuracy(1)) / 2);
  EXPECT_EQ(r.steps(), 400);
}

TEST_F(TrainerTest, DivergingProgramFailsWithReason) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = exp(g)\n"  // Finite, but pushes the weights down fast...
      "  update = update * 1e30\n"  // ...far too fast.
      "  return update, m, v\n",
      "diverge.py");
  ASSERT_TRUE(p.ok()) << p.status();
  const EvalResult r = trainer->Evaluate(*p, TrainOptions());
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.val_accuracy(), 0);
  EXPECT_NE(r.failure_reason().find("step "), std::string::npos)
      << r.failure_reason();
}

TEST_F(TrainerTest, NonFiniteUpdateFails) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = log(m)\n"  // m is 0 at step 1: log(0) = -inf.
      "  return update, m, v\n",
      "log.py");
  ASSERT_TRUE(p.ok());
  const EvalResult r = trainer->Evaluate(*p, TrainOptions());
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.failure_reason(),
            "step 1: the optimizer produced a non-finite update, m or v (NaN "
            "or Inf)");
}

TEST_F(TrainerTest, SeedsOverrideEqualsASpecWithThoseSeeds) {
  TaskSpec two = *spec_;
  two.seeds = {3, 11};
  TrainOptions options;
  const EvalResult expected =
      MakeTrainer(two)->Evaluate(Load("signum.py"), options);
  options.seeds = {3, 11};
  const EvalResult r =
      MakeTrainer(*spec_)->Evaluate(Load("signum.py"), options);
  ASSERT_EQ(r.status(), EvalResult::OK) << r.failure_reason();
  EXPECT_EQ(r.val_accuracy(), expected.val_accuracy());
  EXPECT_EQ(r.steps(), 400);
  ASSERT_EQ(r.seed_val_accuracy_size(), 2);
  EXPECT_EQ(r.seed_val_accuracy(1), expected.seed_val_accuracy(1));
}

TEST_F(TrainerTest, HurdleWindow) {
  EXPECT_EQ(HurdleWindowOf(HurdleOptions(), 100).step, 0);  // Off.
  HurdleOptions h;
  h.fraction = 0.2;
  EXPECT_EQ(HurdleWindowOf(h, 100).step, 20);
  EXPECT_EQ(HurdleWindowOf(h, 100).first, 11);  // The last 10 steps.
  EXPECT_EQ(HurdleWindowOf(h, 25).step, 5);
  EXPECT_EQ(HurdleWindowOf(h, 25).first, 3);  // The last 3 of 5.
  EXPECT_EQ(HurdleWindowOf(h, 2).step, 1);    // At least one step.
  EXPECT_EQ(HurdleWindowOf(h, 2).first, 1);
  h.fraction = 1;
  EXPECT_EQ(HurdleWindowOf(h, 7).step, 7);
}

TEST_F(TrainerTest, AProgramStillAtChanceStopsAtTheHurdle) {
  TaskSpec spec = *spec_;
  spec.seeds = {1, 2};
  std::unique_ptr<Trainer> trainer = MakeTrainer(spec);
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = g * 0\n"  // Never moves: the loss stays near ln 10.
      "  return update, m, v\n",
      "still.py");
  ASSERT_TRUE(p.ok());
  TrainOptions options;
  options.hurdle.fraction = 0.1;
  options.hurdle.max_loss = 2.2;
  const EvalResult r = trainer->Evaluate(*p, options);
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.val_accuracy(), 0);
  EXPECT_EQ(r.steps(), 20);  // Stopped in the first seed's run.
  // (The initial loss of this small MLP is above ln 10.)
  EXPECT_EQ(r.failure_reason(),
            "seed 1: hurdle: step 20: mean training loss 3.143 over steps "
            "11-20 is above 2.2");
}

TEST_F(TrainerTest, AHurdleALearnerPassesChangesNothing) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  TrainOptions options;
  options.peak_lr = 3e-3;
  const EvalResult plain = trainer->Evaluate(Load("adamw.py"), options);
  options.hurdle.fraction = 0.2;
  options.hurdle.max_loss = 2.2;
  const EvalResult hurdled = trainer->Evaluate(Load("adamw.py"), options);
  ASSERT_EQ(hurdled.status(), EvalResult::OK) << hurdled.failure_reason();
  EXPECT_EQ(hurdled.val_accuracy(), plain.val_accuracy());
  EXPECT_EQ(hurdled.final_train_loss(), plain.final_train_loss());
  EXPECT_EQ(hurdled.steps(), 200);
  // A bound no run can meet stops even AdamW, at the hurdle's step.
  options.hurdle.max_loss = 1e-3;
  const EvalResult stopped = trainer->Evaluate(Load("adamw.py"), options);
  EXPECT_EQ(stopped.status(), EvalResult::FAILED);
  EXPECT_EQ(stopped.steps(), 40);
}

TEST_F(TrainerTest, AScreenStopsAProgramStillAtChanceBeforeTheRun) {
  TaskSpec spec = *spec_;
  spec.seeds = {1, 2};
  std::unique_ptr<Trainer> trainer = MakeTrainer(spec);
  absl::StatusOr<Program> still = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = g * 0\n"
      "  return update, m, v\n",
      "still.py");
  ASSERT_TRUE(still.ok());
  TrainOptions options;
  options.hurdle.fraction = 0.1;
  options.screen.steps = 12;
  options.screen.batch_size = 8;
  const EvalResult r = trainer->Evaluate(*still, options);
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.val_accuracy(), 0);
  EXPECT_EQ(r.steps(), 0);  // No step of the task's runs.
  EXPECT_EQ(r.failure_reason(),
            "screen: step 12: mean training loss 2.92 over steps 7-12 is "
            "above 2.2");
  // A program that diverges in the screen fails there too, by its reason.
  absl::StatusOr<Program> wild = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = sign(g)\n"
      "  update = update * 30\n"
      "  return update, m, v\n",
      "wild.py");
  ASSERT_TRUE(wild.ok());
  const EvalResult d = trainer->Evaluate(*wild, options);
  EXPECT_EQ(d.status(), EvalResult::FAILED);
  EXPECT_EQ(d.steps(), 0);
  EXPECT_EQ(d.failure_reason().rfind("screen: step 2: training loss ", 0), 0u)
      << d.failure_reason();
  // Cancellation reaches into the screen and reads as such.
  TrainOptions cancel = options;
  cancel.screen.steps = 100;
  cancel.should_stop = [] { return true; };
  const EvalResult c = trainer->Evaluate(Load("adamw.py"), cancel);
  EXPECT_EQ(c.failure_reason(), "cancelled");
  EXPECT_EQ(c.steps(), 0);
  // The screen's batch must fit the task's.
  options.screen.batch_size = 33;
  const EvalResult big = trainer->Evaluate(Load("adamw.py"), options);
  EXPECT_EQ(big.status(), EvalResult::FAILED);
  EXPECT_EQ(big.failure_reason(), "screen: batch size 33 is not in [1, 32]");
}

TEST_F(TrainerTest, AScreenALearnerPassesChangesNothing) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  TrainOptions options;
  options.peak_lr = 3e-3;
  const EvalResult plain = trainer->Evaluate(Load("adamw.py"), options);
  options.screen.steps = 30;
  options.screen.batch_size = 16;
  const EvalResult screened = trainer->Evaluate(Load("adamw.py"), options);
  ASSERT_EQ(screened.status(), EvalResult::OK) << screened.failure_reason();
  EXPECT_EQ(screened.val_accuracy(), plain.val_accuracy());
  EXPECT_EQ(screened.final_train_loss(), plain.final_train_loss());
  EXPECT_EQ(screened.steps(), 200);
  // A bound no run can meet stops even AdamW, in the screen.
  options.screen.max_loss = 1e-3;
  const EvalResult stopped = trainer->Evaluate(Load("adamw.py"), options);
  EXPECT_EQ(stopped.status(), EvalResult::FAILED);
  EXPECT_EQ(stopped.failure_reason().rfind("screen: step 30: ", 0), 0u);
  EXPECT_EQ(stopped.steps(), 0);
}

TEST_F(TrainerTest, ShouldStopCancelsWithinOnePercent) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(*spec_);
  TrainOptions options;
  int polls = 0;
  options.should_stop = [&polls] { return ++polls == 10; };
  const EvalResult r = trainer->Evaluate(Load("adamw.py"), options);
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.failure_reason(), "cancelled");
  EXPECT_EQ(polls, 10);
  EXPECT_EQ(r.steps(), 20);  // Polled every 2 of the 200 steps.
}

}  // namespace
}  // namespace hero
