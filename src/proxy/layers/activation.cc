#include "src/proxy/layers/activation.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

namespace hero {
namespace {

template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// dx = dy where x > 0, else 0. Eigen's select() compiles to a branch per
// element (mispredicted half the time on random signs) and GCC does not
// vectorise the plain loop at -O2, so this uses Eigen's packet primitives:
// compare to a mask, then and.
template <typename T>
void ReluBackward(int64_t size, const T* x, const T* dy, T* dx) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<T>::type;
  constexpr int kLanes = ei::packet_traits<T>::size;
  const Packet zero = ei::pset1<Packet>(T(0));
  int64_t i = 0;
  for (; i + kLanes <= size; i += kLanes) {
    const Packet mask = ei::pcmp_lt(zero, ei::ploadu<Packet>(x + i));
    ei::pstoreu(dx + i, ei::pand(mask, ei::ploadu<Packet>(dy + i)));
  }
  for (; i < size; ++i) dx[i] = x[i] > T(0) ? dy[i] : T(0);
}

}  // namespace

const char* ActivationName(Activation a) {
  return a == Activation::kRelu ? "relu" : "gelu";
}

template <typename T>
void ActivationForward(Activation a, int64_t size, const T* x, T* y, T* cdf) {
  const ConstArrayMap<T> xa(x, size);
  ArrayMap<T> ya(y, size);
  if (a == Activation::kRelu) {
    ya = xa.max(T(0));
  } else if (cdf == nullptr) {
    ya = T(0.5) * xa * (T(1) + (xa * T(kSqrtHalf)).erf());
  } else {
    ArrayMap<T> phi(cdf, size);
    phi = T(0.5) + T(0.5) * (xa * T(kSqrtHalf)).erf();
    ya = xa * phi;
  }
}

template <typename T>
void ActivationBackward(Activation a, int64_t size, const T* x, const T* cdf,
                        const T* dy, T* dx) {
  if (a == Activation::kRelu) {
    ReluBackward(size, x, dy, dx);
    return;
  }
  const ConstArrayMap<T> xa(x, size);
  const ConstArrayMap<T> dya(dy, size);
  ArrayMap<T> dxa(dx, size);
  // d/dx [x Phi(x)] = Phi(x) + x phi(x).
  const auto density = xa * T(kInvSqrt2Pi) * (T(-0.5) * xa.square()).exp();
  if (cdf == nullptr) {
    dxa = dya * (T(0.5) + T(0.5) * (xa * T(kSqrtHalf)).erf() + density);
  } else {
    dxa = dya * (ConstArrayMap<T>(cdf, size) + density);
  }
}

#define HERO_INSTANTIATE(T)                                                    \
  template void ActivationForward<T>(Activation, int64_t, const T*, T*, T*);   \
  template void ActivationBackward<T>(Activation, int64_t, const T*, const T*, \
                                      const T*, T*);
HERO_INSTANTIATE(float)
HERO_INSTANTIATE(double)
#undef HERO_INSTANTIATE

}  // namespace hero
