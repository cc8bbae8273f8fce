// AllocationCount: how many allocations this process has made so far, for
// tests of "does not allocate" contracts (Model calls, Optimizer::Step).
// Linking this library counts every allocation, on any thread: by
// interposing malloc (glibc: operator new, Eigen's aligned_malloc and the C
// library all end up there), or under AddressSanitizer — which owns malloc;
// interposing it fails an ASan CHECK at start-up — with the sanitizer's
// allocation hook (malloc, operator new, aligned_alloc).
//
//   const int64_t before = testing_util::AllocationCount();
//   model.Forward(...);
//   EXPECT_EQ(testing_util::AllocationCount() - before, 0);
//
// Thread-safety: the count is updated and read atomically.
#ifndef HERO_TESTS_UTIL_ALLOCATION_COUNTER_H_
#define HERO_TESTS_UTIL_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace hero {
namespace testing_util {

int64_t AllocationCount();

}  // namespace testing_util
}  // namespace hero

#endif  // HERO_TESTS_UTIL_ALLOCATION_COUNTER_H_
