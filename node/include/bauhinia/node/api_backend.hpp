#pragma once
// What the HTTP API needs from the node (docs/api/README.md). The node runtime
// implements it; LedgerApiBackend (api_ledger_backend.hpp) is a complete
// implementation over a LedgerStore, a Mempool and an Executor that the runtime
// may reuse and the tests run against.
//
// Thread safety: every member may be called from several API threads at once.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/tx_journal.hpp"

namespace bauhinia::node {

class HealthPayloads;

// The node as its operator and clients see it (GET /v1/status).
struct NodeStatus {
  std::string chain_id;
  core::Hash256 genesis_id;
  std::string node_name;
  Role role = Role::kValidator;
  std::uint64_t height = 0;  // latest committed block
  core::Hash256 latest_block_id;
  std::uint64_t latest_timestamp_ms = 0;
  core::Hash256 state_root;
  core::Hash256 accumulator_root;
  std::uint64_t accumulator_size = 0;  // transactions committed so far
  std::uint64_t epoch = 0;             // the epoch of the next block
  std::uint64_t round = 0;             // consensus' current round
  bool syncing = false;                // catching up: reads may lag the network
  std::uint32_t peer_count = 0;
  std::uint64_t mempool_size = 0;
};

// The answer to a submission: the transaction's id (zero when the bytes do not
// decode) and, when it was not admitted, the mempool's typed reason.
struct SubmitResult {
  core::Hash256 id;
  std::optional<mempool::MempoolRejection> rejection;
  // With kOverloaded (the node is behind or over its admission budget): when
  // to try again, in whole seconds (the API's Retry-After).
  std::uint32_t retry_after_s = 0;
  // Admitted (or already pending): the journal ticket to wait for before
  // answering (ApiBackend::when_durable); 0: nothing to wait for.
  std::uint64_t durable_ticket = 0;
  bool ok() const noexcept { return !rejection.has_value(); }
};

std::string_view role_name(Role role) noexcept;  // "validator" / "observer"

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;

  // The committed ledger; the API only reads it.
  virtual const ledger::LedgerStore& ledger() const = 0;
  // Resolves contract queries ("<module>/<path>") and names the modules.
  virtual const contracts::Executor& executor() const = 0;

  // Admits signed transaction bytes to the mempool (and gossips them, in the
  // runtime). Changes nothing unless the transaction is admitted.
  virtual SubmitResult submit(core::ByteView transaction) = 0;
  // Calls done(ok) once the submissions up to `ticket` (SubmitResult::
  // durable_ticket) survive a crash, done(error) if they cannot be made to;
  // possibly on another thread. The default: at once (nothing journaled).
  virtual void when_durable(std::uint64_t ticket, std::function<void(core::Status)> done) const {
    (void)ticket;
    done(core::Status::ok());
  }
  // True while the transaction waits in the mempool.
  virtual bool is_pending(const core::Hash256& id) const = 0;
  // What became of a transaction this node accepted that is neither
  // committed nor pending (tx_journal.hpp); nullopt: nothing known.
  virtual core::Result<std::optional<TxVerdict>> transaction_verdict(
      const core::Hash256& id) const {
    (void)id;
    return std::optional<TxVerdict>{};
  }
  virtual NodeStatus status() const = 0;
  // The newest commit certificate this node holds (it commits the latest
  // block); nullopt before the first block after genesis.
  virtual std::optional<chain::QuorumCertificate> latest_commit_certificate() const = 0;
  // The health payload service of a node that holds payloads (nullptr: none).
  virtual HealthPayloads* health_payloads() const { return nullptr; }
  // The clock submissions are judged by (Unix milliseconds); the dry run
  // executes at this time, so that it judges expiry as a submission would.
  virtual std::uint64_t now_ms() const {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  }
};

}  // namespace bauhinia::node
