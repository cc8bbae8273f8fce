// Trainer: trains a proxy task with a candidate program as its optimizer and
// measures the result. This is the engine's hot path: the search calls it for
// every candidate it does not find in its cache.
//
//   absl::StatusOr<std::unique_ptr<Trainer>> trainer = Trainer::Create(spec,
//   data); EvalResult r = (*trainer)->Evaluate(program, {.peak_lr = 1e-3, .lam
//   = 0.1}); if (r.status() == EvalResult::OK) fitness = r.val_accuracy();
//
// For each of the spec's seeds: initialise the model (seeded), then for
// `steps` steps take a batch (seeded order), compute loss and gradient, and
// run one program step through the interpreter with lr = peak_lr * LrFactor
// (schedule.h) and λ = lam; w ← w − update. Evaluate also takes any
// optim::Optimizer (e.g. the native Lion) in place of the program: it gets
// the same lr every step and one parameter group with weight_decay = lam;
// a program runs as a ProgramOptimizer, so both paths give the same bits.
// The fitness is the validation accuracy at the end, averaged over seeds. A
// run that produces a non-finite update, m or v, or a training loss that is
// NaN/Inf or above max_loss, stops at once and the whole evaluation FAILS
// with the reason and fitness 0 — never a crash. With a hurdle
// (TrainOptions::hurdle, early stopping as in AutoML-Zero), a run whose
// mean training loss over the steps before the hurdle is still at chance
// level stops there and FAILS the same way, with a reason starting
// "hurdle:"; the search uses it so that a candidate that learns nothing
// costs a fraction of an evaluation. A screen (TrainOptions::screen) does the
// same before the first run, cheaper, with a reason starting "screen:".
//
// Determinism: same program, spec, options and data → bitwise-identical
// accuracies and losses on the same machine. Each Evaluate runs on the
// calling thread only.
//
// Thread-safety: a Trainer is not thread-safe (it owns the model's scratch
// space and the parameter buffers); use one per thread. The data is shared
// read-only. Steady-state training steps do not allocate.
#ifndef HERO_PROXY_TRAINER_H_
#define HERO_PROXY_TRAINER_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/eval_result.pb.h"
#include "src/optim/optimizer.h"
#include "src/program/program.h"
#include "src/proxy/batch_sampler.h"
#include "src/proxy/fashion_mnist.h"
#include "src/proxy/hurdle.h"
#include "src/proxy/model.h"
#include "src/proxy/task.h"

namespace hero {

// The failure reason of an evaluation stopped by TrainOptions::should_stop;
// callers (the worker service) tell a cancellation from a failure by it.
inline constexpr char kCancelledReason[] = "cancelled";

struct TrainOptions {
  double peak_lr = 1e-3;
  double lam = 0.1;
  // Also measure test accuracy (for final reports; never fitness).
  bool with_test = false;
  // Points on the loss/accuracy curve of the first seed (0 = none).
  int curve_points = 0;
  // If set, called about every 1% of the work with (steps done, steps in
  // all), counting every seed's steps.
  std::function<void(int64_t, int64_t)> progress;
  // Train with these seeds instead of the spec's (empty = the spec's).
  std::vector<uint64_t> seeds;
  // If set, polled about every 1% of the work; once it returns true the
  // evaluation stops and FAILS with reason kCancelledReason.
  std::function<bool()> should_stop;
  // Early stopping (hurdle.h); off by default: then every run trains to
  // the end or diverges.
  HurdleOptions hurdle;
  // A short run of smaller batches before the first seed's run (hurdle.h);
  // off by default. Its steps are not counted in EvalResult::steps, its
  // time is in EvalResult::seconds. Fails the evaluation if batch_size is
  // not in [1, the task's batch size].
  ScreenOptions screen;
};

class Trainer {
 public:
  // `data` must hold the splits the spec uses (and test, if evaluations will
  // ask for it).
  static absl::StatusOr<std::unique_ptr<Trainer>> Create(
      const TaskSpec& spec, std::shared_ptr<const FashionMnist> data);

  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  EvalResult Evaluate(const Program& program, const TrainOptions& options);

  // Makes the optimizer of one Evaluate over the model's parameters: one
  // group (lr_scale 1, weight_decay = options.lam), one tensor per layout
  // segment, backed by the trainer's buffers. Its state is reset before
  // each seed. A factory error fails the evaluation with its message.
  using OptimizerFactory =
      std::function<absl::StatusOr<std::unique_ptr<optim::Optimizer>>(
          std::vector<optim::ParamGroup>)>;
  EvalResult Evaluate(const OptimizerFactory& make_optimizer,
                      const TrainOptions& options);

  const TaskSpec& spec() const { return spec_; }
  int64_t num_parameters() const { return model_->layout().size(); }

 private:
  struct SeedRun {
    bool ok = true;
    std::string failure;
    double val_accuracy = 0;
    double test_accuracy = 0;
    double final_loss = 0;
    int64_t steps = 0;
  };

  // What one run trains: the task's own runs, or a screen.
  struct RunShape {
    int steps = 0;
    int batch_size = 0;
    HurdleOptions hurdle;
    // Prefix of a hurdle failure's reason ("hurdle" or "screen").
    const char* hurdle_name = "hurdle";
    // Report progress (not during a screen; should_stop is polled always).
    bool report = true;
  };

  Trainer(const TaskSpec& spec, std::shared_ptr<const FashionMnist> data,
          std::unique_ptr<Model> model);

  SeedRun RunSeed(optim::Optimizer& optimizer, uint64_t seed,
                  const TrainOptions& options, const RunShape& shape,
                  int64_t steps_before, int64_t all_steps,
                  EvalResult* curve_out);
  double Accuracy(const Dataset& data);

  TaskSpec spec_;
  std::shared_ptr<const FashionMnist> data_;
  std::unique_ptr<Model> model_;
  std::vector<float> w_, g_;
  std::vector<int32_t> batch_indices_;
  std::vector<float> batch_images_;
  std::vector<int32_t> batch_labels_;
  std::vector<float> logits_;
};

}  // namespace hero

#endif  // HERO_PROXY_TRAINER_H_
