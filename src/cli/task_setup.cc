#include "src/cli/task_setup.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/config_io.h"
#include "src/util/json_writer.h"
#include "src/util/svg_plot.h"

namespace hero {

absl::StatusOr<LoadedTask> LoadTask(const std::string& config_path,
                                    const ConfigCheck& check) {
  LoadedTask task;
  task.config_path = config_path;
  absl::StatusOr<SearchConfig> config = ReadSearchConfig(config_path, check);
  if (!config.ok()) return config.status();
  task.config = *std::move(config);
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(task.config.task(), "task");
  if (!spec.ok()) return spec.status();
  task.spec = *std::move(spec);
  return task;
}

std::string DescribeTask(const TaskSpec& spec) {
  return absl::StrFormat("%s (%s): %d steps x batch %d, %d seed%s", spec.name,
                         spec.ModelDescription(), spec.steps, spec.batch_size,
                         spec.seeds.size(), spec.seeds.size() == 1 ? "" : "s");
}

std::string EvalResultJson(const EvalResult& r, bool pretty) {
  JsonWriter w(pretty ? JsonStyle::kPretty : JsonStyle::kCompact);
  w.BeginObject();
  w.Key("status").String(r.status() == EvalResult::OK ? "ok" : "failed");
  w.Key("failure_reason").String(r.failure_reason());
  w.Key("val_accuracy").Double(r.val_accuracy());
  w.Key("test_accuracy");
  if (r.has_test_accuracy()) {
    w.Double(r.test_accuracy());
  } else {
    w.Null();
  }
  w.Key("final_loss").Double(r.final_train_loss());
  w.Key("steps").Int(r.steps());
  w.Key("seconds").Double(r.seconds());
  w.Key("examples_per_second").Double(r.examples_per_second());
  w.Key("peak_lr").Double(r.peak_lr());
  w.Key("lam").Double(r.lam());
  w.Key("seed_val_accuracy").BeginArray();
  for (double a : r.seed_val_accuracy()) w.Double(a);
  w.EndArray();
  w.Key("curve").BeginArray();
  for (const CurvePoint& p : r.curve()) {
    w.BeginObject();
    w.Key("step").Int(p.step());
    w.Key("train_loss").Double(p.train_loss());
    w.Key("val_accuracy").Double(p.val_accuracy());
    w.Key("lr").Double(p.lr());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

std::string EvalResultText(const EvalResult& r) {
  std::string out;
  if (r.status() == EvalResult::OK) {
    out += "status: ok\n";
  } else {
    absl::StrAppend(&out, "status: failed (", r.failure_reason(), ")\n");
  }
  absl::StrAppendFormat(&out, "val_accuracy: %.4f\n", r.val_accuracy());
  if (r.has_test_accuracy()) {
    absl::StrAppendFormat(&out, "test_accuracy: %.4f\n", r.test_accuracy());
  }
  absl::StrAppendFormat(&out, "final_loss: %.4f\n", r.final_train_loss());
  absl::StrAppendFormat(&out, "steps: %d  seconds: %.2f  examples/s: %.0f\n",
                        r.steps(), r.seconds(), r.examples_per_second());
  return out;
}

std::string CurvesSvg(const std::string& title,
                      const std::vector<NamedCurve>& curves) {
  Chart loss, accuracy;
  loss.title = absl::StrCat(title, ": training loss");
  loss.x_label = "step";
  loss.y_label = "cross-entropy";
  accuracy.title = absl::StrCat(title, ": validation accuracy");
  accuracy.x_label = "step";
  accuracy.y_label = "accuracy";
  for (const NamedCurve& c : curves) {
    Series l, a;
    l.label = a.label = c.label;
    for (const CurvePoint& p : c.result->curve()) {
      l.x.push_back(p.step());
      l.y.push_back(p.train_loss());
      a.x.push_back(p.step());
      a.y.push_back(p.val_accuracy());
    }
    loss.series.push_back(l);
    accuracy.series.push_back(a);
  }
  return RenderSvg({loss, accuracy}, 2);
}

}  // namespace hero
