#pragma once
// One replica's execution and ledger, built exactly as bauhinia-node builds
// them (node/src/runtime.cpp): a ledger::LedgerStore over the replica's own
// MemoryKvStore (its "disk", which survives a crash), a contracts::Executor
// with every module of contracts::ModuleSet (the one registration point) and
// an execution::Pipeline that builds, executes and commits blocks. A restart
// reopens the LedgerStore from the disk (LedgerStore::open checks the latest
// block) and starts a fresh Pipeline, as a restarted node does.
//
// Consensus records, as node::ConsensusStore keeps them:
//   ledger disk, Column::kSafety "c" || be64(height) -> CommittedQcs, written
//       in the ledger's commit batch (Pipeline::commit's host records), so they
//       are durable exactly with their blocks;
//   consensus disk (the node's second database), written synced one by one:
//       Column::kSafety    "state"                    -> consensus::SafetyState
//       Column::kBlockBody "p" || be64(height) || id  -> consensus::SyncBlock
//       (PersistBlock: uncommitted blocks kept across a crash, pruned once
//       committed past).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::sim {

using core::Hash256;

// What consensus needs of a committed block to restart from it or to serve it
// to a syncing peer (the node's CommittedQcs, node/consensus_store.hpp).
struct CommittedQcs {
  consensus::QuorumCert qc;                        // certifies the block
  std::optional<consensus::QuorumCert> commit_qc;  // commits it (last block of a commit)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.qc);
    c.optional(s.commit_qc, [](auto& cc, auto& q) { cc.object(q); });
  }
};

// A committed block as the host serves it to a syncing peer.
struct SyncedBlock {
  chain::BlockHeader header;
  core::Bytes payload;       // execution::BlockPayload encoding (empty: no transactions)
  consensus::QuorumCert qc;  // certifies header

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.header);
    c.bytes(s.payload, consensus::kMaxPayloadBytes, "payload");
    c.object(s.qc);
  }
  friend bool operator==(const SyncedBlock&, const SyncedBlock&) = default;
};

// Headers of executed uncommitted blocks remembered by the host (for
// Byzantine proposals on older branches), at most.
inline constexpr std::size_t kMaxRememberedHeaders = 4096;

class ReplicaLedger {
 public:
  // Opens (or, on an empty disk, initialises with `genesis`) the ledger on
  // `disk` and the consensus records on `consensus_disk`; both must outlive
  // the result, as must `modules`.
  static core::Result<std::unique_ptr<ReplicaLedger>> open(ledger::MemoryKvStore& disk,
                                                           ledger::MemoryKvStore& consensus_disk,
                                                           const ledger::GenesisSpec& genesis,
                                                           const contracts::ModuleSet& modules);
  ~ReplicaLedger();
  ReplicaLedger(const ReplicaLedger&) = delete;
  ReplicaLedger& operator=(const ReplicaLedger&) = delete;

  // ---- the node's execution path (execution::Pipeline) ------------------------

  core::Result<core::Checked<execution::BuiltProposal>> build(
      const chain::BlockHeader& parent, const execution::BlockTemplate& tmpl,
      std::span<const chain::IdentifiedTransaction> candidates);
  core::Result<core::Checked<chain::BlockHeader>> execute(const chain::BlockHeader& proposed,
                                                          core::ByteView payload,
                                                          bool reconfiguration_suffix);
  // Commits consensus' Commit (blocks that extend the committed root), with
  // their CommittedQcs in the same atomic write, like the node's commit().
  // `verified`, when given, is commit_cert's certificate as the replica
  // verified it (consensus::Commit::verified_certificate).
  core::Result<core::Verdict> commit(std::span<const consensus::CommittedBlock> blocks,
                                     const consensus::QuorumCert& commit_cert,
                                     const chain::VerifiedCertificate* verified = nullptr);

  std::vector<Hash256> pending_transactions(const Hash256& block_id) const {
    return pipeline_->pending_transactions(block_id);
  }
  // The next epoch's set named by an executed block that ends its epoch.
  std::optional<chain::ValidatorSet> next_validator_set(const Hash256& block_id) const {
    return pipeline_->next_validator_set(block_id);
  }
  const contracts::StateReader& committed_state() const { return pipeline_->committed_state(); }
  const ledger::LedgerStore& ledger() const noexcept { return *ledger_; }

  // ---- the committed ledger ------------------------------------------------------

  std::uint64_t committed_height() const { return ledger_->latest_height(); }
  chain::BlockHeader committed_header() const { return ledger_->latest_header(); }
  Hash256 committed_id() const { return ledger_->latest_header().id(); }
  // The context of the epoch of the ledger's next block (the node's
  // ledger_epoch_context): its validator set, recorded by the ledger when it
  // committed the block that ended the previous epoch, and that block as root.
  const consensus::EpochContext& epoch_context() const noexcept { return epoch_; }
  // The QC certifying the committed root (the epoch root QC at genesis and at
  // the block that ended the previous epoch) and the certificate that
  // committed it (nullopt at genesis; the previous epoch's at an epoch root).
  const consensus::QuorumCert& root_qc() const noexcept { return root_qc_; }
  const std::optional<consensus::QuorumCert>& commit_cert() const noexcept { return commit_cert_; }
  // A committed block (1 <= height <= committed_height()) as a peer is served it,
  // and the certificate committing it (only the last block of each commit has one).
  core::Result<SyncedBlock> synced_block(std::uint64_t height) const;
  core::Result<std::optional<consensus::QuorumCert>> commit_qc_at(std::uint64_t height) const;
  // The commit QC of the block that ended `epoch`, an epoch before the
  // ledger's current one (what the node's answer_past_epoch sends a peer
  // stuck in it); nullopt when there is none.
  std::optional<consensus::QuorumCert> epoch_end_cert(consensus::Epoch epoch) const;
  // The last `count` committed blocks up to the latest as leader election
  // sees them (RecoveryData::history; the node's committed_history).
  core::Result<std::vector<consensus::CommittedRecord>> committed_history(std::size_t count) const;
  // Ids of the committed blocks at heights 1..committed_height().
  core::Result<std::vector<Hash256>> committed_ids() const;

  // The header of the committed root or of a block executed here since the
  // last (re)start, nullopt otherwise.
  std::optional<chain::BlockHeader> header_of(const Hash256& id) const;

  // ---- consensus records -----------------------------------------------------------

  core::Status persist_safety(const consensus::SafetyState& state);
  core::Result<consensus::SafetyState> load_safety() const;
  core::Status persist_block(const consensus::SyncBlock& block);
  // The kept uncommitted blocks above the committed root, in height order.
  core::Result<std::vector<consensus::SyncBlock>> kept_blocks() const;

 private:
  ReplicaLedger() = default;
  core::Status load_root_records();  // epoch_, root_qc_, commit_cert_ from the ledger
  void remember(const chain::BlockHeader& header);

  std::unique_ptr<ledger::LedgerStore> ledger_;
  ledger::MemoryKvStore* consensus_disk_ = nullptr;
  std::unique_ptr<contracts::Executor> executor_;
  std::unique_ptr<execution::Pipeline> pipeline_;
  consensus::EpochContext epoch_;
  consensus::QuorumCert root_qc_;
  std::optional<consensus::QuorumCert> commit_cert_;
  std::map<Hash256, chain::BlockHeader> headers_;  // executed, uncommitted
};

}  // namespace bauhinia::sim
