#include "src/search/fingerprint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/interpreter/interpreter.h"
#include "src/util/mix64.h"

namespace hero {
namespace {

uint64_t Mix(uint64_t x) { return SplitMix64(x); }
uint64_t Combine(uint64_t seed, uint64_t v) { return HashCombine(seed, v); }

// A SplitMix64 stream: the synthetic data, identical on every platform.
class Stream {
 public:
  explicit Stream(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix(state_ += 0x9e3779b97f4a7c15ULL); }
  // Uniform integer in [lo, hi].
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  // k / 2^23 - 1 for a uniform 24-bit k: uniform in [-1, 1), exact in float.
  float Signed() {
    const int64_t k = static_cast<int64_t>(Next() >> 40);
    return static_cast<float>(std::ldexp(static_cast<double>(k), -23) - 1.0);
  }
  // 0 with probability 1/zero_one_in, else ±U · 2^e, e uniform in [lo, hi].
  float Value(int zero_one_in, int lo, int hi) {
    if (zero_one_in > 0 && Next() % zero_one_in == 0) return 0.0f;
    // Two draws, sequenced: as arguments of one call their order would be
    // the compiler's choice (GCC and Clang differ). This is the order GCC
    // used, so the fingerprints in existing journals stay valid.
    const int exponent = Int(lo, hi);
    const float mantissa = Signed();
    return std::ldexp(mantissa, exponent);
  }

 private:
  uint64_t state_;
};

// Element counts of the two synthetic parameter tensors.
constexpr int64_t kSegmentSizes[] = {32, 16};

// Codes for the values that have no magnitude to round.
constexpr uint32_t kNanCode = 0x7fc00000u;
constexpr uint32_t kInfMagnitude = 0x7f800000u;
// Magnitudes below this (the bits of 1e-30f) quantize to 0.
constexpr uint32_t kZeroBelow = 0x0da24260u;

// QuantizeForFingerprint on the bits of a float, branch-free. `round` is
// half the quantum, `mask` clears the dropped bits.
inline uint32_t QuantizeBits(uint32_t u, uint32_t round, uint32_t mask) {
  const uint32_t magnitude = u & 0x7fffffffu;
  // Rounds to nearest (ties away from zero); a carry into the exponent is
  // the correct rounding up to the next power of two, and at the top of the
  // range gives exactly the infinity code. Infinity itself is unchanged
  // (its mantissa is 0).
  const uint32_t rounded = (u & 0x80000000u) | ((magnitude + round) & mask);
  const uint32_t finite = magnitude < kZeroBelow ? 0u : rounded;
  return magnitude > kInfMagnitude ? kNanCode : finite;
}

// h, extended by the quantized values of x[0..n).
uint64_t HashValues(uint64_t h, const float* x, int64_t n, int bits) {
  const int drop = 23 - bits;
  const uint32_t round = drop > 0 ? 1u << (drop - 1) : 0u;
  const uint32_t mask = ~((1u << drop) - 1);
  uint64_t lanes[4] = {h, h ^ 0x1, h ^ 0x2, h ^ 0x3};
  int64_t i = 0;
  // Four independent multiply-rotate chains (as in xxHash), two values per
  // 64-bit word, so the loop is not one long dependency chain.
  for (; i + 8 <= n; i += 8) {
    uint32_t u[8];
    std::memcpy(u, x + i, sizeof u);
    for (int k = 0; k < 4; ++k) {
      const uint64_t word =
          QuantizeBits(u[2 * k], round, mask) |
          static_cast<uint64_t>(QuantizeBits(u[2 * k + 1], round, mask)) << 32;
      uint64_t acc = lanes[k] + word * 0xc2b2ae3d27d4eb4fULL;
      acc = (acc << 31) | (acc >> 33);
      lanes[k] = acc * 0x9e3779b185ebca87ULL;
    }
  }
  h = Combine(Combine(lanes[0], lanes[1]), Combine(lanes[2], lanes[3]));
  for (; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, x + i, sizeof u);
    h = Combine(h, QuantizeBits(u, round, mask));
  }
  return h;
}

}  // namespace

