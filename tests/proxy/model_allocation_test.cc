// Checks the Model contract "calls never allocate once the model is
// constructed": counts the allocations made inside Forward and
// ForwardBackward (tests/util/allocation_counter.h).
#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "src/proxy/mlp.h"
#include "src/proxy/vit.h"
#include "tests/proxy/model_test_util.h"
#include "tests/util/allocation_counter.h"

namespace hero {
namespace {

void ExpectNoAllocation(Model& model, int max_batch) {
  const auto batch = testing::MakeSyntheticBatch(max_batch, 784, 10, 1);
  std::vector<float> params(model.layout().size()), grads(params.size()),
      logits(max_batch * model.num_classes());
  model.Init(1, params.data());
  for (int n : {max_batch, 1, max_batch / 2 + 1}) {
    const int64_t before = testing_util::AllocationCount();
    model.ForwardBackward(params.data(), batch.images.data(),
                          batch.labels.data(), n, grads.data());
    model.Forward(params.data(), batch.images.data(), n, logits.data());
    EXPECT_EQ(testing_util::AllocationCount() - before, 0) << "batch " << n;
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
  const int64_t before = testing_util::AllocationCount();
  auto v = std::make_unique<std::vector<float>>(1000);
  EXPECT_GT(testing_util::AllocationCount() - before, 0);
}

}  // namespace
}  // namespace hero
