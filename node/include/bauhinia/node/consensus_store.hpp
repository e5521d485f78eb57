#pragma once
// The node's consensus records, in their own LevelDB (data_dir/consensus),
// every write synced before it returns:
//   Column::kSafety       "state"              -> consensus::SafetyState
//   Column::kBlockBody    "p" || block id      -> consensus::SyncBlock (PersistBlock)
//   Column::kCertificate  be64(height)         -> CommittedQcs of the committed block
// The QCs of a commit are written BEFORE the ledger commits the blocks, so the
// ledger's latest block always has its records here after a crash (an entry
// for a block the ledger did not commit is ignored and later overwritten).
//
// Or, saving that synced write per commit: the QCs go into the ledger's own
// commit batch (add_committed() into the host records of
// LedgerStore::commit_blocks / Pipeline::commit), in the ledger's database:
//   Column::kSafety       "c" || be64(height)  -> CommittedQcs
// They are then durable exactly when their blocks are: a crash at any
// instant leaves both or neither, so the ledger's latest block always has
// its records, and nothing is lost that a restart needs. committed() reads
// the ledger attached with read_committed_from() first (its records belong
// to committed blocks), then this store.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {

// What consensus needs of a committed block to restart from it or to serve it
// to a syncing peer.
struct CommittedQcs {
  consensus::QuorumCert qc;                        // certifies the block
  std::optional<consensus::QuorumCert> commit_qc;  // commits it (last block of a commit)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.qc);
    c.optional(s.commit_qc, [](auto& cc, auto& q) { cc.object(q); });
  }
};

class ConsensusStore {
 public:
  static core::Result<std::unique_ptr<ConsensusStore>> open(
      const std::string& path, const ledger::LevelDbOptions& options = {});
  // Over any store (tests: a store that records each write's sync flag).
  static std::unique_ptr<ConsensusStore> over(std::unique_ptr<ledger::KvStore> kv);

  // The default state when none is stored (a fresh node); corruption when the
  // record does not decode or fails SafetyState::validate(), never a default.
  core::Result<consensus::SafetyState> safety_state() const;
  // As safety_state(), but nullopt when no record is stored.
  core::Result<std::optional<consensus::SafetyState>> stored_safety_state() const;
  core::Status save_safety_state(const consensus::SafetyState& state);

  core::Status save_block(const consensus::SyncBlock& block);
  core::Result<std::vector<consensus::SyncBlock>> blocks() const;
  // Drops kept blocks at or below `height` (committed or abandoned).
  core::Status prune_blocks(std::uint64_t height);

  core::Status save_committed(std::uint64_t height, const CommittedQcs& qcs);
  // Adds the records of a block committed at `height` to `host_records`, for
  // the ledger's commit batch (see the file comment).
  static void add_committed(ledger::WriteBatch& host_records, std::uint64_t height,
                            const CommittedQcs& qcs);
  // committed() also looks in the ledger's store `ledger_kv` (which must
  // outlive this store) for records written with add_committed().
  void read_committed_from(const ledger::KvReader& ledger_kv) { ledger_kv_ = &ledger_kv; }
  // not_found when none is stored for that height.
  core::Result<CommittedQcs> committed(std::uint64_t height) const;

 private:
  explicit ConsensusStore(std::unique_ptr<ledger::KvStore> kv) : kv_(std::move(kv)) {}
  std::unique_ptr<ledger::KvStore> kv_;
  const ledger::KvReader* ledger_kv_ = nullptr;
};

}  // namespace bauhinia::node
