// Fuzzes the mempool's admission (mempool::Mempool, mempool::AdmissionQueue)
// against a model of what it must hold.
//
// The harness holds four BIP-340 keys and the committed account state the
// mempool's AccountLookup reads: two existing accounts, one whose key was
// rotated to another harness key, and accounts that do not exist yet. The
// input is a program of operations: transactions with fuzzer-chosen fields
// (sender, signer, sequence, expiry, chain id, module, call, payload), signed
// by the harness keys or with a broken signature; raw and mutated encodings;
// batches; batches through a real AdmissionQueue (its worker thread);
// resubmissions; take(); commits (remove_committed after the state moves on);
// remove_expired(); remove(); lookups that fail.
//
// Invariants after every operation:
//  - no crash, leak or sanitizer report;
//  - an admitted transaction is new (no duplicate id pending), for this chain,
//    not expired and not too far ahead, correctly signed by the account's
//    current key (or a new account's own key), its sequence within
//    [next, next + max_sequence_ahead) and free, its account under
//    max_per_account;
//  - a refused transaction changes nothing (same size, bytes, contents);
//  - the only transactions that may leave on admission are evictions (counted
//    in stats().evicted) of other accounts' parked transactions;
//  - size and bytes stay within max_count and max_bytes and equal the model;
//  - take() returns, per account, the consecutive run from the account's
//    next sequence, without duplicates, within its count and byte limits;
//  - remove_committed() leaves nothing below an account's new next sequence,
//    remove_expired(now) leaves nothing expired and removes exactly those.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/mempool/admission_queue.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "fuzz_input.hpp"

namespace {

namespace mp = bauhinia::mempool;
namespace chain = bauhinia::chain;
namespace core = bauhinia::core;
using bauhinia::fuzz::FuzzInput;
using core::AccountId;
using core::Hash256;

constexpr const char* kChain = "bauhinia-fuzz";
constexpr std::uint64_t kStart = 1'767'225'600'000ULL;
constexpr std::size_t kKeys = 4;
constexpr std::size_t kMaxOps = 64;

const std::vector<core::schnorr::SecretKey>& keys() {
  static const std::vector<core::schnorr::SecretKey> k = [] {
    std::vector<core::schnorr::SecretKey> out;
    for (std::uint32_t n = 0; n < kKeys; ++n) {
      core::Bytes raw(32, 0);
      raw[0] = 0x44;
      raw[31] = static_cast<std::uint8_t>(n + 1);
      out.push_back(std::move(core::schnorr::SecretKey::from_bytes(raw)).value());
    }
    return out;
  }();
  return k;
}

AccountId account_of(std::size_t k) {
  return core::account_id_of(keys()[k].public_key());
}

mp::MempoolConfig mempool_config() {
  mp::MempoolConfig c;
  c.chain_id = kChain;
  c.max_per_account = 4;
  c.max_sequence_ahead = 6;
  c.max_count = 10;
  c.max_bytes = 2200;
  c.max_transaction_bytes = 600;
  c.max_expiry_ahead_ms = 60'000;
  c.max_batch = 6;
  return c;
}

struct Model {
  std::map<AccountId, mp::AccountState> state;  // committed state (the lookup)
  bool lookup_fails = false;
  std::map<Hash256, chain::Transaction> pending;  // what the mempool must hold

  std::uint64_t next_of(const AccountId& a) const {
    auto s = state.find(a);
    return s == state.end() ? 0 : s->second.next_sequence;
  }
  std::size_t count_of(const AccountId& a) const {
    return static_cast<std::size_t>(std::count_if(
        pending.begin(), pending.end(), [&](const auto& p) { return p.second.sender == a; }));
  }
};

class Harness {
 public:
  explicit Harness(FuzzInput& in)
      : in_(in),
        pool_(
            mempool_config(),
            [this](const AccountId& id) -> core::Result<std::optional<mp::AccountState>> {
              if (model_.lookup_fails) return core::Status::io_error("fuzz: state unavailable");
              auto it = model_.state.find(id);
              if (it == model_.state.end()) return std::optional<mp::AccountState>{};
              return std::optional<mp::AccountState>{it->second};
            },
            nullptr,
            [](const chain::IdentifiedTransaction& itx) -> core::Verdict {
              if (itx.tx.call == "refused") {
                return core::reject(core::Reject::kInvalid, "fuzz policy refuses this call");
              }
              return core::Verdict::accept();
            }) {
    model_.state[account_of(0)] =
        mp::AccountState{keys()[0].public_key(), std::uint64_t{in_.byte()} % 4};
    model_.state[account_of(1)] =
        mp::AccountState{keys()[1].public_key(), std::uint64_t{in_.byte()} % 4};
    // Account 3's key was rotated to key 0.
    model_.state[account_of(3)] =
        mp::AccountState{keys()[0].public_key(), std::uint64_t{in_.byte()} % 4};
  }

