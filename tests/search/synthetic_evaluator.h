// A synthetic fitness with a known optimum, for testing the search without
// training models: the fitness of a program is how close its updates, over a
// few steps of a fixed toy problem, are to those of a target program:
//   fitness = 1 / (1 + 10 * sum |update - target update| / sum |target update|)
// so the optimum 1.0 is reached by the target itself (or an equivalent).
// The target is AdamW without weight decay. Near-optima (e.g. a weight-decay
// term made tiny) exist, but from any of them deleting the decay term is one
// mutation to the exact optimum 1.0, so the search cannot be trapped. The
// scale 10 keeps the AdamW lineage (fitness ~0.72) well ahead of trivial
// programs (a zero update scores 1/11). Failing or
// non-finite programs get FAILED with fitness 0.
#ifndef HERO_TESTS_SEARCH_SYNTHETIC_EVALUATOR_H_
#define HERO_TESTS_SEARCH_SYNTHETIC_EVALUATOR_H_

#include <cmath>
#include <random>
#include <vector>

#include "src/evaluation/evaluator.h"
#include "src/interpreter/interpreter.h"
#include "src/program/parser.h"

namespace hero {

class SyntheticEvaluator : public Evaluator {
 public:
  SyntheticEvaluator() : target_(Updates(TargetProgram())) {}

  EvalResult Evaluate(const EvalRequest& request) override {
    EvalResult result;
    const std::vector<float> updates = Updates(request.program);
    if (updates.empty()) {
      result.set_status(EvalResult::FAILED);
      result.set_failure_reason("cannot run or not finite");
      return result;
    }
    double error = 0, scale = 0;
    for (size_t i = 0; i < updates.size(); ++i) {
      error += std::fabs(updates[i] - target_[i]);
      scale += std::fabs(target_[i]);
    }
    const double fitness = 1.0 / (1.0 + 10.0 * error / scale);
    if (!std::isfinite(fitness)) {
      result.set_status(EvalResult::FAILED);
      return result;
    }
    result.set_status(EvalResult::OK);
    result.set_val_accuracy(fitness);
    return result;
  }

 private:
  static Program TargetProgram() {
    absl::StatusOr<Program> p = ParseProgram(
        "def train(w, g, m, v, lr, λ):\n"
        "  g2 = square(g)\n"
        "  m = interpolate(g, m, 0.9)\n"
        "  v = interpolate(g2, v, 0.999)\n"
        "  v_sqrt = sqrt(v)\n"
        "  update = m / v_sqrt\n"
        "  update = update * lr\n"
        "  return update, m, v\n",
        "target.py");
    return *p;
  }

  // The updates of `program` over kSteps steps of the toy problem (empty if
  // it cannot run or is not finite).
  static std::vector<float> Updates(const Program& program) {
    constexpr int kN = 16, kSteps = 6;
    absl::StatusOr<std::unique_ptr<Interpreter>> interp =
        Interpreter::Create(program, ParameterLayout::Single(kN));
    if (!interp.ok()) return {};
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> w(kN), g(kN), m(kN, 0.0f), v(kN, 0.0f), u(kN), all;
    for (float& x : w) x = normal(rng);
    for (int s = 0; s < kSteps; ++s) {
      for (float& x : g) x = normal(rng);
      const StepResult r = (*interp)->Step(
          {w.data(), g.data(), m.data(), v.data(), u.data()}, {1e-3f, 0.1f},
          /*apply_update=*/true);
      if (!r.finite) return {};
      all.insert(all.end(), u.begin(), u.end());
    }
    return all;
  }

  std::vector<float> target_;
};

inline EvaluatorFactory SyntheticFactory() {
  return []() -> absl::StatusOr<std::unique_ptr<Evaluator>> {
    return std::unique_ptr<Evaluator>(new SyntheticEvaluator());
  };
}

}  // namespace hero

#endif  // HERO_TESTS_SEARCH_SYNTHETIC_EVALUATOR_H_
