// LedgerStore: pruning the state tree's old versions (state_pruner.hpp).

#include "bauhinia/core/assert.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::ledger {

core::Result<StatePruneSlice> LedgerStore::prune_state(std::uint64_t window,
                                                       std::size_t max_nodes) {
  BAUHINIA_ASSERT(window >= 1 && max_nodes > 0);
  std::lock_guard lock(prune_mutex_);
  const std::uint64_t latest = latest_height();
  const std::uint64_t retain_from = latest >= window - 1 ? latest - (window - 1) : 0;
  const std::uint64_t pruned_below = state_pruned_below_.load();
  auto slice = plan_state_prune(*kv_, pruned_below, retain_from, max_nodes);
  if (!slice) return slice;
  if (slice->batch.size() == 0) return slice;
  // Readers check the progress before reading: refuse the versions this
  // slice damages before it is written.
  state_pruned_below_.store(slice->pruned_below);
  if (core::Status s = kv_->write(slice->batch, false); !s) return s;
  return slice;
}

}  // namespace bauhinia::ledger