  void run() {
    for (std::size_t op = 0; op < kMaxOps && !in_.empty(); ++op) {
      switch (in_.byte() % 11) {
        case 0:
        case 1: submit_one(make_tx()); break;
        case 2: submit_raw(); break;
        case 3: submit_mutated(); break;
        case 4: submit_batch(); break;
        case 5: resubmit(); break;
        case 6: take(); break;
        case 7: commit(); break;
        case 8: expire(); break;
        case 9: remove_some(); break;
        default: through_queue(); break;
      }
      check_consistent();
      if ((in_.byte() & 0x0f) == 0) model_.lookup_fails = !model_.lookup_fails;
    }
  }

 private:
  chain::Transaction make_tx() {
    chain::Transaction tx;
    const std::uint8_t shape = in_.byte();
    tx.chain_id = (shape & 0x01) != 0 ? "other-chain" : kChain;
    const std::size_t sender = in_.byte() % (kKeys + 1);
    const std::size_t signer = in_.byte() % kKeys;
    if (sender < kKeys) {
      tx.sender = account_of(sender);
    } else {
      const core::Bytes b = in_.bytes(32);
      std::copy(b.begin(), b.end(), tx.sender.bytes.begin());
    }
    tx.public_key = keys()[signer].public_key();
    tx.sequence = (shape & 0x02) != 0 ? in_.u64() : model_.next_of(tx.sender) + in_.byte() % 8;
    switch ((shape >> 2) & 3) {
      case 0: tx.expiry_ms = now_ + 1 + in_.u16(); break;
      case 1: tx.expiry_ms = now_ - in_.byte(); break;
      case 2: tx.expiry_ms = now_ + mempool_config().max_expiry_ahead_ms + in_.byte() - 128; break;
      default: tx.expiry_ms = in_.u64(); break;
    }
    static const std::array<const char*, 4> kModules = {"accounts", "trademark", "Bad", ""};
    static const std::array<const char*, 4> kCalls = {"ping", "refused", "register", "x-y"};
    tx.module = kModules[(shape >> 4) & 3];
    tx.call = kCalls[(shape >> 6) & 3];
    tx.payload = in_.bytes(in_.flag() ? 700 : 40);
    std::array<std::uint8_t, 32> aux{};
    aux[0] = in_.byte();
    tx.sign(keys()[signer], aux);
    if ((in_.byte() & 0x07) == 0) tx.signature.bytes[in_.byte() % 64] ^= 0x01;
    return tx;
  }

