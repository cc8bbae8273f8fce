// The fused update loops of the native optimizers: one pass over a tensor's
// weights, gradient and state per step, every element computed in float32
// exactly as the shipped programs configs/programs/hero_lion.py and
// adamw.py say, operation by operation (no fused multiply-add: the library
// is compiled with -ffp-contract=off), vectorized.
//
//   LionCoefficients c;
//   c.lr = 1e-4f; c.lam = 1.0f;  // paper defaults for the betas
//   bool finite = LionUpdate(w, g, m, n, c);  // m: float* or uint16_t*
//
// Lion, per element (interpolate(x, y, a) = (1 - a)·x + a·y, 1 - a rounded
// to float32 first):
//   c = interpolate(g, m, β1);  u = (sign(c) + w·λ)·lr;  w ← w − u;
//   m ← interpolate(g, m, β2)
// AdamW (the paper's Step 1 program: no bias correction by default, eps
// added to the square root as in hero's division a / (b + 1e-8)):
//   m ← interpolate(g, m, β1);  v ← interpolate(g·g, v, β2);
//   u = (m / (sqrt(|v|) + eps) + w·λ)·lr;  w ← w − u
// and with bias correction, u = ((m / (1 − β1^t)) / (sqrt(|v|) /
// sqrt(1 − β2^t) + eps) + w·λ)·lr, as PyTorch's AdamW arranges it.
// sign(±0) = +0, sign(NaN) = NaN. With `maximize`, g is negated first.
// A bfloat16 state (uint16_t*) is widened to float32, and the new value
// rounded to nearest even when stored.
//
// Each function returns true iff every update and every new state value
// (as stored) is finite. Elements are independent: the result for one never
// depends on n, the alignment or how a tensor is split into calls.
// REQUIRES: the arrays hold n elements and do not overlap.
// Thread-safety: pure functions of their arguments.
#ifndef HERO_OPTIM_FUSED_KERNELS_H_
#define HERO_OPTIM_FUSED_KERNELS_H_

#include <cstdint>

namespace hero {
namespace optim {

struct LionCoefficients {
  float lr = 0.0f;
  float lam = 0.0f;
  float beta1 = 0.9f;
  float beta2 = 0.99f;
  bool maximize = false;
};

bool LionUpdate(float* w, const float* g, float* m, int64_t n,
                const LionCoefficients& c);
bool LionUpdate(float* w, const float* g, uint16_t* m, int64_t n,
                const LionCoefficients& c);

struct AdamWCoefficients {
  float lr = 0.0f;
  float lam = 0.0f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  bool maximize = false;
  // If set, 1 − β1^t and sqrt(1 − β2^t) for this step t (1-based).
  bool bias_correction = false;
  float bias1 = 1.0f;
  float bias2_sqrt = 1.0f;
};

bool AdamWUpdate(float* w, const float* g, float* m, float* v, int64_t n,
                 const AdamWCoefficients& c);
bool AdamWUpdate(float* w, const float* g, uint16_t* m, uint16_t* v, int64_t n,
                 const AdamWCoefficients& c);

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_FUSED_KERNELS_H_
