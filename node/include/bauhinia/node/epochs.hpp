#pragma once
// The node in any epoch (docs/consensus.md, "Epoch changes"): the consensus
// context of the ledger's current epoch, the replica's recovery data from the
// ledger and the consensus records, the check of a catch-up response, and the
// answer to a peer stuck in an earlier epoch. Everything here is derived from
// this node's own ledger: a validator set is never taken from a peer, it is
// the one the ledger recorded when it committed (and executed) the block that
// ended the previous epoch, certified by that epoch's quorum.

#include <optional>

#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/sync_messages.hpp"

namespace bauhinia::node {

// The context of the epoch of the ledger's next block: its validator set
// (LedgerStore::current_validator_set()) and its root, the block that ended
// the previous epoch (or genesis in the genesis epoch).
core::Result<consensus::EpochContext> ledger_epoch_context(const ledger::LedgerStore& ledger);

// Where the replica restarts: the ledger's latest block, certified by its
// stored QC, or by the epoch's root QC when it is the block that ended the
// previous epoch (the previous epoch's commit certificate then comes along
// to serve peers still in it). Corruption when the records fail
// consensus::verify_recovery. Kept uncommitted blocks are not included.
core::Result<consensus::RecoveryData> recovery_from_ledger(const ledger::LedgerStore& ledger,
                                                           const ConsensusStore& records);

// The committed history leader election looks at (RecoveryData::history):
// the last `count` committed blocks up to the ledger's latest, oldest first,
// each with the signers of the QC that certifies it. It stops short (older
// blocks left out) at genesis or at a block whose records are missing.
core::Result<std::vector<consensus::CommittedRecord>> committed_history(
    const ledger::LedgerStore& ledger, const ConsensusStore& records, std::size_t count);

// A catch-up response is valid when its run of blocks passes
// consensus::verify_committed_run against the ledger's current epoch (every
// QC and the commit QC signed by that epoch's set), extends the ledger's head,
// carries each block's own payload (execution::check_payload), and only its
// last block may end the epoch (the next epoch's blocks come in the next
// response, checked against the next set, which this node derives by
// executing the certified block that ended the epoch).
core::Verdict verify_sync_response(const ledger::LedgerStore& ledger,
                                   const LedgerSyncResponse& resp);

// A peer's consensus SyncRequest for an epoch before `current_epoch` (the
// replica only answers for its own epoch and the one before): the commit
// certificate that ended the requested epoch, from the ledger, so that a node
// any number of epochs behind learns how far to catch up. nullopt when the
// epoch is not a past one of this ledger or its records are missing.
std::optional<consensus::SyncResponse> answer_past_epoch(const ledger::LedgerStore& ledger,
                                                         const ConsensusStore& records,
                                                         const consensus::SyncRequest& request,
                                                         consensus::Epoch current_epoch);

}  // namespace bauhinia::node