  // Applies one admission result to the model, checking what changed.
  void admitted(const chain::Transaction& tx, const mp::AdmitResult& r,
                const std::map<Hash256, chain::Transaction>& before, std::uint64_t evicted_before) {
    const mp::MempoolConfig c = mempool_config();
    if (!r.ok()) {
      if (r.rejection->error == mp::MempoolError::kDuplicate) {
        BAUHINIA_ASSERT_MSG(before.count(r.id) != 0, "a duplicate that was not pending");
      } else {
        BAUHINIA_ASSERT_MSG(!pool_.contains(r.id) || before.count(r.id) != 0,
                            "a refused transaction is pending");
      }
      return;
    }
    BAUHINIA_ASSERT_MSG(before.count(r.id) == 0, "admitted a duplicate");
    BAUHINIA_ASSERT_MSG(r.id == tx.id(), "admission result names another transaction");
    BAUHINIA_ASSERT_MSG(tx.chain_id == c.chain_id, "admitted a transaction of another chain");
    BAUHINIA_ASSERT_MSG(now_ < tx.expiry_ms && tx.expiry_ms - now_ <= c.max_expiry_ahead_ms,
                        "admitted an expired or too-far transaction");
    BAUHINIA_ASSERT_MSG(tx.check_context_free().ok(), "admitted a badly signed transaction");
    auto acct = model_.state.find(tx.sender);
    if (acct != model_.state.end()) {
      BAUHINIA_ASSERT_MSG(acct->second.key == tx.public_key, "admitted under a wrong key");
    } else {
      BAUHINIA_ASSERT_MSG(core::account_id_of(tx.public_key) == tx.sender,
                          "admitted for an unknown account");
    }
    const std::uint64_t next = model_.next_of(tx.sender);
    BAUHINIA_ASSERT_MSG(tx.sequence >= next && tx.sequence - next < c.max_sequence_ahead,
                        "admitted a sequence out of range");
    for (const auto& [id, p] : before) {
      BAUHINIA_ASSERT_MSG(p.sender != tx.sender || p.sequence != tx.sequence,
                          "admitted a taken sequence");
    }
    BAUHINIA_ASSERT_MSG(tx.call != "refused", "admitted what the policy refuses");
    model_.pending.emplace(r.id, tx);
    BAUHINIA_ASSERT_MSG(model_.count_of(tx.sender) <= c.max_per_account, "account over its limit");
    // Evictions: other accounts' parked transactions, all counted.
    std::size_t gone = 0;
    for (auto it = model_.pending.begin(); it != model_.pending.end();) {
      if (pool_.contains(it->first)) {
        ++it;
        continue;
      }
      BAUHINIA_ASSERT_MSG(it->second.sender != tx.sender, "evicted the admitted account's own");
      ++gone;
      it = model_.pending.erase(it);
    }
    BAUHINIA_ASSERT_MSG(pool_.stats().evicted - evicted_before == gone, "uncounted eviction");
  }

  void submit_one(const chain::Transaction& tx) {
    const auto before = model_.pending;
    const auto stats = pool_.stats();
    mp::AdmitResult r = pool_.submit(tx, now_);
    admitted(tx, r, before, stats.evicted);
    if (!r.ok()) unchanged(stats);
    submitted_.push_back(tx);
    if (submitted_.size() > 16) submitted_.erase(submitted_.begin());
  }

  void submit_raw() {
    const core::Bytes bytes = in_.bytes(700);
    const auto before = model_.pending;
    const auto stats = pool_.stats();
    mp::AdmitResult r = pool_.submit_encoded(bytes, now_);
    if (r.ok()) {
      auto tx = chain::decode_transaction(bytes);
      BAUHINIA_ASSERT_MSG(tx.has_value(), "admitted bytes that do not decode");
      admitted(*tx, r, before, stats.evicted);
    } else {
      unchanged(stats);
    }
  }

  void submit_mutated() {
    const chain::Transaction tx = make_tx();
    const core::Bytes bytes = bauhinia::fuzz::xor_edits(tx.encoded(), in_.bytes(9));
    const auto before = model_.pending;
    const auto stats = pool_.stats();
    mp::AdmitResult r = pool_.submit_encoded(bytes, now_);
    if (r.ok()) {
      auto decoded = chain::decode_transaction(bytes);
      BAUHINIA_ASSERT_MSG(decoded.has_value(), "admitted bytes that do not decode");
      admitted(*decoded, r, before, stats.evicted);
    } else {
      unchanged(stats);
    }
  }

  void submit_batch() {
    std::vector<chain::Transaction> txs;
    const std::size_t n = 1 + in_.byte() % 8;
    for (std::size_t i = 0; i < n; ++i) txs.push_back(make_tx());
    const auto before = model_.pending;
    const auto stats = pool_.stats();
    const std::vector<mp::AdmitResult> results = pool_.submit_batch(txs, now_);
    BAUHINIA_ASSERT_MSG(results.size() == txs.size(), "one result per transaction");
    std::set<Hash256> fresh;
    for (std::size_t i = 0; i < n; ++i) {
      if (i >= mempool_config().max_batch) {
        BAUHINIA_ASSERT_MSG(!results[i].ok(), "a batch over max_batch was admitted whole");
      }
      if (results[i].ok()) {
        BAUHINIA_ASSERT_MSG(fresh.insert(results[i].id).second, "a batch admitted one id twice");
        BAUHINIA_ASSERT_MSG(before.count(results[i].id) == 0, "batch admitted a duplicate");
        model_.pending.emplace(results[i].id, txs[i]);
      }
    }
    reconcile_evictions(stats.evicted);
  }

