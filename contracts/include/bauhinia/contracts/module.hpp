#pragma once
// The interface between the Executor and a contract module (in the spirit of
// ABCI's CheckTx / FinalizeBlock / Query). Modules are native C++, stateless
// objects (all state lives in the StateView) and deterministic: no clock, no
// randomness, no floating point, no iteration over unordered containers.
//
// The Executor has already checked the envelope when a module is called: the
// signature, chain id, expiry, that `sender` is the signing account and that
// the sequence number is the account's next one (and consumed it).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/contracts/block_context.hpp"
#include "bauhinia/contracts/event.hpp"
#include "bauhinia/contracts/parameters.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

// Accounts one transaction may concern (the ledger indexes at most this many,
// ledger::kMaxAccountsPerTransaction).
inline constexpr std::size_t kMaxAccountsPerTransaction = 16;

// How a call ended. Only the outcome code is committed to the ledger; the
// typed reason (a stable snake_case name per module, e.g. "illegal_transition",
// listed in the module's docs) and the message are for clients, the API and
// logs, so messages may be improved without a fork.
struct CallResult {
  chain::TxOutcome outcome = chain::TxOutcome::kSuccess;
  std::string reason;  // empty on success; [a-z][a-z0-9_]* otherwise
  std::string detail;

  bool ok() const noexcept { return outcome == chain::TxOutcome::kSuccess; }
  static CallResult success() { return {}; }
  static CallResult failure(chain::TxOutcome outcome, std::string reason, std::string detail) {
    return {outcome, std::move(reason), std::move(detail)};
  }
  // The generic reason of an outcome code (modules give a specific one).
  static CallResult failure(chain::TxOutcome outcome, std::string detail);
};

// One call being checked or applied.
class CallContext {
 public:
  CallContext(const chain::Transaction& tx, const core::Hash256& id, const BlockContext& block)
      : tx_(&tx), id_(&id), block_(&block), accounts_{tx.sender} {}

  const chain::Transaction& tx() const noexcept { return *tx_; }
  const core::Hash256& transaction_id() const noexcept { return *id_; }
  const core::AccountId& sender() const noexcept { return tx_->sender; }
  const BlockContext& block() const noexcept { return *block_; }

  // Records an event of the called module, tx().module (apply only; the
  // Executor drops the events of a failed call). Beyond kMaxEventsPerCall, or
  // with an invalid kind or oversized fields, the call fails with
  // kLimitExceeded / kInvalidArgument.
  void emit(std::string kind, Bytes record_key, Bytes data);

  // Names another account this call concerns (e.g. the assignee of a
  // trademark), for the ledger's per-account index. The sender is always
  // included; repeats are ignored; beyond kMaxAccountsPerTransaction in all
  // the call fails with kLimitExceeded. Kept only if the call succeeds.
  void mention_account(const core::AccountId& account);

  const std::vector<Event>& events() const noexcept { return events_; }
  std::vector<Event> take_events() && { return std::move(events_); }
  // The sender, then the mentioned accounts, in order.
  const std::vector<core::AccountId>& accounts() const noexcept { return accounts_; }
  // Set when emit() or mention_account() broke a rule: the call fails with this result.
  const std::optional<CallResult>& fault() const noexcept { return fault_; }

 private:
  const chain::Transaction* tx_;
  const core::Hash256* id_;
  const BlockContext* block_;
  std::vector<Event> events_;
  std::vector<core::AccountId> accounts_;
  std::optional<CallResult> fault_;
};

// A record a query resolved to, so the node can attach a state proof.
struct QueryRecord {
  std::string module;
  Bytes record_key;
  std::optional<Bytes> value;
};

// The answer of a query: one record (`module`, `record_key`, `value`) and, for
// a list, the records it names (`related`: e.g. a page of an index list and
// the trademarks on that page), each proven by the node like the first.
struct QueryAnswer {
  std::string module;
  Bytes record_key;
  std::optional<Bytes> value;
  std::vector<QueryRecord> related;        // at most kMaxQueryRelated
  std::optional<std::uint64_t> next_page;  // lists: the next page, if any
};
inline constexpr std::size_t kMaxQueryRelated = 128;

class Module {
 public:
  virtual ~Module() = default;

  // [a-z][a-z0-9_]*, at most chain::kMaxModuleNameSize bytes; never changes.
  virtual std::string_view name() const = 0;

  // Admission before execution (mempool, API): would this call be accepted at
  // this state? Decodes and checks the payload; no writes. A transaction that
  // passes may still fail in apply() (state changes before its block).
  virtual core::Verdict check(const CallContext& call, const StateView& state) const = 0;

  // Executes the call: writes through `state`, events through call.emit().
  // On failure the Executor discards the writes and events.
  virtual CallResult apply(CallContext& call, StateView& state) const = 0;

  // Answers a read-only query such as "account/<hex id>"; rejects unknown or
  // malformed paths.
  virtual core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const = 0;

  // The chain parameters this module reads (parameters.hpp); names begin
  // with name() and a dot.
  virtual std::span<const ParameterSpec> parameters() const { return {}; }
};

}  // namespace bauhinia::contracts
