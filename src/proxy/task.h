// TaskSpec: a validated TaskConfig with every default applied, and what is
// built from it (the data options and the model).
//
//   std::vector<std::string> problems;
//   ValidateTaskConfig(config.task(), "task", &problems);   // all problems
//   absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config.task(), "task");
//   absl::StatusOr<std::unique_ptr<Model>> model = MakeModel(*spec, 1000);
//
// Validation reports every problem, each prefixed by its field path
// (`task.train.batch_size: must be in [1, 4096], got 0`), including a data
// directory that does not hold the Fashion-MNIST files.
#ifndef HERO_PROXY_TASK_H_
#define HERO_PROXY_TASK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/search_config.pb.h"
#include "src/proxy/fashion_mnist.h"
#include "src/proxy/mlp.h"
#include "src/proxy/model.h"
#include "src/proxy/vit.h"

namespace hero {

struct TaskSpec {
  std::string name;
  FashionMnistOptions data;
  enum class ModelKind { kMlp, kVit } model_kind = ModelKind::kMlp;
  MlpOptions mlp;
  VitOptions vit;
  int steps = 0;
  int batch_size = 0;
  double peak_lr = 0;
  double lam = 0;
  double warmup_fraction = 0;
  double final_lr_fraction = 0;
  std::vector<uint64_t> seeds;
  double max_loss = 0;
  int curve_points = 0;
  int eval_batch_size = 0;

  // "mlp 784-256-10 relu" / "vit dim 64 depth 2 heads 4 mlp 128 patch 7".
  std::string ModelDescription() const;
};

// Appends one message per problem in `config`, each starting with `path`.
void ValidateTaskConfig(const TaskConfig& config, const std::string& path,
                        std::vector<std::string>* problems);

// Validates `config` (InvalidArgument listing every problem, one per line)
// and applies the defaults.
absl::StatusOr<TaskSpec> MakeTaskSpec(const TaskConfig& config,
                                      const std::string& path);

// The spec's model, with scratch space for `max_batch` examples.
absl::StatusOr<std::unique_ptr<Model>> MakeModel(const TaskSpec& spec,
                                                 int max_batch);

}  // namespace hero

#endif  // HERO_PROXY_TASK_H_
