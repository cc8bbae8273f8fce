// The learning-rate schedule of the proxy task, as in the paper: linear
// warm-up, then cosine decay.
//
//   double lr = peak_lr * LrFactor(step, total_steps, 0.05, 0.0);
//
// For a run of `total` steps (step = 0 .. total-1) with
// warmup = round(warmup_fraction * total) warm-up steps:
//   step < warmup:  (step + 1) / warmup
//   otherwise:      final + (1 - final) * (1 + cos(pi * p)) / 2,
//                   p = (step - warmup) / max(1, total - warmup)
// so the factor rises to 1 at the end of warm-up and decays towards `final`.
#ifndef HERO_PROXY_SCHEDULE_H_
#define HERO_PROXY_SCHEDULE_H_

#include <cstdint>

namespace hero {

double LrFactor(int64_t step, int64_t total, double warmup_fraction,
                double final_fraction);

}  // namespace hero

#endif  // HERO_PROXY_SCHEDULE_H_
