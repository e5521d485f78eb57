#pragma once
// The node's ledger: committed blocks, their transactions and certificates, the
// transaction accumulator, the versioned state tree and the indexes, all in one
// KvStore (docs/formats/storage.md).
//
// Commit protocol. commit_block() checks the block against the latest one and
// recomputes every root from our own structures (accumulator, state tree,
// the block's transaction tree); any mismatch is a rejection and writes
// nothing. Then everything the block changes goes into ONE WriteBatch, written
// with sync: a crash at any instant leaves either the whole block or nothing of
// it. open() needs no repair, it only checks that the latest block is complete
// and that its roots recompute (verify_latest()).
//
// Prepared state. The execution pipeline has already computed a block's state
// tree over the block's exact base (its parent, committed or speculative) to
// build the header. It hands that computation over as a PreparedState
// (made only by prepare_state(), so the nodes are this library's own tree
// output), tied to the parent's block id and height and to the base state
// root. Committing a block with one checks the cheap invariants instead of
// recomputing the tree: the parent is the latest block (so the base is the
// committed state), the base root is the latest header's state root, and
// the header's state root is the prepared root. Everything else (header,
// certificate, transactions, accumulator, indexes) is checked as before, and
// the block is still written in the same single synced batch.
//
// Errors: invalid input (a block that does not follow, wrong roots, a bad
// certificate) is a core::Rejection; a local failure (I/O, or stored bytes
// that fail to decode: Status::corruption naming the column and key) is a
// core::Status. Absent data asked for is Status::not_found.
//
// Thread safety: reads may run concurrently with each other and with one
// commit; commits are serialised. A read never sees part of a block (heights
// above latest_height() are never read).

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/chain/verified_certificate.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/latest_value_cache.hpp"
#include "bauhinia/ledger/ledger_store_records.hpp"
#include "bauhinia/ledger/state_pruner.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace bauhinia::ledger {

// Page sizes of the list reads.
inline constexpr std::size_t kMaxHistoryPage = 1000;
inline constexpr std::size_t kMaxAccountPage = 1000;

// What block 0 is made of. The genesis header is derived from it (height 0,
// round 0, zero parent and proposer, empty transaction trees), so every node
// given the same spec has the same genesis id.
struct GenesisSpec {
  std::string chain_id;            // 1..64 bytes
  chain::ValidatorSet validators;  // the first epoch's set (its epoch is the genesis epoch)
  std::uint64_t timestamp_ms = 0;
  std::vector<StateWrite> state;  // initial records: strictly increasing keys
};

// A block's state-tree update computed ahead of its commit (see the file
// comment). Immutable once made; only LedgerStore::prepare_state makes one.
class PreparedState {
 public:
  const core::Hash256& parent_id() const noexcept { return parent_id_; }
  std::uint64_t version() const noexcept { return version_; }  // the block's height
  const core::Hash256& base_root() const noexcept { return base_root_; }
  const core::Hash256& root() const noexcept { return root_; }
  std::span<const StateWrite> writes() const noexcept { return writes_; }
  // The tree's new nodes (Column::kStateNode) and values (Column::kStateValue).
  const WriteBatch& batch() const noexcept { return batch_; }
  std::size_t nodes_written() const noexcept { return nodes_written_; }

 private:
  friend class LedgerStore;
  PreparedState() = default;

  core::Hash256 parent_id_;
  std::uint64_t version_ = 0;
  core::Hash256 base_root_;
  core::Hash256 root_;
  std::vector<StateWrite> writes_;
  WriteBatch batch_;
  std::size_t nodes_written_ = 0;
};

