#pragma once
// What the replica asks its host to do. The host applies the effects of one
// step in order; PersistSafetyState must be durable before any later effect
// of the same list is applied (it always precedes the signed vote/timeout).

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/chain/verified_certificate.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/consensus/types.hpp"

namespace bauhinia::consensus {

// Write the state durably (fsync) before applying the next effect.
struct PersistSafetyState {
  SafetyState state;
};

// Send to one validator of the current epoch.
struct Send {
  Author to;
  Message message;
};

// Send to every other validator of the current epoch (the replica has already
// processed its own copy).
struct Broadcast {
  Message message;
};

// This replica leads `round`: pick transactions, execute them as a child of
// `parent` (on its speculative state) with round, epoch, proposer = this
// replica and a timestamp >= min_timestamp_ms, and answer ProposalBuilt.
// allow_empty == false: answer with no header if there is nothing to propose
// (the replica then waits for TransactionsAvailable or its WakeAt).
// reconfiguration_suffix: the parent ends the epoch (or descends from the
// block that does): the payload must be empty and the state unchanged.
struct BuildProposal {
  Epoch epoch = 0;
  Round round = 0;
  chain::BlockHeader parent;
  QuorumCert high_qc;  // certifies parent
  std::optional<TimeoutCertificate> tc;
  std::uint64_t min_timestamp_ms = 0;
  bool allow_empty = true;
  bool reconfiguration_suffix = false;
};

// Execute a proposed block on its parent's speculative state and answer
// BlockExecuted with the header computed. The parent was executed before (it
// was proposed by this host, executed on request, or committed).
struct ExecuteBlock {
  chain::BlockHeader header;  // as proposed
  core::Bytes payload;
  bool reconfiguration_suffix = false;  // payload is empty and must change nothing
};

struct CommittedBlock {
  chain::BlockHeader header;
  core::Bytes payload;
  QuorumCert qc;  // certifies this block (kept to restart from it: RecoveryData::root_qc)
};

// Blocks became final, in order, each the child of the previous and the first
// a child of the previously committed block; commit_cert.ledger_info()
// .commit_block is the last block's id. The host persists them atomically.
// When the last block ends its epoch, an EpochStarted effect follows.
// verified_certificate, when set, is commit_cert.certificate with the proof
// that this replica checked its signatures against the epoch's set (when the
// certificate arrived, or vote by vote when it formed here): the host hands it
// to the ledger, which then does not check them again (ADR 0007, item 4).
struct Commit {
  std::vector<CommittedBlock> blocks;
  QuorumCert commit_cert;
  std::optional<chain::VerifiedCertificate> verified_certificate;
};

// Arm (or re-arm) the replica's one round timer: it replaces any timer armed
// before (of this round or an earlier one); when it fires, deliver LocalTimeout.
struct ScheduleTimeout {
  Epoch epoch = 0;
  Round round = 0;
  std::uint64_t duration_ms = 0;
};

// Deliver Wake at time_ms (the idle-chain leader waiting to propose).
struct WakeAt {
  std::uint64_t time_ms = 0;
};

// The replica's committed root is behind a peer's: catch the ledger up to the
// block commit_cert commits (asking `peer` first), then deliver LedgerSynced.
struct SyncLedger {
  Author peer;
  QuorumCert commit_cert;
};

// Two different valid signed messages from one validator for one epoch and
// round: proof of equivocation, to be recorded on chain.
struct Evidence {
  enum class Kind : std::uint8_t { kProposal, kVote };
  Kind kind = Kind::kProposal;
  Author offender;
  Epoch epoch = 0;
  Round round = 0;
  core::Bytes first;   // encode_message of the first signed message
  core::Bytes second;  // encode_message of the conflicting one
};

// The replica moved to a new epoch (after committing its first block's parent,
// or after LedgerSynced): the host updates its peer set and metrics.
struct EpochStarted {
  EpochContext epoch;
};

// A message was refused (for logs and metrics; no action required).
struct MessageRejected {
  Author from;
  core::Rejection why;
};

// The timestamp of a proposal for the current round, against this replica's
// clock (for logs and metrics; no action required). `ahead_ms` = timestamp -
// now_ms (negative: behind): with `follows_parent` false (the leader stamped
// its own clock, not parent + 1 ms) it estimates the leader's clock offset
// minus the message's delay. `refused`: beyond the timestamp rule
// (docs/consensus.md, "Block timestamps"); the replica timed the round out.
struct ProposalTimestamp {
  Author leader;
  Round round = 0;
  std::int64_t ahead_ms = 0;
  bool follows_parent = false;
  bool refused = false;
};

// Keep this uncommitted block durably (it is in the replica's block tree). It
// precedes any vote for the block, and the host makes it durable before
// sending that vote, so a QC's block survives even if every validator
// crashes. Give the kept blocks back in RecoveryData::blocks after a restart;
// blocks at or below a committed height may be dropped after Commit.
struct PersistBlock {
  SyncBlock block;
};

using Effect = std::variant<PersistSafetyState, Send, Broadcast, BuildProposal, ExecuteBlock,
                            Commit, ScheduleTimeout, WakeAt, SyncLedger, Evidence, EpochStarted,
                            MessageRejected, PersistBlock, ProposalTimestamp>;

const char* effect_name(const Effect& effect);

}  // namespace bauhinia::consensus
