// LedgerStore: opening (genesis, recovery) and committing blocks.

#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/overlay_store.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "ledger_store_io.hpp"

namespace bauhinia::ledger {

using core::Hash256;
using core::Reject;
using core::Verdict;

namespace {

Verdict reject_block(Reject reason, const chain::BlockHeader& h, const std::string& what) {
  return core::reject(reason, "block " + std::to_string(h.height) + ": " + what);
}

// Writes strictly increasing by key, values within the state tree's limit.
Verdict check_state_writes(std::span<const StateWrite> writes) {
  if (writes.size() > kMaxStateWritesPerVersion) {
    return core::reject(Reject::kTooLarge, "too many state writes");
  }
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (i > 0 && !(writes[i - 1].key < writes[i].key)) {
      return core::reject(Reject::kUnsorted,
                          "state writes not strictly increasing at " + std::to_string(i));
    }
    if (writes[i].value && writes[i].value->size() > chain::kMaxStateValueSize) {
      return core::reject(Reject::kTooLarge, "state value of key " + writes[i].key.to_hex() +
                                                 " larger than the limit");
    }
  }
  return Verdict::accept();
}

Bytes bytes_of(const Hash256& h) {
  return {h.view().begin(), h.view().end()};
}

}  // namespace

chain::BlockHeader genesis_header(const GenesisSpec& spec, const Hash256& state_root) {
  chain::BlockHeader h;
  h.epoch = spec.validators.epoch;
  h.height = 0;
  h.round = 0;
  h.timestamp_ms = spec.timestamp_ms;
  h.transactions_root = chain::transactions_root_of({});
  h.accumulator_root = chain::merkle::empty_root();
  h.accumulator_size = 0;
  h.state_root = state_root;
  h.validator_set_hash = spec.validators.hash();
  h.next_validator_set_hash = h.validator_set_hash;
  return h;
}

namespace {

// Latest values for admission: ~64 MiB holds ~400,000 accounts' records.
constexpr std::size_t kLatestValueCacheBytes = std::size_t{64} << 20;

// The writes a committed block made to the state.
std::span<const StateWrite> state_writes_of(const BlockCommit& block) {
  if (block.prepared != nullptr) return block.prepared->writes();
  return block.state_writes;
}

}  // namespace

LedgerStore::LedgerStore(std::unique_ptr<KvStore> kv)
    : kv_(std::move(kv)), latest_values_(kLatestValueCacheBytes) {}
LedgerStore::~LedgerStore() = default;

core::Result<std::unique_ptr<LedgerStore>> LedgerStore::open(std::unique_ptr<KvStore> kv,
                                                             const GenesisSpec& genesis) {
  BAUHINIA_ASSERT(kv != nullptr);
  if (genesis.chain_id.empty() || genesis.chain_id.size() > chain::kMaxChainIdLength) {
    return core::Status::invalid_argument("genesis: chain id must be 1.." +
                                          std::to_string(chain::kMaxChainIdLength) + " bytes");
  }
  if (Verdict v = genesis.validators.validate(); !v) {
    return core::Status::invalid_argument("genesis validator set: " + v.rejection().to_string());
  }
  if (Verdict v = check_state_writes(genesis.state); !v) {
    return core::Status::invalid_argument("genesis state: " + v.rejection().to_string());
  }
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(kv)));
  auto meta =
      detail::read_optional<ChainMeta>(*store->kv_, Column::kMeta, detail::meta_key(kMetaChainKey));
  if (!meta) return std::move(meta).error();
  if (!meta->has_value()) {
    if (core::Status s = store->create_genesis(genesis); !s) return s;
  }
  if (core::Status s = store->load_latest(); !s) return s;
  // The same chain: same id, same genesis block.
  if (store->chain_id_ != genesis.chain_id) {
    return core::Status::invalid_argument("the store holds chain '" + store->chain_id_ +
                                          "', not '" + genesis.chain_id + "'");
  }
  // The genesis state root, computed from the spec alone.
  MemoryKvStore scratch_store;
  WriteBatch scratch;
  auto root0 = StateTree(scratch_store).apply(0, genesis.state, scratch);
  if (!root0) return std::move(root0).error();
  const Hash256 expected = genesis_header(genesis, root0->root).id();
  if (expected != store->genesis_id_) {
    return core::Status::invalid_argument(
        "the store's genesis block " + store->genesis_id_.to_hex() +
        " differs from the configured genesis " + expected.to_hex());
  }
  if (core::Status s = store->verify_latest(); !s) return s;
  return store;
}