// One block to commit, as execution produced it.
struct BlockCommit {
  chain::BlockHeader header;
  std::vector<core::Bytes> transactions;      // signed envelopes, in block order
  std::vector<chain::TransactionInfo> infos;  // one per transaction (accumulator leaves)
  std::vector<StateWrite> state_writes;       // strictly increasing keys
  chain::QuorumCertificate certificate;       // commits header.id() at header.height
  // When set and its certificate() equals `certificate`, the certificate's
  // signatures were checked (by consensus, against a set whose hash it
  // carries) and are not checked again: the rest of the certificate check is
  // made, and the set it was verified against must be this epoch's. When null
  // or another certificate, `certificate` is checked in full. It must outlive
  // the commit call. Only the node's consensus path sets it; sync and
  // recovery leave it null.
  const chain::VerifiedCertificate* verified_certificate = nullptr;
  std::optional<chain::ValidatorSet> next_validator_set;  // iff header.ends_epoch()
  // Empty, or one list per transaction of the accounts it concerns (indexed in
  // Column::kAccountTx); each list without repeats, at most kMaxAccountsPerTransaction.
  std::vector<std::vector<core::Hash256>> accounts;
  // When set, the block's state update computed by prepare_state() (and
  // state_writes must be empty: the writes are the prepared ones); it must
  // outlive the commit call. When null, the state tree is recomputed.
  const PreparedState* prepared = nullptr;
};

// The roots a block's header must carry, computed from the latest state.
struct ExecutedRoots {
  core::Hash256 transactions_root;  // RFC 6962 root over the block's transaction ids
  core::Hash256 accumulator_root;
  std::uint64_t accumulator_size = 0;
  core::Hash256 state_root;
};

struct CommittedTransaction {
  std::uint64_t index = 0;  // accumulator leaf index (== info.version)
  std::uint64_t height = 0;
  chain::TransactionInfo info;
  core::Bytes transaction;
};

struct TransactionWithProof {
  CommittedTransaction transaction;
  chain::InclusionProof proof;  // of info.leaf_hash() against accumulator_root(proof.tree_size)
};

struct RecordVersion {
  std::uint64_t version = 0;                // block height of the change
  std::optional<core::Hash256> value_hash;  // nullopt: deleted at that version
  friend bool operator==(const RecordVersion&, const RecordVersion&) = default;
};

// Counters of one commit (what the batch held), for metrics and benchmarks.
struct CommitStats {
  std::size_t batch_entries = 0;
  std::size_t batch_bytes = 0;  // WriteBatch::approximate_bytes()
  std::size_t state_nodes_written = 0;
};

class LedgerStore {
 public:
  // Opens the ledger in `kv`. An empty store is initialised with the genesis
  // block of `genesis`; a non-empty one must hold that same chain (chain id and
  // genesis id), else invalid_argument. Then verify_latest().
  static core::Result<std::unique_ptr<LedgerStore>> open(std::unique_ptr<KvStore> kv,
                                                         const GenesisSpec& genesis);
  // Opens an existing ledger whatever its chain (tools); not_found when empty.
  static core::Result<std::unique_ptr<LedgerStore>> open_existing(std::unique_ptr<KvStore> kv);

  LedgerStore(const LedgerStore&) = delete;
  LedgerStore& operator=(const LedgerStore&) = delete;
  ~LedgerStore();

  // ---- Commit -----------------------------------------------------------------

  // Checks and appends the block at latest_height() + 1 (see the class
  // comment). The outer Status is a local failure (nothing is committed, the
  // in-memory view stays at the previous block); the Verdict is the block's.
  core::Result<core::Verdict> commit_block(const BlockCommit& block, CommitStats* stats = nullptr);
  // Several blocks that one certificate commits (consensus commits a chain of
  // blocks when the last gets its commit certificate): each is checked like
  // commit_block() on top of the previous, only the last carries (and is
  // checked against) the certificate, the others leave it empty; all of them
  // go into ONE synced write. certificate(h) is not_found for the earlier
  // blocks: the last block's certificate covers them through parent hashes.
  // A block that ends an epoch must be the last (light clients change epochs
  // with its own certificate). At most kMaxBlocksPerCommit blocks.
  //
  // `host_records`, when given, are written in the same synced batch: records
  // the node keeps about these blocks (its consensus records), so that they
  // are durable exactly when the blocks are, without a synced write of their
  // own. They may only be in Column::kSafety (the host's column; the ledger
  // never reads it), else invalid_argument and nothing is written.
  core::Result<core::Verdict> commit_blocks(std::span<const BlockCommit> blocks,
                                            const WriteBatch* host_records = nullptr);