  // Evictions during a batch: anything pending before and gone now was evicted.
  void reconcile_evictions(std::uint64_t evicted_before) {
    std::size_t gone = 0;
    for (auto it = model_.pending.begin(); it != model_.pending.end();) {
      if (pool_.contains(it->first)) {
        ++it;
        continue;
      }
      ++gone;
      it = model_.pending.erase(it);
    }
    BAUHINIA_ASSERT_MSG(pool_.stats().evicted - evicted_before == gone, "uncounted eviction");
  }

  void resubmit() {
    if (submitted_.empty()) return;
    submit_one(submitted_[in_.byte() % submitted_.size()]);
  }

  void unchanged(const mp::MempoolStats& before) {
    const mp::MempoolStats now = pool_.stats();
    BAUHINIA_ASSERT_MSG(now.count == before.count && now.bytes == before.bytes &&
                            now.evicted == before.evicted && now.admitted == before.admitted,
                        "a refused transaction changed the mempool");
  }

  void take() {
    const std::size_t max_count = in_.byte() % 12;
    const std::size_t max_bytes = std::size_t{in_.u16()} % 4000;
    const auto got = pool_.take(max_count, max_bytes);
    BAUHINIA_ASSERT_MSG(got.size() <= max_count, "take over its count");
    std::size_t bytes = 0;
    std::set<Hash256> ids;
    std::map<AccountId, std::uint64_t> expect;
    for (const auto& itx : got) {
      bytes += itx.encoded_size;
      BAUHINIA_ASSERT_MSG(ids.insert(itx.id).second, "take returned a transaction twice");
      BAUHINIA_ASSERT_MSG(model_.pending.count(itx.id) != 0,
                          "take returned an unknown transaction");
      auto [it, first] = expect.emplace(itx.tx.sender, model_.next_of(itx.tx.sender));
      BAUHINIA_ASSERT_MSG(itx.tx.sequence == it->second, "take broke an account's sequence run");
      it->second += 1;
    }
    BAUHINIA_ASSERT_MSG(bytes <= max_bytes, "take over its byte limit");
  }

  void commit() {
    const auto got = pool_.take(in_.byte() % 6, 4000);
    std::vector<Hash256> ids;
    std::map<AccountId, std::uint64_t> next;
    for (const auto& itx : got) {
      ids.push_back(itx.id);
      next[itx.tx.sender] = itx.tx.sequence + 1;
    }
    if (in_.flag()) {  // a sequence used by a transaction this node never saw
      const AccountId a = account_of(in_.byte() % 2);
      next[a] = std::max(next[a], model_.next_of(a) + 1 + in_.byte() % 3);
    }
    std::vector<std::pair<AccountId, std::uint64_t>> seqs(next.begin(), next.end());
    for (const auto& [acct, n] : seqs) {
      const AccountId a = acct;
      auto it = model_.state.find(a);
      if (it == model_.state.end()) {
        // A new account's first transaction creates it with the signer's key.
        const auto p = std::find_if(model_.pending.begin(), model_.pending.end(),
                                    [&](const auto& x) { return x.second.sender == a; });
        BAUHINIA_ASSERT(p != model_.pending.end());
        model_.state[a] = mp::AccountState{p->second.public_key, n};
      } else {
        it->second.next_sequence = std::max(it->second.next_sequence, n);
      }
    }
    const std::size_t left = pool_.remove_committed(ids, seqs);
    std::size_t expected = 0;
    for (auto it = model_.pending.begin(); it != model_.pending.end();) {
      const bool drop = std::find(ids.begin(), ids.end(), it->first) != ids.end() ||
                        it->second.sequence < model_.next_of(it->second.sender);
      if (drop) {
        ++expected;
        it = model_.pending.erase(it);
      } else {
        ++it;
      }
    }
    BAUHINIA_ASSERT_MSG(left == expected, "remove_committed removed another count");
  }

