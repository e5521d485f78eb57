#pragma once
// The mempool: signed transactions waiting for a block.
//
// Admission (submit / submit_batch), each failure a typed MempoolError:
//   1. format and sizes (Transaction::validate, encoded size), chain id,
//      expiry against the caller's now_ms (not expired, not too far ahead);
//   2. duplicates of a pending transaction are dropped before any work;
//   3. the BIP-340 signature: on the calling thread for submit(), on the
//      VerifierPool (all cores) for submit_batch() of 8 or more signatures
//      to check (smaller batches on the calling thread: the hand-off would
//      cost more than it saves); not at all when the id is in the
//      SignatureCache (set_signature_cache), which learns every id verified here;
//   4. the sender's account as the AccountLookup reports it (committed
//      state): an existing account's current key must be public_key; a new
//      account's id must be account_id_of(public_key); sequence must be at
//      least the account's next sequence and less than next + max_sequence_ahead;
//   5. the optional AdmissionPolicy (the node plugs in the execution layer's
//      module checks);
//   6. limits: per account (max_per_account pending) and in total (count and
//      bytes). When full, a transaction that would be proposable evicts the
//      newest non-proposable ("parked") transactions of other accounts;
//      otherwise it is refused.
//
// Ordering for proposals (take): per account by sequence, and only the
// consecutive run starting at the account's next sequence is proposable;
// across accounts, first come first served by arrival of each account's
// next transaction.
//
// Leaving: remove_committed() after a block commits (its transactions, and
// everything below the accounts' new next sequences), remove_expired(),
// remove() (e.g. what the block builder found invalid).
//
// Removal listener (set_removal_listener): told of every transaction that
// leaves, with why (committed, replaced by another transaction of its
// account's sequence, expired, evicted, removed), after the lock is released,
// on the thread that caused it. The node journals and answers
// GET /v1/transactions/{id} from it (tx_journal.hpp).
//
// Locking: one mutex guards the indexes. Every expensive step (decoding,
// hashing, signature verification, account lookups, the policy) runs before
// the lock is taken; the critical sections are map updates, O(log n) per
// transaction (take() holds it while it walks k transactions). The
// AccountLookup and AdmissionPolicy are called without the lock, possibly from
// several threads at once.
//
// Contract with the node: call remove_committed() only after the committed
// state is visible to the AccountLookup. Admission re-reads the account when a
// commit happened during its lookup, so a just-committed transaction is not
// re-admitted.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/mempool/signature_cache.hpp"
#include "bauhinia/mempool/verifier_pool.hpp"