core::Result<std::unique_ptr<LedgerStore>> LedgerStore::open_existing(std::unique_ptr<KvStore> kv) {
  BAUHINIA_ASSERT(kv != nullptr);
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(kv)));
  auto meta =
      detail::read_optional<ChainMeta>(*store->kv_, Column::kMeta, detail::meta_key(kMetaChainKey));
  if (!meta) return std::move(meta).error();
  if (!meta->has_value()) return core::Status::not_found("the store holds no ledger");
  if (core::Status s = store->load_latest(); !s) return s;
  if (core::Status s = store->verify_latest(); !s) return s;
  return store;
}

core::Status LedgerStore::create_genesis(const GenesisSpec& genesis) {
  // An empty ledger must be an empty store: a store without chain meta but
  // with blocks or a latest marker is damaged, not new.
  for (Column c : {Column::kBlockHeader, Column::kMeta, Column::kStateNode}) {
    bool any = false;
    core::Status s = kv_->scan(c, {}, 1, [&](ByteView, ByteView) {
      any = true;
      return false;
    });
    if (!s) return s;
    if (any) {
      return core::Status::corruption("the store has " + column_name(c) +
                                      " entries but no chain meta");
    }
  }
  WriteBatch batch;
  StateTree tree(*kv_);
  auto update = tree.apply(0, genesis.state, batch);
  if (!update) return std::move(update).error();
  const chain::BlockHeader header = genesis_header(genesis, update->root);
  const Hash256 id = header.id();
  const Bytes h0 = be64_key(0);
  batch.put(Column::kBlockHeader, h0, core::encode(header));
  batch.put(Column::kBlockBody, h0, core::encode(BlockBody{}));
  EpochRecord epoch;
  epoch.first_height = 0;
  epoch.validators = genesis.validators;
  batch.put(Column::kValidatorSet, be64_key(genesis.validators.epoch), core::encode(epoch));
  ChainMeta meta;
  meta.chain_id = genesis.chain_id;
  meta.genesis_id = id;
  batch.put(Column::kMeta, detail::meta_key(kMetaChainKey), core::encode(meta));
  batch.put(Column::kMeta, detail::meta_key(kMetaLatestKey), core::encode(LatestMeta{1, 0, id}));
  return kv_->write(batch, true);
}

core::Status LedgerStore::load_latest() {
  const Bytes chain_key = detail::meta_key(kMetaChainKey);
  auto meta = detail::read_required<ChainMeta>(*kv_, Column::kMeta, chain_key);
  if (!meta) return std::move(meta).error();
  const Bytes latest_key = detail::meta_key(kMetaLatestKey);
  auto latest = detail::read_required<LatestMeta>(*kv_, Column::kMeta, latest_key);
  if (!latest) return std::move(latest).error();
  const Bytes hkey = be64_key(latest->height);
  auto header = detail::read_required<chain::BlockHeader>(*kv_, Column::kBlockHeader, hkey);
  if (!header) return std::move(header).error();
  if (header->height != latest->height || header->id() != latest->block_id) {
    return detail::corrupt(Column::kBlockHeader, hkey,
                           "does not match the latest block named in meta");
  }
  const std::uint64_t next_epoch = header->ends_epoch() ? header->epoch + 1 : header->epoch;
  const Bytes ekey = be64_key(next_epoch);
  auto epoch = detail::read_required<EpochRecord>(*kv_, Column::kValidatorSet, ekey);
  if (!epoch) return std::move(epoch).error();
  if (epoch->validators.epoch != next_epoch ||
      epoch->validators.hash() != header->next_validator_set_hash) {
    return detail::corrupt(Column::kValidatorSet, ekey,
                           "does not match the latest header's next validator set");
  }
  auto acc = Accumulator::load(*kv_, header->accumulator_size);
  if (!acc) return std::move(acc).error();
  auto pruned_below = read_state_pruned_below(*kv_);
  if (!pruned_below) return std::move(pruned_below).error();
  if (*pruned_below > latest->height) {
    return core::Status::corruption("state pruned below version " + std::to_string(*pruned_below) +
                                    ", beyond the latest height " + std::to_string(latest->height));
  }
  state_pruned_below_.store(*pruned_below);
  chain_id_ = meta->chain_id;
  genesis_id_ = meta->genesis_id;
  latest_values_.reset(latest->height);
  std::unique_lock lock(latest_mutex_);
  latest_ = Cached{std::move(*header), latest->block_id, std::move(*epoch), std::move(*acc)};
  return core::Status::ok();
}

