// LedgerStore: reads of committed blocks, transactions, proofs, state and epochs.
// Anything at or below the latest block must be stored (its absence is
// corruption); anything above it is not_found.

#include <algorithm>
#include <string>
#include <utility>

#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "ledger_store_io.hpp"

namespace bauhinia::ledger {

using core::Hash256;

namespace {

core::Status pruned(std::uint64_t version, std::uint64_t oldest) {
  return core::Status::not_found("state version " + std::to_string(version) +
                                 " is pruned; the oldest kept is " + std::to_string(oldest));
}

core::Status beyond(const std::string& what, std::uint64_t asked, std::uint64_t latest) {
  return core::Status::not_found(what + " " + std::to_string(asked) + " is beyond the latest (" +
                                 std::to_string(latest) + ")");
}

// A stored transaction is served only when its bytes hash to its id and its
// info is the accumulator's leaf at its index.
core::Status check_transaction(const CommittedTransaction& tx, const Hash256& leaf) {
  if (tx.info.transaction_id != core::tagged_hash(core::HashTag::kTransactionId, tx.transaction)) {
    return detail::corrupt(Column::kTransaction, be64_key(tx.index),
                           "bytes do not match the transaction id");
  }
  if (tx.info.leaf_hash() != leaf) {
    return detail::corrupt(Column::kAccumulator, accumulator_key(0, tx.index),
                           "leaf is not the stored transaction info");
  }
  return core::Status::ok();
}

// The accumulator leaves [first, first + count).
core::Result<std::vector<Hash256>> read_leaves(const KvReader& kv, std::uint64_t first,
                                               std::uint64_t count) {
  std::vector<Hash256> leaves;
  leaves.reserve(count);
  core::Status failure;
  const Bytes level0{0x00};
  core::Status s = kv.scan_from(
      Column::kAccumulator, level0, accumulator_key(0, first), count,
      [&](ByteView key, ByteView value) {
        auto h = Hash256::from_bytes(value);
        if (key.size() != 9 || read_be64(key.subspan(1)) != first + leaves.size() || !h) {
          failure = detail::corrupt(Column::kAccumulator, key, "malformed or out of place leaf");
          return false;
        }
        leaves.push_back(*h);
        return true;
      });
  if (!s) return s;
  if (!failure) return failure;
  if (leaves.size() != count) {
    return detail::corrupt(Column::kAccumulator, accumulator_key(0, first + leaves.size()),
                           "missing");
  }
  return leaves;
}

}  // namespace

core::Result<chain::BlockHeader> LedgerStore::header(std::uint64_t height) const {
  const std::uint64_t latest = latest_height();
  if (height > latest) return beyond("height", height, latest);
  const Bytes key = be64_key(height);
  auto h = detail::read_required<chain::BlockHeader>(*kv_, Column::kBlockHeader, key);
  if (!h) return h;
  if (h->height != height) return detail::corrupt(Column::kBlockHeader, key, "wrong height");
  return h;
}

core::Result<chain::QuorumCertificate> LedgerStore::certificate(std::uint64_t height) const {
  const std::uint64_t latest = latest_height();
  if (height > latest) return beyond("height", height, latest);
  if (height == 0) return core::Status::not_found("the genesis block has no certificate");
  const Bytes key = be64_key(height);
  auto qc = detail::read_optional<chain::QuorumCertificate>(*kv_, Column::kCertificate, key);
  if (!qc) return std::move(qc).error();
  if (qc->has_value()) return std::move(**qc);
  auto body = block_body(height);
  if (!body) return std::move(body).error();
  if (body->certified) return detail::corrupt(Column::kCertificate, key, "missing");
  return core::Status::not_found("block " + std::to_string(height) +
                                 " has no certificate of its own: a later block's commits it");
}

core::Result<BlockBody> LedgerStore::block_body(std::uint64_t height) const {
  const std::uint64_t latest = latest_height();
  if (height > latest) return beyond("height", height, latest);
  return detail::read_required<BlockBody>(*kv_, Column::kBlockBody, be64_key(height));
}

core::Result<std::vector<CommittedTransaction>> LedgerStore::block_transactions(
    std::uint64_t height) const {
  auto body = block_body(height);
  if (!body) return std::move(body).error();
  std::vector<CommittedTransaction> out;
  out.reserve(body->transaction_count);
  core::Status failure;
  std::uint64_t expected = body->first_index;
  core::Status s = kv_->scan_from(
      Column::kTransaction, {}, be64_key(body->first_index), body->transaction_count,
      [&](ByteView key, ByteView value) {
        if (key.size() != 8 || read_be64(key) != expected) {
          failure = detail::corrupt(Column::kTransaction, key,
                                    "expected index " + std::to_string(expected));
          return false;
        }
        auto record = detail::decode_stored<TransactionRecord>(Column::kTransaction, key, value);
        if (!record) {
          failure = std::move(record).error();
          return false;
        }
        if (record->height != height || record->info.version != expected) {
          failure = detail::corrupt(Column::kTransaction, key,
                                    "belongs to height " + std::to_string(record->height));
          return false;
        }
        out.push_back(CommittedTransaction{expected, height, std::move(record->info),
                                           std::move(record->transaction)});
        ++expected;
        return true;
      });
  if (!s) return s;
  if (!failure) return failure;
  if (out.size() != body->transaction_count) {
    return detail::corrupt(Column::kTransaction, be64_key(expected),
                           "missing (block " + std::to_string(height) + " has " +
                               std::to_string(body->transaction_count) + " transactions)");
  }
  auto leaves = read_leaves(*kv_, body->first_index, body->transaction_count);
  if (!leaves) return std::move(leaves).error();
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (core::Status c = check_transaction(out[i], (*leaves)[i]); !c) return c;
  }
  return out;
}

