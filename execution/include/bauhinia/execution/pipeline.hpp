#pragma once
// The execution pipeline between consensus and the ledger, shared by
// bauhinia-node and bauhinia-sim.
//
// A block is executed before anyone votes for it (docs/consensus.md): the
// leader builds a block from mempool candidates on top of a parent, the voters
// execute the proposal and vote only when they reach the same header. Blocks
// that are executed but not yet committed are speculative: each keeps the
// writes it would make (its accumulator and state-tree nodes, in a WriteBatch),
// and a child executes over a ledger::LayeredView of the committed ledger plus its
// uncommitted ancestors' batches (each indexed once, when its block executes),
// so sibling blocks never see each other.
// The state tree of each block is computed once, as a ledger::PreparedState
// tied to the block's parent; commit hands the blocks with their prepared
// states to LedgerStore, which checks the ties and every other root (the
// accumulator, the transactions) before one atomic, synced write.
//
// Contract reads of a block look at the writes of its speculative ancestors,
// then at a bounded cache of record values at the committed height (updated
// with each commit's writes), then at the store. State-tree nodes of
// committed versions are read through a bounded cache (ledger::StateNodeCache)
// kept across blocks. Nothing speculative enters either cache.
//
// Epoch changes (docs/consensus.md, "Epoch changes"). After a block's
// transactions, the pipeline looks at the validator set governance decided
// (contracts::system::GovernedValidatorSet, written by the system module):
// a block that wrote a set of epoch header.epoch + 1 ends the epoch, its
// header names that set as next_validator_set_hash and the set goes with the
// block (BuiltProposal::next_validator_set, next_validator_set(), and the
// ledger's commit, which records the new epoch). A block whose parent's
// state already holds a next-epoch set is a reconfiguration suffix (empty).
// Every voter derives the same from the same state.
//
// Not thread-safe: one owner (the node's consensus loop) calls it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/verified_certificate.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::execution {

// Speculative blocks kept, at most, of those no other kept block descends
// from: past it the lowest such blocks (stale forks) are dropped first. An
// ancestor of a kept block is never dropped, so a chain of uncommitted blocks
// stays executable and committable whatever its length (consensus bounds it:
// max_pending_blocks).
inline constexpr std::size_t kMaxSpeculativeBlocks = 1024;

// The pipeline's caches.
struct PipelineCaches {
  // Decoded state-tree nodes of committed versions on the first levels of
  // the tree (ledger::StateNodeCache; at most ~4 MB at depth 3, ~64 MB at 4).
  bool node_cache = true;
  std::size_t node_cache_depth = ledger::StateNodeCache::kDefaultDepth;
  // Record values at the committed height, read or committed by the pipeline
  // (a budget of bytes, estimated; 0 disables it).
  std::size_t value_cache_bytes = std::size_t{32} << 20;
};

namespace detail {
class CommittedValues;
}

// What the leader decides for a new block; the pipeline fills in the roots.
struct BlockTemplate {
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  std::uint64_t timestamp_ms = 0;
  core::ed25519::PublicKey proposer;
  // At most kMaxBlockTransactions are used (the payload's wire limit).
  std::size_t max_transactions = 5000;
  // The payload's encoded size (block_payload.hpp), prefixes included.
  std::size_t max_bytes = 8U << 20;
  // Must be empty and change nothing. The pipeline also derives it from the
  // state (a next-epoch set already decided): either makes the block empty.
  bool reconfiguration_suffix = false;
};

struct BuiltProposal {
  chain::BlockHeader header;
  core::Bytes payload;
  std::vector<core::Hash256> included;  // ids of the candidates that went in
  // Candidates left out because they can never execute here (bad signature,
  // stale sequence, ...): the caller drops them from its mempool.
  std::vector<std::pair<core::Hash256, std::string>> invalid;
  // The next epoch's set when the block ends its epoch (header.ends_epoch()).
  std::optional<chain::ValidatorSet> next_validator_set;
};

// A block to commit, as consensus reports it.
struct BlockToCommit {
  chain::BlockHeader header;
  core::Bytes payload;
};

