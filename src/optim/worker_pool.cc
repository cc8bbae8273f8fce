#include "src/optim/worker_pool.h"

namespace hero {
namespace optim {

WorkerPool::WorkerPool(int num_threads) {
  for (int i = 1; i < num_threads; ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  start_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Drain() {
  for (int i = next_.fetch_add(1); i < num_items_; i = next_.fetch_add(1)) {
    (*f_)(i);
  }
}

void WorkerPool::WorkerLoop() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    Drain();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    done_.notify_one();
  }
}

void WorkerPool::Run(int num_items, absl::FunctionRef<void(int)> f) {
  if (threads_.empty() || num_items <= 1) {
    for (int i = 0; i < num_items; ++i) f(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    f_ = &f;
    num_items_ = num_items;
    next_.store(0);
    running_ = static_cast<int>(threads_.size());
    ++generation_;
  }
  start_.notify_all();
  Drain();
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return running_ == 0; });
  f_ = nullptr;
}

}  // namespace optim
}  // namespace hero