core::Result<CommittedTransaction> LedgerStore::transaction_at(std::uint64_t index) const {
  const std::uint64_t size = cached().accumulator.size();
  if (index >= size) {
    return core::Status::not_found("transaction index " + std::to_string(index) +
                                   " is beyond the accumulator size " + std::to_string(size));
  }
  const Bytes key = be64_key(index);
  auto record = detail::read_required<TransactionRecord>(*kv_, Column::kTransaction, key);
  if (!record) return std::move(record).error();
  if (record->info.version != index) {
    return detail::corrupt(Column::kTransaction, key, "info names another index");
  }
  CommittedTransaction tx{index, record->height, std::move(record->info),
                          std::move(record->transaction)};
  auto leaf = AccumulatorReader(*kv_).leaf(index);
  if (!leaf) return std::move(leaf).error();
  if (core::Status c = check_transaction(tx, *leaf); !c) return c;
  return tx;
}

core::Result<CommittedTransaction> LedgerStore::transaction_by_id(const Hash256& id) const {
  auto index = detail::read_be64_value(*kv_, Column::kTxIndex, id.view());
  if (!index) return std::move(index).error();
  // An entry above the cached size belongs to a block being committed right now.
  if (!index->has_value() || **index >= cached().accumulator.size()) {
    return core::Status::not_found("no committed transaction " + id.to_hex());
  }
  auto tx = transaction_at(**index);
  if (!tx) return tx;
  if (tx->info.transaction_id != id) {
    return detail::corrupt(
        Column::kTxIndex, id.view(),
        "points at transaction " + std::to_string(**index) + " which has another id");
  }
  return tx;
}

core::Result<chain::InclusionProof> LedgerStore::inclusion_proof(
    std::uint64_t index, std::uint64_t accumulator_size) const {
  const std::uint64_t size = cached().accumulator.size();
  if (accumulator_size > size) return beyond("accumulator size", accumulator_size, size);
  return AccumulatorReader(*kv_).inclusion_proof(index, accumulator_size);
}

core::Result<TransactionWithProof> LedgerStore::transaction_with_proof(
    const Hash256& id, std::uint64_t accumulator_size) const {
  auto tx = transaction_by_id(id);
  if (!tx) return std::move(tx).error();
  if (tx->index >= accumulator_size) {
    return core::Status::invalid_argument(
        "transaction " + id.to_hex() + " has index " + std::to_string(tx->index) +
        ", outside an accumulator of " + std::to_string(accumulator_size) + " leaves");
  }
  auto proof = inclusion_proof(tx->index, accumulator_size);
  if (!proof) return std::move(proof).error();
  return TransactionWithProof{std::move(*tx), std::move(*proof)};
}

core::Result<chain::ConsistencyProof> LedgerStore::consistency_proof(std::uint64_t size1,
                                                                     std::uint64_t size2) const {
  const std::uint64_t size = cached().accumulator.size();
  if (size2 > size) return beyond("accumulator size", size2, size);
  return AccumulatorReader(*kv_).consistency_proof(size1, size2);
}

core::Result<Hash256> LedgerStore::accumulator_root(std::uint64_t size) const {
  const std::uint64_t latest = cached().accumulator.size();
  if (size > latest) return beyond("accumulator size", size, latest);
  return AccumulatorReader(*kv_).root_at(size);
}

core::Result<std::vector<std::uint64_t>> LedgerStore::account_transactions(
    const Hash256& account, std::uint64_t from_index, std::size_t limit) const {
  const std::uint64_t size = cached().accumulator.size();
  std::vector<std::uint64_t> out;
  core::Status failure;
  core::Status s = kv_->scan_from(
      Column::kAccountTx, account.view(), detail::account_tx_key(account, from_index),
      std::min(limit, kMaxAccountPage), [&](ByteView key, ByteView value) {
        if (key.size() != Hash256::kSize + 8 || !value.empty()) {
          failure = detail::corrupt(Column::kAccountTx, key, "malformed entry");
          return false;
        }
        const std::uint64_t index = read_be64(key.subspan(Hash256::kSize));
        if (index >= size) return false;  // a block being committed
        out.push_back(index);
        return true;
      });
  if (!s) return s;
  if (!failure) return failure;
  return out;
}