LedgerStore::Cached LedgerStore::cached() const {
  std::shared_lock lock(latest_mutex_);
  return latest_;
}

std::uint64_t LedgerStore::latest_height() const {
  std::shared_lock lock(latest_mutex_);
  return latest_.header.height;
}

chain::BlockHeader LedgerStore::latest_header() const {
  std::shared_lock lock(latest_mutex_);
  return latest_.header;
}

chain::ValidatorSet LedgerStore::current_validator_set() const {
  std::shared_lock lock(latest_mutex_);
  return latest_.epoch.validators;
}

core::Result<ExecutedRoots> LedgerStore::roots_after(std::span<const chain::TransactionInfo> infos,
                                                     std::span<const StateWrite> writes) const {
  std::lock_guard commit_lock(commit_mutex_);
  const Cached c = cached();
  if (Verdict v = check_state_writes(writes); !v) {
    return core::Status::invalid_argument(v.rejection().to_string());
  }
  if (infos.size() > kMaxBlockTransactions) {
    return core::Status::invalid_argument("too many transactions");
  }
  std::vector<Hash256> ids;
  std::vector<Hash256> leaves;
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (infos[i].version != c.accumulator.size() + i) {
      return core::Status::invalid_argument("transaction info " + std::to_string(i) +
                                            " has version " + std::to_string(infos[i].version) +
                                            ", expected " +
                                            std::to_string(c.accumulator.size() + i));
    }
    ids.push_back(infos[i].transaction_id);
    leaves.push_back(infos[i].leaf_hash());
  }
  WriteBatch scratch;
  Accumulator acc = c.accumulator;
  ExecutedRoots roots;
  roots.transactions_root = chain::transactions_root_of(ids);
  roots.accumulator_root = acc.append(leaves, scratch);
  roots.accumulator_size = acc.size();
  auto update = StateTree(*kv_).apply(c.header.height + 1, writes, scratch);
  if (!update) return std::move(update).error();
  roots.state_root = update->root;
  return roots;
}

core::Result<std::shared_ptr<const PreparedState>> LedgerStore::prepare_state(
    const chain::BlockHeader& parent, const KvReader& view, std::vector<StateWrite> writes,
    StateNodeCache* cache) const {
  if (parent.height == UINT64_MAX) return core::Status::invalid_argument("no height after the max");
  const StateTree tree(view, cache, record_stale_.load());
  auto base_root = tree.root_hash(parent.height);
  if (!base_root) return std::move(base_root).error();
  if (*base_root != parent.state_root) {
    return core::Status::invalid_argument("prepare_state: the view's state of height " +
                                          std::to_string(parent.height) +
                                          " does not have the parent's state root");
  }
  std::shared_ptr<PreparedState> p(new PreparedState());
  p->parent_id_ = parent.id();
  p->version_ = parent.height + 1;
  p->base_root_ = *base_root;
  p->writes_ = std::move(writes);
  auto update = tree.apply(p->version_, p->writes_, p->batch_);
  if (!update) return std::move(update).error();
  p->root_ = update->root;
  p->nodes_written_ = update->nodes_written;
  return std::shared_ptr<const PreparedState>(std::move(p));
}

core::Result<Verdict> LedgerStore::commit_block(const BlockCommit& block, CommitStats* stats) {
  std::lock_guard commit_lock(commit_mutex_);
  Cached c = cached();
  WriteBatch batch;
  std::vector<const WriteBatch*> parts;
  auto v = stage_block(block, /*certified=*/true, *kv_, c, batch, parts, stats);
  if (!v || !*v) return v;
  parts.push_back(&batch);
  if (core::Status s = kv_->write_all(parts, true); !s) return s;
  latest_values_.advance(block.header.height, state_writes_of(block));
  std::unique_lock lock(latest_mutex_);
  latest_ = std::move(c);
  return Verdict::accept();
}

