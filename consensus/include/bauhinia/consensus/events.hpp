#pragma once
// What the host feeds the replica. Every event carries the host's time now_ms
// (Unix ms in the node, logical ms in the simulator); the replica has no clock.

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/leader_election.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/types.hpp"

namespace bauhinia::consensus {

// Where a replica starts: from its constructor, or after the host caught its
// ledger up (event LedgerSynced).
struct RecoveryData {
  EpochContext epoch;                     // the epoch to run in
  chain::BlockHeader root;                // the last committed block
  QuorumCert root_qc;                     // certifies root (the epoch root QC at an epoch start)
  std::optional<QuorumCert> commit_cert;  // the certificate that committed root, if any
  // Uncommitted blocks kept by the host (Effect PersistBlock), any order;
  // those not descending from root are ignored. Each is re-executed
  // (ExecuteBlock) after Start.
  std::vector<SyncBlock> blocks;
  // The latest committed blocks up to and including root, oldest first, at
  // consecutive heights (LeaderElection::history_needed of them, fewer near
  // genesis): the committed history leader reputation looks at. Empty: the
  // replica keeps the history it has if it ends at root, else starts without.
  std::vector<CommittedRecord> history;
};

// The record of a committed block certified by `qc` (leader election).
CommittedRecord committed_record(const chain::BlockHeader& header, const QuorumCert& qc);

// First event after construction: enter the current round, arm the timer.
struct Start {
  std::uint64_t now_ms = 0;
};

// A message from a peer (the transport authenticated `from`).
struct MessageReceived {
  Author from;
  Message message;
  std::uint64_t now_ms = 0;
};

// The timer armed by ScheduleTimeout{epoch, round} fired.
struct LocalTimeout {
  Epoch epoch = 0;
  Round round = 0;
  std::uint64_t now_ms = 0;
};

// The host's answer to BuildProposal. header == nullopt: nothing to propose
// (allowed only when BuildProposal::allow_empty was false). Otherwise header
// is the executed header of a child of the requested parent for the requested
// epoch/round, with proposer = this replica, and payload its transactions
// (empty: none). next_validator_set: the new set when header.ends_epoch().
struct ProposalBuilt {
  Epoch epoch = 0;
  Round round = 0;
  std::optional<chain::BlockHeader> header;
  core::Bytes payload;
  std::optional<chain::ValidatorSet> next_validator_set;
  std::uint64_t now_ms = 0;
};

// The host's answer to ExecuteBlock. result == nullopt: the payload is invalid
// or execution failed (the replica does not vote). Otherwise the header the
// host computed; the replica votes only if it equals the proposed header.
// next_validator_set: the new set when the block ends the epoch.
struct BlockExecuted {
  Hash256 block_id;  // the id of the header given in ExecuteBlock
  std::optional<chain::BlockHeader> result;
  std::optional<chain::ValidatorSet> next_validator_set;
  std::uint64_t now_ms = 0;
};

// A WakeAt time was reached.
struct Wake {
  std::uint64_t now_ms = 0;
};

// The host's mempool went from empty to non-empty: a waiting leader proposes now.
struct TransactionsAvailable {
  std::uint64_t now_ms = 0;
};

// The host caught its ledger up to a later committed block (after SyncLedger,
// or on its own). The replica restarts from it; safety state is kept.
struct LedgerSynced {
  RecoveryData recovery;
  std::uint64_t now_ms = 0;
};

using Event = std::variant<Start, MessageReceived, LocalTimeout, ProposalBuilt, BlockExecuted, Wake,
                           TransactionsAvailable, LedgerSynced>;

std::uint64_t event_time_ms(const Event& event);

}  // namespace bauhinia::consensus
