// Kernels on Eigen's vectorized transcendental functions (exp, expm1, log,
// log2, log1p, sin, cos, tanh). Internal to the kernels library; kernels.h
// states their semantics and contract (outputs kKernelAlignment-aligned).
#ifndef HERO_INTERPRETER_EIGEN_KERNELS_H_
#define HERO_INTERPRETER_EIGEN_KERNELS_H_

namespace hero {
namespace eigen_kernels {

#define HERO_DECLARE_KERNEL(name) \
  void name(float* out, const float* a, const float* b, const float* c, int n);
HERO_DECLARE_KERNEL(Exp)
HERO_DECLARE_KERNEL(Expm1)
HERO_DECLARE_KERNEL(Log)
HERO_DECLARE_KERNEL(Log2)
HERO_DECLARE_KERNEL(Log1p)
HERO_DECLARE_KERNEL(Sin)
HERO_DECLARE_KERNEL(Cos)
HERO_DECLARE_KERNEL(Tanh)
#undef HERO_DECLARE_KERNEL

}  // namespace eigen_kernels
}  // namespace hero

#endif  // HERO_INTERPRETER_EIGEN_KERNELS_H_
