// ParameterSpecs: a model's parameter layout plus how to initialise each
// tensor, deterministically and portably from one seed.
//
//   ParameterSpecs specs;
//   const InitSpec xavier = InitSpec::XavierUniform(784, 256);
//   int64_t w = specs.Add("fc1.weight", 784 * 256, xavier);
//   int64_t b = specs.Add("fc1.bias", 256, InitSpec::Zeros());
//   specs.Init(/*seed=*/7, params);  // params: specs.layout().size() values
//
// Determinism: segment i is filled from its own std::mt19937_64 seeded with
// SplitMix64(seed + i), so each tensor's values depend only on the seed and
// its position in the layout. The generator is fully specified by the C++
// standard; uniform variates use the top 53 bits of each output and normal
// variates use Box-Muller (one output per pair), so the same seed gives the
// same parameters on any conforming platform (up to last-ulp differences of
// libm's log/cos in the normal initialiser, which rounding to float almost
// always hides; uniform and constant initialisers are exact).
//
// Thread-safety: immutable after construction; Init is const.
#ifndef HERO_PROXY_LAYERS_PARAMETER_SPECS_H_
#define HERO_PROXY_LAYERS_PARAMETER_SPECS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "src/interpreter/parameter_layout.h"

namespace hero {

// How one parameter tensor is initialised.
struct InitSpec {
  enum class Kind { kConstant, kXavierUniform, kNormal };

  static InitSpec Zeros() { return Constant(0.0); }
  static InitSpec Ones() { return Constant(1.0); }
  static InitSpec Constant(double value) {
    InitSpec s;
    s.kind = Kind::kConstant;
    s.value = value;
    return s;
  }
  // Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).
  static InitSpec XavierUniform(int fan_in, int fan_out) {
    InitSpec s;
    s.kind = Kind::kXavierUniform;
    s.fan_in = fan_in;
    s.fan_out = fan_out;
    return s;
  }
  // N(0, stddev^2), not truncated.
  static InitSpec Normal(double stddev) {
    InitSpec s;
    s.kind = Kind::kNormal;
    s.value = stddev;
    return s;
  }

  Kind kind = Kind::kConstant;
  double value = 0.0;  // the constant, or the normal's stddev
  int fan_in = 0;
  int fan_out = 0;
};

// A portable random source for initialisers (see the file comment).
class InitRng {
 public:
  explicit InitRng(uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Standard normal, Box-Muller.
  double Normal();

 private:
  std::mt19937_64 engine_;
};

// SplitMix64 finaliser: decorrelates nearby seeds.
uint64_t MixSeed(uint64_t x);

// Fills `size` values as `spec` says.
template <typename T>
void FillTensor(const InitSpec& spec, InitRng& rng, int64_t size, T* out);

class ParameterSpecs {
 public:
  // Appends a tensor of `size` (> 0) elements; returns its offset.
  int64_t Add(std::string name, int64_t size, InitSpec init) {
    inits_.push_back(init);
    return layout_.Add(std::move(name), size);
  }

  const ParameterLayout& layout() const { return layout_; }
  const std::vector<InitSpec>& inits() const { return inits_; }

  // Writes layout().size() initial values into `params`.
  template <typename T>
  void Init(uint64_t seed, T* params) const;

 private:
  ParameterLayout layout_;
  std::vector<InitSpec> inits_;  // one per layout_ segment
};

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_PARAMETER_SPECS_H_
