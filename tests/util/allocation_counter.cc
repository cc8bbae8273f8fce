#include "tests/util/allocation_counter.h"

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define HERO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HERO_ASAN 1
#endif
#endif

namespace {
int64_t allocations = 0;
}  // namespace

#ifdef HERO_ASAN
#include <sanitizer/allocator_interface.h>

namespace {
void CountAllocation(const volatile void*, size_t) {
  __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
}
void IgnoreFree(const volatile void*) {}
const int hooks_installed =
    __sanitizer_install_malloc_and_free_hooks(CountAllocation, IgnoreFree);
}  // namespace
#else
extern "C" void* __libc_malloc(size_t size);

extern "C" void* malloc(size_t size) {
  __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
  return __libc_malloc(size);
}
#endif

namespace hero {
namespace testing_util {

int64_t AllocationCount() {
  return __atomic_load_n(&allocations, __ATOMIC_RELAXED);
}

}  // namespace testing_util
}  // namespace hero
