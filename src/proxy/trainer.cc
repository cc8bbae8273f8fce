#include "src/proxy/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "src/optim/program_optimizer.h"
#include "src/proxy/schedule.h"

namespace hero {

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Create(
    const TaskSpec& spec, std::shared_ptr<const FashionMnist> data) {
  if (data == nullptr || data->train.size() == 0 ||
      data->validation.size() == 0) {
    return absl::InvalidArgumentError("trainer: data has no train/validation");
  }
  absl::StatusOr<std::unique_ptr<Model>> model =
      MakeModel(spec, std::max(spec.batch_size, spec.eval_batch_size));
  if (!model.ok()) return model.status();
  return std::unique_ptr<Trainer>(
      new Trainer(spec, std::move(data), *std::move(model)));
}

Trainer::Trainer(const TaskSpec& spec, std::shared_ptr<const FashionMnist> data,
                 std::unique_ptr<Model> model)
    : spec_(spec), data_(std::move(data)), model_(std::move(model)) {
  const size_t n = model_->layout().size();
  w_.resize(n);
  g_.resize(n);
  batch_indices_.resize(spec_.batch_size);
  batch_images_.resize(static_cast<size_t>(spec_.batch_size) *
                       kFashionMnistPixels);
  batch_labels_.resize(spec_.batch_size);
  logits_.resize(static_cast<size_t>(spec_.eval_batch_size) *
                 model_->num_classes());
}

double Trainer::Accuracy(const Dataset& data) {
  const int classes = model_->num_classes();
  int64_t correct = 0;
  for (int32_t start = 0; start < data.size(); start += spec_.eval_batch_size) {
    const int n = std::min<int32_t>(spec_.eval_batch_size, data.size() - start);
    model_->Forward(w_.data(), data.image(start), n, logits_.data());
    for (int i = 0; i < n; ++i) {
      const float* row = logits_.data() + static_cast<size_t>(i) * classes;
      const int predicted =
          static_cast<int>(std::max_element(row, row + classes) - row);
      correct += predicted == data.labels[start + i];
    }
  }
  return static_cast<double>(correct) / data.size();
}

Trainer::SeedRun Trainer::RunSeed(optim::Optimizer& optimizer, uint64_t seed,
                                  const TrainOptions& options,
                                  const RunShape& shape, int64_t steps_before,
                                  int64_t all_steps, EvalResult* curve_out) {
  SeedRun run;
  model_->Init(StreamSeed(seed, 1), w_.data());
  optimizer.ResetState();
  absl::StatusOr<BatchSampler> sampler = BatchSampler::Create(
      data_->train.size(), shape.batch_size, StreamSeed(seed, 2));
  if (!sampler.ok()) {
    run.ok = false;
    run.failure = std::string(sampler.status().message());
    return run;
  }
  const int steps = shape.steps;
  const int curve_every =
      options.curve_points > 0 ? std::max(1, steps / options.curve_points) : 0;
  const int tail = std::max(1, steps / 10);  // Steps averaged for final_loss.
  const int progress_every = std::max<int64_t>(1, all_steps / 100);
  double tail_loss = 0, window_loss = 0;
  int window_steps = 0;
  const HurdleWindow hurdle = HurdleWindowOf(shape.hurdle, steps);
  double hurdle_loss = 0;  // Summed over the hurdle's window.
  for (int step = 0; step < steps; ++step) {
    sampler->Next(batch_indices_.data());
    GatherBatch(data_->train,
                absl::MakeConstSpan(batch_indices_.data(), shape.batch_size),
                batch_images_.data(), batch_labels_.data());
    const float loss = model_->ForwardBackward(w_.data(), batch_images_.data(),
                                               batch_labels_.data(),
                                               shape.batch_size, g_.data());
    if (!std::isfinite(loss) || loss > spec_.max_loss) {
      run.ok = false;
      run.failure = absl::StrFormat(
          "step %d: training loss %g %s", step + 1, loss,
          std::isfinite(loss)
              ? absl::StrFormat("exceeds max_loss %g", spec_.max_loss)
              : "is not finite");
      run.steps = step;
      return run;
    }
    const double lr =
        options.peak_lr *
        LrFactor(step, steps, spec_.warmup_fraction, spec_.final_lr_fraction);
    if (!optimizer.Step(static_cast<float>(lr)).finite) {
      run.ok = false;
      run.failure = absl::StrCat("step ", step + 1,
                                 ": the optimizer produced a non-finite "
                                 "update, m or v (NaN or Inf)");
      run.steps = step + 1;
      return run;
    }
    if (step + 1 >= hurdle.first && step + 1 <= hurdle.step) {
      hurdle_loss += loss;
      if (step + 1 == hurdle.step) {
        const double mean = hurdle_loss / (hurdle.step - hurdle.first + 1);
        if (!(mean <= shape.hurdle.max_loss)) {
          run.ok = false;
          run.failure = absl::StrFormat(
              "%s: step %d: mean training loss %.4g over steps %d-%d is "
              "above %g",
              shape.hurdle_name, hurdle.step, mean, hurdle.first, hurdle.step,
              shape.hurdle.max_loss);
          run.steps = step + 1;
          return run;
        }
      }
    }
    if ((step + 1) % progress_every == 0) {
      if (shape.report && options.progress)
        options.progress(steps_before + step + 1, all_steps);
      if (options.should_stop && options.should_stop()) {
        run.ok = false;
        run.failure = kCancelledReason;
        run.steps = step + 1;
        return run;
      }
    }
    if (step >= steps - tail) tail_loss += loss;
    window_loss += loss;
    ++window_steps;
    if (curve_out != nullptr && curve_every > 0 &&
        ((step + 1) % curve_every == 0 || step + 1 == steps)) {
      CurvePoint* point = curve_out->add_curve();
      point->set_step(step + 1);
      point->set_train_loss(window_loss / window_steps);
      point->set_val_accuracy(Accuracy(data_->validation));
      point->set_lr(lr);
      window_loss = 0;
      window_steps = 0;
    }
  }
  run.steps = steps;
  run.final_loss = tail_loss / tail;
  // The last curve point, if any, was taken after the final step.
  const bool have_final = curve_out != nullptr && curve_every > 0;
  run.val_accuracy =
      have_final ? curve_out->curve(curve_out->curve_size() - 1).val_accuracy()
                 : Accuracy(data_->validation);
  if (options.with_test) run.test_accuracy = Accuracy(data_->test);
  return run;
}

EvalResult Trainer::Evaluate(const Program& program,
                             const TrainOptions& options) {
  return Evaluate(
      [&program](std::vector<optim::ParamGroup> groups)
          -> absl::StatusOr<std::unique_ptr<optim::Optimizer>> {
        return optim::ProgramOptimizer::Create(program, std::move(groups));
      },
      options);
}

EvalResult Trainer::Evaluate(const OptimizerFactory& make_optimizer,
                             const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  EvalResult result;
  result.set_peak_lr(options.peak_lr);
  result.set_lam(options.lam);
  auto finish = [&](EvalResult& r) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    r.set_seconds(seconds);
    if (seconds > 0) {
      r.set_examples_per_second(static_cast<double>(r.steps()) *
                                spec_.batch_size / seconds);
    }
    return r;
  };
  optim::ParamGroup group;
  group.weight_decay = static_cast<float>(options.lam);
  for (const Segment& s : model_->layout().segments()) {
    group.tensors.push_back(
        {s.name, absl::MakeSpan(w_.data() + s.offset, s.size),
         absl::MakeConstSpan(g_.data() + s.offset, s.size)});
  }
  absl::StatusOr<std::unique_ptr<optim::Optimizer>> optimizer =
      make_optimizer({std::move(group)});
  if (!optimizer.ok() || *optimizer == nullptr) {
    result.set_status(EvalResult::FAILED);
    result.set_failure_reason(
        optimizer.ok() ? "the optimizer factory returned no optimizer"
                       : std::string(optimizer.status().message()));
    return finish(result);
  }
  if (options.with_test && data_->test.size() == 0) {
    result.set_status(EvalResult::FAILED);
    result.set_failure_reason("test accuracy requested but no test data");
    return finish(result);
  }
  const std::vector<uint64_t>& seeds =
      options.seeds.empty() ? spec_.seeds : options.seeds;
  for (uint64_t seed : seeds) result.add_seeds(seed);
  if (options.screen.enabled()) {
    const ScreenOptions& screen = options.screen;
    if (screen.batch_size < 1 || screen.batch_size > spec_.batch_size) {
      result.set_status(EvalResult::FAILED);
      result.set_failure_reason(
          absl::StrCat("screen: batch size ", screen.batch_size,
                       " is not in [1, ", spec_.batch_size, "]"));
      return finish(result);
    }
    RunShape shape;
    shape.steps = screen.steps;
    shape.batch_size = screen.batch_size;
    shape.hurdle.fraction = 1;
    shape.hurdle.max_loss = screen.max_loss;
    shape.hurdle_name = "screen";
    shape.report = false;
    SeedRun run = RunSeed(**optimizer, seeds.front(), options, shape, 0,
                          screen.steps, nullptr);
    if (!run.ok) {
      result.set_status(EvalResult::FAILED);
      // A cancellation stays as it is: callers test for it.
      const bool as_is = run.failure.rfind("screen:", 0) == 0 ||
                         run.failure == kCancelledReason;
      result.set_failure_reason(as_is ? run.failure
                                      : absl::StrCat("screen: ", run.failure));
      result.set_val_accuracy(0);
      return finish(result);
    }
  }
  RunShape shape;
  shape.steps = spec_.steps;
  shape.batch_size = spec_.batch_size;
  shape.hurdle = options.hurdle;
  const int64_t all_steps = static_cast<int64_t>(spec_.steps) * seeds.size();
  double val_sum = 0, test_sum = 0, loss_sum = 0;
  int64_t steps = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    const uint64_t seed = seeds[i];
    SeedRun run =
        RunSeed(**optimizer, seed, options, shape, steps, all_steps,
                i == 0 && options.curve_points > 0 ? &result : nullptr);
    steps += run.steps;
    if (!run.ok) {
      result.set_status(EvalResult::FAILED);
      result.set_failure_reason(
          seeds.size() > 1 && run.failure != kCancelledReason
              ? absl::StrCat("seed ", seed, ": ", run.failure)
              : run.failure);
      result.set_steps(steps);
      result.set_val_accuracy(0);
      return finish(result);
    }
    result.add_seed_val_accuracy(run.val_accuracy);
    val_sum += run.val_accuracy;
    test_sum += run.test_accuracy;
    loss_sum += run.final_loss;
  }
  const double k = static_cast<double>(seeds.size());
  result.set_status(EvalResult::OK);
  result.set_val_accuracy(val_sum / k);
  if (options.with_test) result.set_test_accuracy(test_sum / k);
  result.set_final_train_loss(loss_sum / k);
  result.set_steps(steps);
  return finish(result);
}

}  // namespace hero
