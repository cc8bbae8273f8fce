// Hurdles: early stopping of a training run that is not learning, as in
// AutoML-Zero. The search sets one on every candidate (EvalRequest::hurdle)
// so that a candidate still at chance level after a short fraction of its
// steps costs that fraction, not a whole evaluation; the trainer applies it
// (TrainOptions::hurdle).
//
//   HurdleOptions h{.fraction = 0.2, .max_loss = 2.2};
//   HurdleWindow w = HurdleWindowOf(h, /*steps=*/100);  // step 20, from 11
//
// The rule: after step S = max(1, round(fraction * steps)) of each seed's
// run, the mean training loss over its last ceil(S / 2) steps (S - ceil(S
// / 2) + 1 .. S, 1-based: the later half, so that the first steps, before
// any learning, do not count) is compared with max_loss; above it (or NaN), the
// run stops and the evaluation FAILS with a reason starting "hurdle:". A
// 10-class model that predicts uniformly has loss ln 10 ≈ 2.303, so a max_loss
// a little below that stops the runs that are still at chance.
//
// Screens: a hurdle in front of the run, on a cheaper shape. Before the
// first seed's run the trainer trains a fresh model (initialised from that
// seed, batches of that seed's order) for ScreenOptions::steps steps of
// batch_size examples, with its own lr schedule over those steps and the
// request's lr and λ, and applies the hurdle rule above at the screen's last
// step (fraction 1: the mean loss over its later half) against max_loss. A
// screen that fails, by that rule or by diverging, FAILS the evaluation with
// a reason starting "screen:" and the real run never starts; one that passes
// changes nothing in the runs that follow (each starts from its own
// initialisation). On the discovery proxy (100 steps of batch 1024) a
// 60-step screen of batch 64 costs 1/27 of a run and stops nearly every
// candidate that would end below chance (docs/RESULTS.md, "Discovery,
// phase 4").
//
// Thread-safety: plain values and a pure function.
#ifndef HERO_PROXY_HURDLE_H_
#define HERO_PROXY_HURDLE_H_

#include <algorithm>
#include <cmath>

namespace hero {

struct HurdleOptions {
  // 0 = no hurdle; otherwise in (0, 1].
  double fraction = 0;
  double max_loss = 2.2;

  bool enabled() const { return fraction > 0; }
};

struct ScreenOptions {
  // 0 = no screen.
  int steps = 0;
  // At most the task's batch size.
  int batch_size = 64;
  double max_loss = 2.2;

  bool enabled() const { return steps > 0; }
};

// Where a hurdle applies in a run of `steps` steps: the loss of steps
// first..step (1-based, inclusive) is averaged and checked after `step`.
// All zero when the hurdle is disabled.
struct HurdleWindow {
  int step = 0;
  int first = 0;
};

inline HurdleWindow HurdleWindowOf(const HurdleOptions& hurdle, int steps) {
  HurdleWindow w;
  if (!hurdle.enabled() || steps < 1) return w;
  w.step = std::clamp(static_cast<int>(std::lround(hurdle.fraction * steps)), 1,
                      steps);
  w.first = w.step - (w.step + 1) / 2 + 1;
  return w;
}

}  // namespace hero

#endif  // HERO_PROXY_HURDLE_H_
