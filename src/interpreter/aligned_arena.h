// AlignedArena: one kKernelAlignment-aligned allocation of floats, the
// interpreter's scratch space, carved into blocks by its owner.
//
//   AlignedArena arena(n);
//   float* block = arena.data() + k * block_size;
//
// Thread-safety: the usual for memory; owns its allocation (not copyable).
#ifndef HERO_INTERPRETER_ALIGNED_ARENA_H_
#define HERO_INTERPRETER_ALIGNED_ARENA_H_

#include <algorithm>
#include <cstddef>
#include <new>

#include "src/interpreter/kernels.h"

namespace hero {

class AlignedArena {
 public:
  explicit AlignedArena(size_t floats)
      : data_(static_cast<float*>(
            ::operator new[](std::max<size_t>(floats, 1) * sizeof(float),
                             std::align_val_t(kKernelAlignment)))) {}
  ~AlignedArena() {
    ::operator delete[](data_, std::align_val_t(kKernelAlignment));
  }
  AlignedArena(const AlignedArena&) = delete;
  AlignedArena& operator=(const AlignedArena&) = delete;

  float* data() const { return data_; }

 private:
  float* data_;
};

}  // namespace hero

#endif  // HERO_INTERPRETER_ALIGNED_ARENA_H_
