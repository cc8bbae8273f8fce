// Optimizer: the interface of hero's shipped optimizers (Lion, AdamW, and any
// program through the interpreter), for training loops written in C++.
//
// An optimizer updates a model's parameters in place, one Step per training
// step. The parameters are float32 tensors, each a span of weights plus a
// span of the same size holding its gradient; both are owned by the caller,
// who writes the gradient before each Step. Tensors are grouped into
// parameter groups, each with its own learning-rate scale and weight decay λ
// (e.g. no decay for biases and norms). The learning rate comes from the
// caller's schedule at every step; the optimizer owns its state (momentum
// etc.), which can be saved and loaded.
//
//   std::vector<float> w(n), g(n);  // The model's weights and gradient.
//   ParamGroup group;
//   group.weight_decay = 1.0f;      // λ
//   group.tensors.push_back({"fc.weight", absl::MakeSpan(w), g, {784, 256}});
//   absl::StatusOr<std::unique_ptr<Lion>> lion = Lion::Create({group});
//   if (!lion.ok()) return lion.status();
//   for (int step = 0; step < steps; ++step) {
//     ComputeGradient(w, g);
//     if (!(*lion)->Step(/*lr=*/3e-4f * Schedule(step)).finite) break;
//   }
//   OptimizerState saved = (*lion)->SaveState();  // proto; serialize it
//
// One Step, for every group: with lr_g = lr * group.lr_scale (float32) and
// λ = group.weight_decay, each weight becomes w − update(w, g, state; lr_g,
// λ), and the state advances. Everything is float32 (a bfloat16 state is
// widened to float32 to compute), each operation rounded as written, no
// fused multiply-add: results are the same on every run, thread count and
// alignment.
//
// Invariants (checked by the factories, which return InvalidArgument naming
// the tensor): every tensor has a non-empty, unique name and at least one
// element; weights and grads have equal sizes; a non-empty shape's product
// is that size; no two tensors' weights overlap. lr_scale and weight_decay
// are finite.
//
// Ownership: the caller owns the weights and gradients and keeps them alive,
// at the same addresses, for the optimizer's lifetime; the optimizer owns its
// state. Thread-safety: an optimizer is not thread-safe (one call at a time);
// it may run a Step on internal worker threads. Steady-state Steps do not
// allocate.
#ifndef HERO_OPTIM_OPTIMIZER_H_
#define HERO_OPTIM_OPTIMIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/optimizer_state.pb.h"

namespace hero {
namespace optim {

// One parameter tensor: weights updated in place, gradient read.
struct ParamTensor {
  // Names the tensor in saved state and in error messages ("fc1.weight").
  std::string name;
  absl::Span<float> weights;
  absl::Span<const float> grads;
  // The tensor's shape, recorded in saved state and checked on load; empty
  // means one dimension of weights.size() elements.
  std::vector<int64_t> shape;
};

// Tensors trained with the same learning-rate scale and weight decay.
struct ParamGroup {
  std::vector<ParamTensor> tensors;
  // This group's learning rate is Step's lr times lr_scale.
  float lr_scale = 1.0f;
  // λ: decoupled weight decay, multiplied by the learning rate (the update
  // gets + λ·w before the lr scaling).
  float weight_decay = 0.0f;
};

struct StepOutcome {
  // False iff some update or state value written in this Step is NaN or
  // ±Inf (a diverging run). Weights and state have been written either way.
  bool finite = true;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One optimizer step with learning rate `lr` (the schedule's value times
  // the peak learning rate), reading the gradients currently in the grads
  // spans.
  virtual StepOutcome Step(float lr) = 0;

  // Back to the state at construction: state zero, step count zero.
  virtual void ResetState() = 0;

  // The state (format: proto/optimizer_state.proto).
  virtual OptimizerState SaveState() const = 0;
  // Replaces the state with `state`. InvalidArgument, leaving the state as it
  // was, if the state was written by another optimizer (name()) or another
  // format version, or its tensors (count, names, order, shapes), slots or
  // dtypes differ from this optimizer's; the message names the first
  // difference.
  virtual absl::Status LoadState(const OptimizerState& state) = 0;

  // "lion", "adamw", or "program:<structural hash>".
  virtual absl::string_view name() const = 0;
  // The groups, as given at construction (shapes filled in).
  virtual const std::vector<ParamGroup>& groups() const = 0;
  // Steps taken since construction, ResetState or LoadState (which restores
  // the saved count).
  virtual int64_t step_count() const = 0;

 protected:
  Optimizer() = default;
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_OPTIMIZER_H_
