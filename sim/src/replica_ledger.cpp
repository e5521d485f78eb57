#include "bauhinia/sim/replica_ledger.hpp"

#include <algorithm>
#include <string_view>

#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::sim {
namespace {

using ledger::Column;

constexpr std::string_view kSafetyKey = "state";
constexpr std::uint8_t kKeptPrefix = 'p';
constexpr std::uint8_t kCommittedPrefix = 'c';

core::Bytes committed_key(std::uint64_t height) {
  core::Bytes k{kCommittedPrefix};
  ledger::append_be64(k, height);
  return k;
}

core::Status decode_status(const core::Rejection& r, std::string_view what) {
  return core::Status::corruption(std::string(what) + ": " + r.to_string());
}

// The replica's disk handed to its LedgerStore: the LedgerStore owns its
// store, the disk outlives every LedgerStore opened over it (crash, restart).
class Disk final : public ledger::KvStore {
 public:
  explicit Disk(ledger::MemoryKvStore& store) : store_(store) {}
  core::Result<std::optional<core::Bytes>> get(Column c, core::ByteView key) const override {
    return store_.get(c, key);
  }
  core::Status scan(Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return store_.scan(c, prefix, limit, fn);
  }
  core::Status scan_from(
      Column c, core::ByteView prefix, core::ByteView start, std::size_t limit,
      const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return store_.scan_from(c, prefix, start, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      Column c, core::ByteView prefix, core::ByteView upper) const override {
    return store_.floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    return store_.write(batch, sync);
  }
  core::Status write_all(std::span<const ledger::WriteBatch* const> batches, bool sync) override {
    return store_.write_all(batches, sync);
  }

 private:
  ledger::MemoryKvStore& store_;
};

}  // namespace

core::Result<std::unique_ptr<ReplicaLedger>> ReplicaLedger::open(
    ledger::MemoryKvStore& disk, ledger::MemoryKvStore& consensus_disk,
    const ledger::GenesisSpec& genesis, const contracts::ModuleSet& modules) {
  std::unique_ptr<ReplicaLedger> r(new ReplicaLedger());
  auto store = ledger::LedgerStore::open(std::make_unique<Disk>(disk), genesis);
  if (!store) return std::move(store).error();
  r->ledger_ = std::move(store).value();
  r->consensus_disk_ = &consensus_disk;
  // The node's executor: every module of the chain (node/src/runtime.cpp). No
  // mempool here, so every signature is verified by execution.
  r->executor_ = std::make_unique<contracts::Executor>();
  modules.register_with(*r->executor_);
  r->pipeline_ = std::make_unique<execution::Pipeline>(*r->ledger_, *r->executor_);
  if (auto s = r->load_root_records(); !s) return s;
  return r;
}

ReplicaLedger::~ReplicaLedger() = default;

core::Status ReplicaLedger::load_root_records() {
  // As the node's ledger_epoch_context and recovery_from_ledger (node/epochs.hpp).
  epoch_ = consensus::EpochContext{};
  epoch_.chain_id = ledger_->chain_id();
  epoch_.validators = ledger_->current_validator_set();
  auto record = ledger_->epoch(epoch_.validators.epoch);
  if (!record) return std::move(record).error();
  if (record->first_height == 0) {
    epoch_.epoch_root_id = ledger_->genesis_id();
    epoch_.epoch_root_height = 0;
  } else {
    auto root = ledger_->header(record->first_height - 1);
    if (!root) return std::move(root).error();
    if (!root->ends_epoch() || root->next_validator_set_hash != epoch_.validators.hash()) {
      return core::Status::corruption("the root of epoch " + std::to_string(epoch_.epoch()) +
                                      " does not name its validator set");
    }
    epoch_.epoch_root_id = root->id();
    epoch_.epoch_root_height = root->height;
  }
  const chain::BlockHeader root = ledger_->latest_header();
  commit_cert_.reset();
  if (root.height == 0 || root.height == epoch_.epoch_root_height) {
    root_qc_ = consensus::QuorumCert::for_epoch_root(epoch_.chain_id, epoch_.epoch(), root);
  }
  if (root.height == 0) return core::Status::ok();
  auto v = ledger_->kv().get(Column::kSafety, committed_key(root.height));
  if (!v) return std::move(v).error();
  if (!*v) return core::Status::corruption("no consensus records for the latest block");
  auto qcs = core::decode<CommittedQcs>(**v);
  if (!qcs) return decode_status(qcs.error(), "committed QCs");
  if (!qcs->commit_qc) return core::Status::corruption("the latest block has no commit QC");
  if (root.height != epoch_.epoch_root_height) root_qc_ = std::move(qcs->qc);
  commit_cert_ = std::move(qcs->commit_qc);
  return core::Status::ok();
}

void ReplicaLedger::remember(const chain::BlockHeader& header) {
  if (headers_.size() >= kMaxRememberedHeaders) {
    auto lowest = std::min_element(headers_.begin(), headers_.end(), [](auto& a, auto& b) {
      return a.second.height < b.second.height;
    });
    headers_.erase(lowest);
  }
  headers_.insert_or_assign(header.id(), header);
}

core::Result<core::Checked<execution::BuiltProposal>> ReplicaLedger::build(
    const chain::BlockHeader& parent, const execution::BlockTemplate& tmpl,
    std::span<const chain::IdentifiedTransaction> candidates) {
  auto r = pipeline_->build(parent, tmpl, candidates);
  if (r && *r) remember((*r)->header);
  return r;
}

core::Result<core::Checked<chain::BlockHeader>> ReplicaLedger::execute(
    const chain::BlockHeader& proposed, core::ByteView payload, bool reconfiguration_suffix) {
  auto r = pipeline_->execute(proposed, payload, reconfiguration_suffix);
  if (r && *r && **r == proposed) remember(proposed);
  return r;
}

core::Result<core::Verdict> ReplicaLedger::commit(std::span<const consensus::CommittedBlock> blocks,
                                                  const consensus::QuorumCert& commit_cert,
                                                  const chain::VerifiedCertificate* verified) {
  std::vector<execution::BlockToCommit> to_commit;
  to_commit.reserve(blocks.size());
  ledger::WriteBatch records;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& b = blocks[i];
    CommittedQcs qcs{b.qc, std::nullopt};
    if (i + 1 == blocks.size()) qcs.commit_qc = commit_cert;
    records.put(Column::kSafety, committed_key(b.header.height), core::encode(qcs));
    to_commit.push_back({b.header, b.payload});
  }
  auto v = verified != nullptr && verified->certificate() == commit_cert.certificate
               ? pipeline_->commit(to_commit, *verified, &records)
               : pipeline_->commit(to_commit, commit_cert.certificate, &records);
  if (!v || !*v) return v;
  if (auto s = load_root_records(); !s) return s;
  const std::uint64_t height = ledger_->latest_height();
  std::erase_if(headers_, [&](const auto& e) { return e.second.height <= height; });
  // Kept uncommitted blocks at or below the new root are of no use any more
  // (the node's ConsensusStore::prune_blocks, an unsynced write).
  ledger::WriteBatch drop;
  const core::Bytes prefix{kKeptPrefix};
  const core::Status scanned = consensus_disk_->scan(
      Column::kBlockBody, prefix, SIZE_MAX, [&](core::ByteView k, core::ByteView) {
        if (k.size() < 9 || ledger::read_be64(k.subspan(1)) > height) return false;
        drop.erase(Column::kBlockBody, k);
        return true;
      });
  if (!scanned) return scanned;
  if (drop.size() > 0) {
    if (auto s = consensus_disk_->write(drop, false); !s) return s;
  }
  return core::Verdict::accept();
}