core::Result<std::optional<Bytes>> LedgerStore::state_value(const Hash256& key,
                                                            std::uint64_t version) const {
  // Through the proof path, so that the value is checked against its leaf.
  auto with_proof = state_value_with_proof(key, version);
  if (!with_proof) return std::move(with_proof).error();
  return std::move(with_proof->value);
}

core::Result<std::optional<Bytes>> LedgerStore::latest_state_value(const Hash256& key) const {
  const std::uint64_t version = latest_height();
  if (auto hit = latest_values_.find(key, version)) return std::move(*hit);
  auto value = StateTree(*kv_).get_in_known_version(key, version);
  if (!value) return value;
  latest_values_.put(key, version, *value);
  return value;
}

core::Result<StateValueWithProof> LedgerStore::state_value_with_proof(const Hash256& key,
                                                                      std::uint64_t version) const {
  const std::uint64_t latest = latest_height();
  if (version > latest) return beyond("version", version, latest);
  if (version < oldest_state_version()) return pruned(version, oldest_state_version());
  auto answer = StateTree(*kv_).get_with_proof(key, version);
  // Pruning may have passed the version while it was read.
  if (!answer && version < oldest_state_version()) return pruned(version, oldest_state_version());
  return answer;
}

core::Result<Hash256> LedgerStore::state_root(std::uint64_t version) const {
  const std::uint64_t latest = latest_height();
  if (version > latest) return beyond("version", version, latest);
  if (version < oldest_state_version()) return pruned(version, oldest_state_version());
  auto root = StateTree(*kv_).root_hash(version);
  if (!root && version < oldest_state_version()) return pruned(version, oldest_state_version());
  return root;
}

core::Result<std::vector<RecordVersion>> LedgerStore::record_history(const Hash256& key,
                                                                     std::uint64_t from_version,
                                                                     std::size_t limit) const {
  // The value column holds every version of every record with its hash
  // (state_tree.hpp); versions above the latest belong to a block being committed.
  auto stored = StateTree(*kv_).value_history(key, from_version, latest_height(),
                                              std::min(limit, kMaxHistoryPage));
  if (!stored) return std::move(stored).error();
  std::vector<RecordVersion> out;
  out.reserve(stored->size());
  for (const StoredVersion& v : *stored) out.push_back(RecordVersion{v.version, v.value_hash});
  return out;
}

core::Result<EpochRecord> LedgerStore::epoch(std::uint64_t number) const {
  const std::uint64_t current = cached().epoch.validators.epoch;
  if (number > current) return beyond("epoch", number, current);
  const Bytes key = be64_key(number);
  auto record = detail::read_optional<EpochRecord>(*kv_, Column::kValidatorSet, key);
  if (!record) return std::move(record).error();
  if (!record->has_value()) {
    // Epochs below the genesis epoch never existed; others must be stored.
    auto genesis = header(0);
    if (!genesis) return std::move(genesis).error();
    if (number < genesis->epoch) {
      return core::Status::not_found("epoch " + std::to_string(number) +
                                     " precedes the genesis epoch");
    }
    return detail::corrupt(Column::kValidatorSet, key, "missing");
  }
  if ((*record)->validators.epoch != number) {
    return detail::corrupt(Column::kValidatorSet, key, "holds another epoch's set");
  }
  return std::move(**record);
}

core::Result<chain::ValidatorSet> LedgerStore::validator_set(std::uint64_t number) const {
  auto record = epoch(number);
  if (!record) return std::move(record).error();
  return std::move(record->validators);
}

core::Result<chain::EpochChangeProof> LedgerStore::epoch_change_proof(
    std::uint64_t from_epoch) const {
  const std::uint64_t current = cached().epoch.validators.epoch;
  if (from_epoch > current) return beyond("epoch", from_epoch, current);
  chain::EpochChangeProof proof;
  for (std::uint64_t e = from_epoch;
       e < current && proof.changes.size() < chain::kMaxEpochChangesPerProof; ++e) {
    auto next = epoch(e + 1);
    if (!next) return std::move(next).error();
    if (next->first_height == 0) {
      return detail::corrupt(Column::kValidatorSet, be64_key(e + 1), "no first height");
    }
    const std::uint64_t last = next->first_height - 1;
    auto h = header(last);
    if (!h) return std::move(h).error();
    auto qc = certificate(last);
    if (!qc) return std::move(qc).error();
    if (h->epoch != e || !h->ends_epoch()) {
      return detail::corrupt(Column::kBlockHeader, be64_key(last),
                             "is not the last block of epoch " + std::to_string(e));
    }
    proof.changes.push_back(
        chain::EpochChange{std::move(*qc), std::move(*h), std::move(next->validators)});
  }
  return proof;
}

}  // namespace bauhinia::ledger
