#include "bauhinia/node/state_prune_worker.hpp"

#include <chrono>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::node {

StatePruneWorker::StatePruneWorker(ledger::LedgerStore& ledger, StatePruneWorkerConfig config)
    : ledger_(ledger), config_(std::move(config)) {
  BAUHINIA_ASSERT(config_.window >= 1 && config_.slice_nodes > 0);
  ledger_.set_state_pruning(true);
}

StatePruneWorker::~StatePruneWorker() {
  stop();
}

void StatePruneWorker::start() {
  BAUHINIA_ASSERT(!thread_.joinable());
  thread_ = std::thread([this] {
    if (config_.on_thread_start) config_.on_thread_start();
    run();
  });
}

void StatePruneWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool StatePruneWorker::pause(std::uint32_t ms) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  return !stopping_;
}

void StatePruneWorker::run() {
  bool caught_up = true;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto slice = ledger_.prune_state(config_.window, config_.slice_nodes);
    if (!slice) {
      failures_.fetch_add(1);
      if (config_.on_error) config_.on_error(slice.error());
      if (!pause(config_.retry_ms)) return;
      continue;
    }
    if (slice->nodes_deleted > 0) {
      nodes_pruned_.fetch_add(slice->nodes_deleted);
      slices_.fetch_add(1);
    }
    caught_up = slice->done;
    if (!pause(caught_up ? config_.idle_ms : config_.pause_ms)) return;
  }
}

}  // namespace bauhinia::node
