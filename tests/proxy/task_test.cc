// TaskConfig validation: every problem reported, by field path.
#include "src/proxy/task.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace hero {
namespace {

TaskConfig Parse(const std::string& text) {
  TaskConfig c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

TEST(TaskTest, DefaultsAreValid) {
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(TaskConfig(), "task");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->model_kind, TaskSpec::ModelKind::kMlp);
  EXPECT_EQ(spec->mlp.hidden, std::vector<int>({256}));
  EXPECT_EQ(spec->steps, 1000);
  EXPECT_EQ(spec->batch_size, 128);
  EXPECT_EQ(spec->seeds, std::vector<uint64_t>({1}));
  EXPECT_EQ(spec->ModelDescription(), "mlp 784-256-10 relu");
}

TEST(TaskTest, VitSpec) {
  absl::StatusOr<TaskSpec> spec =
      MakeTaskSpec(Parse("model { vit { dim: 32 heads: 2 } }"), "task");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->ModelDescription(),
            "vit dim 32 depth 2 heads 2 mlp 128 patch 7");
  absl::StatusOr<std::unique_ptr<Model>> model = MakeModel(*spec, 8);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_GT((*model)->layout().size(), 0);
}

TEST(TaskTest, AllProblemsReportedByFieldPath) {
  std::vector<std::string> problems;
  ValidateTaskConfig(
      Parse("data { data_dir: '/nonexistent' train_examples: 60000 }"
            "model { vit { patch_size: 5 dim: 30 heads: 4 } }"
            "train { steps: 0 batch_size: 0 max_loss: 0 warmup_fraction: 2 }"),
      "task", &problems);
  EXPECT_EQ(problems,
            std::vector<std::string>({
                "task.data.data_dir: /nonexistent: no such directory (install "
                "the data with `apt-get install dataset-fashion-mnist`)",
                "task.data.train_examples: must be in [0, 50000], got 60000",
                "task.model.vit.patch_size: must divide 28, got 5",
                "task.model.vit.heads: must divide dim (30), got 4",
                "task.train.steps: must be in [1, 100000000], got 0",
                "task.train.batch_size: must be in [1, 4096], got 0",
                "task.train.warmup_fraction: must be in [0, 1], got 2",
                "task.train.max_loss: must be > 0, got 0",
            }));
  absl::StatusOr<TaskSpec> spec =
      MakeTaskSpec(Parse("train { steps: -5 }"), "funnel[0]");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            "funnel[0].train.steps: must be in [1, 100000000], got -5");
}

}  // namespace
}  // namespace hero
