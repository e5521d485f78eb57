#include "bauhinia/sim/executor.hpp"

#include <algorithm>
#include <string_view>

#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/ledger/state_tree.hpp"
#include "bauhinia/sim/overlay_store.hpp"
#include "bauhinia/sim/workload.hpp"

namespace bauhinia::sim {
namespace {

using core::reject;
using core::Reject;

constexpr std::string_view kLatestKey = "latest";
constexpr std::string_view kSafetyKey = "state";
constexpr std::uint8_t kKeptPrefix = 'p';

// What kStateChanges hashes for one synthetic transaction: its writes in order.
struct TxStateChanges {
  std::vector<SimWrite> writes;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.writes, kMaxTxWrites, "writes");
  }
};

core::Status decode_status(const core::Rejection& r, std::string_view what) {
  return core::Status::corruption(std::string(what) + ": " + r.to_string());
}

}  // namespace

chain::BlockHeader Executor::write_genesis(ledger::KvStore& store, const std::string& chain_id,
                                           const chain::ValidatorSet& set,
                                           std::uint64_t timestamp_ms) {
  ledger::WriteBatch batch;
  const ledger::StateTree tree(store);
  auto state = tree.apply(0, {}, batch);
  BAUHINIA_ASSERT_MSG(state.has_value(), "genesis state");
  chain::BlockHeader g;
  g.epoch = set.epoch;
  g.height = 0;
  g.round = 0;
  g.timestamp_ms = timestamp_ms;
  g.transactions_root = chain::merkle::empty_root();
  g.accumulator_root = ledger::Accumulator().root();
  g.accumulator_size = 0;
  g.state_root = state->root;
  g.validator_set_hash = set.hash();
  g.next_validator_set_hash = g.validator_set_hash;
  StoredBlock stored{g, {}, consensus::QuorumCert::for_epoch_root(chain_id, set.epoch, g)};
  batch.put(ledger::Column::kBlockHeader, ledger::be64_key(0), core::encode(stored));
  batch.put(ledger::Column::kMeta, core::as_bytes(kLatestKey), ledger::be64_key(0));
  BAUHINIA_ASSERT(store.write(batch, true).is_ok());
  return g;
}

core::Result<Executor> Executor::open(ledger::KvStore& store) {
  Executor e(store);
  auto latest = store.get(ledger::Column::kMeta, core::as_bytes(kLatestKey));
  if (!latest) return std::move(latest).error();
  if (!*latest || (*latest)->size() != 8) return core::Status::corruption("no latest height");
  const std::uint64_t height = ledger::read_be64(**latest);
  auto root = store.get(ledger::Column::kBlockHeader, ledger::be64_key(height));
  if (!root) return std::move(root).error();
  if (!*root) return core::Status::corruption("latest block missing");
  auto block = core::decode<StoredBlock>(**root);
  if (!block) return decode_status(block.error(), "stored block");
  e.root_ = std::move(*block);
  e.root_id_ = e.root_.header.id();
  auto acc = ledger::Accumulator::load(store, e.root_.header.accumulator_size);
  if (!acc) return std::move(acc).error();
  e.root_accumulator_ = std::move(*acc);
  if (height > 0) {
    auto cert = e.stored_certificate(height);
    if (!cert) return std::move(cert).error();
    e.commit_cert_ = std::move(*cert);
  }
  return e;
}