core::Result<SyncedBlock> ReplicaLedger::synced_block(std::uint64_t height) const {
  auto header = ledger_->header(height);
  if (!header) return std::move(header).error();
  auto txs = ledger_->block_transactions(height);
  if (!txs) return std::move(txs).error();
  auto v = ledger_->kv().get(Column::kSafety, committed_key(height));
  if (!v) return std::move(v).error();
  if (!*v) return core::Status::not_found("no consensus records at " + std::to_string(height));
  auto qcs = core::decode<CommittedQcs>(**v);
  if (!qcs) return decode_status(qcs.error(), "committed QCs");
  // The payload as consensus carried it (node/src/sync_server.cpp).
  execution::BlockPayload p;
  for (auto& t : *txs) p.transactions.push_back(std::move(t.transaction));
  return SyncedBlock{*header, p.transactions.empty() ? core::Bytes{} : core::encode(p),
                     std::move(qcs->qc)};
}

core::Result<std::vector<consensus::CommittedRecord>> ReplicaLedger::committed_history(
    std::size_t count) const {
  std::vector<consensus::CommittedRecord> out;
  for (std::uint64_t h = ledger_->latest_height(); h >= 1 && out.size() < count; --h) {
    auto header = ledger_->header(h);
    if (!header) return std::move(header).error();
    auto v = ledger_->kv().get(Column::kSafety, committed_key(h));
    if (!v) return std::move(v).error();
    if (!*v) break;  // as the node: history starts after a gap in the records
    auto qcs = core::decode<CommittedQcs>(**v);
    if (!qcs) return decode_status(qcs.error(), "committed QCs");
    out.push_back(consensus::committed_record(*header, qcs->qc));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

core::Result<std::optional<consensus::QuorumCert>> ReplicaLedger::commit_qc_at(
    std::uint64_t height) const {
  auto v = ledger_->kv().get(Column::kSafety, committed_key(height));
  if (!v) return std::move(v).error();
  if (!*v) return std::optional<consensus::QuorumCert>();
  auto qcs = core::decode<CommittedQcs>(**v);
  if (!qcs) return decode_status(qcs.error(), "committed QCs");
  return std::move(qcs->commit_qc);
}

std::optional<consensus::QuorumCert> ReplicaLedger::epoch_end_cert(consensus::Epoch epoch) const {
  if (epoch >= epoch_.epoch()) return std::nullopt;
  auto next = ledger_->epoch(epoch + 1);
  if (!next || next->first_height == 0) return std::nullopt;
  auto cert = commit_qc_at(next->first_height - 1);
  if (!cert || !*cert || (*cert)->epoch() != epoch) return std::nullopt;
  return std::move(*cert);
}

core::Result<std::vector<Hash256>> ReplicaLedger::committed_ids() const {
  std::vector<Hash256> ids;
  const std::uint64_t latest = ledger_->latest_height();
  ids.reserve(latest);
  for (std::uint64_t h = 1; h <= latest; ++h) {
    auto header = ledger_->header(h);
    if (!header) return std::move(header).error();
    ids.push_back(header->id());
  }
  return ids;
}

std::optional<chain::BlockHeader> ReplicaLedger::header_of(const Hash256& id) const {
  const chain::BlockHeader root = ledger_->latest_header();
  if (root.id() == id) return root;
  if (auto it = headers_.find(id); it != headers_.end()) return it->second;
  return std::nullopt;
}

core::Status ReplicaLedger::persist_safety(const consensus::SafetyState& state) {
  ledger::WriteBatch batch;
  batch.put(Column::kSafety, core::as_bytes(kSafetyKey), core::encode(state));
  return consensus_disk_->write(batch, true);
}

core::Result<consensus::SafetyState> ReplicaLedger::load_safety() const {
  auto v = consensus_disk_->get(Column::kSafety, core::as_bytes(kSafetyKey));
  if (!v) return std::move(v).error();
  if (!*v) return consensus::SafetyState{};
  auto s = core::decode<consensus::SafetyState>(**v);
  if (!s) return decode_status(s.error(), "safety state");
  return std::move(*s);
}

core::Status ReplicaLedger::persist_block(const consensus::SyncBlock& block) {
  if (block.header.height <= ledger_->latest_height()) return core::Status::ok();
  core::Bytes key{kKeptPrefix};
  ledger::append_be64(key, block.header.height);
  const Hash256 id = block.header.id();
  key.insert(key.end(), id.view().begin(), id.view().end());
  ledger::WriteBatch batch;
  batch.put(Column::kBlockBody, std::move(key), core::encode(block));
  return consensus_disk_->write(batch, true);
}

core::Result<std::vector<consensus::SyncBlock>> ReplicaLedger::kept_blocks() const {
  std::vector<consensus::SyncBlock> out;
  std::optional<core::Status> bad;
  const std::uint64_t root = ledger_->latest_height();
  const core::Bytes prefix{kKeptPrefix};
  const core::Status s = consensus_disk_->scan(Column::kBlockBody, prefix, SIZE_MAX,
                                               [&](core::ByteView, core::ByteView v) {
                                                 auto b = core::decode<consensus::SyncBlock>(v);
                                                 if (!b) {
                                                   bad = decode_status(b.error(), "kept block");
                                                   return false;
                                                 }
                                                 if (b->header.height > root)
                                                   out.push_back(std::move(*b));
                                                 return true;
                                               });
  if (!s) return s;
  if (bad) return *bad;
  return out;
}

}  // namespace bauhinia::sim
