#include "bauhinia/mempool/gossip_batcher.hpp"

#include <algorithm>
#include <utility>

#include "bauhinia/core/status.hpp"

namespace bauhinia::mempool {

GossipBatcher::GossipBatcher(GossipBatcherConfig config, Sink sink)
    : config_(config), sink_(std::move(sink)) {
  BAUHINIA_ASSERT(config_.max_transactions >= 1);
  BAUHINIA_ASSERT(config_.max_bytes >= 1);
  BAUHINIA_ASSERT(config_.max_pending_transactions >= config_.max_transactions);
  BAUHINIA_ASSERT(sink_ != nullptr);
  thread_ = std::thread([this] {
    if (config_.on_thread_start) config_.on_thread_start();
    run();
  });
}

GossipBatcher::~GossipBatcher() {
  stop();
}

bool GossipBatcher::add(core::ByteView transaction) {
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= config_.max_pending_transactions) {
      ++stats_.refused;
      return false;
    }
    const bool was_empty = queue_.empty();
    queue_.push_back(Item{core::Bytes(transaction.begin(), transaction.end()), Clock::now()});
    queued_bytes_ += transaction.size();
    ++stats_.added;
    // The thread sleeps without a deadline while the queue is empty, and until
    // the oldest item's deadline otherwise: wake it for a new deadline or a
    // full batch only.
    wake = was_empty || full_locked();
  }
  if (wake) wake_.notify_one();
  return true;
}

void GossipBatcher::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

GossipBatcherStats GossipBatcher::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

bool GossipBatcher::full_locked() const {
  return queue_.size() >= config_.max_transactions || queued_bytes_ >= config_.max_bytes;
}

std::vector<core::Bytes> GossipBatcher::take_batch_locked() {
  std::vector<core::Bytes> batch;
  batch.reserve(std::min(queue_.size(), config_.max_transactions));
  std::size_t bytes = 0;
  while (!queue_.empty() && batch.size() < config_.max_transactions) {
    const std::size_t size = queue_.front().bytes.size();
    if (!batch.empty() && bytes + size > config_.max_bytes) break;
    bytes += size;
    queued_bytes_ -= size;
    batch.push_back(std::move(queue_.front().bytes));
    queue_.pop_front();
  }
  return batch;
}

void GossipBatcher::run() {
  const auto interval = std::chrono::milliseconds(config_.interval_ms);
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) return;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    const bool full = full_locked();
    if (!full && !stopping_) {
      const Clock::time_point due = queue_.front().added + interval;
      if (Clock::now() < due) {
        wake_.wait_until(lock, due, [this] { return stopping_ || full_locked(); });
        continue;  // re-evaluate: full, due, or stopping
      }
    }
    std::vector<core::Bytes> batch = take_batch_locked();
    ++stats_.batches;
    if (full) ++stats_.flushed_full;
    lock.unlock();
    sink_(std::move(batch));
    lock.lock();
  }
}

}  // namespace bauhinia::mempool
