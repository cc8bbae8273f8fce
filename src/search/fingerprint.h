// Functional fingerprint: a 64-bit summary of what a program computes.
//
// As in AutoML-Zero's functional equivalence checking, the program is run
// for a few steps on a small fixed synthetic problem and the quantized
// outputs are hashed, so that programs that differ in form but compute the
// same update (`x + x` and `2 * x`, `x * 1.0` and `x`, a different but
// equivalent order of operations that rounds alike) share a fingerprint, and
// the fitness cache can reuse an evaluation. Its complement is the
// structural hash (structural_hash.h), which is cheaper but only sees
// renaming, reordering, commutation and dead code.
//
// The problem: two parameter tensors (32 and 16 elements) and two scenarios,
// each run from m = v = 0 for `steps` steps with lr = 1e-3 and λ = 0.1 and the
// update applied to w. Each value is U·2^e, U uniform in [-1, 1) and e
// uniform in a range, or an exact zero:
//   - "typical", like real training: w with e in [-6, -1]; g with e in
//     [-12, -3] and 1 in 16 zeros;
//   - "extreme", where e.g. arcsin, log and division by small values tell
//     programs apart: w and g with e in [-24, 10] and 1 in 8 zeros.
// Two scenarios, not one: a program that overflows on the extreme one (say
// arcsin of a large gradient, spread everywhere by a global norm) still has
// its typical-scenario outputs to tell it apart from other programs that
// overflow. The data come from a fixed SplitMix64 stream and are exactly
// representable (±k/2^23 · 2^e), so they are the same on every machine.
//
// What is hashed, per scenario and step: the returned update, and each state
// slot (m, v) only if it is live (analysis.h), so dead state does not split
// otherwise equal programs. Live slots are combined order-independently: a
// program keeping its momentum in v instead of m computes the same optimizer.
//
// Quantization: each value keeps its sign, exponent and its top
// `mantissa_bits` mantissa bits, rounded to nearest (13 bits: relative
// resolution 2^-13 ≈ 1.2e-4, about 4 significant decimal digits); |x| < 1e-30
// (including -0 and denormals) counts as 0; NaN and ±Inf map to fixed codes.
// Rounding noise (an op order that differs in the last bit) changes the
// fingerprint only when a value sits at a rounding boundary — a cache miss,
// not a wrong answer; a real difference (a constant 0.9 vs 0.8) changes it.
// Limits (false merges): programs that agree on this problem agree here,
// e.g. two whose update is NaN everywhere, or dominated by a huge term that
// hides the rest below the quantum; such programs fail evaluation anyway.
//
// The hash (xxHash-style multiply-rotate lanes, SplitMix64 finaliser) is
// fixed code, not absl::Hash: stable across runs, builds and machines (given
// the same libm results), so it can be stored in journals.
//
//   Fingerprinter fingerprinter;  // Build once; reuse for every candidate.
//   absl::StatusOr<uint64_t> fp = fingerprinter.Compute(program, analysis);
//
// Thread-safety: Compute is const and keeps no shared mutable state (it
// builds its interpreter and buffers per call), so one Fingerprinter may be
// used from several threads at once.
#ifndef HERO_SEARCH_FINGERPRINT_H_
#define HERO_SEARCH_FINGERPRINT_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/interpreter/parameter_layout.h"
#include "src/program/analysis.h"
#include "src/program/program.h"

namespace hero {

struct FingerprintOptions {
  // Steps per scenario (1..64).
  int steps = 5;
  float lr = 1e-3f;
  float lam = 0.1f;
  // Mantissa bits kept when quantizing (1..23).
  int mantissa_bits = 13;
  // Seed of the synthetic data. Fingerprints from different seeds (or
  // options) are not comparable.
  uint64_t seed = 0x6865726f66707631ULL;  // "herofpv1"
};

// OK iff the options are in range; the message names every bad field.
absl::Status ValidateFingerprintOptions(const FingerprintOptions& options);

// The quantization code of `x` (see above): equal codes for values equal
// to `mantissa_bits` bits. REQUIRES: 1 <= mantissa_bits <= 23.
uint32_t QuantizeForFingerprint(float x, int mantissa_bits);

class Fingerprinter {
 public:
  // REQUIRES: ValidateFingerprintOptions(options).ok() (checked).
  explicit Fingerprinter(const FingerprintOptions& options = {});

  // The fingerprint of `program`. REQUIRES: `analysis` is Analyze(program).
  // Fails only if the interpreter cannot compile the program.
  absl::StatusOr<uint64_t> Compute(const Program& program,
                                   const Analysis& analysis) const;
  // The same, analysing the program first (InvalidArgument if invalid).
  absl::StatusOr<uint64_t> Compute(const Program& program) const;

  const FingerprintOptions& options() const { return options_; }
  const ParameterLayout& layout() const { return layout_; }

 private:
  struct Scenario {
    std::vector<float> w;  // Initial weights.
    std::vector<float> g;  // steps × layout size gradients, step-major.
  };

  FingerprintOptions options_;
  ParameterLayout layout_;
  Scenario scenarios_[2];
};

}  // namespace hero

#endif  // HERO_SEARCH_FINGERPRINT_H_
