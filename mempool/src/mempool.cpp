#include "bauhinia/mempool/mempool.hpp"

#include <algorithm>
#include <queue>
#include <utility>

namespace bauhinia::mempool {

namespace {

MempoolRejection rejection(MempoolError e, std::string detail) {
  return MempoolRejection{e, std::move(detail)};
}

// How many times admission re-reads accounts when commits keep happening
// during its lookups; after that it inserts with what it has (a transaction
// admitted that way is at worst left out by the block builder and removed).
constexpr int kLookupAttempts = 3;

// Below this many signatures a batch is verified on the calling thread: the
// hand-off to the pool and back (thread wake-ups) costs more than it saves.
constexpr std::size_t kMinParallelVerifications = 8;

}  // namespace

std::string_view mempool_error_name(MempoolError e) noexcept {
  switch (e) {
    case MempoolError::kMalformed: return "malformed";
    case MempoolError::kTooLarge: return "too_large";
    case MempoolError::kWrongChain: return "wrong_chain";
    case MempoolError::kExpired: return "expired";
    case MempoolError::kExpiryTooFar: return "expiry_too_far";
    case MempoolError::kBadSignature: return "bad_signature";
    case MempoolError::kDuplicate: return "duplicate";
    case MempoolError::kStateUnavailable: return "state_unavailable";
    case MempoolError::kUnknownAccount: return "unknown_account";
    case MempoolError::kWrongKey: return "wrong_key";
    case MempoolError::kStaleSequence: return "stale_sequence";
    case MempoolError::kSequenceTooFar: return "sequence_too_far";
    case MempoolError::kSequenceTaken: return "sequence_taken";
    case MempoolError::kAccountFull: return "account_full";
    case MempoolError::kMempoolFull: return "mempool_full";
    case MempoolError::kPolicy: return "policy";
    case MempoolError::kOverloaded: return "overloaded";
    case MempoolError::kCount_: break;
  }
  return "unknown";
}

std::string_view removal_reason_name(RemovalReason r) noexcept {
  switch (r) {
    case RemovalReason::kCommitted: return "committed";
    case RemovalReason::kReplaced: return "replaced";
    case RemovalReason::kExpired: return "expired";
    case RemovalReason::kEvicted: return "evicted";
    case RemovalReason::kRemoved: return "removed";
  }
  return "unknown";
}

std::string MempoolRejection::to_string() const {
  std::string s(mempool_error_name(error));
  if (!detail.empty()) s += ": " + detail;
  return s;
}

// One transaction on its way through admission.
struct Mempool::Candidate {
  std::optional<IdentifiedTransaction> itx;
  std::optional<MempoolRejection> rejection;
  std::optional<AccountState> account;  // from the lookup; nullopt: a new account
  bool refused_by_account = false;      // rejection from the account stage (redone on retry)
};

Mempool::Mempool(MempoolConfig config, AccountLookup lookup, VerifierPool* pool,
                 AdmissionPolicy policy)
    : config_(std::move(config)),
      lookup_(std::move(lookup)),
      pool_(pool),
      policy_(std::move(policy)) {
  BAUHINIA_ASSERT(lookup_ != nullptr);
  BAUHINIA_ASSERT(config_.max_per_account >= 1);
  BAUHINIA_ASSERT(config_.max_sequence_ahead >= config_.max_per_account);
}

AdmitResult Mempool::submit(chain::Transaction tx, std::uint64_t now_ms) {
  std::vector<Candidate> candidates(1);
  if (core::Verdict v = tx.validate(); !v) {
    const bool large = v.rejection().reason == core::Reject::kTooLarge;
    candidates[0].rejection = rejection(large ? MempoolError::kTooLarge : MempoolError::kMalformed,
                                        v.rejection().to_string());
  } else {
    candidates[0].itx = IdentifiedTransaction::of(std::move(tx));
  }
  return admit(candidates, 1, now_ms, false)[0];
}

AdmitResult Mempool::submit_encoded(core::ByteView bytes, std::uint64_t now_ms) {
  const core::Bytes copy(bytes.begin(), bytes.end());
  return submit_batch_encoded(std::span<const core::Bytes>(&copy, 1), now_ms)[0];
}

std::vector<AdmitResult> Mempool::submit_batch(std::vector<chain::Transaction> txs,
                                               std::uint64_t now_ms) {
  std::vector<Candidate> candidates(txs.size());
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (core::Verdict v = txs[i].validate(); !v) {
      const bool large = v.rejection().reason == core::Reject::kTooLarge;
      candidates[i].rejection = rejection(
          large ? MempoolError::kTooLarge : MempoolError::kMalformed, v.rejection().to_string());
      continue;
    }
    candidates[i].itx = IdentifiedTransaction::of(std::move(txs[i]));
  }
  return admit(candidates, txs.size(), now_ms, true);
}

