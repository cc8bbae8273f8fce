#include "src/distributed/request_validation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"

namespace hero {
namespace {

// Parameters of one dense layer.
int64_t Dense(int64_t in, int64_t out) { return (in + 1) * out; }

}  // namespace

int64_t TaskFootprintBytes(const TaskSpec& spec) {
  int64_t params = 0, per_example = 0;
  if (spec.model_kind == TaskSpec::ModelKind::kVit) {
    const VitOptions& v = spec.vit;
    const int64_t side = v.image_size / std::max(1, v.patch_size);
    const int64_t tokens = side * side;
    const int64_t dim = v.dim, mlp = v.mlp_dim;
    params = Dense(int64_t{v.patch_size} * v.patch_size, dim) + tokens * dim +
             v.depth * (4 * dim + Dense(dim, 3 * dim) + Dense(dim, dim) +
                        Dense(dim, mlp) + Dense(mlp, dim)) +
             2 * dim + Dense(dim, v.num_classes);
    // Per block: normalised inputs, q k v, attention weights, outputs, MLP
    // hidden before and after the activation; kept for the backward pass.
    per_example =
        tokens * v.patch_size * v.patch_size +
        v.depth * tokens * (10 * dim + 2 * v.heads * tokens + 2 * mlp);
  } else {
    int64_t in = spec.mlp.input_dim;
    per_example = in;
    for (int h : spec.mlp.hidden) {
      params += Dense(in, h);
      per_example += 3 * h;
      in = h;
    }
    params += Dense(in, spec.mlp.num_classes);
  }
  per_example += 4 * 10;
  const int64_t batch = std::max(spec.batch_size, spec.eval_batch_size);
  // w, g, m, v, the interpreter's scratch; activations and their gradients.
  return 4 * (6 * params + 2 * per_example * batch);
}

absl::StatusOr<ValidatedRequest> ValidateRequest(const EvaluateRequest& request,
                                                 const std::string& data_dir,
                                                 const WorkerLimits& limits) {
  std::vector<std::string> problems;
  if (request.task().data().has_data_dir()) {
    problems.push_back(
        "task.data.data_dir: must be unset (a worker reads its own "
        "--data_dir; the coordinator checks it holds the same data)");
  }
  ValidatedRequest v;
  v.task = request.task();
  v.task.mutable_data()->set_data_dir(data_dir);
  std::vector<std::string> task_problems;
  ValidateTaskConfig(v.task, "task", &task_problems);
  problems.insert(problems.end(), task_problems.begin(), task_problems.end());
  auto in_range = [&](const char* field, double x) {
    if (!(x >= 0 && x <= 1e3)) {
      problems.push_back(
          absl::StrCat(field, ": must be in [0, 1000], got ", x));
    }
  };
  in_range("peak_lr", request.peak_lr());
  in_range("lam", request.lam());
  if (request.curve_points() < 0 || request.curve_points() > 10000) {
    problems.push_back(absl::StrCat("curve_points: must be in [0, 10000], got ",
                                    request.curve_points()));
  }
  if (!(request.hurdle_fraction() >= 0 && request.hurdle_fraction() <= 1)) {
    problems.push_back(absl::StrCat("hurdle_fraction: must be in [0, 1], got ",
                                    request.hurdle_fraction()));
  } else if (request.hurdle_fraction() > 0 &&
             !(request.hurdle_max_loss() > 0 &&
               request.hurdle_max_loss() <= 1e6)) {
    problems.push_back(
        absl::StrCat("hurdle_max_loss: must be in (0, 1e6] with a hurdle, got ",
                     request.hurdle_max_loss()));
  }
  if (request.screen_steps() < 0 || request.screen_steps() > 100000) {
    problems.push_back(absl::StrCat(
        "screen_steps: must be in [0, 100000], got ", request.screen_steps()));
  } else if (request.screen_steps() > 0 &&
             !(request.screen_max_loss() > 0 &&
               request.screen_max_loss() <= 1e6)) {
    problems.push_back(
        absl::StrCat("screen_max_loss: must be in (0, 1e6] with a screen, got ",
                     request.screen_max_loss()));
  }
  const int seeds = std::max(
      request.seeds_size(),
      request.seeds_size() > 0 ? 0 : request.task().train().seeds_size());
  if (seeds > limits.max_seeds) {
    problems.push_back(
        absl::StrCat(request.seeds_size() > 0 ? "seeds" : "task.train.seeds",
                     ": this worker takes at most ", limits.max_seeds,
                     " seeds, got ", seeds));
  }
  if (problems.empty()) {
    absl::StatusOr<TaskSpec> spec = MakeTaskSpec(v.task, "task");
    if (!spec.ok()) return spec.status();
    v.spec = *std::move(spec);
    if (request.screen_steps() > 0 &&
        (request.screen_batch_size() < 1 ||
         request.screen_batch_size() > v.spec.batch_size)) {
      problems.push_back(absl::StrCat(
          "screen_batch_size: must be in [1, task.train.batch_size = ",
          v.spec.batch_size, "] with a screen, got ",
          request.screen_batch_size()));
    }
    const int64_t bytes = TaskFootprintBytes(v.spec);
    if (bytes > limits.max_task_bytes) {
      problems.push_back(
          absl::StrCat("task.model: needs about ", bytes >> 20,
                       " MiB (parameters, state and activations at batch ",
                       std::max(v.spec.batch_size, v.spec.eval_batch_size),
                       "); this worker takes at most ",
                       limits.max_task_bytes >> 20, " MiB (--max_task_mb)"));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  absl::StatusOr<Program> program =
      ParseProgram(request.program(), "request.program");
  if (!program.ok()) return program.status();
  absl::StatusOr<Analysis> analysis = Analyze(*program, "request.program");
  if (!analysis.ok()) return analysis.status();
  v.request.program = *std::move(program);
  v.request.peak_lr = request.peak_lr();
  v.request.lam = request.lam();
  v.request.with_test = request.with_test();
  v.request.curve_points = request.curve_points();
  v.request.seeds.assign(request.seeds().begin(), request.seeds().end());
  v.request.hurdle.fraction = request.hurdle_fraction();
  v.request.hurdle.max_loss = request.hurdle_max_loss();
  v.request.screen.steps = request.screen_steps();
  v.request.screen.batch_size = request.screen_batch_size();
  v.request.screen.max_loss = request.screen_max_loss();
  v.data_key = v.task.data().SerializeAsString();
  v.task_key = v.task.SerializeAsString();
  return v;
}

}  // namespace hero
