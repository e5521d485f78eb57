#pragma once
// Executes blocks of transactions deterministically over a StateReader and
// returns what they change; it never writes state itself (the node applies the
// writes to the state tree, the simulator to its own store).
//
// Per transaction, in block order:
//  1. Envelope (the "prologue"): format and signature (check_context_free),
//     chain id, not expired at the block's timestamp, module registered, and
//     the sender: an existing account whose current key is tx.public_key and
//     whose next sequence is tx.sequence, or a new account whose id is
//     account_id_of(tx.public_key) with tx.sequence == 0. A transaction that
//     fails here cannot be in a block: execute_block() rejects the block,
//     build_block() leaves the transaction out.
//  2. The sequence is consumed: the account record is created (new account,
//     event "account_created") or its next_sequence incremented. This stays
//     even if the call fails: a committed transaction always consumes its
//     sequence number, so it can never be replayed, and its failure is on the
//     ledger with an outcome code.
//  3. The module's apply() runs over an overlay. Success keeps its writes and
//     events; failure (a CallResult, a view fault or an event fault) discards
//     them and records the failure outcome.
//  4. A chain::TransactionInfo: version = first_version + index, the id, the
//     outcome, state_changes_hash over all the transaction's writes (step 2
//     and, on success, step 3) and events_hash over its events.
// The block's transactions_root is chain::transactions_root_of(the ids): the
// RFC 6962 root over the transaction ids (leaf = the 32 id bytes).

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/contracts/block_context.hpp"
#include "bauhinia/contracts/event.hpp"
#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/contracts/write_set.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

// Why a transaction cannot enter a block (step 1). Stable names for the API.
enum class EnvelopeError : std::uint8_t {
  kMalformed,       // version, field formats (Transaction::validate), a public key off the curve
  kBadSignature,    // the BIP-340 signature does not verify
  kWrongChain,      // chain_id is not this chain's
  kExpired,         // block timestamp_ms >= expiry_ms
  kUnknownModule,   // no module of that name
  kWrongKey,        // public_key is not the sender account's current key
  kUnknownAccount,  // no such account, and sender is not account_id_of(public_key)
  kStaleSequence,   // sequence below the account's next: already used
  kFutureSequence,  // sequence above the account's next: a gap
  kBlockFull,       // over ExecutorConfig::max_block_transactions
};

std::string_view envelope_error_name(EnvelopeError e) noexcept;

struct EnvelopeRejection {
  EnvelopeError error;
  std::string detail;
  std::string to_string() const;
};

struct ExecutedTransaction {
  core::Hash256 id;
  chain::TransactionInfo info;
  WriteSet writes;                        // everything this transaction changed
  std::vector<Event> events;              // in emission order
  std::vector<core::AccountId> accounts;  // sender first, then those the call mentioned
  std::string reason;                     // failure's typed reason (not committed)
  std::string detail;                     // failure message (not committed)
};

struct ExecutedBlock {
  std::vector<ExecutedTransaction> transactions;
  WriteSet writes;  // net writes of the whole block, by state key
  core::Hash256 transactions_root;
};

struct RejectedBlock {
  std::size_t index = 0;  // the first transaction that failed its envelope
  EnvelopeRejection why;
};

struct BuiltBlock {
  ExecutedBlock block;
  std::vector<std::size_t> included;  // indices into the candidates, in block order
  std::vector<std::pair<std::size_t, EnvelopeRejection>> left_out;  // candidate index, why
};

struct ExecutorConfig {
  std::size_t max_block_transactions = 10'000;
  // When set and true for a transaction id, its signature is known to be valid
  // (e.g. the mempool verified exactly these signed bytes; the id covers the
  // signature) and is not verified again. Everything else is still checked.
  std::function<bool(const core::Hash256& id)> signature_verified;
  // When set, called with the id of each transaction whose signature this
  // executor verified and found valid (the node remembers it: a late gossip
  // copy of the same bytes is not verified again). Node-local, never state.
  std::function<void(const core::Hash256& id)> on_signature_verified;
};

// Thread safety: after the modules are added, every method is const and may
// run on several threads at once (each call keeps its own overlays), provided
// the StateReader allows concurrent reads.
//
// Signatures: verifying a 1,000-transaction block serially costs about 42 ms
// of one core. The node verifies a proposal's signatures in parallel first
// (mempool::VerifierPool) or knows them from its mempool, and passes
// ExecutorConfig::signature_verified.
class Executor {
 public:
  explicit Executor(ExecutorConfig config = {});

  // Registers a module, which must outlive the executor. A second module with
  // the same name, or an invalid name, is a bug (asserts).
  void add_module(const Module& module);
  const Module* find_module(std::string_view name) const;
  const ExecutorConfig& config() const noexcept { return config_; }

  // Step 1 for one transaction over `state`. Ok, a rejection, or an
  // operational failure reading state.
  core::Result<std::optional<EnvelopeRejection>> check_envelope(
      const BlockContext& block, const chain::IdentifiedTransaction& tx,
      const StateReader& state) const;

  // Admission for the mempool or the API: check_envelope, then the module's
  // check(), as if the transaction were the first of a block with `block`.
  struct AdmissionOptions {
    // Accept sequences above the account's next one (the mempool queues them).
    bool allow_future_sequence = true;
    // The caller already verified the signature of exactly these bytes (the
    // mempool calls its policy after its own parallel verification).
    bool signature_verified = false;
    // Run the module's check() for a transaction whose sequence is above the
    // account's next one. Off: such a transaction waits for the ones before it
    // (it may depend on them, e.g. an approval of a proposal not yet
    // committed), so only its envelope is checked now and its call is judged
    // in its block.
    bool check_future_calls = true;
  };
  core::Result<core::Verdict> check_transaction(const BlockContext& block,
                                                const chain::IdentifiedTransaction& tx,
                                                const StateReader& state,
                                                AdmissionOptions options) const;

  // Executes a proposed block. Rejected when any transaction fails its
  // envelope (the block is invalid: a voter must not vote for it) or there
  // are too many transactions.
  core::Result<core::Expected<ExecutedBlock, RejectedBlock>> execute_block(
      const BlockContext& block, std::span<const chain::IdentifiedTransaction> txs,
      const StateReader& state) const;

  // Builds a block from candidates in the given order (a leader's proposal):
  // executes those that pass their envelope, leaves out the others, stops at
  // max_block_transactions. execute_block() on the included transactions gives
  // the same ExecutedBlock.
  core::Result<BuiltBlock> build_block(const BlockContext& block,
                                       std::span<const chain::IdentifiedTransaction> candidates,
                                       const StateReader& state) const;

  // Resolves a query "<module>/<path>" (e.g. "accounts/account/<hex id>").
  core::Result<core::Checked<QueryAnswer>> query(std::string_view path,
                                                 const StateReader& state) const;

 private:
  core::Result<std::optional<EnvelopeRejection>> run_one(const BlockContext& block,
                                                         const chain::IdentifiedTransaction& tx,
                                                         std::uint64_t version,
                                                         StateOverlay& block_state,
                                                         ExecutedBlock& out) const;

  ExecutorConfig config_;
  std::map<std::string, const Module*, std::less<>> modules_;
};

}  // namespace bauhinia::contracts
