#include "bauhinia/node/consensus_store.hpp"

#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {

namespace {

using ledger::Column;

const core::Bytes kSafetyKey{'s', 't', 'a', 't', 'e'};

// Key of a block's records in the ledger's host column.
core::Bytes ledger_record_key(std::uint64_t height) {
  core::Bytes k{'c'};
  ledger::append_be64(k, height);
  return k;
}

core::Bytes block_key(const core::Hash256& id) {
  core::Bytes k{'p'};
  k.insert(k.end(), id.bytes().begin(), id.bytes().end());
  return k;
}

template <class T>
core::Result<T> decode_stored(const core::Bytes& bytes, const char* what) {
  auto v = core::decode<T>(bytes);
  if (!v)
    return core::Status::corruption(std::string("consensus store: ") + what + ": " +
                                    v.error().to_string());
  return std::move(v).value();
}

}  // namespace

core::Result<std::unique_ptr<ConsensusStore>> ConsensusStore::open(
    const std::string& path, const ledger::LevelDbOptions& options) {
  auto kv = ledger::LevelDbKvStore::open(path, options);
  if (!kv) return std::move(kv).error();
  return std::unique_ptr<ConsensusStore>(new ConsensusStore(std::move(kv).value()));
}

std::unique_ptr<ConsensusStore> ConsensusStore::over(std::unique_ptr<ledger::KvStore> kv) {
  return std::unique_ptr<ConsensusStore>(new ConsensusStore(std::move(kv)));
}

core::Result<consensus::SafetyState> ConsensusStore::safety_state() const {
  auto v = stored_safety_state();
  if (!v) return std::move(v).error();
  if (!v->has_value()) return consensus::SafetyState{};
  return std::move(**v);
}

core::Result<std::optional<consensus::SafetyState>> ConsensusStore::stored_safety_state() const {
  auto v = kv_->get(Column::kSafety, kSafetyKey);
  if (!v) return std::move(v).error();
  if (!v->has_value()) return std::optional<consensus::SafetyState>{};
  // decode() also runs SafetyState::validate(): malformed certificates are corruption.
  auto state = decode_stored<consensus::SafetyState>(**v, "safety state");
  if (!state) return std::move(state).error();
  return std::optional<consensus::SafetyState>{std::move(state).value()};
}

core::Status ConsensusStore::save_safety_state(const consensus::SafetyState& state) {
  ledger::WriteBatch b;
  b.put(Column::kSafety, kSafetyKey, core::encode(state));
  return kv_->write(b, /*sync=*/true);
}

core::Status ConsensusStore::save_block(const consensus::SyncBlock& block) {
  ledger::WriteBatch b;
  b.put(Column::kBlockBody, block_key(block.header.id()), core::encode(block));
  return kv_->write(b, true);
}

core::Result<std::vector<consensus::SyncBlock>> ConsensusStore::blocks() const {
  std::vector<consensus::SyncBlock> out;
  std::optional<core::Status> failure;
  const core::Bytes prefix{'p'};
  core::Status s = kv_->scan(Column::kBlockBody, prefix, consensus::kMaxSyncBlocks * 1024,
                             [&](core::ByteView, core::ByteView value) {
                               auto b = core::decode<consensus::SyncBlock>(value);
                               if (!b) {
                                 failure = core::Status::corruption(
                                     "consensus store: kept block: " + b.error().to_string());
                                 return false;
                               }
                               out.push_back(std::move(b).value());
                               return true;
                             });
  if (!s) return s;
  if (failure) return *failure;
  return out;
}

core::Status ConsensusStore::prune_blocks(std::uint64_t height) {
  auto all = blocks();
  if (!all) return all.error();
  ledger::WriteBatch b;
  for (const auto& block : *all) {
    if (block.header.height <= height) b.erase(Column::kBlockBody, block_key(block.header.id()));
  }
  if (b.size() == 0) return core::Status::ok();
  return kv_->write(b, false);
}

core::Status ConsensusStore::save_committed(std::uint64_t height, const CommittedQcs& qcs) {
  ledger::WriteBatch b;
  b.put(Column::kCertificate, ledger::be64_key(height), core::encode(qcs));
  return kv_->write(b, true);
}

void ConsensusStore::add_committed(ledger::WriteBatch& host_records, std::uint64_t height,
                                   const CommittedQcs& qcs) {
  host_records.put(Column::kSafety, ledger_record_key(height), core::encode(qcs));
}

core::Result<CommittedQcs> ConsensusStore::committed(std::uint64_t height) const {
  // The ledger's records first: they are written atomically with their block,
  // while an entry here may be for a block the ledger did not commit.
  if (ledger_kv_ != nullptr) {
    auto in_ledger = ledger_kv_->get(Column::kSafety, ledger_record_key(height));
    if (!in_ledger) return std::move(in_ledger).error();
    if (in_ledger->has_value()) return decode_stored<CommittedQcs>(**in_ledger, "committed QCs");
  }
  auto v = kv_->get(Column::kCertificate, ledger::be64_key(height));
  if (!v) return std::move(v).error();
  if (!v->has_value()) {
    return core::Status::not_found("no consensus record for height " + std::to_string(height));
  }
  return decode_stored<CommittedQcs>(**v, "committed QCs");
}

}  // namespace bauhinia::node
