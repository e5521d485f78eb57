#include "bauhinia/node/storage_guard.hpp"

#include <chrono>
#include <ctime>
#include <system_error>

#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {

namespace {

namespace fs = std::filesystem;

// The highest round in epoch `epoch` of a QC among `qcs` that `self` signed.
std::optional<consensus::Round> signed_round(const CommittedQcs& qcs,
                                             const consensus::EpochContext& epoch,
                                             std::size_t index) {
  std::optional<consensus::Round> out;
  auto consider = [&](const consensus::QuorumCert& qc) {
    if (qc.is_epoch_root() || qc.epoch() != epoch.epoch()) return;
    if (!consensus::bitmap_get(qc.certificate.signer_bitmap, index)) return;
    out = std::max(out.value_or(0), qc.round());
  };
  consider(qcs.qc);
  if (qcs.commit_qc) consider(*qcs.commit_qc);
  return out;
}

std::string utc_stamp() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

core::Status status_of_kind(core::StatusCode code, std::string message) {
  switch (code) {
    case core::StatusCode::kIoError: return core::Status::io_error(std::move(message));
    case core::StatusCode::kCorruption: return core::Status::corruption(std::move(message));
    case core::StatusCode::kNotFound: return core::Status::not_found(std::move(message));
    case core::StatusCode::kInvalidArgument:
      return core::Status::invalid_argument(std::move(message));
    case core::StatusCode::kUnavailable: return core::Status::unavailable(std::move(message));
    case core::StatusCode::kOk:
    case core::StatusCode::kInternal: break;
  }
  return core::Status::internal(std::move(message));
}

int exit_code(StorageFault fault) {
  switch (fault) {
    case StorageFault::kNone: return 1;
    case StorageFault::kDamaged:
    case StorageFault::kUnwritable: return kExitStorageFault;
    case StorageFault::kSafetyState: return kExitSafetyState;
  }
  return 1;
}

std::string remedy(StorageFault fault, const fs::path& home) {
  const std::string h = home.string();
  switch (fault) {
    case StorageFault::kNone: return "";
    case StorageFault::kDamaged:
      return "this node signs nothing until its storage is repaired. If the disk is full or "
             "failing, fix that first and start again. If the ledger database is damaged, run "
             "`bauhinia-node recover --home " +
             h +
             "`: it keeps the keys and the safety state, moves the ledger aside and the next "
             "`bauhinia-node start` resyncs the chain from the peers. If the consensus "
             "records (data_dir/consensus) are damaged, restore them from a backup (see "
             "docs/operator-guide.md, \"Storage faults and recovery\").";
    case StorageFault::kUnwritable:
      return "a write to the node's storage failed, so the node stopped before signing anything "
             "more. Free disk space or fix the device, then run `bauhinia-node start --home " +
             h +
             "` again (a write cut short is discarded at the next start); if the start then "
             "reports a damaged ledger, run `bauhinia-node recover --home " +
             h + "`.";
    case StorageFault::kSafetyState:
      return "a validator must never vote from a lost or outdated safety state: it could sign "
             "twice in one round (equivocate). Restore this node's whole data_dir (ledger/ and "
             "consensus/ together) from its latest backup taken with the node stopped or, "
             "without one, move data_dir aside (keep node_key) so that the node starts empty "
             "and resyncs; either way start it only once the consortium's round (\"round\" in "
             "another node's GET /v1/status) is past the last round this node reported "
             "(bauhinia_consensus_last_voted_round). `bauhinia-node recover` does not help here: "
             "it keeps the safety state, it cannot rebuild one (docs/operator-guide.md, "
             "\"Storage faults and recovery\").";
  }
  return "";
}

core::Result<consensus::SafetyState> check_safety_state(const ledger::LedgerStore& ledger,
                                                        ConsensusStore& records,
                                                        const consensus::EpochContext& epoch,
                                                        const core::ed25519::PublicKey& self) {
  auto stored = records.stored_safety_state();
  if (!stored) return std::move(stored).error();
  const auto index = epoch.validators.index_of(self);
  const std::uint64_t height = ledger.latest_height();
  if (!stored->has_value()) {
    if (height > 0 && index.has_value()) {
      return core::Status::not_found(
          "the consensus records have no safety state, but the ledger is at height " +
          std::to_string(height) + " and this node is a validator of epoch " +
          std::to_string(epoch.epoch()) +
          ": the safety state was lost (data_dir/consensus deleted or replaced)");
    }
    consensus::SafetyState fresh;
    if (auto s = records.save_safety_state(fresh); !s) return s;
    return fresh;
  }
  consensus::SafetyState state = std::move(**stored);
  if (!index.has_value()) return state;
  // This key's latest vote the ledger shows, among its latest blocks of this epoch.
  std::optional<consensus::Round> voted;
  std::uint64_t voted_height = 0;
  const std::uint64_t lowest =
      std::max<std::uint64_t>(epoch.epoch_root_height + 1,
                              height >= kSafetyCheckBlocks ? height - kSafetyCheckBlocks + 1 : 1);
  for (std::uint64_t h = height; h >= lowest && h > 0; --h) {
    auto qcs = records.committed(h);
    if (!qcs) {
      if (qcs.error().code() == core::StatusCode::kNotFound) continue;
      return std::move(qcs).error();
    }
    if (auto r = signed_round(*qcs, epoch, *index); r && (!voted || *r > *voted)) {
      voted = r;
      voted_height = h;
    }
  }
  if (!voted) return state;
  const bool behind = state.epoch < epoch.epoch() ||
                      (state.epoch == epoch.epoch() && state.last_voted_round < *voted);
  if (behind) {
    return core::Status::corruption(
        "the safety state (epoch " + std::to_string(state.epoch) + ", last voted round " +
        std::to_string(state.last_voted_round) + ") is behind this node's own vote in the ledger " +
        "(epoch " + std::to_string(epoch.epoch()) + ", round " + std::to_string(*voted) +
        ", certified block at height " + std::to_string(voted_height) +
        "): data_dir/consensus was lost or restored from an older copy");
  }
  return state;
}

core::Result<RecoverResult> recover_ledger(const NodeConfig& config, StorageFault* fault) {
  auto set_fault = [&](StorageFault f) {
    if (fault != nullptr) *fault = f;
  };
  set_fault(StorageFault::kNone);
  const fs::path consensus_dir = config.data_dir / "consensus";
  const fs::path ledger_dir = config.data_dir / "ledger";
  std::error_code ec;
  RecoverResult out;
  if (fs::exists(consensus_dir, ec)) {
    ledger::LevelDbOptions o;
    o.create_if_missing = false;
    o.verify_tables = true;
    auto kv = ledger::LevelDbKvStore::open(consensus_dir.string(), o);
    if (!kv) {
      if (kv.error().code() == core::StatusCode::kCorruption) set_fault(StorageFault::kSafetyState);
      return status_of_kind(kv.error().code(),
                            "the consensus records " + consensus_dir.string() +
                                " (safety state) cannot be opened (is the node still running? "
                                "stop it first): " +
                                kv.error().to_string());
    }
    auto records = ConsensusStore::over(std::move(kv).value());
    auto state = records->stored_safety_state();
    if (!state) {
      set_fault(StorageFault::kSafetyState);
      return core::Status::corruption("the safety state in " + consensus_dir.string() +
                                      " cannot be read: " + state.error().to_string());
    }
    out.safety = std::move(state).value();
  }
  if (!out.safety && config.role == Role::kValidator) {
    set_fault(StorageFault::kSafetyState);
    return core::Status::not_found(
        "no safety state in " + consensus_dir.string() +
        ": recover keeps a validator's safety state and cannot make one up");
  }
  if (fs::exists(ledger_dir, ec)) {
    {
      // The ledger must not be in use: a running node holds its LOCK. (A
      // damaged ledger may not open at all; only a held lock stops us.)
      ledger::LevelDbOptions o;
      o.create_if_missing = false;
      o.paranoid_checks = false;
      auto probe = ledger::LevelDbKvStore::open(ledger_dir.string(), o);
      if (!probe && probe.error().to_string().find("lock") != std::string::npos) {
        return core::Status::io_error(
            "the ledger " + ledger_dir.string() +
            " is in use (is the node still running? stop it first): " + probe.error().to_string());
      }
    }  // closed (lock released) before the move
    fs::path aside = config.data_dir / ("ledger.damaged-" + utc_stamp());
    for (int i = 1; fs::exists(aside, ec); ++i) {
      aside = config.data_dir / ("ledger.damaged-" + utc_stamp() + "-" + std::to_string(i));
    }
    fs::rename(ledger_dir, aside, ec);
    if (ec) {
      return core::Status::io_error("cannot move " + ledger_dir.string() + " to " + aside.string() +
                                    ": " + ec.message());
    }
    out.moved_ledger = aside;
  }
  return out;
}

}  // namespace bauhinia::node
