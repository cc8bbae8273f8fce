// The trainer with an optimizer through the optim::Optimizer interface:
// training the MLP with the native Lion (AdamW) gives the identical loss
// curve, accuracies and final loss as training it with the interpreted
// hero_lion.py (adamw.py), on real Fashion-MNIST.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "src/optim/adamw.h"
#include "src/optim/lion.h"
#include "src/program/program_proto.h"
#include "src/proxy/trainer.h"

namespace hero {
namespace {

class TrainerOptimizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TaskConfig config;
    config.mutable_data()->set_train_examples(4000);
    config.mutable_data()->set_validation_examples(1000);
    config.mutable_model()->mutable_mlp()->add_hidden(32);
    config.mutable_train()->set_steps(200);
    config.mutable_train()->set_batch_size(32);
    config.mutable_train()->add_seeds(7);
    config.mutable_train()->add_seeds(8);
    absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config, "task");
    ASSERT_TRUE(spec.ok()) << spec.status();
    spec_ = new TaskSpec(*spec);
    absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
        LoadSharedFashionMnist(spec->data);
    ASSERT_TRUE(data.ok()) << data.status();
    data_ = new std::shared_ptr<const FashionMnist>(*data);
  }

  std::unique_ptr<Trainer> MakeTrainer() {
    absl::StatusOr<std::unique_ptr<Trainer>> t =
        Trainer::Create(*spec_, *data_);
    EXPECT_TRUE(t.ok()) << t.status();
    return *std::move(t);
  }

  static Program Load(const std::string& name) {
    absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }

  static void ExpectSameRun(const EvalResult& native,
                            const EvalResult& interpreted) {
    ASSERT_EQ(native.status(), EvalResult::OK) << native.failure_reason();
    ASSERT_EQ(interpreted.status(), EvalResult::OK);
    ASSERT_EQ(native.curve_size(), 20);
    ASSERT_EQ(interpreted.curve_size(), 20);
    for (int i = 0; i < 20; ++i) {
      EXPECT_EQ(native.curve(i).train_loss(), interpreted.curve(i).train_loss())
          << "curve point " << i;
      EXPECT_EQ(native.curve(i).val_accuracy(),
                interpreted.curve(i).val_accuracy());
    }
    EXPECT_EQ(native.final_train_loss(), interpreted.final_train_loss());
    EXPECT_EQ(native.val_accuracy(), interpreted.val_accuracy());
    EXPECT_EQ(native.seed_val_accuracy(1), interpreted.seed_val_accuracy(1));
    EXPECT_EQ(native.steps(), 400);
  }

  static TaskSpec* spec_;
  static std::shared_ptr<const FashionMnist>* data_;
};

TaskSpec* TrainerOptimizerTest::spec_ = nullptr;
std::shared_ptr<const FashionMnist>* TrainerOptimizerTest::data_ = nullptr;

TEST_F(TrainerOptimizerTest, NativeLionGivesTheInterpretedLossCurve) {
  TrainOptions options;
  options.peak_lr = 3e-4;
  options.lam = 1.0;
  options.curve_points = 20;
  std::unique_ptr<Trainer> trainer = MakeTrainer();
  const EvalResult interpreted =
      trainer->Evaluate(Load("hero_lion.py"), options);
  const EvalResult native = trainer->Evaluate(
      [](std::vector<optim::ParamGroup> groups)
          -> absl::StatusOr<std::unique_ptr<optim::Optimizer>> {
        return optim::Lion::Create(std::move(groups));
      },
      options);
  ExpectSameRun(native, interpreted);
  EXPECT_GT(native.val_accuracy(), 0.7);  // It learned.
}

TEST_F(TrainerOptimizerTest, NativeAdamWGivesTheInterpretedLossCurve) {
  TrainOptions options;
  options.peak_lr = 3e-3;
  options.lam = 0.1;
  options.curve_points = 20;
  std::unique_ptr<Trainer> trainer = MakeTrainer();
  const EvalResult interpreted = trainer->Evaluate(Load("adamw.py"), options);
  const EvalResult native = trainer->Evaluate(
      [](std::vector<optim::ParamGroup> groups)
          -> absl::StatusOr<std::unique_ptr<optim::Optimizer>> {
        return optim::AdamW::Create(std::move(groups));
      },
      options);
  ExpectSameRun(native, interpreted);
}

TEST_F(TrainerOptimizerTest, FactoryErrorFailsTheEvaluation) {
  std::unique_ptr<Trainer> trainer = MakeTrainer();
  const EvalResult r = trainer->Evaluate(
      [](std::vector<optim::ParamGroup>)
          -> absl::StatusOr<std::unique_ptr<optim::Optimizer>> {
        return absl::InvalidArgumentError("no optimizer today");
      },
      TrainOptions());
  EXPECT_EQ(r.status(), EvalResult::FAILED);
  EXPECT_EQ(r.failure_reason(), "no optimizer today");
}

TEST_F(TrainerOptimizerTest, TheGroupCoversTheModelsSegments) {
  std::unique_ptr<Trainer> trainer = MakeTrainer();
  std::vector<optim::ParamGroup> seen;
  TrainOptions options;
  options.lam = 0.25;
  trainer->Evaluate(
      [&seen](std::vector<optim::ParamGroup> groups)
          -> absl::StatusOr<std::unique_ptr<optim::Optimizer>> {
        seen = groups;
        return optim::Lion::Create(std::move(groups));
      },
      options);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].weight_decay, 0.25f);
  EXPECT_EQ(seen[0].lr_scale, 1.0f);
  // MLP 784-32-10: two weights and two biases.
  ASSERT_EQ(seen[0].tensors.size(), 4u);
  EXPECT_EQ(seen[0].tensors[0].weights.size(), 784u * 32);
  int64_t total = 0;
  for (const optim::ParamTensor& t : seen[0].tensors) total += t.weights.size();
  EXPECT_EQ(total, trainer->num_parameters());
}

}  // namespace
}  // namespace hero
