// bfloat16 storage for optimizer state: conversions to and from float32.
//
// A bfloat16 is the top 16 bits of a float32 (sign, 8 exponent bits, 7
// mantissa bits): the same range as float32 at ~3 significant digits. The
// optimizers can keep their momentum in it (half the state memory and
// traffic); they widen it to float32 to compute and round the new value back.
//
//   uint16_t b = FloatToBfloat16(0.1f);   // round to nearest, ties to even
//   float x = Bfloat16ToFloat(b);         // exact: 0.10009765625f
//
// FloatToBfloat16 rounds to nearest even; results too large for bfloat16
// round to ±Inf, as in float32 arithmetic; NaN stays NaN (made quiet, sign
// kept); subnormals are kept (no flush to zero). Both functions are
// branch-free, so loops over them vectorize.
// Thread-safety: pure functions.
#ifndef HERO_OPTIM_BF16_H_
#define HERO_OPTIM_BF16_H_

#include <cstdint>
#include <cstring>

namespace hero {
namespace optim {

// How an optimizer stores its state slots.
enum class Precision : uint8_t { kFloat32, kBfloat16 };

inline float Bfloat16ToFloat(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

inline uint16_t FloatToBfloat16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  // Adding 0x7fff plus the lowest kept bit rounds the dropped 16 bits to
  // nearest, ties to even; a carry moves into the exponent as it should
  // (up to Inf).
  const uint32_t rounded = bits + 0x7fffu + ((bits >> 16) & 1u);
  // NaN: rounding could carry it into Inf; keep the sign, set the quiet bit.
  // (x != x is one vector compare; an integer test of the bits takes three.)
  const uint32_t out = x != x ? ((bits >> 16) | 0x0040u) : (rounded >> 16);
  return static_cast<uint16_t>(out);
}

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_BF16_H_
