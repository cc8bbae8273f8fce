// Checks the Optimizer contract "steady-state Steps do not allocate": counts
// the allocations made inside Step (tests/util/allocation_counter.h), for
// every optimizer, with worker threads and with scattered tensors.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/optim/adamw.h"
#include "src/optim/lion.h"
#include "src/optim/program_optimizer.h"
#include "tests/optim/optim_test_util.h"
#include "tests/util/allocation_counter.h"

namespace hero {
namespace optim {
namespace {

using testing_util::FillNormal;
using testing_util::Shipped;
using testing_util::TestParams;

void ExpectStepsDoNotAllocate(Optimizer& opt, TestParams& p) {
  std::mt19937 rng(41);
  FillNormal(rng, p.g, 0.1f);
  opt.Step(1e-3f);  // The first step may set things up.
  const int64_t before = hero::testing_util::AllocationCount();
  for (int step = 0; step < 5; ++step) opt.Step(1e-3f);
  EXPECT_EQ(hero::testing_util::AllocationCount() - before, 0) << opt.name();
}

std::vector<TestParams::GroupSpec> Specs() {
  return {{{5000, 3, 700}, 1.0f, 0.1f}, {{64}, 0.5f, 0.0f}};
}

TEST(StepAllocationTest, NativeOptimizers) {
  for (int threads : {1, 3}) {
    TestParams p(Specs());
    LionOptions lion;
    lion.threading.num_threads = threads;
    lion.threading.min_elements_per_item = 256;
    ExpectStepsDoNotAllocate(**Lion::Create(p.Groups(), lion), p);
    lion.momentum_precision = Precision::kBfloat16;
    ExpectStepsDoNotAllocate(**Lion::Create(p.Groups(), lion), p);
    AdamWOptions adamw;
    adamw.threading = lion.threading;
    adamw.bias_correction = true;
    ExpectStepsDoNotAllocate(**AdamW::Create(p.Groups(), adamw), p);
  }
}

TEST(StepAllocationTest, ProgramOptimizer) {
  TestParams p(Specs());
  for (const char* name : {"hero_lion", "evolved"}) {
    ExpectStepsDoNotAllocate(
        **ProgramOptimizer::Create(Shipped(name), p.Groups()), p);
  }
  // Scattered tensors go through scratch buffers, allocated up front.
  std::vector<float> w(10), g(10);
  std::vector<ParamGroup> groups = p.Groups();
  groups[0].tensors[1].weights = absl::MakeSpan(w);
  groups[0].tensors[1].grads = absl::MakeConstSpan(g);
  groups[0].tensors[1].shape.clear();
  ExpectStepsDoNotAllocate(
      **ProgramOptimizer::Create(Shipped("evolved"), groups), p);
}

TEST(StepAllocationTest, CounterSeesAllocations) {
  const int64_t before = hero::testing_util::AllocationCount();
  auto v = std::make_unique<std::vector<float>>(1000);
  EXPECT_GT(hero::testing_util::AllocationCount() - before, 0);
}

}  // namespace
}  // namespace optim
}  // namespace hero
