// WorkerPool: every item runs exactly once per call, across many calls.
#include "src/optim/worker_pool.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace optim {
namespace {

TEST(WorkerPoolTest, RunsEveryItemOncePerCall) {
  for (int threads : {1, 2, 4}) {
    WorkerPool pool(threads);
    EXPECT_EQ(pool.num_threads(), threads);
    std::vector<std::atomic<int>> count(37);
    for (int call = 0; call < 500; ++call) {
      const int n = call % 38;  // Including 0 and 1 items.
      pool.Run(n, [&](int i) { count[i].fetch_add(1); });
    }
    for (int i = 0; i < 37; ++i) {
      // Item i ran in every call with n > i: calls with call % 38 > i.
      int expected = 0;
      for (int call = 0; call < 500; ++call) expected += call % 38 > i;
      EXPECT_EQ(count[i].load(), expected) << "threads " << threads;
    }
  }
}

}  // namespace
}  // namespace optim
}  // namespace hero
