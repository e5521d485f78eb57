#include "bauhinia/contracts/executor.hpp"

#include <limits>
#include <string>
#include <utility>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/contracts/accounts.hpp"

namespace bauhinia::contracts {

namespace {

EnvelopeRejection envelope_reject(EnvelopeError e, std::string detail) {
  return EnvelopeRejection{e, std::move(detail)};
}

// The outcome of step 1 for one transaction: a rejection, or the sender's
// account record (nullopt for a new account).
struct EnvelopeResult {
  std::optional<EnvelopeRejection> rejection;
  std::optional<accounts::AccountRecord> account;
};

}  // namespace

std::string_view envelope_error_name(EnvelopeError e) noexcept {
  switch (e) {
    case EnvelopeError::kMalformed: return "malformed";
    case EnvelopeError::kBadSignature: return "bad_signature";
    case EnvelopeError::kWrongChain: return "wrong_chain";
    case EnvelopeError::kExpired: return "expired";
    case EnvelopeError::kUnknownModule: return "unknown_module";
    case EnvelopeError::kWrongKey: return "wrong_key";
    case EnvelopeError::kUnknownAccount: return "unknown_account";
    case EnvelopeError::kStaleSequence: return "stale_sequence";
    case EnvelopeError::kFutureSequence: return "future_sequence";
    case EnvelopeError::kBlockFull: return "block_full";
  }
  return "unknown";
}

std::string EnvelopeRejection::to_string() const {
  std::string s(envelope_error_name(error));
  if (!detail.empty()) s += ": " + detail;
  return s;
}

Executor::Executor(ExecutorConfig config) : config_(std::move(config)) {}

void Executor::add_module(const Module& module) {
  const std::string name(module.name());
  BAUHINIA_ASSERT_MSG(chain::valid_identifier(name, chain::kMaxModuleNameSize),
                      "invalid module name");
  const bool inserted = modules_.emplace(name, &module).second;
  BAUHINIA_ASSERT_MSG(inserted, "module registered twice");
}

const Module* Executor::find_module(std::string_view name) const {
  const auto it = modules_.find(name);
  return it == modules_.end() ? nullptr : it->second;
}

namespace {

// Step 1. Cheap checks first; the signature (one BIP-340 verify) last.
core::Result<EnvelopeResult> check_envelope_impl(
    const ExecutorConfig& config, const Executor& executor, const BlockContext& block,
    const chain::IdentifiedTransaction& itx, const StateReader& state, bool allow_future_sequence,
    bool signature_verified = false) {
  const chain::Transaction& tx = itx.tx;
  EnvelopeResult out;
  auto fail = [&](EnvelopeError e, std::string detail) {
    out.rejection = envelope_reject(e, std::move(detail));
    return out;
  };
  if (core::Verdict v = tx.validate(); !v) {
    return fail(EnvelopeError::kMalformed, v.rejection().to_string());
  }
  if (tx.chain_id != block.chain_id) {
    return fail(EnvelopeError::kWrongChain,
                "transaction is for chain '" + tx.chain_id + "', not '" + block.chain_id + "'");
  }
  if (block.timestamp_ms >= tx.expiry_ms) {
    return fail(EnvelopeError::kExpired, "expired at " + std::to_string(tx.expiry_ms) +
                                             " ms; block time is " +
                                             std::to_string(block.timestamp_ms) + " ms");
  }
  if (executor.find_module(tx.module) == nullptr) {
    return fail(EnvelopeError::kUnknownModule, "no module '" + tx.module + "'");
  }
  auto account = accounts::load_account(state, tx.sender);
  if (!account) return std::move(account).error();
  out.account = std::move(*account);
  const std::uint64_t next = out.account ? out.account->next_sequence : 0;
  if (out.account) {
    if (out.account->key != tx.public_key) {
      return fail(EnvelopeError::kWrongKey,
                  "public_key " + tx.public_key.to_hex() + " is not the account's current key");
    }
  } else if (core::account_id_of(tx.public_key) != tx.sender) {
    return fail(
        EnvelopeError::kUnknownAccount,
        "account " + tx.sender.to_hex() + " does not exist and is not the account of public_key");
  }
  if (tx.sequence < next) {
    return fail(EnvelopeError::kStaleSequence, "sequence " + std::to_string(tx.sequence) +
                                                   " already used; next is " +
                                                   std::to_string(next));
  }
  if (tx.sequence > next && !allow_future_sequence) {
    return fail(EnvelopeError::kFutureSequence, "sequence " + std::to_string(tx.sequence) +
                                                    " is ahead of the account's next, " +
                                                    std::to_string(next));
  }
  const bool known =
      signature_verified || (config.signature_verified && config.signature_verified(itx.id));
  if (!known) {
    if (core::Verdict v = tx.check_context_free(); !v) {
      const bool bad_key = v.rejection().reason == core::Reject::kBadKey;
      return fail(bad_key ? EnvelopeError::kMalformed : EnvelopeError::kBadSignature,
                  v.rejection().to_string());
    }
    if (config.on_signature_verified) config.on_signature_verified(itx.id);
  }
  return out;
}

}  // namespace

core::Result<std::optional<EnvelopeRejection>> Executor::check_envelope(
    const BlockContext& block, const chain::IdentifiedTransaction& tx,
    const StateReader& state) const {
  auto r = check_envelope_impl(config_, *this, block, tx, state, false);
  if (!r) return std::move(r).error();
  return std::move(r->rejection);
}

core::Result<core::Verdict> Executor::check_transaction(const BlockContext& block,
                                                        const chain::IdentifiedTransaction& tx,
                                                        const StateReader& state,
                                                        AdmissionOptions options) const {
  auto r = check_envelope_impl(config_, *this, block, tx, state, options.allow_future_sequence,
                               options.signature_verified);
  if (!r) return std::move(r).error();
  if (r->rejection) {
    return core::Verdict(core::reject(core::Reject::kInvalid, r->rejection->to_string()));
  }
  if (!options.check_future_calls) {
    auto account = accounts::load_account(state, tx.tx.sender);
    if (!account) return std::move(account).error();
    const std::uint64_t next = *account ? (*account)->next_sequence : 0;
    if (tx.tx.sequence > next) return core::Verdict::accept();
  }
  // The module checks against the current state (its call would also see the
  // sender's sequence consumed, which checks do not depend on).
  StateOverlay overlay(state);
  OverlayStateView view(tx.tx.module, overlay);
  const CallContext call(tx.tx, tx.id, block);
  core::Verdict v = find_module(tx.tx.module)->check(call, view);
  if (!view.status()) return view.status();
  return v;
}

core::Result<std::optional<EnvelopeRejection>> Executor::run_one(
    const BlockContext& block, const chain::IdentifiedTransaction& itx, std::uint64_t version,
    StateOverlay& block_state, ExecutedBlock& out) const {
  const chain::Transaction& tx = itx.tx;
  auto envelope = check_envelope_impl(config_, *this, block, itx, block_state, false);
  if (!envelope) return std::move(envelope).error();
  if (envelope->rejection) return std::move(envelope->rejection);

  // Step 2: consume the sequence number (kept even if the call fails).
  StateOverlay tx_state(block_state);
  std::vector<Event> events;
  {
    OverlayStateView system(std::string(accounts::kModuleName), tx_state);
    accounts::AccountRecord record;
    if (envelope->account) {
      record = *envelope->account;
    } else {
      record.key = tx.public_key;
      record.created_height = block.height;
      record.key_updated_height = block.height;
      const accounts::AccountCreatedEvent created{tx.sender, tx.public_key};
      events.push_back(Event{std::string(accounts::kModuleName), "account_created",
                             accounts::account_record_key(tx.sender), core::encode(created)});
    }
    BAUHINIA_ASSERT(record.next_sequence == tx.sequence);
    BAUHINIA_ASSERT(record.next_sequence < std::numeric_limits<std::uint64_t>::max());
    record.next_sequence += 1;
    system.write(accounts::account_record_key(tx.sender), core::encode(record));
    BAUHINIA_ASSERT(!system.fault() && system.status().is_ok());
  }

  // Step 3: the call, over its own overlay.
  const Module* module = find_module(tx.module);
  StateOverlay call_state(tx_state);
  OverlayStateView view(tx.module, call_state);
  CallContext call(tx, itx.id, block);
  CallResult result = module->apply(call, view);
  if (!view.status()) return view.status();
  if (result.ok() && view.fault()) {
    result = CallResult::failure(view.fault()->outcome, view.fault()->detail);
  }
  if (result.ok() && call.fault()) result = *call.fault();
  std::vector<core::AccountId> concerned{tx.sender};
  if (result.ok()) {
    tx_state.absorb(std::move(call_state));
    concerned = call.accounts();
    for (Event& e : std::move(call).take_events()) events.push_back(std::move(e));
  }

  // Step 4: the record of the transaction.
  ExecutedTransaction executed;
  executed.id = itx.id;
  executed.info.version = version;
  executed.info.transaction_id = itx.id;
  executed.info.outcome = result.outcome;
  executed.info.state_changes_hash = state_changes_hash(tx_state.writes());
  executed.info.events_hash = events_hash(events);
  executed.writes = tx_state.writes();
  executed.events = std::move(events);
  executed.accounts = std::move(concerned);
  executed.reason = std::move(result.reason);
  executed.detail = std::move(result.detail);
  block_state.absorb(std::move(tx_state));
  out.transactions.push_back(std::move(executed));
  return std::optional<EnvelopeRejection>{};
}

core::Result<core::Expected<ExecutedBlock, RejectedBlock>> Executor::execute_block(
    const BlockContext& block, std::span<const chain::IdentifiedTransaction> txs,
    const StateReader& state) const {
  using Out = core::Expected<ExecutedBlock, RejectedBlock>;
  if (txs.size() > config_.max_block_transactions) {
    return Out(RejectedBlock{
        config_.max_block_transactions,
        envelope_reject(EnvelopeError::kBlockFull,
                        std::to_string(txs.size()) + " transactions; a block holds at most " +
                            std::to_string(config_.max_block_transactions))});
  }
  StateOverlay block_state(state);
  ExecutedBlock out;
  out.transactions.reserve(txs.size());
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto r = run_one(block, txs[i], block.first_version + i, block_state, out);
    if (!r) return std::move(r).error();
    if (*r) return Out(RejectedBlock{i, std::move(**r)});
  }
  std::vector<core::Hash256> ids;
  ids.reserve(out.transactions.size());
  for (const auto& t : out.transactions) ids.push_back(t.id);
  out.transactions_root = chain::transactions_root_of(ids);
  out.writes = std::move(block_state).take_writes();
  return Out(std::move(out));
}

