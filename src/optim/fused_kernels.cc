#include "src/optim/fused_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "src/optim/bf16.h"

namespace hero {
namespace optim {
namespace {

// The loops are plain element loops over restrict pointers that the
// compiler vectorizes (this file is compiled with -O3); vector lanes and a
// scalar remainder compute the same float operations, so they round the
// same.

inline float Load(const float* p, int64_t i) { return p[i]; }
inline float Load(const uint16_t* p, int64_t i) {
  return Bfloat16ToFloat(p[i]);
}
// x's exponent bits: all set (0x7f800000) iff x is NaN or ±Inf. The loops
// keep the largest they see, an unsigned max, which vectorizes (a float
// sum or a flag would need more instructions per element).
inline uint32_t Exponent(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & 0x7f800000u;
}

inline bool AllFinite(uint32_t largest_exponent) {
  return largest_exponent != 0x7f800000u;
}

// Stores x; returns the exponent bits of the value stored, in the place of
// a float32's (for the finiteness check).
inline uint32_t Store(float* p, int64_t i, float x) {
  p[i] = x;
  return Exponent(x);
}
inline uint32_t Store(uint16_t* p, int64_t i, float x) {
  const uint16_t b = FloatToBfloat16(x);
  p[i] = b;
  return (uint32_t{b} & 0x7f80u) << 16;
}

// hero's sign: +0 for ±0, NaN for NaN; selects, so it vectorizes to blends.
inline float Sign(float x) {
  float s = x > 0.0f ? 1.0f : 0.0f;
  s = x < 0.0f ? -1.0f : s;
  return x != x ? x : s;
}

// With kMaximize, g is negated first (exact).
template <bool kMaximize, typename M>
bool LionLoop(float* __restrict w, const float* __restrict g, M* __restrict m,
              int64_t n, const LionCoefficients& k) {
  const float lr = k.lr, lam = k.lam, a1 = k.beta1, a2 = k.beta2;
  const float c1 = 1.0f - k.beta1, c2 = 1.0f - k.beta2;
  uint32_t largest = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float gi = kMaximize ? -g[i] : g[i];
    const float mi = Load(m, i);
    const float c = c1 * gi + a1 * mi;
    const float wi = w[i];
    const float wd = wi * lam;
    const float u = (Sign(c) + wd) * lr;
    w[i] = wi - u;
    const uint32_t stored = Store(m, i, c2 * gi + a2 * mi);
    largest = std::max(largest, std::max(Exponent(u), stored));
  }
  return AllFinite(largest);
}

template <bool kMaximize, bool kBiasCorrection, typename M>
bool AdamWLoop(float* __restrict w, const float* __restrict g, M* __restrict m,
               M* __restrict v, int64_t n, const AdamWCoefficients& k) {
  const float lr = k.lr, lam = k.lam, a1 = k.beta1, a2 = k.beta2, eps = k.eps;
  const float c1 = 1.0f - k.beta1, c2 = 1.0f - k.beta2;
  const float bias1 = k.bias1, bias2_sqrt = k.bias2_sqrt;
  uint32_t largest = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float gi = kMaximize ? -g[i] : g[i];
    const float g2 = gi * gi;
    const float mn = c1 * gi + a1 * Load(m, i);
    const float vn = c2 * g2 + a2 * Load(v, i);
    const float root = std::sqrt(std::fabs(vn));
    float direction;
    if constexpr (kBiasCorrection) {
      direction = (mn / bias1) / (root / bias2_sqrt + eps);
    } else {
      direction = mn / (root + eps);
    }
    const float wi = w[i];
    const float wd = wi * lam;
    const float u = (direction + wd) * lr;
    w[i] = wi - u;
    const uint32_t ms = Store(m, i, mn);
    const uint32_t vs = Store(v, i, vn);
    largest = std::max(largest, std::max(Exponent(u), std::max(ms, vs)));
  }
  return AllFinite(largest);
}

template <typename M>
bool LionDispatch(float* w, const float* g, M* m, int64_t n,
                  const LionCoefficients& c) {
  return c.maximize ? LionLoop<true>(w, g, m, n, c)
                    : LionLoop<false>(w, g, m, n, c);
}

template <typename M>
bool AdamWDispatch(float* w, const float* g, M* m, M* v, int64_t n,
                   const AdamWCoefficients& c) {
  if (c.maximize) {
    return c.bias_correction ? AdamWLoop<true, true>(w, g, m, v, n, c)
                             : AdamWLoop<true, false>(w, g, m, v, n, c);
  }
  return c.bias_correction ? AdamWLoop<false, true>(w, g, m, v, n, c)
                           : AdamWLoop<false, false>(w, g, m, v, n, c);
}

}  // namespace

bool LionUpdate(float* w, const float* g, float* m, int64_t n,
                const LionCoefficients& c) {
  return LionDispatch(w, g, m, n, c);
}

bool LionUpdate(float* w, const float* g, uint16_t* m, int64_t n,
                const LionCoefficients& c) {
  return LionDispatch(w, g, m, n, c);
}

bool AdamWUpdate(float* w, const float* g, float* m, float* v, int64_t n,
                 const AdamWCoefficients& c) {
  return AdamWDispatch(w, g, m, v, n, c);
}

bool AdamWUpdate(float* w, const float* g, uint16_t* m, uint16_t* v, int64_t n,
                 const AdamWCoefficients& c) {
  return AdamWDispatch(w, g, m, v, n, c);
}

}  // namespace optim
}  // namespace hero