  // The roots a block with these leaves and writes would have on top of the
  // latest block (for the executor that builds headers). invalid_argument when
  // the writes are unsorted or the infos do not continue the accumulator.
  core::Result<ExecutedRoots> roots_after(std::span<const chain::TransactionInfo> infos,
                                          std::span<const StateWrite> writes) const;

  // The state update of the child of `parent` (at parent.height + 1) with
  // `writes`, computed over `view`: the state as of `parent`, i.e. this
  // store's kv() for the latest block, or kv() with the batches of the
  // uncommitted blocks up to `parent` layered on top (an OverlayStore).
  // Nodes are read through `cache` when given. invalid_argument when the
  // writes are unsorted or too large, or when the view's state of `parent`
  // does not have parent.state_root.
  core::Result<std::shared_ptr<const PreparedState>> prepare_state(
      const chain::BlockHeader& parent, const KvReader& view, std::vector<StateWrite> writes,
      StateNodeCache* cache = nullptr) const;

  // ---- The latest block (cached; no I/O) ----------------------------------------

  const std::string& chain_id() const noexcept { return chain_id_; }
  const core::Hash256& genesis_id() const noexcept { return genesis_id_; }
  std::uint64_t latest_height() const;
  chain::BlockHeader latest_header() const;
  // The set that certifies the next block (the next epoch's after an epoch change).
  chain::ValidatorSet current_validator_set() const;

  // ---- Blocks -----------------------------------------------------------------

  core::Result<chain::BlockHeader> header(std::uint64_t height) const;
  core::Result<chain::QuorumCertificate> certificate(std::uint64_t height) const;  // not genesis
  core::Result<BlockBody> block_body(std::uint64_t height) const;
  core::Result<std::vector<CommittedTransaction>> block_transactions(std::uint64_t height) const;

  // ---- Transactions and the accumulator ---------------------------------------

  core::Result<CommittedTransaction> transaction_at(std::uint64_t index) const;
  core::Result<CommittedTransaction> transaction_by_id(const core::Hash256& id) const;
  // The transaction with its inclusion proof in the accumulator of
  // `accumulator_size` leaves (a size some certified header names, at most the
  // latest; the transaction must be inside it, else invalid_argument).
  core::Result<TransactionWithProof> transaction_with_proof(const core::Hash256& id,
                                                            std::uint64_t accumulator_size) const;
  core::Result<chain::InclusionProof> inclusion_proof(std::uint64_t index,
                                                      std::uint64_t accumulator_size) const;
  // 0 < size1 <= size2 <= latest accumulator size.
  core::Result<chain::ConsistencyProof> consistency_proof(std::uint64_t size1,
                                                          std::uint64_t size2) const;
  core::Result<core::Hash256> accumulator_root(std::uint64_t size) const;
  // Accumulator indexes of the transactions of `account`, from `from_index` up.
  core::Result<std::vector<std::uint64_t>> account_transactions(const core::Hash256& account,
                                                                std::uint64_t from_index,
                                                                std::size_t limit) const;

  // ---- State ------------------------------------------------------------------

  // Values at `version` (a block height <= latest_height(), else not_found).
  core::Result<std::optional<core::Bytes>> state_value(const core::Hash256& key,
                                                       std::uint64_t version) const;
  core::Result<StateValueWithProof> state_value_with_proof(const core::Hash256& key,
                                                           std::uint64_t version) const;
  // The value of `key` at latest_height(), without a proof and without the
  // check against its leaf that state_value makes: for readers that are not
  // consensus (mempool admission; execution checks everything again). Served
  // from a cache of latest values that commits keep current (a LevelDB seek
  // on a miss). Thread-safe beside commits.
  core::Result<std::optional<core::Bytes>> latest_state_value(const core::Hash256& key) const;
  // How often latest_state_value was served by its cache (metrics).
  LatestValueCache::Counts latest_value_counts() const { return latest_values_.counts(); }
  core::Result<core::Hash256> state_root(std::uint64_t version) const;
  // ---- State-tree pruning (docs/adr/0006-state-tree-pruning.md) -------------