std::vector<AdmitResult> Mempool::submit_batch_encoded(std::span<const core::Bytes> encoded,
                                                       std::uint64_t now_ms) {
  std::vector<Candidate> candidates(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    auto tx = chain::decode_transaction(encoded[i]);
    if (!tx) {
      const bool large = tx.error().reason == core::Reject::kTooLarge;
      candidates[i].rejection = rejection(
          large ? MempoolError::kTooLarge : MempoolError::kMalformed, tx.error().to_string());
      continue;
    }
    // The decoding is canonical, so these bytes are the transaction's encoding.
    IdentifiedTransaction itx;
    itx.id = core::tagged_hash(core::HashTag::kTransactionId, encoded[i]);
    itx.encoded_size = encoded[i].size();
    itx.tx = std::move(*tx);
    candidates[i].itx = std::move(itx);
  }
  return admit(candidates, encoded.size(), now_ms, true);
}

std::vector<AdmitResult> Mempool::admit(std::vector<Candidate>& candidates, std::size_t n,
                                        std::uint64_t now_ms, bool parallel) {
  auto pending = [&](const Candidate& c) { return c.itx && !c.rejection; };

  // 1. Context checks that need nothing but the transaction and the clock.
  for (std::size_t i = 0; i < n; ++i) {
    Candidate& c = candidates[i];
    if (!pending(c)) continue;
    if (i >= config_.max_batch) {
      c.rejection = rejection(MempoolError::kMempoolFull,
                              "a batch holds at most " + std::to_string(config_.max_batch));
      continue;
    }
    const chain::Transaction& tx = c.itx->tx;
    if (c.itx->encoded_size > config_.max_transaction_bytes) {
      c.rejection = rejection(MempoolError::kTooLarge,
                              std::to_string(c.itx->encoded_size) + " bytes, limit " +
                                  std::to_string(config_.max_transaction_bytes));
    } else if (tx.chain_id != config_.chain_id) {
      c.rejection =
          rejection(MempoolError::kWrongChain, "transaction is for chain '" + tx.chain_id +
                                                   "', this is '" + config_.chain_id + "'");
    } else if (now_ms >= tx.expiry_ms) {
      c.rejection =
          rejection(MempoolError::kExpired, "expired at " + std::to_string(tx.expiry_ms) + " ms");
    } else if (tx.expiry_ms - now_ms > config_.max_expiry_ahead_ms) {
      c.rejection = rejection(
          MempoolError::kExpiryTooFar,
          "expiry more than " + std::to_string(config_.max_expiry_ahead_ms) + " ms ahead");
    }
  }

  // 2. Duplicates (of pending transactions, and within the batch) before any
  // expensive work.
  {
    std::unordered_set<Hash256, core::Hash256Hasher> seen;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < n; ++i) {
      Candidate& c = candidates[i];
      if (!pending(c)) continue;
      if (by_id_.count(c.itx->id) != 0 || !seen.insert(c.itx->id).second) {
        c.rejection = rejection(MempoolError::kDuplicate, "already pending");
      }
    }
  }

  // 3. Signatures, outside the lock: on the pool for batches.
  {
    std::vector<std::size_t> index;
    std::vector<const chain::Transaction*> txs;
    for (std::size_t i = 0; i < n; ++i) {
      if (!pending(candidates[i])) continue;
      if (signature_cache_ != nullptr && signature_cache_->contains(candidates[i].itx->id)) continue;
      index.push_back(i);
      txs.push_back(&candidates[i].itx->tx);
    }
    std::vector<bool> ok;
    if (parallel && pool_ != nullptr && txs.size() >= kMinParallelVerifications) {
      ok = pool_->verify(txs);
    } else {
      ok.reserve(txs.size());
      for (const auto* tx : txs) ok.push_back(signature_valid(*tx));
    }
    if (signature_cache_ != nullptr) {
      std::vector<Hash256> verified;
      verified.reserve(index.size());
      for (std::size_t k = 0; k < index.size(); ++k) {
        if (ok[k]) verified.push_back(candidates[index[k]].itx->id);
      }
      signature_cache_->insert(verified);
    }
    for (std::size_t k = 0; k < index.size(); ++k) {
      if (ok[k]) continue;
      // Only on failure: tell a key that is not on the curve from a bad signature.
      auto key = core::schnorr::PublicKey::from_bytes(txs[k]->public_key.bytes);
      candidates[index[k]].rejection =
          key ? rejection(MempoolError::kBadSignature, "signature does not verify under public_key")
              : rejection(MempoolError::kMalformed, "public_key: " + key.error().to_string());
    }
  }

  // 4. The admission policy (e.g. module checks), outside the lock.
  if (policy_) {
    for (std::size_t i = 0; i < n; ++i) {
      Candidate& c = candidates[i];
      if (!pending(c)) continue;
      if (core::Verdict v = policy_(*c.itx); !v) {
        c.rejection = rejection(MempoolError::kPolicy, v.rejection().to_string());
      }
    }
  }

  // 5. Accounts (outside the lock), then insertion (under it). A commit
  // between the two may have advanced an account: read again.
  for (int attempt = 1;; ++attempt) {
    const std::uint64_t generation = [&] {
      std::lock_guard lock(mutex_);
      return commit_generation_;
    }();
    std::map<AccountId, core::Result<std::optional<AccountState>>> looked_up;
    for (std::size_t i = 0; i < n; ++i) {
      Candidate& c = candidates[i];
      if (c.refused_by_account) {  // a retry: the account may have changed
        c.rejection.reset();
        c.refused_by_account = false;
      }
      if (!pending(c)) continue;
      c.refused_by_account = true;  // until the checks below pass
      const chain::Transaction& tx = c.itx->tx;
      auto it = looked_up.find(tx.sender);
      if (it == looked_up.end()) it = looked_up.emplace(tx.sender, lookup_(tx.sender)).first;
      if (!it->second) {
        c.rejection = rejection(MempoolError::kStateUnavailable, it->second.error().to_string());
        continue;
      }
      c.account = *it->second;
      if (c.account) {
        if (c.account->key != tx.public_key) {
          c.rejection =
              rejection(MempoolError::kWrongKey, "public_key is not the account's current key");
        }
      } else if (core::account_id_of(tx.public_key) != tx.sender) {
        c.rejection = rejection(MempoolError::kUnknownAccount,
                                "account " + tx.sender.to_hex() +
                                    " does not exist and is not the account of public_key");
      }
      c.refused_by_account = c.rejection.has_value();
    }
    std::lock_guard lock(mutex_);
    if (commit_generation_ != generation && attempt < kLookupAttempts) continue;
    for (std::size_t i = 0; i < n; ++i) {
      if (pending(candidates[i])) candidates[i].rejection = insert_locked(candidates[i]);
    }
    break;
  }
  notify_removed();  // evictions

  std::vector<AdmitResult> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (candidates[i].itx) out[i].id = candidates[i].itx->id;
    out[i].rejection = std::move(candidates[i].rejection);
    count_rejection(out[i].rejection);
  }
  return out;
}

