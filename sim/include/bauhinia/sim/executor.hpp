#pragma once
// One replica's execution and committed ledger, as its host keeps them:
// blocks run the synthetic workload (workload.hpp) through the real ledger
// code, the transaction accumulator and the state tree, over the replica's own
// MemoryKvStore, which is its "disk" and survives a crash.
//
// Executed-but-uncommitted blocks stay speculative: each keeps its write batch
// and its accumulator frontier, and a child executes over an OverlayStore of
// the committed store plus its uncommitted ancestors' batches, so two sibling
// blocks at one height never see each other's writes. A commit writes the
// blocks' batches and the host's records in one atomic batch.
//
// Host records (local formats of the simulator, never hashed or signed):
//   Column::kMeta        "latest"     -> be64(height)
//   Column::kBlockHeader be64(height) -> StoredBlock (header, payload, QC certifying it)
//   Column::kCertificate be64(height) -> QuorumCert committing that height (last of a commit)
//   Column::kSafety      "state"      -> consensus::SafetyState
//   Column::kBlockBody   "p" || be64(height) || id -> consensus::SyncBlock (PersistBlock:
//                        uncommitted blocks kept across a crash, dropped once committed past)

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::sim {

using core::Hash256;

// A committed block as the host stores it and serves it to a syncing peer.
struct StoredBlock {
  chain::BlockHeader header;
  core::Bytes payload;
  consensus::QuorumCert qc;  // certifies header (the epoch root QC for genesis)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.header);
    c.bytes(s.payload, consensus::kMaxPayloadBytes, "payload");
    c.object(s.qc);
  }
  friend bool operator==(const StoredBlock&, const StoredBlock&) = default;
};

// Uncommitted executed blocks kept at most (older ones are dropped first).
inline constexpr std::size_t kMaxSpeculativeBlocks = 4096;

class Executor {
 public:
  // Writes the genesis block (empty state at version 0) into an empty store.
  static chain::BlockHeader write_genesis(ledger::KvStore& store, const std::string& chain_id,
                                          const chain::ValidatorSet& set,
                                          std::uint64_t timestamp_ms);

  // Opens the committed ledger of `store` (written by write_genesis and commits).
  static core::Result<Executor> open(ledger::KvStore& store);

  // Executes `payload` as a child of header.parent_hash (the committed root or
  // an executed block) and returns `header` with the transactions root,
  // accumulator root and size and the state root filled in. An undecodable
  // payload or an unknown parent is a rejection.
  core::Checked<chain::BlockHeader> execute(chain::BlockHeader header, core::ByteView payload);

  // Commits blocks that extend the committed root, in order: each is executed
  // (again, if needed) and must match its header exactly; then everything is
  // written in one batch. A mismatch is a rejection (the replica's execution
  // disagrees with a certified header) and changes nothing.
  core::Verdict commit(const std::vector<consensus::CommittedBlock>& blocks,
                       const consensus::QuorumCert& commit_cert);

  const StoredBlock& committed_root() const noexcept { return root_; }
  std::uint64_t committed_height() const noexcept { return root_.header.height; }
  Hash256 committed_id() const { return root_id_; }
  // The latest commit certificate (nullopt at genesis).
  const std::optional<consensus::QuorumCert>& commit_cert() const noexcept { return commit_cert_; }

  // Committed blocks (height >= 1) from the store, for ledger sync and checks.
  core::Result<std::optional<StoredBlock>> stored_block(std::uint64_t height) const;
  core::Result<std::optional<consensus::QuorumCert>> stored_certificate(std::uint64_t height) const;
  // Ids of the committed blocks at heights 1..committed_height().
  core::Result<std::vector<Hash256>> committed_ids() const;

  // Persists the safety state (its own synced write).
  core::Status persist_safety(const consensus::SafetyState& state);
  core::Result<consensus::SafetyState> load_safety() const;

  // Keeps an uncommitted block durably (Effect PersistBlock).
  core::Status persist_block(const consensus::SyncBlock& block);
  // The kept uncommitted blocks above the committed root, in height order.
  core::Result<std::vector<consensus::SyncBlock>> kept_blocks() const;

  // The header of the committed root or of an executed uncommitted block.
  std::optional<chain::BlockHeader> header_of(const Hash256& id) const;

  std::size_t speculative_blocks() const noexcept { return speculative_.size(); }

 private:
  struct Speculative {
    chain::BlockHeader header;
    Hash256 parent_id;
    ledger::WriteBatch writes;        // state tree and accumulator writes
    ledger::Accumulator accumulator;  // after the block
  };
  explicit Executor(ledger::KvStore& store) : store_(&store) {}
  void prune();

  ledger::KvStore* store_;
  StoredBlock root_;
  Hash256 root_id_;
  ledger::Accumulator root_accumulator_;
  std::optional<consensus::QuorumCert> commit_cert_;
  std::map<Hash256, Speculative> speculative_;
};

}  // namespace bauhinia::sim