absl::Status ValidateFingerprintOptions(const FingerprintOptions& o) {
  std::vector<std::string> errors;
  if (o.steps < 1 || o.steps > 64) errors.push_back("steps must be in [1, 64]");
  if (o.mantissa_bits < 1 || o.mantissa_bits > 23) {
    errors.push_back("mantissa_bits must be in [1, 23]");
  }
  if (!std::isfinite(o.lr)) errors.push_back("lr must be finite");
  if (!std::isfinite(o.lam)) errors.push_back("lam must be finite");
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("fingerprint options: ", absl::StrJoin(errors, "; ")));
}

uint32_t QuantizeForFingerprint(float x, int mantissa_bits) {
  const int drop = 23 - mantissa_bits;
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return QuantizeBits(u, drop > 0 ? 1u << (drop - 1) : 0u, ~((1u << drop) - 1));
}

Fingerprinter::Fingerprinter(const FingerprintOptions& options)
    : options_(options) {
  const absl::Status status = ValidateFingerprintOptions(options);
  if (!status.ok()) {
    // A bug in the caller: options must be validated at the boundary.
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::abort();
  }
  layout_.Add("a", kSegmentSizes[0]);
  layout_.Add("b", kSegmentSizes[1]);
  const int64_t n = layout_.size();
  Stream stream(options.seed);
  Scenario& typical = scenarios_[0];
  Scenario& extreme = scenarios_[1];
  for (int64_t i = 0; i < n; ++i) {
    typical.w.push_back(stream.Value(0, -6, -1));
    extreme.w.push_back(stream.Value(8, -24, 10));
  }
  for (int64_t i = 0; i < options.steps * n; ++i) {
    typical.g.push_back(stream.Value(16, -12, -3));
    extreme.g.push_back(stream.Value(8, -24, 10));
  }
}

absl::StatusOr<uint64_t> Fingerprinter::Compute(const Program& program) const {
  absl::StatusOr<Analysis> analysis = Analyze(program);
  if (!analysis.ok()) return analysis.status();
  return Compute(program, *analysis);
}

absl::StatusOr<uint64_t> Fingerprinter::Compute(
    const Program& program, const Analysis& analysis) const {
  absl::StatusOr<std::unique_ptr<Interpreter>> interpreter =
      Interpreter::Create(program, layout_);
  if (!interpreter.ok()) return interpreter.status();
  const int64_t n = layout_.size();
  const int bits = options_.mantissa_bits;
  std::vector<float> buffers(4 * n);
  float* w = buffers.data();
  float* m = w + n;
  float* v = m + n;
  float* update = v + n;
  const bool live[2] = {analysis.state_is_live[0], analysis.state_is_live[1]};

  uint64_t h = Combine(0xf1f1, options_.steps);
  for (const Scenario& scenario : scenarios_) {
    std::copy(scenario.w.begin(), scenario.w.end(), w);
    std::fill(m, m + 2 * n, 0.0f);  // m and v.
    // The two slots' streams start alike, so that swapping m and v in a
    // program gives the same pair of hashes.
    uint64_t h_update = 0x0bda7e, h_slot[2] = {0x57a7e, 0x57a7e};
    for (int t = 0; t < options_.steps; ++t) {
      (*interpreter)
          ->Step({w, scenario.g.data() + t * n, m, v, update},
                 {options_.lr, options_.lam}, /*apply_update=*/true);
      h_update = HashValues(h_update, update, n, bits);
      if (live[0]) h_slot[0] = HashValues(h_slot[0], m, n, bits);
      if (live[1]) h_slot[1] = HashValues(h_slot[1], v, n, bits);
    }
    h = Combine(h, h_update);
    if (live[0] && live[1]) {
      h = Combine(h, std::min(h_slot[0], h_slot[1]));
      h = Combine(h, std::max(h_slot[0], h_slot[1]));
    } else if (live[0] || live[1]) {
      h = Combine(h, h_slot[live[0] ? 0 : 1]);
    } else {
      h = Combine(h, 0xdead);
    }
  }
  return h;
}

}  // namespace hero