  // From now on, commits also write the stale-node index that pruning reads
  // (off by default: an archive keeps every version and needs no index).
  void set_state_pruning(bool record_stale) { record_stale_.store(record_stale); }
  // The oldest version whose state can be read: state_value, its proofs and
  // state_root below it are not_found ("pruned"). 0 when nothing was pruned.
  std::uint64_t oldest_state_version() const noexcept { return state_pruned_below_.load(); }
  // One bounded slice of pruning towards keeping the newest `window` (>= 1)
  // versions: deletes at most max_nodes stale nodes (and their index entries)
  // and records the progress, in one atomic write (not synced: a lost slice
  // is done again). Safe beside commits and reads, from one thread at a time.
  core::Result<StatePruneSlice> prune_state(std::uint64_t window, std::size_t max_nodes);

  // The versions at which `key` changed, from `from_version` up (at most
  // `limit`, itself at most kMaxHistoryPage).
  core::Result<std::vector<RecordVersion>> record_history(const core::Hash256& key,
                                                          std::uint64_t from_version,
                                                          std::size_t limit) const;

  // ---- Epochs -----------------------------------------------------------------

  core::Result<EpochRecord> epoch(std::uint64_t epoch) const;
  core::Result<chain::ValidatorSet> validator_set(std::uint64_t epoch) const;
  // The changes from epoch `from_epoch` to the latest (at most
  // chain::kMaxEpochChangesPerProof of them), for light clients.
  core::Result<chain::EpochChangeProof> epoch_change_proof(std::uint64_t from_epoch) const;

  // ---- Integrity --------------------------------------------------------------

  // Re-reads the latest block and checks it is complete and consistent: meta,
  // header, body, certificate, every transaction and its tx-index entry, the
  // transactions root, the accumulator root and size and the state root
  // recomputed from the stored nodes, the current validator set, and that
  // nothing of a later block is stored. Corruption names what is wrong.
  core::Status verify_latest() const;

  // The underlying store (tests and tools; writing to it bypasses every check).
  const KvStore& kv() const noexcept { return *kv_; }

 private:
  struct Cached {
    chain::BlockHeader header;
    core::Hash256 id;
    EpochRecord epoch;  // the epoch of the next block
    Accumulator accumulator;
  };

  explicit LedgerStore(std::unique_ptr<KvStore> kv);
  // Checks `block` on top of `c` reading through `view`, adds its writes to
  // `batch` (and its prepared state's batch, if any, to `parts`) and advances
  // `c`; writes nothing itself.
  core::Result<core::Verdict> stage_block(const BlockCommit& block, bool certified,
                                          const KvReader& view, Cached& c, WriteBatch& batch,
                                          std::vector<const WriteBatch*>& parts,
                                          CommitStats* stats) const;
  core::Status load_latest();
  core::Status create_genesis(const GenesisSpec& genesis);
  Cached cached() const;

  std::unique_ptr<KvStore> kv_;
  std::string chain_id_;
  core::Hash256 genesis_id_;
  mutable std::mutex commit_mutex_;  // one commit (or roots_after) at a time
  mutable std::shared_mutex latest_mutex_;
  Cached latest_;  // guarded by latest_mutex_
  std::atomic<bool> record_stale_{false};
  std::atomic<std::uint64_t> state_pruned_below_{0};
  std::mutex prune_mutex_;                  // one prune_state() at a time
  mutable LatestValueCache latest_values_;  // advanced by every commit
};

// The genesis header `spec` defines, given the state root of its records.
chain::BlockHeader genesis_header(const GenesisSpec& spec, const core::Hash256& state_root);

}  // namespace bauhinia::ledger
