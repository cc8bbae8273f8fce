#include "src/proxy/layers/parameter_specs.h"

#include <cmath>

namespace hero {

double InitRng::Normal() {
  // 1 - U is in (0, 1], so the log is finite.
  const double u1 = 1.0 - Uniform();
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

uint64_t MixSeed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

template <typename T>
void FillTensor(const InitSpec& spec, InitRng& rng, int64_t size, T* out) {
  switch (spec.kind) {
    case InitSpec::Kind::kConstant:
      for (int64_t i = 0; i < size; ++i) out[i] = static_cast<T>(spec.value);
      break;
    case InitSpec::Kind::kXavierUniform: {
      const double a = std::sqrt(6.0 / (spec.fan_in + spec.fan_out));
      for (int64_t i = 0; i < size; ++i) {
        out[i] = static_cast<T>(a * (2.0 * rng.Uniform() - 1.0));
      }
      break;
    }
    case InitSpec::Kind::kNormal:
      for (int64_t i = 0; i < size; ++i) {
        out[i] = static_cast<T>(spec.value * rng.Normal());
      }
      break;
  }
}

template <typename T>
void ParameterSpecs::Init(uint64_t seed, T* params) const {
  const std::vector<Segment>& segments = layout_.segments();
  for (size_t i = 0; i < segments.size(); ++i) {
    InitRng rng(MixSeed(seed + i));
    FillTensor(inits_[i], rng, segments[i].size, params + segments[i].offset);
  }
}

template void FillTensor<float>(const InitSpec&, InitRng&, int64_t, float*);
template void FillTensor<double>(const InitSpec&, InitRng&, int64_t, double*);
template void ParameterSpecs::Init<float>(uint64_t, float*) const;
template void ParameterSpecs::Init<double>(uint64_t, double*) const;

}  // namespace hero
