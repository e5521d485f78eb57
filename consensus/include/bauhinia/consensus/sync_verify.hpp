#pragma once
// Verification of the certificates that come with synced blocks and with a
// replica's recovery data: the same checks as a QC received in consensus
// (verify_qc: epoch, chain id, signatures against the epoch's validator set)
// plus the binding of each QC to the block it is supposed to certify. Pure and
// deterministic; used by the replica (its block sync, its recovery) and by the
// host's catch-up of committed blocks (node/sync_messages.hpp).

#include <span>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::consensus {

// The binding alone (no signatures): `qc` votes for exactly `header` — its
// block id, round, height and epoch — and names header's parent as the parent.
core::Verdict certifies(const QuorumCert& qc, const chain::BlockHeader& header);

// A committed block as the host's catch-up carries it: the header and the QC
// that certifies it (the QC the host keeps to restart from, RecoveryData::root_qc).
struct CertifiedHeader {
  const chain::BlockHeader& header;
  const QuorumCert& qc;
};

// Bounds the work one call can be made to do.
inline constexpr std::size_t kMaxCertifiedRun = 1024;

// A run of committed blocks is valid when it is not empty (at most
// kMaxCertifiedRun blocks) and:
//  - every header is of ctx's epoch and every QC passes verify_qc and
//    certifies its header (certifies above, round >= 1: never a root QC);
//  - each block is the child of the one before (parent id, height + 1) and its
//    QC names the previous block's round as the parent round, so rounds
//    strictly increase along the run;
//  - commit_qc passes verify_qc and commits the last block (its commit block
//    and height), certifying a child of it (parent id and round).
// It says nothing of where the run attaches: see verify_extends.
core::Verdict verify_committed_run(std::span<const CertifiedHeader> run,
                                   const QuorumCert& commit_qc, const EpochContext& ctx,
                                   const InjectedFaults& faults = {});

// The first block of a run is a child of `root`: parent id, height + 1 and
// the QC's parent round the root's round (0 when root ended its epoch and the
// block is the next epoch's first: its parent QC is the epoch root QC).
core::Verdict verify_extends(const chain::BlockHeader& root, const CertifiedHeader& first);

// Recovery data a replica may install: root_qc is ctx's epoch root QC for
// root, or a valid QC (verify_qc) certifying root; a commit certificate of the
// same epoch is valid and commits root. (A commit certificate of an earlier
// epoch, kept at an epoch's root to serve lagging peers, is not checked here:
// it is never used as a high QC.)
core::Verdict verify_recovery(const RecoveryData& r, const InjectedFaults& faults = {});

}  // namespace bauhinia::consensus
