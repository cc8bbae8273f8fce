// ProxyEvaluator: an Evaluator that trains the proxy task (trainer.h).
//
//   absl::StatusOr<EvaluatorFactory> factory =
//       MakeProxyEvaluatorFactory(spec, /*load_test=*/true);
//   auto pool = LocalEvaluationPool::Create(2, *factory);
//
// The factory loads Fashion-MNIST once (as the spec's data options say) and
// shares it read-only among the evaluators it makes.
#ifndef HERO_EVALUATION_PROXY_EVALUATOR_H_
#define HERO_EVALUATION_PROXY_EVALUATOR_H_

#include <memory>

#include "absl/status/statusor.h"
#include "src/evaluation/evaluator.h"
#include "src/proxy/fashion_mnist.h"
#include "src/proxy/task.h"
#include "src/proxy/trainer.h"

namespace hero {

class ProxyEvaluator : public Evaluator {
 public:
  explicit ProxyEvaluator(std::unique_ptr<Trainer> trainer)
      : trainer_(std::move(trainer)) {}
  EvalResult Evaluate(const EvalRequest& request) override;
  const Trainer& trainer() const { return *trainer_; }

 private:
  std::unique_ptr<Trainer> trainer_;
};

// Loads the data for `spec` (with the test split iff `load_test`).
absl::StatusOr<std::shared_ptr<const FashionMnist>> LoadTaskData(
    const TaskSpec& spec, bool load_test);

absl::StatusOr<EvaluatorFactory> MakeProxyEvaluatorFactory(const TaskSpec& spec,
                                                           bool load_test);

// The same, over already loaded data.
EvaluatorFactory MakeProxyEvaluatorFactory(
    const TaskSpec& spec, std::shared_ptr<const FashionMnist> data);

}  // namespace hero

#endif  // HERO_EVALUATION_PROXY_EVALUATOR_H_
