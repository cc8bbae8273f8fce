// Shared set-up of the commands that train the proxy task (eval, tune,
// compare): the config, its task, the data, and how results are shown.
#ifndef HERO_CLI_TASK_SETUP_H_
#define HERO_CLI_TASK_SETUP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/eval_result.pb.h"
#include "proto/search_config.pb.h"
#include "src/cli/config_io.h"
#include "src/proxy/task.h"

namespace hero {

struct LoadedTask {
  std::string config_path;
  SearchConfig config;
  TaskSpec spec;
};

// Reads and validates the config (see ReadSearchConfig for `check`);
// REQUIRES nothing else.
absl::StatusOr<LoadedTask> LoadTask(const std::string& config_path,
                                    const ConfigCheck& check = {});

// "mlp (mlp 784-256-10 relu): 3000 steps x batch 128, 1 seed".
std::string DescribeTask(const TaskSpec& spec);

// One JSON object with the result's fields (status, failure_reason,
// val_accuracy, test_accuracy, final_loss, steps, seconds,
// examples_per_second, peak_lr, lam, seed_val_accuracy, curve).
std::string EvalResultJson(const EvalResult& result, bool pretty);

// Human-readable lines: status, accuracies, loss, speed.
std::string EvalResultText(const EvalResult& result);

struct NamedCurve {
  std::string label;
  const EvalResult* result;
};
// Two panels (training loss, validation accuracy) against steps.
std::string CurvesSvg(const std::string& title,
                      const std::vector<NamedCurve>& curves);

}  // namespace hero

#endif  // HERO_CLI_TASK_SETUP_H_
