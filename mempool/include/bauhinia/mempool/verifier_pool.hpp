#pragma once
// A small fixed pool of threads that verifies BIP-340 transaction signatures
// in parallel. The verification of incoming batches is the node's heaviest
// CPU work (about 12,800 verifications/s per core pair is the design's
// ceiling), so it runs on every core and never under the mempool's lock.
//
// Thread safety: verify() may be called from any number of threads at once;
// each call blocks until its own batch is done. The task queue is bounded
// (callers wait when it is full), so a flood of batches cannot grow memory.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "bauhinia/chain/transaction.hpp"

namespace bauhinia::mempool {

// Runs first on each thread a component starts (e.g. to lower its
// scheduling priority); empty: nothing.
using ThreadStart = std::function<void()>;

class VerifierPool {
 public:
  // threads = 0 means std::thread::hardware_concurrency() (at least 1).
  explicit VerifierPool(std::size_t threads = 0, std::size_t queue_capacity = 256,
                        ThreadStart on_thread_start = {});
  ~VerifierPool();  // finishes queued work, then joins the threads
  VerifierPool(const VerifierPool&) = delete;
  VerifierPool& operator=(const VerifierPool&) = delete;

  // For each transaction: does its BIP-340 signature verify under its
  // public_key over its signing hash? (The format checks are the caller's:
  // Transaction::validate().) Result i belongs to txs[i].
  std::vector<bool> verify(std::span<const chain::Transaction* const> txs);

  std::size_t threads() const noexcept { return workers_.size(); }

 private:
  void run();
  void push(std::function<void()> task);

  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  std::size_t capacity_;
  bool stopping_ = false;  // guarded by mutex_
  std::vector<std::thread> workers_;
};

// One signature check, the unit of work of the pool.
bool signature_valid(const chain::Transaction& tx) noexcept;

}  // namespace bauhinia::mempool