std::optional<MempoolRejection> Mempool::insert_locked(Candidate& c) {
  const IdentifiedTransaction& itx = *c.itx;
  const chain::Transaction& tx = itx.tx;
  const auto emplaced = accounts_.try_emplace(tx.sender);
  const auto account_it = emplaced.first;
  const bool created = emplaced.second;
  Account& a = account_it->second;
  const std::uint64_t looked_next = c.account ? c.account->next_sequence : 0;
  if (created) {
    a.next_sequence = looked_next;
  } else if (looked_next > a.next_sequence) {
    a.next_sequence = looked_next;
    refresh_locked(tx.sender, a);
  }
  auto refuse = [&](MempoolError e, std::string detail) {
    erase_account_if_empty_locked(account_it);
    return std::optional<MempoolRejection>(rejection(e, std::move(detail)));
  };

  if (by_id_.count(itx.id) != 0) return refuse(MempoolError::kDuplicate, "already pending");
  if (tx.sequence < a.next_sequence) {
    return refuse(MempoolError::kStaleSequence, "sequence " + std::to_string(tx.sequence) +
                                                    " already used; next is " +
                                                    std::to_string(a.next_sequence));
  }
  if (tx.sequence - a.next_sequence >= config_.max_sequence_ahead) {
    return refuse(MempoolError::kSequenceTooFar,
                  "sequence " + std::to_string(tx.sequence) + " is more than " +
                      std::to_string(config_.max_sequence_ahead) + " ahead of next " +
                      std::to_string(a.next_sequence));
  }
  if (a.by_sequence.count(tx.sequence) != 0) {
    return refuse(MempoolError::kSequenceTaken, "another transaction with sequence " +
                                                    std::to_string(tx.sequence) +
                                                    " is pending for this account");
  }
  if (a.by_sequence.size() >= config_.max_per_account) {
    return refuse(MempoolError::kAccountFull,
                  "the account has " + std::to_string(a.by_sequence.size()) + " pending");
  }
  if (count_ + 1 > config_.max_count || bytes_ + itx.encoded_size > config_.max_bytes) {
    // Proposable once inserted: every sequence from next up to it is pending.
    const auto below = static_cast<std::uint64_t>(
        std::distance(a.by_sequence.begin(), a.by_sequence.lower_bound(tx.sequence)));
    const bool will_be_ready = below == tx.sequence - a.next_sequence;
    if (!will_be_ready || !make_room_locked(tx.sender, itx.encoded_size)) {
      return refuse(MempoolError::kMempoolFull, std::to_string(count_) + " transactions, " +
                                                    std::to_string(bytes_) + " bytes pending");
    }
  }

  const Hash256 id = itx.id;
  const AccountId sender = tx.sender;
  const std::uint64_t sequence = tx.sequence;
  const std::uint64_t expiry_ms = tx.expiry_ms;
  const std::size_t size = itx.encoded_size;
  Entry e;
  e.itx = std::move(*c.itx);  // the candidate keeps only its id (copied above) for the result
  c.itx->id = id;
  e.arrival = next_arrival_++;
  e.ready = false;
  parked_.emplace(e.arrival, id);
  by_id_.emplace(id, std::make_pair(sender, sequence));
  by_expiry_.emplace(std::make_pair(expiry_ms, e.arrival), id);
  count_ += 1;
  bytes_ += size;
  a.by_sequence.emplace(sequence, std::move(e));
  refresh_locked(sender, a);
  admitted_ += 1;
  return std::nullopt;
}