  void expire() {
    now_ += std::uint64_t{in_.u16()} * 2;
    const std::size_t removed = pool_.remove_expired(now_);
    std::size_t expected = 0;
    for (auto it = model_.pending.begin(); it != model_.pending.end();) {
      if (it->second.expiry_ms <= now_) {
        ++expected;
        it = model_.pending.erase(it);
      } else {
        ++it;
      }
    }
    BAUHINIA_ASSERT_MSG(removed == expected, "remove_expired removed another count");
  }

  void remove_some() {
    std::vector<Hash256> ids;
    std::size_t expected = 0;
    for (const auto& [id, tx] : model_.pending) {
      if (in_.flag()) {
        ids.push_back(id);
        ++expected;
      }
    }
    ids.push_back(Hash256{});  // never pending
    const std::size_t removed = pool_.remove(ids);
    BAUHINIA_ASSERT_MSG(removed == expected, "remove removed another count");
    for (const Hash256& id : ids) model_.pending.erase(id);
  }

  // A peer's batch through the real AdmissionQueue and its worker thread.
  void through_queue() {
    mp::AdmissionQueueConfig qc;
    qc.max_transactions = 4;
    qc.max_bytes = 1000;
    qc.max_merge_transactions = 3;
    std::vector<core::Bytes> batch;
    const std::size_t n = 1 + in_.byte() % 8;
    for (std::size_t i = 0; i < n; ++i)
      batch.push_back(in_.flag() ? in_.bytes(120) : make_tx().encoded());
    const auto before = model_.pending;
    const auto stats = pool_.stats();
    std::size_t admitted_count = 0;
    {
      mp::AdmissionQueue q(
          qc, pool_, [this] { return now_; }, [&](std::size_t k) { admitted_count += k; });
      std::vector<core::Bytes> pushed = batch;
      const bool queued = q.push(pushed);
      // An empty queue takes any batch (so one large batch cannot wedge it).
      BAUHINIA_ASSERT_MSG(queued, "an empty admission queue refused a batch");
      q.drain();
      const mp::AdmissionQueueStats s = q.stats();
      BAUHINIA_ASSERT_MSG(s.dropped_batches == 0, "nothing dropped");
      BAUHINIA_ASSERT_MSG(s.admitted + s.refused == n, "every queued transaction answered");
      BAUHINIA_ASSERT_MSG(s.admitted == admitted_count, "on_admitted count");
    }
    // What is new in the pool came from this batch (signed or raw bytes that decode).
    std::size_t added = 0;
    for (const core::Bytes& b : batch) {
      auto tx = chain::decode_transaction(b);
      if (!tx) continue;
      const Hash256 id = tx->id();
      if (pool_.contains(id) && before.count(id) == 0 && model_.pending.count(id) == 0) {
        model_.pending.emplace(id, *tx);
        ++added;
      }
    }
    const std::uint64_t evicted = pool_.stats().evicted - stats.evicted;
    BAUHINIA_ASSERT_MSG(added <= admitted_count && admitted_count - added <= evicted,
                        "the pool's new transactions differ from what was admitted");
    reconcile_evictions(stats.evicted);
  }

  void check_consistent() {
    const mp::MempoolConfig c = mempool_config();
    const mp::MempoolStats s = pool_.stats();
    BAUHINIA_ASSERT_MSG(s.count == pool_.size() && s.count == model_.pending.size(),
                        "the mempool's size differs from the model");
    BAUHINIA_ASSERT_MSG(s.count <= c.max_count && s.bytes <= c.max_bytes,
                        "mempool over its limits");
    std::size_t bytes = 0;
    for (const auto& [id, tx] : model_.pending) {
      BAUHINIA_ASSERT_MSG(pool_.contains(id), "a pending transaction vanished");
      auto got = pool_.get(id);
      BAUHINIA_ASSERT_MSG(got && got->tx == tx, "a pending transaction changed");
      bytes += got->encoded_size;
      BAUHINIA_ASSERT_MSG(model_.count_of(tx.sender) <= c.max_per_account,
                          "account over its limit");
    }
    BAUHINIA_ASSERT_MSG(bytes == s.bytes, "the mempool's bytes differ from its contents");
  }

  FuzzInput& in_;
  Model model_;
  std::uint64_t now_ = kStart;
  mp::Mempool pool_;
  std::vector<chain::Transaction> submitted_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  Harness h(in);
  h.run();
  return 0;
}