core::Result<BuiltBlock> Executor::build_block(
    const BlockContext& block, std::span<const chain::IdentifiedTransaction> candidates,
    const StateReader& state) const {
  StateOverlay block_state(state);
  BuiltBlock built;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (built.included.size() == config_.max_block_transactions) {
      built.left_out.emplace_back(i,
                                  envelope_reject(EnvelopeError::kBlockFull, "the block is full"));
      continue;
    }
    auto r = run_one(block, candidates[i], block.first_version + built.included.size(), block_state,
                     built.block);
    if (!r) return std::move(r).error();
    if (*r) {
      built.left_out.emplace_back(i, std::move(**r));
    } else {
      built.included.push_back(i);
    }
  }
  std::vector<core::Hash256> ids;
  ids.reserve(built.block.transactions.size());
  for (const auto& t : built.block.transactions) ids.push_back(t.id);
  built.block.transactions_root = chain::transactions_root_of(ids);
  built.block.writes = std::move(block_state).take_writes();
  return built;
}

core::Result<core::Checked<QueryAnswer>> Executor::query(std::string_view path,
                                                         const StateReader& state) const {
  using Out = core::Checked<QueryAnswer>;
  const auto slash = path.find('/');
  const std::string_view name = path.substr(0, slash);
  const Module* module = find_module(name);
  if (module == nullptr) {
    return Out(core::reject(core::Reject::kInvalid,
                            "no module '" + std::string(name.substr(0, 64)) + "'"));
  }
  const std::string_view rest =
      slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  StateOverlay overlay(state);
  OverlayStateView view(std::string(name), overlay);
  Out answer = module->query(rest, view);
  if (!view.status()) return view.status();
  return answer;
}

}  // namespace bauhinia::contracts
