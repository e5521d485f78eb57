#pragma once
// What the node promised its clients, kept across crashes
// (docs/adr/0005-durable-acceptance.md): the glue between the mempool, the
// transaction journal (tx_journal.hpp) and the ledger.
//
//   - accepted(): a client's transaction was admitted (or was already
//     pending): journal it; the API answers once the ticket is durable.
//   - the mempool's removal listener settles every transaction that leaves:
//     committed ones leave the journal; the others leave it with a verdict
//     (expired, replaced, evicted, removed) for GET /v1/transactions/{id}.
//   - restore(), at start: every journaled transaction is re-admitted unless
//     committed meanwhile (then it just leaves the journal) or no longer
//     admissible (expired, its sequence used: it leaves with that verdict).
//   - regossip(): the restored transactions, to be sent to peers once some
//     are connected (they may never have left the node before the crash).

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/node/tx_journal.hpp"

namespace bauhinia::node {

struct RestoreReport {
  std::size_t journaled = 0;   // transactions found in the journal
  std::size_t readmitted = 0;  // back in the mempool
  std::size_t committed = 0;   // committed meanwhile
  std::size_t expired = 0;
  std::size_t dropped = 0;            // not admissible any more (verdict kept), or corrupt
  std::vector<std::string> problems;  // corrupt records, one line each
};

class DurableAcceptance {
 public:
  // Installs the mempool's removal listener: call before the mempool is used.
  // `now_ms` gives the wall clock (verdict times).
  DurableAcceptance(std::unique_ptr<TxJournal> journal, mempool::Mempool& pool,
                    const ledger::LedgerStore& ledger, std::function<std::uint64_t()> now_ms);
  DurableAcceptance(const DurableAcceptance&) = delete;
  DurableAcceptance& operator=(const DurableAcceptance&) = delete;

  core::Result<RestoreReport> restore();
  // The journal ticket of an accepted transaction (see SubmitResult).
  std::uint64_t accepted(const core::Hash256& id, core::ByteView bytes);
  // The restored transactions still pending (call when peers connect; each
  // call returns them again while they are pending).
  std::vector<core::Bytes> regossip();

  TxJournal& journal() noexcept { return *journal_; }
  const TxJournal& journal() const noexcept { return *journal_; }

  // The verdict a removal leaves (nullopt: committed, nothing to keep).
  static std::optional<TxVerdict> verdict_of(const mempool::Removal& r, std::uint64_t now_ms);

 private:
  std::unique_ptr<TxJournal> journal_;
  mempool::Mempool& pool_;
  const ledger::LedgerStore& ledger_;
  std::function<std::uint64_t()> now_ms_;
  std::mutex mutex_;
  std::vector<JournaledTx> restored_;  // guarded by mutex_
};

}  // namespace bauhinia::node
