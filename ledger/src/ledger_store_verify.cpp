// LedgerStore::verify_latest(): the recovery check run by open(). Blocks are
// written in one atomic batch, so after a crash there is nothing to repair;
// this proves it, by re-reading the latest block from the store and
// recomputing its roots, and by checking nothing of a later block exists.

#include <string>
#include <utility>

#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "ledger_store_io.hpp"

namespace bauhinia::ledger {

using core::Hash256;

namespace {

core::Status inconsistent(const std::string& what) {
  return core::Status::corruption("latest block inconsistent: " + what);
}

core::Status expect_absent(const KvReader& kv, Column c, ByteView key) {
  auto v = kv.get(c, key);
  if (!v) return std::move(v).error();
  if (v->has_value()) return detail::corrupt(c, key, "present beyond the latest block");
  return core::Status::ok();
}

}  // namespace

core::Status LedgerStore::verify_latest() const {
  const Cached c = cached();
  const std::uint64_t height = c.header.height;
  const Bytes hkey = be64_key(height);

  // Meta and header.
  const Bytes chain_key = detail::meta_key(kMetaChainKey);
  auto meta = detail::read_required<ChainMeta>(*kv_, Column::kMeta, chain_key);
  if (!meta) return std::move(meta).error();
  if (meta->chain_id != chain_id_ || meta->genesis_id != genesis_id_) {
    return detail::corrupt(Column::kMeta, chain_key, "names another chain");
  }
  const Bytes latest_key = detail::meta_key(kMetaLatestKey);
  auto latest = detail::read_required<LatestMeta>(*kv_, Column::kMeta, latest_key);
  if (!latest) return std::move(latest).error();
  if (latest->height != height || latest->block_id != c.id) {
    return inconsistent("meta names block " + std::to_string(latest->height));
  }
  auto header = detail::read_required<chain::BlockHeader>(*kv_, Column::kBlockHeader, hkey);
  if (!header) return std::move(header).error();
  if (header->id() != c.id) return detail::corrupt(Column::kBlockHeader, hkey, "id mismatch");

  // Nothing of a later block.
  const Bytes next_key = be64_key(height + 1);
  for (Column col : {Column::kBlockHeader, Column::kBlockBody, Column::kCertificate}) {
    if (core::Status s = expect_absent(*kv_, col, next_key); !s) return s;
  }
  if (core::Status s =
          expect_absent(*kv_, Column::kTransaction, be64_key(header->accumulator_size));
      !s) {
    return s;
  }
  if (core::Status s =
          expect_absent(*kv_, Column::kValidatorSet, be64_key(c.epoch.validators.epoch + 1));
      !s) {
    return s;
  }

  // Body and every transaction with its index entry; the transactions root.
  auto txs = block_transactions(height);
  if (!txs) return std::move(txs).error();
  auto body = block_body(height);
  if (!body) return std::move(body).error();
  if (body->certified != (height > 0)) {
    return detail::corrupt(
        Column::kBlockBody, hkey,
        height > 0 ? "the latest block must be certified" : "genesis has no certificate");
  }
  if (body->first_index + body->transaction_count != header->accumulator_size) {
    return detail::corrupt(Column::kBlockBody, hkey, "does not end at the accumulator size");
  }
  if (height > 0) {
    auto parent = this->header(height - 1);
    if (!parent) return std::move(parent).error();
    if (parent->id() != header->parent_hash) {
      return inconsistent("parent header id differs from the parent hash");
    }
    if (parent->accumulator_size != body->first_index) {
      return detail::corrupt(Column::kBlockBody, hkey, "does not start after the parent's");
    }
  }
  AccumulatorReader acc(*kv_);
  std::vector<Hash256> ids;
  for (const CommittedTransaction& tx : *txs) {
    if (tx.info.transaction_id !=
        core::tagged_hash(core::HashTag::kTransactionId, tx.transaction)) {
      return detail::corrupt(Column::kTransaction, be64_key(tx.index), "id does not match bytes");
    }
    auto index = detail::read_be64_value(*kv_, Column::kTxIndex, tx.info.transaction_id.view());
    if (!index) return std::move(index).error();
    if (!index->has_value() || **index != tx.index) {
      return detail::corrupt(Column::kTxIndex, tx.info.transaction_id.view(),
                             "missing or wrong for transaction " + std::to_string(tx.index));
    }
    auto leaf = acc.leaf(tx.index);
    if (!leaf) return std::move(leaf).error();
    if (*leaf != tx.info.leaf_hash()) {
      return inconsistent("accumulator leaf " + std::to_string(tx.index) +
                          " is not the transaction's info");
    }
    ids.push_back(tx.info.transaction_id);
  }
  if (chain::transactions_root_of(ids) != header->transactions_root) {
    return inconsistent("transactions root does not recompute");
  }

  // Roots recomputed from the stored structures.
  auto stored = acc.stored_size();
  if (!stored) return std::move(stored).error();
  if (*stored != header->accumulator_size) {
    return inconsistent("accumulator holds " + std::to_string(*stored) + " leaves, header says " +
                        std::to_string(header->accumulator_size));
  }
  auto acc_root = acc.root_at(header->accumulator_size);
  if (!acc_root) return std::move(acc_root).error();
  if (*acc_root != header->accumulator_root || c.accumulator.root() != header->accumulator_root) {
    return inconsistent("accumulator root does not recompute");
  }
  StateTree tree(*kv_);
  auto version = tree.latest_version();
  if (!version) return std::move(version).error();
  if (*version != std::optional<std::uint64_t>(height)) {
    return inconsistent("state tree's latest version is not the latest height");
  }
  auto state_root = tree.root_hash(height);
  if (!state_root) return std::move(state_root).error();
  if (*state_root != header->state_root) return inconsistent("state root does not recompute");

  // The certificate, checked against the set of the block's epoch.
  if (height > 0) {
    auto qc = certificate(height);
    if (!qc) return std::move(qc).error();
    auto set = validator_set(header->epoch);
    if (!set) return std::move(set).error();
    if (core::Verdict v = chain::verify_committed_header(*header, *qc, *set, chain_id_); !v) {
      return detail::corrupt(Column::kCertificate, hkey, v.rejection().to_string());
    }
  }
  return core::Status::ok();
}

}  // namespace bauhinia::ledger