bool Mempool::make_room_locked(const AccountId& for_account, std::size_t bytes) {
  // Newest parked transactions of other accounts first.
  std::vector<Hash256> victims;
  std::size_t count = count_;
  std::size_t total = bytes_;
  for (auto it = parked_.rbegin(); it != parked_.rend(); ++it) {
    if (count + 1 <= config_.max_count && total + bytes <= config_.max_bytes) break;
    const auto where = by_id_.find(it->second);
    BAUHINIA_ASSERT(where != by_id_.end());
    if (where->second.first == for_account) continue;
    const Entry& e = accounts_.at(where->second.first).by_sequence.at(where->second.second);
    victims.push_back(it->second);
    count -= 1;
    total -= e.itx.encoded_size;
  }
  if (count + 1 > config_.max_count || total + bytes > config_.max_bytes) return false;
  evicted_ += remove_ids_locked(victims, RemovalReason::kEvicted);
  return true;
}

void Mempool::erase_locked(Account& account, std::map<std::uint64_t, Entry>::iterator it,
                           RemovalReason reason) {
  const Entry& e = it->second;
  if (listener_) removed_.push_back(Removal{e.itx.id, reason, e.itx.tx.expiry_ms});
  by_id_.erase(e.itx.id);
  by_expiry_.erase({e.itx.tx.expiry_ms, e.arrival});
  if (!e.ready) parked_.erase(e.arrival);
  count_ -= 1;
  bytes_ -= e.itx.encoded_size;
  account.by_sequence.erase(it);
}

