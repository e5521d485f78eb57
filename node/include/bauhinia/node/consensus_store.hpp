#pragma once
// The node's consensus records, in their own LevelDB (data_dir/consensus),
// every write synced before it returns:
//   Column::kSafety       "state"              -> consensus::SafetyState
//   Column::kBlockBody    "p" || block id      -> consensus::SyncBlock (PersistBlock)
//   Column::kCertificate  be64(height)         -> CommittedQcs of the committed block
// The QCs of a commit are written BEFORE the ledger commits the blocks, so the
// ledger's latest block always has its records here after a crash (an entry
// for a block the ledger did not commit is ignored and later overwritten).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/ledger/kv_store.hpp"

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
  static core::Result<std::unique_ptr<ConsensusStore>> open(const std::string& path);

  core::Result<consensus::SafetyState> safety_state() const;  // default when none stored
  core::Status save_safety_state(const consensus::SafetyState& state);

  core::Status save_block(const consensus::SyncBlock& block);
  core::Result<std::vector<consensus::SyncBlock>> blocks() const;
  // Drops kept blocks at or below `height` (committed or abandoned).
  core::Status prune_blocks(std::uint64_t height);

  core::Status save_committed(std::uint64_t height, const CommittedQcs& qcs);
  // not_found when none is stored for that height.
  core::Result<CommittedQcs> committed(std::uint64_t height) const;

 private:
  explicit ConsensusStore(std::unique_ptr<ledger::KvStore> kv) : kv_(std::move(kv)) {}
  std::unique_ptr<ledger::KvStore> kv_;
};

}  // namespace bauhinia::node
