// WorkerPool: a fixed set of threads that run the numbered work items of one
// call together, for optimizers that split large tensors across cores.
//
//   WorkerPool pool(/*num_threads=*/4);  // 3 background threads + caller
//   pool.Run(num_chunks, [&](int i) { UpdateChunk(i); });
//
// Run(n, f) calls f(0) ... f(n-1), each exactly once, spread over the
// background threads and the calling thread, and returns when all have
// returned. Items are taken in increasing order from a shared counter, so
// which thread runs which item varies; f must make each item's result
// independent of that. Run never allocates.
//
// Thread-safety: Run is called from one thread at a time. The destructor
// joins the threads.
#ifndef HERO_OPTIM_WORKER_POOL_H_
#define HERO_OPTIM_WORKER_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace hero {
namespace optim {

class WorkerPool {
 public:
  // REQUIRES: num_threads >= 1 (1: Run works on the calling thread only).
  explicit WorkerPool(int num_threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Run(int num_items, absl::FunctionRef<void(int)> f);

  int num_threads() const { return static_cast<int>(threads_.size()) + 1; }

 private:
  void WorkerLoop();
  // Takes items until none is left.
  void Drain();

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_;
  std::condition_variable done_;
  // Guarded by mu_.
  uint64_t generation_ = 0;
  int running_ = 0;  // Background threads still inside the current call.
  bool stop_ = false;
  // The current call.
  const absl::FunctionRef<void(int)>* f_ = nullptr;
  int num_items_ = 0;
  std::atomic<int> next_{0};
};

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_WORKER_POOL_H_