void Mempool::refresh_locked(const AccountId& id, Account& a) {
  while (!a.by_sequence.empty() && a.by_sequence.begin()->first < a.next_sequence) {
    erase_locked(a, a.by_sequence.begin(), RemovalReason::kReplaced);
  }
  std::uint64_t expected = a.next_sequence;
  bool run = true;
  for (auto& [seq, e] : a.by_sequence) {
    const bool ready = run && seq == expected;
    if (ready) {
      ++expected;
    } else {
      run = false;
    }
    if (ready != e.ready) {
      if (ready) {
        parked_.erase(e.arrival);
      } else {
        parked_.emplace(e.arrival, e.itx.id);
      }
      e.ready = ready;
    }
  }
  std::optional<std::uint64_t> head;
  if (!a.by_sequence.empty() && a.by_sequence.begin()->first == a.next_sequence) {
    head = a.by_sequence.begin()->second.arrival;
  }
  if (head != a.head_arrival) {
    if (a.head_arrival) ready_heads_.erase({*a.head_arrival, id});
    if (head) ready_heads_.emplace(*head, id);
    a.head_arrival = head;
  }
}

void Mempool::erase_account_if_empty_locked(std::map<AccountId, Account>::iterator it) {
  if (!it->second.by_sequence.empty()) return;
  BAUHINIA_ASSERT(!it->second.head_arrival.has_value());
  accounts_.erase(it);
}

std::size_t Mempool::remove_ids_locked(std::span<const Hash256> ids, RemovalReason reason) {
  std::size_t removed = 0;
  for (const Hash256& id : ids) {
    const auto where = by_id_.find(id);
    if (where == by_id_.end()) continue;
    const auto [account_id, sequence] = where->second;
    auto account_it = accounts_.find(account_id);
    BAUHINIA_ASSERT(account_it != accounts_.end());
    Account& a = account_it->second;
    erase_locked(a, a.by_sequence.find(sequence), reason);
    refresh_locked(account_id, a);
    erase_account_if_empty_locked(account_it);
    ++removed;
  }
  return removed;
}

std::vector<IdentifiedTransaction> Mempool::take(
    std::size_t max_count, std::size_t max_bytes,
    const std::unordered_set<Hash256, core::Hash256Hasher>& exclude) const {
  struct Cursor {
    std::uint64_t arrival;
    const Account* account;
    std::uint64_t sequence;
    bool operator>(const Cursor& o) const { return arrival > o.arrival; }
  };
  std::priority_queue<Cursor, std::vector<Cursor>, std::greater<>> continuations;
  std::vector<IdentifiedTransaction> out;
  std::size_t entries = 0;  // sum of (length prefix + transaction) of out

  std::lock_guard lock(mutex_);
  auto ready_at = [](const Account& a, std::uint64_t seq) -> const Entry* {
    const auto it = a.by_sequence.find(seq);
    return it == a.by_sequence.end() || !it->second.ready ? nullptr : &it->second;
  };
  auto excluded = [&](const Entry& e) { return exclude.count(e.itx.id) != 0; };

  auto head = ready_heads_.begin();
  while (out.size() < max_count) {
    const Account* account = nullptr;
    std::uint64_t seq = 0;
    const Entry* e = nullptr;
    if (head != ready_heads_.end() &&
        (continuations.empty() || head->first < continuations.top().arrival)) {
      account = &accounts_.at(head->second);
      ++head;
      seq = account->next_sequence;
      e = ready_at(*account, seq);
      // Skip what the ancestor blocks already hold; the rest of the run
      // re-enters the merge at its own arrival.
      if (e != nullptr && excluded(*e)) {
        do {
          e = ready_at(*account, ++seq);
        } while (e != nullptr && excluded(*e));
        if (e != nullptr) continuations.push({e->arrival, account, seq});
        continue;
      }
    } else if (!continuations.empty()) {
      const Cursor c = continuations.top();
      continuations.pop();
      account = c.account;
      seq = c.sequence;
      e = ready_at(*account, seq);
    } else {
      break;
    }
    if (e == nullptr) continue;
    // The encoding of the candidates as a block payload: a count prefix, then
    // each transaction with its length prefix.
    const std::size_t entry = core::length_prefix_size(e->itx.encoded_size) + e->itx.encoded_size;
    if (core::length_prefix_size(out.size() + 1) + entries + entry > max_bytes) break;
    out.push_back(e->itx);
    entries += entry;
    if (const Entry* n = ready_at(*account, seq + 1); n != nullptr && !excluded(*n)) {
      continuations.push({n->arrival, account, seq + 1});
    }
  }
  return out;
}