namespace bauhinia::mempool {

using chain::IdentifiedTransaction;
using core::AccountId;
using core::Hash256;

// Why a transaction was not admitted. Stable names (API errors, metrics).
enum class MempoolError : std::uint8_t {
  kMalformed,         // bytes do not decode, a field fails Transaction::validate, or the
                      // public key is not on the curve
  kTooLarge,          // encoded size over MempoolConfig::max_transaction_bytes (e.g.
                      // more than a block of the node's max_block_bytes can carry)
  kWrongChain,        // chain_id is not this chain's
  kExpired,           // now_ms >= expiry_ms
  kExpiryTooFar,      // expiry_ms beyond now_ms + max_expiry_ahead_ms
  kBadSignature,      // the BIP-340 signature does not verify
  kDuplicate,         // the same transaction (same id) is already pending
  kStateUnavailable,  // the account could not be read (I/O); try again
  kUnknownAccount,    // no such account, and sender is not account_id_of(public_key)
  kWrongKey,          // public_key is not the account's current key
  kStaleSequence,     // sequence below the account's next: already used
  kSequenceTooFar,    // sequence >= next + max_sequence_ahead
  kSequenceTaken,     // another pending transaction has this sender and sequence
  kAccountFull,       // the account already has max_per_account pending
  kMempoolFull,       // count or byte limit reached and nothing can be evicted
  kPolicy,            // refused by the AdmissionPolicy (e.g. a module check)
  kOverloaded,        // the node is behind or over its admission budget (AdmissionBudget);
                      // not produced by the Mempool itself; try again later
  kCount_,            // not an error
};

std::string_view mempool_error_name(MempoolError e) noexcept;

struct MempoolRejection {
  MempoolError error;
  std::string detail;
  std::string to_string() const;
};

struct AdmitResult {
  Hash256 id;  // zero when the transaction did not decode
  std::optional<MempoolRejection> rejection;
  bool ok() const noexcept { return !rejection.has_value(); }
};

// An account as committed state knows it.
struct AccountState {
  core::schnorr::PublicKey key;
  std::uint64_t next_sequence = 0;
};

// nullopt: no such account. An error: the state could not be read.
using AccountLookup = std::function<core::Result<std::optional<AccountState>>(const AccountId&)>;
// Extra admission rule; a rejection refuses the transaction (kPolicy).
using AdmissionPolicy = std::function<core::Verdict(const IdentifiedTransaction&)>;

struct MempoolConfig {
  std::string chain_id;
  std::size_t max_per_account = 64;
  std::uint64_t max_sequence_ahead = 256;  // >= max_per_account
  std::size_t max_count = 100'000;
  std::size_t max_bytes = 256ULL * 1024 * 1024;
  std::size_t max_transaction_bytes = chain::kMaxTransactionSize;
  std::uint64_t max_expiry_ahead_ms = 2ULL * 60 * 60 * 1000;  // two hours
  std::size_t max_batch = 10'000;  // submit_batch refuses the excess (kMempoolFull)
};

// Why a transaction left the mempool. Stable names (verdicts, API).
enum class RemovalReason : std::uint8_t {
  kCommitted,  // in a committed block (remove_committed's ids)
  kReplaced,   // below its account's new next sequence: another transaction used it
  kExpired,    // remove_expired()
  kEvicted,    // made room for a proposable transaction while full
  kRemoved,    // remove()
};
std::string_view removal_reason_name(RemovalReason r) noexcept;

struct Removal {
  Hash256 id;
  RemovalReason reason;
  std::uint64_t expiry_ms = 0;
};
using RemovalListener = std::function<void(std::span<const Removal>)>;

struct MempoolStats {
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::size_t accounts = 0;
  std::size_t parked = 0;  // pending but not proposable (a sequence gap)
  std::uint64_t admitted = 0;
  std::uint64_t evicted = 0;
  std::array<std::uint64_t, static_cast<std::size_t>(MempoolError::kCount_)> rejected{};
};

class Mempool {
 public:
  // `pool` (optional, not owned) verifies batches; without it submit_batch
  // verifies on the calling thread.
  Mempool(MempoolConfig config, AccountLookup lookup, VerifierPool* pool = nullptr,
          AdmissionPolicy policy = {});
  Mempool(const Mempool&) = delete;
  Mempool& operator=(const Mempool&) = delete;

  // Admits one transaction (signature verified on the calling thread).
  AdmitResult submit(chain::Transaction tx, std::uint64_t now_ms);
  AdmitResult submit_encoded(core::ByteView bytes, std::uint64_t now_ms);
  // Admits a batch (e.g. from a peer); signatures verified in parallel on the
  // pool. Result i belongs to txs[i].
  std::vector<AdmitResult> submit_batch(std::vector<chain::Transaction> txs, std::uint64_t now_ms);
  std::vector<AdmitResult> submit_batch_encoded(std::span<const core::Bytes> encoded,
                                                std::uint64_t now_ms);

  // Up to max_count proposable transactions, in proposal order, whose
  // encoding as a block payload (a count prefix, then each encoded
  // transaction with its length prefix: execution::payload_size) is at most
  // max_bytes. `exclude` holds the ids already in uncommitted ancestor
  // blocks: each account's run starts after them.
  std::vector<IdentifiedTransaction> take(
      std::size_t max_count, std::size_t max_bytes,
      const std::unordered_set<Hash256, core::Hash256Hasher>& exclude = {}) const;

