#include "bauhinia/node/api_ledger_backend.hpp"

#include <chrono>

#include "bauhinia/contracts/accounts.hpp"

namespace bauhinia::node {

std::string_view role_name(Role role) noexcept {
  return role == Role::kValidator ? "validator" : "observer";
}

core::Result<std::optional<core::Bytes>> LedgerVersionReader::read(
    const core::Hash256& state_key) const {
  return ledger_->state_value(state_key, version_);
}

mempool::AccountLookup ledger_account_lookup(const ledger::LedgerStore& ledger) {
  return
      [&ledger](const core::AccountId& id) -> core::Result<std::optional<mempool::AccountState>> {
        const LedgerVersionReader state(ledger, ledger.latest_height());
        auto record = contracts::accounts::load_account(state, id);
        if (!record) return std::move(record).error();
        if (!record->has_value()) return std::optional<mempool::AccountState>{};
        return std::optional<mempool::AccountState>{
            mempool::AccountState{(*record)->key, (*record)->next_sequence}};
      };
}

std::uint64_t system_now_ms() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

LedgerApiBackend::LedgerApiBackend(const ledger::LedgerStore& ledger, mempool::Mempool& mempool,
                                   const contracts::Executor& executor,
                                   LedgerApiBackendOptions options)
    : ledger_(&ledger), mempool_(&mempool), executor_(&executor), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
}

SubmitResult LedgerApiBackend::submit(core::ByteView transaction) {
  const mempool::AdmitResult admitted = mempool_->submit_encoded(transaction, options_.now_ms());
  if (admitted.ok() && options_.on_admitted) options_.on_admitted(admitted.id, transaction);
  return SubmitResult{admitted.id, admitted.rejection};
}

bool LedgerApiBackend::is_pending(const core::Hash256& id) const {
  return mempool_->contains(id);
}

NodeStatus LedgerApiBackend::status() const {
  const chain::BlockHeader latest = ledger_->latest_header();
  NodeStatus s;
  s.chain_id = ledger_->chain_id();
  s.genesis_id = ledger_->genesis_id();
  s.node_name = options_.node_name;
  s.role = options_.role;
  s.height = latest.height;
  s.latest_block_id = latest.id();
  s.latest_timestamp_ms = latest.timestamp_ms;
  s.state_root = latest.state_root;
  s.accumulator_root = latest.accumulator_root;
  s.accumulator_size = latest.accumulator_size;
  s.epoch = ledger_->current_validator_set().epoch;
  s.round = latest.round;
  s.mempool_size = mempool_->size();
  if (options_.runtime_status) {
    const RuntimeStatus r = options_.runtime_status();
    if (r.round != 0) s.round = r.round;
    s.syncing = r.syncing;
    s.peer_count = r.peer_count;
  }
  return s;
}

std::optional<chain::QuorumCertificate> LedgerApiBackend::latest_commit_certificate() const {
  if (options_.latest_certificate) {
    if (auto qc = options_.latest_certificate()) return qc;
  }
  const std::uint64_t height = ledger_->latest_height();
  if (height == 0) return std::nullopt;
  auto qc = ledger_->certificate(height);
  if (!qc) return std::nullopt;
  return std::move(qc).value();
}

}  // namespace bauhinia::node
