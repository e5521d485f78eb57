#pragma once
// The background thread that prunes the state tree of a node configured with
// [ledger] state_prune_window (docs/adr/0006-state-tree-pruning.md): bounded
// slices (LedgerStore::prune_state), each one small atomic write, with a
// pause between slices so that commits (which never wait for pruning) keep
// the store to themselves most of the time; idle while nothing is due.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::node {

struct StatePruneWorkerConfig {
  std::uint64_t window = 0;                           // versions kept, >= 1
  std::size_t slice_nodes = 2000;                     // nodes per slice
  std::uint32_t pause_ms = 2;                         // between two slices while behind
  std::uint32_t idle_ms = 250;                        // between checks once caught up
  std::uint32_t retry_ms = 5000;                      // after a failed slice
  std::function<void()> on_thread_start;              // e.g. lower the thread's priority
  std::function<void(const core::Status&)> on_error;  // a slice failed (then retried)
};

class StatePruneWorker {
 public:
  // Turns on the ledger's stale-node index; start() starts the thread.
  StatePruneWorker(ledger::LedgerStore& ledger, StatePruneWorkerConfig config);
  ~StatePruneWorker();  // stop()
  StatePruneWorker(const StatePruneWorker&) = delete;
  StatePruneWorker& operator=(const StatePruneWorker&) = delete;

  void start();
  void stop();  // waits for the slice under way (one bounded write)

  std::uint64_t nodes_pruned() const noexcept { return nodes_pruned_.load(); }
  std::uint64_t slices() const noexcept { return slices_.load(); }
  std::uint64_t failures() const noexcept { return failures_.load(); }

 private:
  void run();
  // Waits `ms` or until stop(); false once stopped.
  bool pause(std::uint32_t ms);

  ledger::LedgerStore& ledger_;
  StatePruneWorkerConfig config_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<std::uint64_t> nodes_pruned_{0};
  std::atomic<std::uint64_t> slices_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace bauhinia::node
