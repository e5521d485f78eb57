#include "bauhinia/mempool/verifier_pool.hpp"

#include <algorithm>
#include <latch>
#include <memory>

namespace bauhinia::mempool {

bool signature_valid(const chain::Transaction& tx) noexcept {
  return core::schnorr::verify(tx.public_key, tx.signing_hash().view(), tx.signature);
}

VerifierPool::VerifierPool(std::size_t threads, std::size_t queue_capacity,
                           ThreadStart on_thread_start)
    : capacity_(std::max<std::size_t>(queue_capacity, 1)) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    workers_.emplace_back([this, on_thread_start] {
      if (on_thread_start) on_thread_start();
      run();
    });
  }
}

VerifierPool::~VerifierPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  for (auto& t : workers_) t.join();
}

void VerifierPool::push(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [this] { return queue_.size() < capacity_ || stopping_; });
  BAUHINIA_ASSERT_MSG(!stopping_, "VerifierPool used during destruction");
  queue_.push_back(std::move(task));
  lock.unlock();
  not_empty_.notify_one();
}

void VerifierPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    not_full_.notify_one();
    task();
  }
}

std::vector<bool> VerifierPool::verify(std::span<const chain::Transaction* const> txs) {
  if (txs.empty()) return {};
  // Chunks small enough to balance the threads, large enough to amortize a
  // queue round trip (one verification takes tens of microseconds).
  const std::size_t target_chunks = workers_.size() * 4;
  const std::size_t chunk = std::clamp<std::size_t>(txs.size() / target_chunks, 1, 64);
  const std::size_t chunks = (txs.size() + chunk - 1) / chunk;
  // Results as bytes (std::vector<bool> packs bits: threads would race).
  std::vector<std::uint8_t> ok(txs.size(), 0);
  std::latch done(static_cast<std::ptrdiff_t>(chunks));
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t begin = c * chunk;
    const std::size_t end = std::min(begin + chunk, txs.size());
    push([&ok, &done, txs, begin, end] {
      for (std::size_t i = begin; i < end; ++i) ok[i] = signature_valid(*txs[i]) ? 1 : 0;
      done.count_down();
    });
  }
  done.wait();
  return std::vector<bool>(ok.begin(), ok.end());
}

}  // namespace bauhinia::mempool
