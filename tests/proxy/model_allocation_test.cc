// Checks the Model contract "calls never allocate once the model is
// constructed": this binary counts the allocations made inside Forward and
// ForwardBackward — by interposing malloc (glibc), or under AddressSanitizer
// (which owns malloc) with the sanitizer's allocation hook.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "src/proxy/mlp.h"
#include "src/proxy/vit.h"
#include "tests/proxy/model_test_util.h"

#if defined(__SANITIZE_ADDRESS__)
#define HERO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HERO_ASAN 1
#endif
#endif

namespace {
int64_t malloc_calls = 0;
}  // namespace

#ifdef HERO_ASAN
#include <sanitizer/allocator_interface.h>

namespace {
// Every allocation ASan makes (malloc, operator new, aligned_alloc).
void CountAllocation(const volatile void*, size_t) { ++malloc_calls; }
void IgnoreFree(const volatile void*) {}
const int hooks_installed =
    __sanitizer_install_malloc_and_free_hooks(CountAllocation, IgnoreFree);
}  // namespace
#else
extern "C" void* __libc_malloc(size_t size);

// operator new, Eigen's aligned_malloc and the C library all end up here.
extern "C" void* malloc(size_t size) {
  ++malloc_calls;
  return __libc_malloc(size);
}
#endif

namespace hero {
namespace {

void ExpectNoAllocation(Model& model, int max_batch) {
  const auto batch = testing::MakeSyntheticBatch(max_batch, 784, 10, 1);
  std::vector<float> params(model.layout().size()), grads(params.size()),
      logits(max_batch * model.num_classes());
  model.Init(1, params.data());
  for (int n : {max_batch, 1, max_batch / 2 + 1}) {
    const int64_t before = malloc_calls;
    model.ForwardBackward(params.data(), batch.images.data(),
                          batch.labels.data(), n, grads.data());
    model.Forward(params.data(), batch.images.data(), n, logits.data());
    EXPECT_EQ(malloc_calls - before, 0) << "batch " << n;
  }
}

TEST(ModelAllocationTest, MlpDoesNotAllocate) {
  for (Activation a : {Activation::kRelu, Activation::kGelu}) {
    MlpOptions options;
    options.hidden = {256, 128};
    options.activation = a;
    auto model = MakeMlp(options, 128);
    ASSERT_TRUE(model.ok());
    ExpectNoAllocation(**model, 128);
  }
}

TEST(ModelAllocationTest, VitDoesNotAllocate) {
  auto model = MakeVit(VitOptions(), 128);
  ASSERT_TRUE(model.ok());
  ExpectNoAllocation(**model, 128);
}

TEST(ModelAllocationTest, CounterSeesAllocations) {
  const int64_t before = malloc_calls;
  auto v = std::make_unique<std::vector<float>>(1000);
  EXPECT_GT(malloc_calls - before, 0);
}

}  // namespace
}  // namespace hero