core::Result<Verdict> LedgerStore::commit_blocks(std::span<const BlockCommit> blocks,
                                                 const WriteBatch* host_records) {
  if (host_records != nullptr) {
    for (const auto& w : host_records->writes()) {
      if (w.column != Column::kSafety) {
        return core::Status::invalid_argument("host records may only be in the " +
                                              column_name(Column::kSafety) + " column, not " +
                                              column_name(w.column));
      }
    }
  }
  if (blocks.empty()) return Verdict{core::reject(Reject::kInvalid, "no blocks to commit")};
  if (blocks.size() > kMaxBlocksPerCommit) {
    return Verdict{core::reject(Reject::kTooLarge, "too many blocks in one commit")};
  }
  std::lock_guard commit_lock(commit_mutex_);
  Cached c = cached();
  // Later blocks read what earlier ones stage through an overlay; a single
  // block reads the store directly.
  std::optional<OverlayStore> overlay;
  if (blocks.size() > 1) overlay.emplace(*kv_);
  const KvReader& view = overlay ? static_cast<const KvReader&>(*overlay) : *kv_;
  std::vector<WriteBatch> batches(blocks.size());  // never resized: parts point into it
  std::vector<const WriteBatch*> parts;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const bool last = i + 1 == blocks.size();
    if (!last && (!blocks[i].certificate.signatures.empty() ||
                  !blocks[i].certificate.signer_bitmap.empty())) {
      return Verdict{core::reject(Reject::kInvalid,
                                  "only the last block of a commit carries the certificate")};
    }
    const std::size_t first_part = parts.size();
    auto v = stage_block(blocks[i], last, view, c, batches[i], parts, nullptr);
    if (!v || !*v) return v;
    parts.push_back(&batches[i]);
    if (!last) {
      for (std::size_t p = first_part; p < parts.size(); ++p) overlay->apply(*parts[p]);
    }
  }
  if (host_records != nullptr) parts.push_back(host_records);
  if (core::Status s = kv_->write_all(parts, true); !s) return s;
  for (const BlockCommit& block : blocks) {
    latest_values_.advance(block.header.height, state_writes_of(block));
  }
  std::unique_lock lock(latest_mutex_);
  latest_ = std::move(c);
  return Verdict::accept();
}