std::size_t Mempool::remove_committed(
    std::span<const Hash256> ids,
    std::span<const std::pair<AccountId, std::uint64_t>> next_sequences) {
  std::size_t removed = 0;
  {
    std::lock_guard lock(mutex_);
    removed = remove_ids_locked(ids, RemovalReason::kCommitted);
    for (const auto& [id, next] : next_sequences) {
      auto it = accounts_.find(id);
      if (it == accounts_.end() || next <= it->second.next_sequence) continue;
      const std::size_t before = it->second.by_sequence.size();
      it->second.next_sequence = next;
      refresh_locked(id, it->second);
      removed += before - it->second.by_sequence.size();
      erase_account_if_empty_locked(it);
    }
    ++commit_generation_;
  }
  notify_removed();
  return removed;
}

std::size_t Mempool::remove_expired(std::uint64_t now_ms) {
  std::size_t removed = 0;
  {
    std::lock_guard lock(mutex_);
    std::vector<Hash256> expired;
    for (auto it = by_expiry_.begin(); it != by_expiry_.end() && it->first.first <= now_ms; ++it) {
      expired.push_back(it->second);
    }
    removed = remove_ids_locked(expired, RemovalReason::kExpired);
  }
  notify_removed();
  return removed;
}

std::size_t Mempool::remove(std::span<const Hash256> ids) {
  std::size_t removed = 0;
  {
    std::lock_guard lock(mutex_);
    removed = remove_ids_locked(ids, RemovalReason::kRemoved);
  }
  notify_removed();
  return removed;
}

void Mempool::notify_removed() {
  if (!listener_) return;
  std::vector<Removal> out;
  {
    std::lock_guard lock(mutex_);
    out.swap(removed_);
  }
  if (!out.empty()) listener_(out);
}

bool Mempool::contains(const Hash256& id) const {
  std::lock_guard lock(mutex_);
  return by_id_.count(id) != 0;
}

std::optional<IdentifiedTransaction> Mempool::get(const Hash256& id) const {
  std::lock_guard lock(mutex_);
  const auto where = by_id_.find(id);
  if (where == by_id_.end()) return std::nullopt;
  return accounts_.at(where->second.first).by_sequence.at(where->second.second).itx;
}

std::size_t Mempool::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::size_t Mempool::proposable_size() const {
  std::lock_guard lock(mutex_);
  return count_ - parked_.size();
}

MempoolStats Mempool::stats() const {
  MempoolStats s;
  {
    std::lock_guard lock(mutex_);
    s.count = count_;
    s.bytes = bytes_;
    s.accounts = accounts_.size();
    s.parked = parked_.size();
    s.admitted = admitted_;
    s.evicted = evicted_;
  }
  for (std::size_t i = 0; i < s.rejected.size(); ++i) {
    s.rejected[i] = rejected_[i].load(std::memory_order_relaxed);
  }
  return s;
}

void Mempool::count_rejection(const std::optional<MempoolRejection>& r) {
  if (r) rejected_[static_cast<std::size_t>(r->error)].fetch_add(1, std::memory_order_relaxed);
}

}  // namespace bauhinia::mempool
