#pragma once
// Pruning of the state tree's old versions (docs/adr/0006-state-tree-pruning.md).
//
// When the tree records stale nodes (StateTree with record_stale), applying
// version v also writes, in the same batch, one Column::kStateStale entry per
// node of version v-1's tree that is not in version v's tree:
//   be64(v) || state node key -> empty
// A node stale since v is in no tree of a version >= v (a tree refers only to
// nodes of the previous tree or to its own new nodes), so once every version
// below R may go, every node stale since a version <= R can be deleted.
//
// Progress is one kMeta entry, "state_pruned_below" -> be64(P): the versions
// below P may be incomplete and are refused; P and later are complete. A
// slice deletes a bounded number of nodes together with their index entries
// and raises P, all in ONE atomic batch, so a crash at any point leaves a
// store where the index names exactly the stale nodes not yet deleted and
// every version >= P is complete: pruning simply resumes.

#include <cstdint>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

// Column::kMeta key of the pruning progress (be64, 8 bytes).
inline constexpr std::string_view kMetaStatePrunedBelowKey = "state_pruned_below";

// Column::kStateStale key: be64(since) || node key.
Bytes state_stale_key(std::uint64_t since, ByteView node_key);

// P: the oldest version whose tree is complete (0 when never pruned).
// Corruption when the entry is not 8 bytes.
core::Result<std::uint64_t> read_state_pruned_below(const KvReader& store);

// One slice of pruning, to be written as one batch.
struct StatePruneSlice {
  WriteBatch batch;                // empty when there is nothing to do
  std::uint64_t pruned_below = 0;  // P once the batch is written
  std::size_t nodes_deleted = 0;   // node (and index) entries the batch deletes
  bool done = false;               // nothing stale since a version <= retain_from is left
};

// The next slice towards keeping only the versions >= retain_from: at most
// max_nodes stale nodes (oldest first) with their index entries, and P raised
// to the newest `since` among them (to retain_from when the slice finishes
// the work). P never decreases: `pruned_below` is the current P.
// REQUIRES: max_nodes > 0. Corruption on a malformed index entry.
core::Result<StatePruneSlice> plan_state_prune(const KvReader& store, std::uint64_t pruned_below,
                                               std::uint64_t retain_from, std::size_t max_nodes);

}  // namespace bauhinia::ledger