core::Result<Verdict> LedgerStore::stage_block(const BlockCommit& block, bool certified,
                                               const KvReader& view, Cached& c, WriteBatch& batch,
                                               std::vector<const WriteBatch*>& parts,
                                               CommitStats* stats) const {
  const chain::BlockHeader& h = block.header;

  // 1. The header follows the latest block.
  if (Verdict v = h.validate(); !v) return v;
  if (h.height != c.header.height + 1) {
    return reject_block(Reject::kInvalid, h,
                        "expected height " + std::to_string(c.header.height + 1));
  }
  if (h.parent_hash != c.id) return reject_block(Reject::kInvalid, h, "parent hash mismatch");
  if (h.epoch != c.epoch.validators.epoch) {
    return reject_block(Reject::kWrongEpoch, h,
                        "epoch " + std::to_string(h.epoch) + ", expected " +
                            std::to_string(c.epoch.validators.epoch));
  }
  if (h.validator_set_hash != c.epoch.validators.hash()) {
    return reject_block(Reject::kInvalid, h, "validator set hash is not the epoch's set");
  }
  if (h.timestamp_ms <= c.header.timestamp_ms) {
    return reject_block(Reject::kInvalid, h, "timestamp not above the parent's");
  }
  if (h.epoch == c.header.epoch && h.round <= c.header.round) {
    return reject_block(Reject::kInvalid, h, "round not above the parent's");
  }

  // 2. Shapes and limits.
  const std::size_t n = block.transactions.size();
  if (n > kMaxBlockTransactions) return reject_block(Reject::kTooLarge, h, "too many transactions");
  if (block.infos.size() != n) {
    return reject_block(Reject::kInvalid, h, "one transaction info per transaction expected");
  }
  if (!block.accounts.empty() && block.accounts.size() != n) {
    return reject_block(Reject::kInvalid, h, "account lists must be empty or one per transaction");
  }
  if (kMaxAccumulatorSize - c.accumulator.size() < n) {
    return reject_block(Reject::kTooLarge, h, "accumulator full");
  }
  for (std::size_t i = 0; i < block.accounts.size(); ++i) {
    const auto& list = block.accounts[i];
    if (list.size() > kMaxAccountsPerTransaction) {
      return reject_block(Reject::kTooLarge, h,
                          "too many accounts for transaction " + std::to_string(i));
    }
    bool repeated = false;  // at most 16 entries: pairwise, no allocation
    for (std::size_t a = 0; a < list.size() && !repeated; ++a) {
      for (std::size_t b = a + 1; b < list.size() && !repeated; ++b) repeated = list[a] == list[b];
    }
    if (repeated) {
      return reject_block(Reject::kDuplicate, h,
                          "repeated account for transaction " + std::to_string(i));
    }
  }
  if (block.prepared != nullptr && !block.state_writes.empty()) {
    return reject_block(Reject::kInvalid, h, "state writes given beside a prepared state");
  }
  if (Verdict v = check_state_writes(block.state_writes); !v) {
    return reject_block(v.rejection().reason, h, v.rejection().detail);
  }

  // 3. Transactions and their infos (the accumulator leaves).
  std::vector<Hash256> ids;
  std::vector<Hash256> leaves;
  ids.reserve(n);
  leaves.reserve(n);
  auto which = [](std::size_t i) { return "transaction " + std::to_string(i); };
  for (std::size_t i = 0; i < n; ++i) {
    const chain::TransactionInfo& info = block.infos[i];
    if (block.transactions[i].size() > kMaxTransactionBytes) {
      return reject_block(Reject::kTooLarge, h, which(i) + " larger than the limit");
    }
    if (Verdict v = info.validate(); !v) {
      return reject_block(v.rejection().reason, h, which(i) + ": " + v.rejection().detail);
    }
    if (info.version != c.accumulator.size() + i) {
      return reject_block(Reject::kInvalid, h,
                          which(i) + " info has the wrong accumulator version");
    }
    if (info.transaction_id !=
        core::tagged_hash(core::HashTag::kTransactionId, block.transactions[i])) {
      return reject_block(Reject::kInvalid, h, which(i) + " id does not match its bytes");
    }
    auto existing = view.get(Column::kTxIndex, info.transaction_id.view());
    if (!existing) return std::move(existing).error();
    if (existing->has_value()) {
      return reject_block(Reject::kDuplicate, h, which(i) + " is already committed");
    }
    ids.push_back(info.transaction_id);
    leaves.push_back(info.leaf_hash());
  }
  {
    // No id twice in the block (sorted copy: no per-id allocation).
    std::vector<Hash256> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    if (auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end()) {
      const auto first = std::find(ids.begin(), ids.end(), *dup);
      const auto second = std::find(first + 1, ids.end(), *dup);
      return reject_block(
          Reject::kDuplicate, h,
          which(static_cast<std::size_t>(second - ids.begin())) + " repeats an earlier one");
    }
  }
  if (chain::transactions_root_of(ids) != h.transactions_root) {
    return reject_block(Reject::kBadProof, h, "transactions root mismatch");
  }

  // 4. The certificate commits exactly this header, signed by the epoch's set.
  // A block committed together with later ones is certified by the last one's
  // certificate through the parent links (checked above, block by block). The
  // last block of an epoch needs its own: light clients change epochs with it.
  if (!certified && h.ends_epoch()) {
    return reject_block(Reject::kInvalid, h,
                        "ends its epoch, so it must be committed with its own certificate");
  }
  if (certified) {
    // Signatures consensus checked moments ago are not checked again (ADR
    // 0007, item 4); any other certificate is checked in full.
    const chain::VerifiedCertificate* verified = block.verified_certificate;
    if (verified != nullptr && verified->certificate() != block.certificate) verified = nullptr;
    const chain::ValidatorSet& set = c.epoch.validators;
    const Verdict v = verified != nullptr
                          ? chain::verify_committed_header(h, *verified, set, chain_id_)
                          : chain::verify_committed_header(h, block.certificate, set, chain_id_);
    if (!v) return reject_block(v.rejection().reason, h, "certificate: " + v.rejection().detail);
  }

  // 5. An epoch change carries the next set, and only then.
  if (h.ends_epoch()) {
    if (!block.next_validator_set) {
      return reject_block(Reject::kInvalid, h, "ends the epoch without the next validator set");
    }
    const chain::ValidatorSet& next = *block.next_validator_set;
    if (Verdict v = next.validate(); !v) {
      return reject_block(v.rejection().reason, h, "next validator set: " + v.rejection().detail);
    }
    if (next.epoch != h.epoch + 1) {
      return reject_block(Reject::kWrongEpoch, h, "next validator set is not of the next epoch");
    }
    if (next.hash() != h.next_validator_set_hash) {
      return reject_block(Reject::kBadProof, h, "next validator set hash mismatch");
    }
  } else if (block.next_validator_set) {
    return reject_block(Reject::kInvalid, h, "a next validator set without an epoch change");
  }

  // 6. Roots recomputed from our own structures.
  Accumulator acc = c.accumulator;
  const Hash256 acc_root = acc.append(leaves, batch);
  if (acc.size() != h.accumulator_size || acc_root != h.accumulator_root) {
    return reject_block(Reject::kBadProof, h, "accumulator root or size mismatch");
  }
  std::size_t state_nodes_written = 0;
  if (block.prepared != nullptr) {
    // Computed by prepare_state() over this block's parent: only the ties to
    // the base and the root need checking (see the file comment of the header).
    const PreparedState& p = *block.prepared;
    if (p.parent_id() != c.id || p.version() != h.height || p.base_root() != c.header.state_root) {
      return reject_block(Reject::kInvalid, h, "the prepared state is for another base");
    }
    if (p.root() != h.state_root) {
      return reject_block(Reject::kBadProof, h, "state root mismatch");
    }
    parts.push_back(&p.batch());  // written as it is, beside `batch`
    state_nodes_written = p.nodes_written();
  } else {
    auto update =
        StateTree(view, nullptr, record_stale_.load()).apply(h.height, block.state_writes, batch);
    if (!update) return std::move(update).error();
    if (update->root != h.state_root) {
      return reject_block(Reject::kBadProof, h, "state root mismatch");
    }
    state_nodes_written = update->nodes_written;
  }

  // 7. Everything else the block changes, in the same batch.
  const Bytes hkey = be64_key(h.height);
  batch.put(Column::kBlockHeader, hkey, core::encode(h));
  batch.put(Column::kBlockBody, hkey,
            core::encode(BlockBody{BlockBody::kFormat, c.accumulator.size(), n, certified}));
  if (certified) batch.put(Column::kCertificate, hkey, core::encode(block.certificate));
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t index = c.accumulator.size() + i;
    TransactionRecord record;
    record.height = h.height;
    record.info = block.infos[i];
    record.transaction = block.transactions[i];
    batch.put(Column::kTransaction, be64_key(index), core::encode(record));
    batch.put(Column::kTxIndex, bytes_of(ids[i]), be64_key(index));
    if (!block.accounts.empty()) {
      for (const Hash256& account : block.accounts[i]) {
        batch.put(Column::kAccountTx, detail::account_tx_key(account, index), Bytes{});
      }
    }
  }
  EpochRecord epoch = c.epoch;
  if (block.next_validator_set) {
    epoch.first_height = h.height + 1;
    epoch.validators = *block.next_validator_set;
    batch.put(Column::kValidatorSet, be64_key(epoch.validators.epoch), core::encode(epoch));
  }
  const Hash256 id = h.id();
  batch.put(Column::kMeta, detail::meta_key(kMetaLatestKey),
            core::encode(LatestMeta{LatestMeta::kFormat, h.height, id}));

  if (stats != nullptr) {
    stats->batch_entries = batch.size();
    stats->batch_bytes = batch.approximate_bytes();
    if (block.prepared != nullptr) {
      stats->batch_entries += block.prepared->batch().size();
      stats->batch_bytes += block.prepared->batch().approximate_bytes();
    }
    stats->state_nodes_written = state_nodes_written;
  }
  c = Cached{h, id, std::move(epoch), std::move(acc)};
  return Verdict::accept();
}

}  // namespace bauhinia::ledger
