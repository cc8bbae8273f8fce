#include "src/evaluation/proxy_evaluator.h"

#include <utility>

namespace hero {

EvalResult ProxyEvaluator::Evaluate(const EvalRequest& request) {
  TrainOptions options;
  options.peak_lr = request.peak_lr;
  options.lam = request.lam;
  options.with_test = request.with_test;
  options.curve_points = request.curve_points;
  options.seeds = request.seeds;
  options.should_stop = request.should_stop;
  options.hurdle = request.hurdle;
  options.screen = request.screen;
  return trainer_->Evaluate(request.program, options);
}

absl::StatusOr<std::shared_ptr<const FashionMnist>> LoadTaskData(
    const TaskSpec& spec, bool load_test) {
  FashionMnistOptions options = spec.data;
  options.load_test = load_test;
  return LoadSharedFashionMnist(options);
}

EvaluatorFactory MakeProxyEvaluatorFactory(
    const TaskSpec& spec, std::shared_ptr<const FashionMnist> data) {
  return [spec, data]() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
    absl::StatusOr<std::unique_ptr<Trainer>> trainer =
        Trainer::Create(spec, data);
    if (!trainer.ok()) return trainer.status();
    return std::unique_ptr<Evaluator>(new ProxyEvaluator(*std::move(trainer)));
  };
}

absl::StatusOr<EvaluatorFactory> MakeProxyEvaluatorFactory(const TaskSpec& spec,
                                                           bool load_test) {
  absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
      LoadTaskData(spec, load_test);
  if (!data.ok()) return data.status();
  return MakeProxyEvaluatorFactory(spec, *std::move(data));
}

}  // namespace hero
