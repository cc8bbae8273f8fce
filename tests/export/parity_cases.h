// The data the export parity tests run programs on, and the reference: the
// interpreter, called as `hero trace` calls it (one parameter segment per
// tensor, m = v = 0 at the start, one Step with apply_update per gradient).
//
//   for (const ParityCase& c : ParityCases()) {
//     const Trace want = RunReference(program, c);
//     // want.w[s]: all tensors' weights after step s + 1, back to back
//   }
//
// Cases (10 steps each): ordinary values; zeros (sign(0), 0 · x); ±tiny and
// subnormal values; ±huge values (overflow: NaN-producing); NaN in the
// gradient; a mixture of all of these — over several tensors of odd sizes.
#ifndef HERO_TESTS_EXPORT_PARITY_CASES_H_
#define HERO_TESTS_EXPORT_PARITY_CASES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "src/program/program.h"

namespace hero {
namespace export_test {

inline constexpr int kSteps = 10;

struct ParityCase {
  std::string name;
  std::vector<int64_t> sizes;  // Tensor sizes.
  float lr = 1e-3f;
  float lam = 0.1f;
  std::vector<float> w0;                  // All tensors, back to back.
  std::vector<std::vector<float>> grads;  // Per step, like w0.
  int64_t total() const { return static_cast<int64_t>(w0.size()); }
};

std::vector<ParityCase> ParityCases();

// The per-op sweep: one tensor whose gradient covers special values,
// every binade of both signs and dense ranges around 0 and ±1; w0 = 0 so
// that w after one step is -op(g) exactly.
ParityCase OpSweepCase(float lam);

// The exponents λ with which `update = power(g, λ)` is swept.
std::vector<float> PowerExponents();

struct Trace {
  bool ok = true;                        // The program could be compiled.
  std::vector<std::vector<float>> w;     // After each step.
  std::vector<std::vector<float>> m, v;  // State after each step.
};

Trace RunReference(const Program& program, const ParityCase& c);

}  // namespace export_test
}  // namespace hero

#endif  // HERO_TESTS_EXPORT_PARITY_CASES_H_
