#pragma once
// The follower's side of block sync once a LedgerSyncResponse has arrived and
// decoded (sync_messages.hpp): what Runtime::apply_sync runs before its own
// bookkeeping (mempool, health payloads, kept blocks, the replica).
//
// In order: a response without blocks or without a commit certificate is
// nothing to do; one whose first block does not extend the ledger's head is
// stale (an answer to an earlier request) and dropped before any signature is
// checked; one that fails verify_sync_response (epochs.hpp) is the peer's
// fault and refused; otherwise its blocks are executed again from their
// payloads and committed with their consensus records
// (ConsensusStore::add_committed: each block's QC, the commit certificate on
// the last) by execution::Pipeline::commit, in one atomic synced write. A
// block whose execution here disagrees with its certified header (state root,
// accumulator, next validator set, ...) is a rejection and nothing is
// written; so is a failed write (a storage error).
//
// Not thread-safe: the pipeline's owner (the node's consensus thread) calls it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/node/sync_messages.hpp"

namespace bauhinia::node {

enum class SyncApplyOutcome : std::uint8_t {
  kEmpty,         // no block or no commit certificate: nothing to do
  kStale,         // does not extend the ledger's head: dropped unchecked
  kRefused,       // fails verify_sync_response: nothing kept
  kDisagrees,     // this node's execution disagrees with a certified block: nothing written
  kStorageError,  // the commit's write failed
  kCommitted,     // every block committed with its records
};

std::string_view sync_apply_outcome_name(SyncApplyOutcome outcome);

struct SyncApplyResult {
  SyncApplyOutcome outcome = SyncApplyOutcome::kEmpty;
  // Why, for kRefused, kDisagrees and kStorageError.
  std::string reason;
  // kCommitted: the blocks committed, in order (the caller's after-commit steps).
  std::vector<execution::BlockToCommit> blocks;
};

// Applies `resp` to the ledger of `pipeline` (pipeline.store()), as above.
SyncApplyResult apply_sync_response(execution::Pipeline& pipeline, const LedgerSyncResponse& resp);

}  // namespace bauhinia::node