class Pipeline {
 public:
  // `store` and `executor` must outlive the pipeline.
  Pipeline(ledger::LedgerStore& store, const contracts::Executor& executor,
           PipelineCaches caches = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The leader's block: a child of `parent` (the committed root or an executed
  // block) built from `candidates` in order. Invalid candidates are left out.
  // A parent that is neither is a rejection.
  core::Result<core::Checked<BuiltProposal>> build(
      const chain::BlockHeader& parent, const BlockTemplate& tmpl,
      std::span<const chain::IdentifiedTransaction> candidates);

  // A voter's execution of a proposed block: the header this node computes
  // (the caller votes only if it equals `proposed`). An undecodable payload, a
  // transaction that fails its envelope, or an unknown parent is a rejection.
  // Only an execution that reproduces `proposed` is kept, under the header's
  // id AND the payload's SHA-256: a known header with another payload is
  // executed again, never answered from the earlier result.
  core::Result<core::Checked<chain::BlockHeader>> execute(const chain::BlockHeader& proposed,
                                                          core::ByteView payload,
                                                          bool reconfiguration_suffix = false);

  // Commits `blocks` (each the child of the previous, the first a child of the
  // committed root), the last one committed by `certificate`, in one atomic
  // write. Blocks not executed here yet (after a restart, or blocks from
  // sync) are executed first, as is a block whose payload differs from the one
  // executed here; a block whose computed header differs from the certified
  // one is a rejection and nothing is written.
  // `host_records` (Column::kSafety only) go into the same synced write, see
  // LedgerStore::commit_blocks.
  core::Result<core::Verdict> commit(std::span<const BlockToCommit> blocks,
                                     const chain::QuorumCertificate& certificate,
                                     const ledger::WriteBatch* host_records = nullptr);
  // The same with a certificate whose signatures consensus has checked: the
  // ledger does not check them again (ledger::BlockCommit::verified_certificate).
  core::Result<core::Verdict> commit(std::span<const BlockToCommit> blocks,
                                     const chain::VerifiedCertificate& certificate,
                                     const ledger::WriteBatch* host_records = nullptr);

  // The transactions of the last commit (ids and senders' next sequences), for
  // the mempool.
  struct CommittedTransactions {
    std::vector<core::Hash256> ids;
    // (sender, next sequence), sorted by sender, each sender once.
    std::vector<std::pair<core::AccountId, std::uint64_t>> next_sequences;
  };
  const CommittedTransactions& last_committed() const noexcept { return last_committed_; }

  // Ids of the transactions in `block_id` and its uncommitted ancestors (empty
  // for the committed root or an unknown block): a leader excludes them when
  // it picks candidates for a child.
  std::vector<core::Hash256> pending_transactions(const core::Hash256& block_id) const;

  // The next epoch's validator set named by the executed (uncommitted) block
  // `block_id` when it ends its epoch; nullopt otherwise or when unknown.
  std::optional<chain::ValidatorSet> next_validator_set(const core::Hash256& block_id) const;

  // Reads committed state (the latest committed version), e.g. for admission.
  const contracts::StateReader& committed_state() const;
  std::size_t speculative_blocks() const noexcept { return blocks_.size(); }
  // The node cache's counters (all zero when disabled).
  ledger::StateNodeCache::Stats node_cache_stats() const;
  ledger::LedgerStore& store() noexcept { return store_; }

 private:
  struct Executed;
  core::Result<core::Verdict> commit_with(std::span<const BlockToCommit> blocks,
                                          const chain::QuorumCertificate& certificate,
                                          const chain::VerifiedCertificate* verified,
                                          const ledger::WriteBatch* host_records);
  // (header id, SHA-256 of the payload): a result answers for exactly the
  // payload that produced it.
  using BlockKey = std::pair<core::Hash256, core::Hash256>;
  // Executes without keeping the result (keep() decides).
  core::Result<core::Checked<std::unique_ptr<Executed>>> run(
      const chain::BlockHeader& header, std::span<const chain::IdentifiedTransaction> txs,
      bool build, const BlockTemplate* tmpl, BuiltProposal* built);
  // Keeps `e`, which reproduced its header, then prunes (never `e` itself).
  void keep(std::unique_ptr<Executed> e);
  // A kept block with this header id (any payload: all reproduce the header).
  const Executed* find_block(const core::Hash256& id) const;
  void prune(const BlockKey* keep);
  void warm_cache(const ledger::PreparedState& committed);

  ledger::LedgerStore& store_;
  const contracts::Executor& executor_;
  std::map<BlockKey, std::unique_ptr<Executed>> blocks_;
  std::unique_ptr<contracts::StateReader> committed_reader_;
  std::unique_ptr<ledger::StateNodeCache> cache_;    // null when disabled
  std::unique_ptr<detail::CommittedValues> values_;  // null when disabled
  CommittedTransactions last_committed_;
};

}  // namespace bauhinia::execution