core::Checked<chain::BlockHeader> Executor::execute(chain::BlockHeader header,
                                                    core::ByteView payload) {
  // The chain of uncommitted ancestors, newest first.
  std::vector<const Speculative*> ancestors;
  const ledger::Accumulator* parent_acc = nullptr;
  std::uint64_t parent_height = 0;
  for (Hash256 id = header.parent_hash;;) {
    if (id == root_id_) {
      if (parent_acc == nullptr) parent_acc = &root_accumulator_;
      if (ancestors.empty()) parent_height = root_.header.height;
      break;
    }
    auto it = speculative_.find(id);
    if (it == speculative_.end() || ancestors.size() > kMaxSpeculativeBlocks) {
      return reject(Reject::kInvalid,
                    "parent " + id.to_hex().substr(0, 8) + " is neither committed nor executed");
    }
    if (ancestors.empty()) {
      parent_acc = &it->second.accumulator;
      parent_height = it->second.header.height;
    }
    ancestors.push_back(&it->second);
    id = it->second.parent_id;
  }
  if (header.height != parent_height + 1) {
    return reject(Reject::kInvalid, "height is not the parent's height + 1");
  }

  SimPayload txs;
  if (!payload.empty()) {
    auto decoded = core::decode<SimPayload>(payload);
    if (!decoded) return std::move(decoded).error();
    txs = std::move(*decoded);
  }

  OverlayStore view(*store_);
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) view.apply((*it)->writes);

  Speculative spec;
  spec.accumulator = *parent_acc;
  std::vector<Hash256> id_leaves;
  std::vector<Hash256> acc_leaves;
  std::map<Hash256, std::optional<core::Bytes>> final_writes;
  for (const auto& tx : txs.transactions) {
    const Hash256 tx_id = tx.id();
    id_leaves.push_back(chain::merkle::leaf_hash(tx_id.view()));
    chain::TransactionInfo info;
    info.version = spec.accumulator.size() + acc_leaves.size();
    info.transaction_id = tx_id;
    info.outcome = chain::TxOutcome::kSuccess;
    info.state_changes_hash =
        core::hash_of(core::HashTag::kStateChanges, TxStateChanges{tx.writes});
    acc_leaves.push_back(info.leaf_hash());
    for (const auto& w : tx.writes) {
      auto key = chain::state_key(kSimModule, w.key);
      if (!key) return std::move(key).error();
      final_writes[*key] = w.value.empty() ? std::nullopt : std::optional<core::Bytes>(w.value);
    }
  }
  std::vector<ledger::StateWrite> writes;
  writes.reserve(final_writes.size());
  for (auto& [k, v] : final_writes) writes.push_back(ledger::StateWrite{k, std::move(v)});

  const ledger::StateTree tree(view);
  auto state = tree.apply(header.height, writes, spec.writes);
  if (!state) {
    return reject(Reject::kInvalid, "state tree: " + state.error().to_string());
  }
  header.transactions_root = chain::merkle::root(id_leaves);
  header.accumulator_root = spec.accumulator.append(acc_leaves, spec.writes);
  header.accumulator_size = spec.accumulator.size();
  header.state_root = state->root;

  spec.header = header;
  spec.parent_id = header.parent_hash;
  const Hash256 id = header.id();
  if (speculative_.size() >= kMaxSpeculativeBlocks) prune();
  speculative_.insert_or_assign(id, std::move(spec));
  return header;
}

core::Verdict Executor::commit(const std::vector<consensus::CommittedBlock>& blocks,
                               const consensus::QuorumCert& commit_cert) {
  if (blocks.empty()) return reject(Reject::kInvalid, "empty commit");
  ledger::WriteBatch batch;
  Hash256 parent = root_id_;
  for (const auto& b : blocks) {
    const Hash256 id = b.header.id();
    if (b.header.parent_hash != parent) {
      return reject(Reject::kInvalid, "committed block " + id.to_hex().substr(0, 8) +
                                          " does not extend the committed chain");
    }
    auto it = speculative_.find(id);
    if (it == speculative_.end()) {
      auto executed = execute(b.header, b.payload);
      if (!executed) return std::move(executed).error();
      if (*executed != b.header) {
        return reject(Reject::kInvalid, "execution of committed block at height " +
                                            std::to_string(b.header.height) +
                                            " computes different roots than its header");
      }
      it = speculative_.find(id);
      BAUHINIA_ASSERT(it != speculative_.end());
    }
    for (const auto& w : it->second.writes.writes()) {
      if (w.value) {
        batch.put(w.column, w.key, *w.value);
      } else {
        batch.erase(w.column, w.key);
      }
    }
    StoredBlock stored{b.header, b.payload, b.qc};
    batch.put(ledger::Column::kBlockHeader, ledger::be64_key(b.header.height),
              core::encode(stored));
    parent = id;
  }
  const auto& last = blocks.back();
  batch.put(ledger::Column::kCertificate, ledger::be64_key(last.header.height),
            core::encode(commit_cert));
  batch.put(ledger::Column::kMeta, core::as_bytes(kLatestKey),
            ledger::be64_key(last.header.height));
  // Kept uncommitted blocks at or below the new root are of no use any more.
  const core::Bytes prefix{kKeptPrefix};
  const core::Status scanned = store_->scan(
      ledger::Column::kBlockBody, prefix, SIZE_MAX, [&](core::ByteView k, core::ByteView) {
        if (k.size() < 9 || ledger::read_be64(k.subspan(1)) > last.header.height) return false;
        batch.erase(ledger::Column::kBlockBody, k);
        return true;
      });
  BAUHINIA_ASSERT_MSG(scanned.is_ok(), "memory store scan");
  const core::Status s = store_->write(batch, true);
  BAUHINIA_ASSERT_MSG(s.is_ok(), "memory store write");

  root_accumulator_ = speculative_.at(parent).accumulator;
  root_ = StoredBlock{last.header, last.payload, last.qc};
  root_id_ = parent;
  commit_cert_ = commit_cert;
  prune();
  return core::Verdict::accept();
}