  // After a commit: drops these transactions and, for each (account, next
  // sequence), every pending transaction of the account below it. Returns
  // how many transactions left.
  std::size_t remove_committed(std::span<const Hash256> ids,
                               std::span<const std::pair<AccountId, std::uint64_t>> next_sequences);
  // Drops transactions with expiry_ms <= now_ms. Returns how many.
  std::size_t remove_expired(std::uint64_t now_ms);
  // Drops these transactions (e.g. left out of a block as invalid).
  std::size_t remove(std::span<const Hash256> ids);

  // Before any other call (not thread-safe against them).
  void set_removal_listener(RemovalListener listener) { listener_ = std::move(listener); }
  // Before any other call. Admission does not verify the signature of a
  // transaction whose id is in `cache`, and adds the id of every transaction
  // whose signature it verified (not owned; null: no cache).
  void set_signature_cache(SignatureCache* cache) { signature_cache_ = cache; }

  bool contains(const Hash256& id) const;
  std::optional<IdentifiedTransaction> get(const Hash256& id) const;
  std::size_t size() const;
  // Pending transactions that are proposable (size() without the parked ones).
  std::size_t proposable_size() const;
  MempoolStats stats() const;
  const MempoolConfig& config() const noexcept { return config_; }

 private:
  struct Entry {
    IdentifiedTransaction itx;
    std::uint64_t arrival = 0;
    bool ready = false;
  };
  struct Account {
    std::uint64_t next_sequence = 0;  // as last known from lookups and commits
    std::map<std::uint64_t, Entry> by_sequence;
    std::optional<std::uint64_t> head_arrival;  // key in ready_heads_, if any
  };
  struct Candidate;

  std::vector<AdmitResult> admit(std::vector<Candidate>& candidates, std::size_t n,
                                 std::uint64_t now_ms, bool parallel);
  std::optional<MempoolRejection> insert_locked(Candidate& c);
  bool make_room_locked(const AccountId& for_account, std::size_t bytes);
  void erase_locked(Account& account, std::map<std::uint64_t, Entry>::iterator it,
                    RemovalReason reason);
  // Tells the listener what left (called without the lock).
  void notify_removed();
  void refresh_locked(const AccountId& id, Account& account);
  void erase_account_if_empty_locked(std::map<AccountId, Account>::iterator it);
  std::size_t remove_ids_locked(std::span<const Hash256> ids, RemovalReason reason);
  void count_rejection(const std::optional<MempoolRejection>& r);

  const MempoolConfig config_;
  const AccountLookup lookup_;
  VerifierPool* const pool_;
  const AdmissionPolicy policy_;
  RemovalListener listener_;
  SignatureCache* signature_cache_ = nullptr;

  mutable std::mutex mutex_;
  // All below guarded by mutex_.
  std::map<AccountId, Account> accounts_;
  std::unordered_map<Hash256, std::pair<AccountId, std::uint64_t>, core::Hash256Hasher> by_id_;
  std::set<std::pair<std::uint64_t, AccountId>> ready_heads_;  // (arrival, account)
  // Keyed by arrival (unique per entry): integer keys, no 32-byte id
  // comparisons when many transactions share an expiry.
  std::map<std::uint64_t, Hash256> parked_;  // arrival -> id, not proposable
  std::map<std::pair<std::uint64_t, std::uint64_t>, Hash256> by_expiry_;  // (expiry_ms, arrival)
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
  std::uint64_t next_arrival_ = 0;
  std::uint64_t commit_generation_ = 0;
  std::uint64_t admitted_ = 0;
  std::uint64_t evicted_ = 0;
  std::vector<Removal> removed_;  // for the listener, since the last notify_removed()

  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(MempoolError::kCount_)>
      rejected_{};
};

}  // namespace bauhinia::mempool
