#pragma once
// An ApiBackend over the node's real components: a LedgerStore (committed
// blocks and state), a Mempool (submissions and pending transactions) and an
// Executor (contract queries). The parts only the runtime knows (consensus
// round, peers, sync) come from an optional callback; gossip of admitted
// transactions from another.
//
// Also the two bridges between the ledger and the layers above it that the
// API and the runtime both need: a StateReader over the ledger's state at one
// version, and the mempool's AccountLookup over the latest committed state.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/node/api_backend.hpp"

namespace bauhinia::node {

// Reads the ledger's state tree at a fixed version (a block height at most the
// latest). Thread-safe like the ledger's reads. Every value read is checked
// against the state tree (LedgerStore::state_value).
class LedgerVersionReader final : public contracts::StateReader {
 public:
  LedgerVersionReader(const ledger::LedgerStore& ledger, std::uint64_t version)
      : ledger_(&ledger), version_(version) {}
  core::Result<std::optional<core::Bytes>> read(const core::Hash256& state_key) const override;
  std::uint64_t version() const noexcept { return version_; }

 private:
  const ledger::LedgerStore* ledger_;
  std::uint64_t version_;
};

// The mempool's view of accounts: the accounts module's record of the account
// at the latest committed version (contracts::accounts::load_account). The
// ledger must outlive the returned function.
mempool::AccountLookup ledger_account_lookup(const ledger::LedgerStore& ledger);

// The node's current clock in Unix milliseconds.
std::uint64_t system_now_ms();

// What only the runtime knows; defaults when it is not plugged in.
struct RuntimeStatus {
  std::uint64_t round = 0;  // 0: the latest header's round is reported
  bool syncing = false;
  std::uint32_t peer_count = 0;
};

struct LedgerApiBackendOptions {
  std::string node_name;
  Role role = Role::kValidator;
  std::function<std::uint64_t()> now_ms;          // empty: system_now_ms
  std::function<RuntimeStatus()> runtime_status;  // empty: defaults above
  // Called after a transaction was admitted (the runtime gossips it); on an
  // API thread, so it must be quick and thread-safe.
  std::function<void(const core::Hash256& id, core::ByteView transaction)> on_admitted;
  // The newest commit certificate, when the runtime holds a newer one than
  // the ledger's latest block (empty: the ledger's).
  std::function<std::optional<chain::QuorumCertificate>()> latest_certificate;
  // The health payload service (health_payloads.hpp), when this node holds payloads.
  HealthPayloads* health_payloads = nullptr;
};

class LedgerApiBackend final : public ApiBackend {
 public:
  // All three must outlive the backend.
  LedgerApiBackend(const ledger::LedgerStore& ledger, mempool::Mempool& mempool,
                   const contracts::Executor& executor, LedgerApiBackendOptions options = {});

  const ledger::LedgerStore& ledger() const override { return *ledger_; }
  const contracts::Executor& executor() const override { return *executor_; }
  SubmitResult submit(core::ByteView transaction) override;
  bool is_pending(const core::Hash256& id) const override;
  NodeStatus status() const override;
  std::optional<chain::QuorumCertificate> latest_commit_certificate() const override;
  HealthPayloads* health_payloads() const override { return options_.health_payloads; }
  std::uint64_t now_ms() const override { return options_.now_ms(); }

 private:
  const ledger::LedgerStore* ledger_;
  mempool::Mempool* mempool_;
  const contracts::Executor* executor_;
  LedgerApiBackendOptions options_;
};

}  // namespace bauhinia::node