std::optional<chain::BlockHeader> Executor::header_of(const Hash256& id) const {
  if (id == root_id_) return root_.header;
  if (auto it = speculative_.find(id); it != speculative_.end()) return it->second.header;
  return std::nullopt;
}

void Executor::prune() {
  // Committed blocks and dead forks at or below the root can never be parents again.
  std::erase_if(speculative_,
                [&](const auto& e) { return e.second.header.height <= root_.header.height; });
  while (speculative_.size() >= kMaxSpeculativeBlocks) {
    auto lowest = std::min_element(speculative_.begin(), speculative_.end(), [](auto& a, auto& b) {
      return a.second.header.height < b.second.header.height;
    });
    speculative_.erase(lowest);
  }
}

core::Result<std::optional<StoredBlock>> Executor::stored_block(std::uint64_t height) const {
  auto v = store_->get(ledger::Column::kBlockHeader, ledger::be64_key(height));
  if (!v) return std::move(v).error();
  if (!*v) return std::optional<StoredBlock>();
  auto block = core::decode<StoredBlock>(**v);
  if (!block) return decode_status(block.error(), "stored block");
  return std::optional<StoredBlock>(std::move(*block));
}

core::Result<std::optional<consensus::QuorumCert>> Executor::stored_certificate(
    std::uint64_t height) const {
  auto v = store_->get(ledger::Column::kCertificate, ledger::be64_key(height));
  if (!v) return std::move(v).error();
  if (!*v) return std::optional<consensus::QuorumCert>();
  auto qc = core::decode<consensus::QuorumCert>(**v);
  if (!qc) return decode_status(qc.error(), "stored certificate");
  return std::optional<consensus::QuorumCert>(std::move(*qc));
}

core::Result<std::vector<Hash256>> Executor::committed_ids() const {
  std::vector<Hash256> ids;
  for (std::uint64_t h = 1; h <= root_.header.height; ++h) {
    auto b = stored_block(h);
    if (!b) return std::move(b).error();
    if (!*b) return core::Status::corruption("committed block " + std::to_string(h) + " missing");
    ids.push_back((*b)->header.id());
  }
  return ids;
}

core::Status Executor::persist_block(const consensus::SyncBlock& block) {
  if (block.header.height <= root_.header.height) return core::Status::ok();
  core::Bytes key{kKeptPrefix};
  ledger::append_be64(key, block.header.height);
  const Hash256 id = block.header.id();
  key.insert(key.end(), id.view().begin(), id.view().end());
  ledger::WriteBatch batch;
  batch.put(ledger::Column::kBlockBody, std::move(key), core::encode(block));
  return store_->write(batch, true);
}

core::Result<std::vector<consensus::SyncBlock>> Executor::kept_blocks() const {
  std::vector<consensus::SyncBlock> out;
  std::optional<core::Status> bad;
  const core::Bytes prefix{kKeptPrefix};
  const core::Status s = store_->scan(ledger::Column::kBlockBody, prefix, SIZE_MAX,
                                      [&](core::ByteView, core::ByteView v) {
                                        auto b = core::decode<consensus::SyncBlock>(v);
                                        if (!b) {
                                          bad = decode_status(b.error(), "kept block");
                                          return false;
                                        }
                                        if (b->header.height > root_.header.height)
                                          out.push_back(std::move(*b));
                                        return true;
                                      });
  if (!s) return s;
  if (bad) return *bad;
  return out;
}

core::Status Executor::persist_safety(const consensus::SafetyState& state) {
  ledger::WriteBatch batch;
  batch.put(ledger::Column::kSafety, core::as_bytes(kSafetyKey), core::encode(state));
  return store_->write(batch, true);
}

core::Result<consensus::SafetyState> Executor::load_safety() const {
  auto v = store_->get(ledger::Column::kSafety, core::as_bytes(kSafetyKey));
  if (!v) return std::move(v).error();
  if (!*v) return consensus::SafetyState{};
  auto s = core::decode<consensus::SafetyState>(**v);
  if (!s) return decode_status(s.error(), "safety state");
  return std::move(*s);
}

}  // namespace bauhinia::sim
