#pragma once
// Outbound transaction gossip in batches: the node adds every transaction it
// admitted from a client, and a flush thread hands them to the sender (one
// frame per peer per batch) when a batch is full or when the oldest
// transaction in it has waited interval_ms. This replaces one frame per
// transaction per peer, whose encryption, system calls and wake-ups cost more
// than the transactions themselves.
//
// Order: transactions are flushed in the order add() was called, so the
// transactions of one account (submitted in sequence order) stay in order.
// Bounds: a batch holds at most max_transactions and max_bytes (a single
// transaction larger than max_bytes travels alone); at most
// max_pending_transactions wait in total: beyond that add() refuses (gossip
// is best effort: the origin still proposes the transaction itself).
//
// Thread safety: add() from any number of threads; the sink runs on the
// batcher's own thread, one call at a time.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bauhinia/core/bytes.hpp"

namespace bauhinia::mempool {

struct GossipBatcherConfig {
  std::uint32_t interval_ms = 10;      // longest wait of a transaction before its batch leaves
  std::size_t max_transactions = 500;  // per batch
  std::size_t max_bytes = 1U << 20;    // per batch (encoded transactions)
  std::size_t max_pending_transactions = 20'000;  // waiting in total
  std::function<void()> on_thread_start;          // first thing on the flush thread
};

struct GossipBatcherStats {
  std::uint64_t added = 0;
  std::uint64_t refused = 0;       // add() over max_pending_transactions
  std::uint64_t batches = 0;       // sink calls
  std::uint64_t flushed_full = 0;  // batches that left because they were full
};

class GossipBatcher {
 public:
  using Sink = std::function<void(std::vector<core::Bytes> batch)>;

  GossipBatcher(GossipBatcherConfig config, Sink sink);
  ~GossipBatcher();  // stop()
  GossipBatcher(const GossipBatcher&) = delete;
  GossipBatcher& operator=(const GossipBatcher&) = delete;

  // Queues one encoded transaction; false when the pending bound is reached
  // (the transaction is not gossiped) or after stop().
  bool add(core::ByteView transaction);
  // Flushes what is pending, then joins the thread. Idempotent.
  void stop();

  GossipBatcherStats stats() const;
  const GossipBatcherConfig& config() const noexcept { return config_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Item {
    core::Bytes bytes;
    Clock::time_point added;
  };

  void run();
  // REQUIRES: mutex_ held. Is a full batch waiting?
  bool full_locked() const;
  // REQUIRES: mutex_ held. Moves the next batch out of the queue.
  std::vector<core::Bytes> take_batch_locked();

  const GossipBatcherConfig config_;
  const Sink sink_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;  // guarded by mutex_
  std::size_t queued_bytes_ = 0;
  bool stopping_ = false;
  GossipBatcherStats stats_;
  std::thread thread_;
};

}  // namespace bauhinia::mempool
