#pragma once
// Tunables of a replica. All times are milliseconds of the host's clock, which
// reaches the replica only through events (now_ms).

#include <cstdint>
#include <string>

#include "bauhinia/consensus/injected_faults.hpp"
#include "bauhinia/consensus/types.hpp"

namespace bauhinia::consensus {

struct ReplicaConfig {
  std::string chain_id = "bauhinia-local";
  // Round timeout: base * 1.5^k with k = rounds since the last certified round
  // beyond the first (capped at max_backoff_exponent), and never above
  // round_timeout_max_ms. A round whose parent block is empty also allows for
  // the leader's idle wait; a vote re-arms the timer (replica.cpp).
  std::uint64_t round_timeout_base_ms = 3000;
  std::uint64_t round_timeout_max_ms = 60000;
  std::uint32_t max_backoff_exponent = 10;
  // Idle chain: a leader with no transactions proposes an empty block only
  // when this long has passed since the parent's timestamp (or a commit needs
  // a child block). The round timer allows for this wait.
  std::uint64_t idle_block_interval_ms = 1000;
  // Messages for rounds further ahead than this are dropped.
  std::uint64_t max_future_rounds = 1000;
  // Uncommitted blocks kept in the block tree; proposals beyond it are refused.
  std::uint32_t max_pending_blocks = 1000;
  // Blocks per sync request (1..kMaxSyncBlocks).
  std::uint32_t sync_batch_blocks = 8;
  // Largest encoded SyncResponse this replica sends (the host's frame limit):
  // it carries fewer blocks rather than more bytes, but always one block.
  std::uint64_t max_sync_response_bytes = kMaxMessageBytes;
  // A SyncLedger not followed by LedgerSynced within this long (event time)
  // may be asked again, of whichever peer next shows a commit ahead of ours:
  // the host's catch-up may be stuck on peers that do not answer.
  std::uint64_t ledger_sync_retry_ms = 10000;
  // A proposal whose timestamp is further ahead of the voter's now_ms is not voted for.
  std::uint64_t max_clock_skew_ms = 10000;
  // TEST-ONLY deliberate bugs (injected_faults.hpp): set by bauhinia-sim's --bug
  // and by tests, never by bauhinia-node. All off by default.
  InjectedFaults injected_faults = {};
};

}  // namespace bauhinia::consensus
