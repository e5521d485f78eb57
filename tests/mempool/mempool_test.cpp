#include "bauhinia/mempool/mempool.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

namespace bauhinia::mempool {
namespace {

using core::schnorr::SecretKey;

constexpr const char* kChain = "bauhinia-test-1";
constexpr std::uint64_t kNow = 1'767'225'600'000ULL;
constexpr std::uint64_t kExpiry = kNow + 60'000;

SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x33;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(SecretKey::from_bytes(raw)).value();
}

AccountId account_of(const SecretKey& k) {
  return core::account_id_of(k.public_key());
}

chain::Transaction tx_of(const SecretKey& signer, std::uint64_t seq, std::uint64_t expiry = kExpiry,
                         std::size_t payload = 4, std::optional<AccountId> sender = std::nullopt) {
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.sender = sender ? *sender : account_of(signer);
  tx.public_key = signer.public_key();
  tx.sequence = seq;
  tx.expiry_ms = expiry;
  tx.module = "accounts";
  tx.call = "ping";
  tx.payload.assign(payload, 0x11);
  std::array<std::uint8_t, 32> aux{};
  tx.sign(signer, aux);
  return tx;
}

// Committed account state, as the node's ledger would report it.
class Accounts {
 public:
  void set(const AccountId& id, AccountState s) {
    std::lock_guard lock(mutex_);
    map_[id] = s;
  }
  AccountLookup lookup() {
    return [this](const AccountId& id) -> core::Result<std::optional<AccountState>> {
      std::lock_guard lock(mutex_);
      if (fail_) return core::Status::io_error("ledger unavailable");
      auto it = map_.find(id);
      if (it == map_.end()) return std::optional<AccountState>{};
      return std::optional<AccountState>{it->second};
    };
  }
  void fail(bool f) {
    std::lock_guard lock(mutex_);
    fail_ = f;
  }

 private:
  std::mutex mutex_;
  std::map<AccountId, AccountState> map_;
  bool fail_ = false;
};

MempoolConfig config() {
  MempoolConfig c;
  c.chain_id = kChain;
  c.max_per_account = 4;
  c.max_sequence_ahead = 8;
  c.max_count = 1000;
  return c;
}

MempoolError error_of(const AdmitResult& r) {
  EXPECT_FALSE(r.ok());
  return r.ok() ? MempoolError::kCount_ : r.rejection->error;
}

std::vector<std::uint64_t> sequences_of(const std::vector<IdentifiedTransaction>& txs,
                                        const AccountId& id) {
  std::vector<std::uint64_t> out;
  for (const auto& t : txs) {
    if (t.tx.sender == id) out.push_back(t.tx.sequence);
  }
  return out;
}

class MempoolTest : public ::testing::Test {
 protected:
  MempoolTest() : pool_(config(), accounts_.lookup()) {}
  Accounts accounts_;
  Mempool pool_;
};

TEST_F(MempoolTest, AdmitsAndTakes) {
  const auto k = key(1);
  auto r = pool_.submit(tx_of(k, 0), kNow);
  ASSERT_TRUE(r.ok()) << r.rejection->to_string();
  EXPECT_TRUE(pool_.contains(r.id));
  EXPECT_EQ(pool_.size(), 1U);
  const auto taken = pool_.take(10, 1 << 20);
  ASSERT_EQ(taken.size(), 1U);
  EXPECT_EQ(taken[0].id, r.id);
  EXPECT_EQ(pool_.size(), 1U);  // take does not remove
  EXPECT_EQ(pool_.get(r.id)->tx, tx_of(k, 0));
}

TEST_F(MempoolTest, RejectsMalformedAndOversized) {
  EXPECT_EQ(error_of(pool_.submit_encoded(core::Bytes{1, 2, 3}, kNow)), MempoolError::kMalformed);
  auto t = tx_of(key(1), 0);
  t.module = "Bad Module";
  EXPECT_EQ(error_of(pool_.submit(t, kNow)), MempoolError::kMalformed);
  EXPECT_EQ(error_of(pool_.submit_encoded(core::Bytes(chain::kMaxTransactionSize + 1, 0), kNow)),
            MempoolError::kTooLarge);
  MempoolConfig small = config();
  small.max_transaction_bytes = 300;
  Mempool tight(small, accounts_.lookup());
  EXPECT_EQ(error_of(tight.submit(tx_of(key(1), 0, kExpiry, 200), kNow)), MempoolError::kTooLarge);
  EXPECT_TRUE(tight.submit(tx_of(key(1), 0, kExpiry, 10), kNow).ok());
}

TEST_F(MempoolTest, RejectsWrongChainAndExpiry) {
  const auto k = key(2);
  auto other = tx_of(k, 0);
  other.chain_id = "bauhinia-other";
  other.sign(k);
  EXPECT_EQ(error_of(pool_.submit(other, kNow)), MempoolError::kWrongChain);
  EXPECT_EQ(error_of(pool_.submit(tx_of(k, 0, kNow), kNow)), MempoolError::kExpired);
  EXPECT_EQ(error_of(pool_.submit(tx_of(k, 0, kNow - 1), kNow)), MempoolError::kExpired);
  EXPECT_EQ(error_of(pool_.submit(tx_of(k, 0, kNow + config().max_expiry_ahead_ms + 1), kNow)),
            MempoolError::kExpiryTooFar);
  EXPECT_TRUE(pool_.submit(tx_of(k, 0, kNow + config().max_expiry_ahead_ms), kNow).ok());
}

TEST_F(MempoolTest, RejectsBadSignatureAndDuplicates) {
  const auto k = key(3);
  auto bad = tx_of(k, 0);
  bad.signature.bytes[10] ^= 4;
  EXPECT_EQ(error_of(pool_.submit(bad, kNow)), MempoolError::kBadSignature);
  auto off_curve = tx_of(k, 0);
  off_curve.public_key.bytes.fill(0xFF);
  EXPECT_EQ(error_of(pool_.submit(off_curve, kNow)), MempoolError::kMalformed);
  EXPECT_EQ(pool_.size(), 0U);
  ASSERT_TRUE(pool_.submit(tx_of(k, 0), kNow).ok());
  EXPECT_EQ(error_of(pool_.submit(tx_of(k, 0), kNow)), MempoolError::kDuplicate);
  // Within one batch.
  auto results = pool_.submit_batch({tx_of(k, 1), tx_of(k, 1)}, kNow);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(error_of(results[1]), MempoolError::kDuplicate);
  // Same sender and sequence, different transaction (re-signed with other aux).
  auto again = tx_of(k, 1);
  std::array<std::uint8_t, 32> aux{};
  aux[3] = 1;
  again.sign(k, aux);
  EXPECT_EQ(error_of(pool_.submit(again, kNow)), MempoolError::kSequenceTaken);
  const auto stats = pool_.stats();
  EXPECT_EQ(stats.rejected[static_cast<std::size_t>(MempoolError::kDuplicate)], 2U);
  EXPECT_EQ(stats.rejected[static_cast<std::size_t>(MempoolError::kBadSignature)], 1U);
  EXPECT_EQ(stats.admitted, 2U);
}

TEST_F(MempoolTest, SignatureCacheSkipsKnownIdsAndLearnsVerifiedOnes) {
  SignatureCache cache(16);
  Mempool pool(config(), accounts_.lookup());
  pool.set_signature_cache(&cache);
  const auto k = key(40);
  // Verified here: the id is learnt.
  const auto first = pool.submit(tx_of(k, 0), kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(cache.contains(first.id));
  // A forged signature is refused and not learnt.
  auto forged = tx_of(k, 1);
  forged.signature.bytes[9] ^= 2;
  const auto refused = pool.submit(forged, kNow);
  EXPECT_EQ(error_of(refused), MempoolError::kBadSignature);
  EXPECT_FALSE(cache.contains(refused.id));
  // An id the cache vouches for is not verified again: these exact bytes
  // (forged here, to prove the check is skipped) are admitted. The node only
  // puts ids whose signature it verified, or that f + 1 validators certified, there.
  cache.insert(chain::IdentifiedTransaction::of(forged).id);
  const auto vouched = pool.submit_batch({forged}, kNow);
  EXPECT_TRUE(vouched[0].ok());
  // Every other check still applies to a cached id (here: a stale sequence).
  accounts_.set(account_of(k), AccountState{k.public_key(), 5});
  auto stale = tx_of(k, 2);
  cache.insert(chain::IdentifiedTransaction::of(stale).id);
  EXPECT_EQ(error_of(pool.submit(stale, kNow)), MempoolError::kStaleSequence);
}

TEST(SignatureCache, KeepsTheNewestIdsUpToItsCapacity) {
  SignatureCache cache(3);
  auto id = [](std::uint8_t n) {
    core::Hash256 h;
    h.bytes()[0] = n;
    return h;
  };
  cache.insert(id(1));
  cache.insert(std::vector{id(2), id(3), id(2)});  // a repeat takes no room
  EXPECT_EQ(cache.size(), 3U);
  cache.insert(id(4));
  EXPECT_FALSE(cache.contains(id(1)));  // the oldest left
  EXPECT_TRUE(cache.contains(id(2)));
  EXPECT_TRUE(cache.contains(id(4)));
  EXPECT_EQ(cache.size(), 3U);
  EXPECT_EQ(SignatureCache(0).capacity(), 1U);
}

TEST_F(MempoolTest, RejectsByAccountState) {
  const auto owner = key(4);
  const auto stranger = key(5);
  accounts_.set(account_of(owner), AccountState{owner.public_key(), 10});
  // Another key signing for an existing account.
  EXPECT_EQ(error_of(pool_.submit(tx_of(stranger, 10, kExpiry, 4, account_of(owner)), kNow)),
            MempoolError::kWrongKey);
  // A key claiming a missing account that is not its own.
  EXPECT_EQ(error_of(pool_.submit(tx_of(stranger, 0, kExpiry, 4, account_of(key(77))), kNow)),
            MempoolError::kUnknownAccount);
  EXPECT_EQ(error_of(pool_.submit(tx_of(owner, 9), kNow)), MempoolError::kStaleSequence);
  EXPECT_EQ(error_of(pool_.submit(tx_of(owner, 18), kNow)), MempoolError::kSequenceTooFar);
  EXPECT_TRUE(pool_.submit(tx_of(owner, 17), kNow).ok());  // 10 + 8 - 1: within reach
  for (std::uint64_t s = 10; s < 13; ++s) ASSERT_TRUE(pool_.submit(tx_of(owner, s), kNow).ok());
  EXPECT_EQ(error_of(pool_.submit(tx_of(owner, 13), kNow)), MempoolError::kAccountFull);
  accounts_.fail(true);
  EXPECT_EQ(error_of(pool_.submit(tx_of(stranger, 0), kNow)), MempoolError::kStateUnavailable);
}

TEST_F(MempoolTest, PolicyCanRefuse) {
  Mempool strict(config(), accounts_.lookup(), nullptr,
                 [](const IdentifiedTransaction& t) -> core::Verdict {
                   if (t.tx.payload.size() > 8) {
                     return core::reject(core::Reject::kInvalid, "payload too long for ping");
                   }
                   return core::Verdict::accept();
                 });
  EXPECT_EQ(error_of(strict.submit(tx_of(key(6), 0, kExpiry, 9), kNow)), MempoolError::kPolicy);
  EXPECT_TRUE(strict.submit(tx_of(key(6), 0, kExpiry, 8), kNow).ok());
}

TEST_F(MempoolTest, OrderIsPerAccountSequenceAndFifoAcrossAccounts) {
  const auto a = key(10);
  const auto b = key(11);
  const auto c = key(12);
  // Arrivals: a1 (parked), b0, a0 (makes a0,a1 ready), c0, b1.
  ASSERT_TRUE(pool_.submit(tx_of(a, 1), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(b, 0), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(a, 0), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(c, 0), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(b, 1), kNow).ok());
  const auto taken = pool_.take(100, 1 << 20);
  std::vector<std::pair<AccountId, std::uint64_t>> order;
  for (const auto& t : taken) order.emplace_back(t.tx.sender, t.tx.sequence);
  // b0 first (b's head arrived first), then a0; a1 arrived before both and
  // follows a0 at once; then c0, b1.
  const std::vector<std::pair<AccountId, std::uint64_t>> want{{account_of(b), 0},
                                                              {account_of(a), 0},
                                                              {account_of(a), 1},
                                                              {account_of(c), 0},
                                                              {account_of(b), 1}};
  EXPECT_EQ(order, want);
}

TEST_F(MempoolTest, GapsAreNotProposableUntilFilled) {
  const auto a = key(13);
  ASSERT_TRUE(pool_.submit(tx_of(a, 0), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(a, 2), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(a, 3), kNow).ok());
  EXPECT_EQ(sequences_of(pool_.take(100, 1 << 20), account_of(a)), (std::vector<std::uint64_t>{0}));
  EXPECT_EQ(pool_.stats().parked, 2U);
  EXPECT_EQ(pool_.size(), 3U);
  EXPECT_EQ(pool_.proposable_size(), 1U);  // the API's backlog counts only these
  ASSERT_TRUE(pool_.submit(tx_of(a, 1), kNow).ok());
  EXPECT_EQ(sequences_of(pool_.take(100, 1 << 20), account_of(a)),
            (std::vector<std::uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(pool_.stats().parked, 0U);
  EXPECT_EQ(pool_.proposable_size(), 4U);
}

TEST_F(MempoolTest, TakeRespectsLimitsAndExclusions) {
  const auto a = key(14);
  const auto b = key(15);
  std::vector<Hash256> a_ids;
  for (std::uint64_t s = 0; s < 4; ++s) {
    a_ids.push_back(pool_.submit(tx_of(a, s), kNow).id);
    ASSERT_TRUE(pool_.submit(tx_of(b, s), kNow).ok());
  }
  EXPECT_EQ(pool_.take(3, 1 << 20).size(), 3U);
  // The byte limit bounds the block payload encoding: a count prefix, then
  // each transaction with its length prefix.
  const std::size_t tx = pool_.get(a_ids[0])->encoded_size;
  const std::size_t entry = core::length_prefix_size(tx) + tx;
  EXPECT_EQ(pool_.take(100, 1 + 2 * entry).size(), 2U);
  EXPECT_EQ(pool_.take(100, 1 + 2 * entry - 1).size(), 1U);
  EXPECT_EQ(pool_.take(100, 2 * tx + 1).size(), 1U);  // the transactions alone would fit
  EXPECT_EQ(pool_.take(100, 1 + entry).size(), 1U);
  EXPECT_EQ(pool_.take(100, 1 + entry - 1).size(), 0U);
  // a0 and a1 are in an uncommitted parent block: a's run starts at a2.
  const std::unordered_set<Hash256, core::Hash256Hasher> exclude{a_ids[0], a_ids[1]};
  const auto taken = pool_.take(100, 1 << 20, exclude);
  EXPECT_EQ(sequences_of(taken, account_of(a)), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(sequences_of(taken, account_of(b)), (std::vector<std::uint64_t>{0, 1, 2, 3}));
  for (const auto& t : taken) EXPECT_EQ(exclude.count(t.id), 0U);
}

TEST_F(MempoolTest, CommittedTransactionsLeaveAndAdvanceTheAccount) {
  const auto a = key(16);
  std::vector<Hash256> ids;
  for (std::uint64_t s = 0; s < 4; ++s) ids.push_back(pool_.submit(tx_of(a, s), kNow).id);
  // A block committed a0, a1 and (another transaction with) sequence 2.
  accounts_.set(account_of(a), AccountState{a.public_key(), 3});
  const std::vector<std::pair<AccountId, std::uint64_t>> next{{account_of(a), 3}};
  EXPECT_EQ(pool_.remove_committed(std::span(ids).first(2), next), 3U);
  EXPECT_FALSE(pool_.contains(ids[2]));
  EXPECT_EQ(sequences_of(pool_.take(100, 1 << 20), account_of(a)), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(error_of(pool_.submit(tx_of(a, 1), kNow)), MempoolError::kStaleSequence);
  // remove() of a transaction the builder left out opens a gap.
  EXPECT_EQ(pool_.remove(std::span(ids).subspan(3)), 1U);
  EXPECT_EQ(pool_.size(), 0U);
  EXPECT_EQ(pool_.stats().accounts, 0U);
}

TEST_F(MempoolTest, ExpiredTransactionsLeave) {
  const auto a = key(17);
  const auto b = key(18);
  ASSERT_TRUE(pool_.submit(tx_of(a, 0, kNow + 100), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(a, 1, kNow + 500), kNow).ok());
  ASSERT_TRUE(pool_.submit(tx_of(b, 0, kNow + 200), kNow).ok());
  EXPECT_EQ(pool_.remove_expired(kNow + 99), 0U);
  EXPECT_EQ(pool_.remove_expired(kNow + 200), 2U);
  EXPECT_EQ(pool_.size(), 1U);
  // a1 is left with a gap before it: pending but not proposable.
  EXPECT_TRUE(pool_.take(100, 1 << 20).empty());
  EXPECT_EQ(pool_.stats().parked, 1U);
  EXPECT_EQ(pool_.remove_expired(kNow + 500), 1U);
  EXPECT_EQ(pool_.stats().count, 0U);
  EXPECT_EQ(pool_.stats().bytes, 0U);
}

TEST_F(MempoolTest, FullPoolEvictsParkedForProposableAndRefusesTheRest) {
  MempoolConfig small = config();
  small.max_count = 3;
  Mempool pool(small, accounts_.lookup());
  const auto a = key(20);
  const auto b = key(21);
  const auto c = key(22);
  ASSERT_TRUE(pool.submit(tx_of(a, 0), kNow).ok());
  const auto parked1 = pool.submit(tx_of(b, 2), kNow);  // parked (gap)
  const auto parked2 = pool.submit(tx_of(b, 3), kNow);  // parked, newest
  ASSERT_TRUE(parked1.ok() && parked2.ok());
  // Full. A parked newcomer is refused.
  EXPECT_EQ(error_of(pool.submit(tx_of(c, 5), kNow)), MempoolError::kMempoolFull);
  // A proposable newcomer evicts the newest parked transaction.
  ASSERT_TRUE(pool.submit(tx_of(c, 0), kNow).ok());
  EXPECT_FALSE(pool.contains(parked2.id));
  EXPECT_TRUE(pool.contains(parked1.id));
  EXPECT_EQ(pool.stats().evicted, 1U);
  ASSERT_TRUE(pool.submit(tx_of(c, 1), kNow).ok());
  EXPECT_FALSE(pool.contains(parked1.id));
  // Nothing parked left: refused.
  EXPECT_EQ(error_of(pool.submit(tx_of(a, 1), kNow)), MempoolError::kMempoolFull);
  EXPECT_EQ(pool.size(), 3U);

  MempoolConfig by_bytes = config();
  const std::size_t one = chain::IdentifiedTransaction::of(tx_of(a, 0)).encoded_size;
  by_bytes.max_bytes = 2 * one;
  Mempool bounded(by_bytes, accounts_.lookup());
  ASSERT_TRUE(bounded.submit(tx_of(a, 0), kNow).ok());
  ASSERT_TRUE(bounded.submit(tx_of(b, 0), kNow).ok());
  EXPECT_EQ(error_of(bounded.submit(tx_of(c, 0), kNow)), MempoolError::kMempoolFull);
  EXPECT_EQ(bounded.stats().bytes, 2 * one);
}

// Every transaction that leaves is reported once to the removal listener,
// with why: what the node's journal turns into GET /v1/transactions verdicts.
TEST_F(MempoolTest, RemovalListenerHearsEveryLeaveWithItsReason) {
  MempoolConfig small = config();
  small.max_count = 4;
  Mempool pool(small, accounts_.lookup());
  std::map<Hash256, RemovalReason> heard;
  std::size_t calls_with_nothing = 0;
  pool.set_removal_listener([&](std::span<const Removal> removed) {
    if (removed.empty()) ++calls_with_nothing;
    for (const Removal& r : removed) {
      EXPECT_TRUE(heard.emplace(r.id, r.reason).second) << "reported twice";
      EXPECT_NE(r.expiry_ms, 0U);
    }
  });
  const auto a = key(40);
  const auto b = key(41);
  const auto c = key(42);
  const auto a0 = pool.submit(tx_of(a, 0), kNow).id;
  const auto a1 = pool.submit(tx_of(a, 1), kNow).id;
  const auto b2 = pool.submit(tx_of(b, 2, kNow + 100), kNow).id;  // parked, expires first
  const auto b3 = pool.submit(tx_of(b, 3), kNow).id;              // parked, newest
  ASSERT_EQ(pool.size(), 4U);
  EXPECT_TRUE(heard.empty());

  // Full: a proposable newcomer evicts the newest parked transaction.
  ASSERT_TRUE(pool.submit(tx_of(c, 0), kNow).ok());
  EXPECT_EQ(heard.at(b3), RemovalReason::kEvicted);
  // Expiry.
  EXPECT_EQ(pool.remove_expired(kNow + 100), 1U);
  EXPECT_EQ(heard.at(b2), RemovalReason::kExpired);
  // a0 committed; another transaction of a's took sequence 1.
  accounts_.set(account_of(a), AccountState{a.public_key(), 2});
  const std::vector<Hash256> block{a0};
  const std::vector<std::pair<AccountId, std::uint64_t>> next{{account_of(a), 2}};
  EXPECT_EQ(pool.remove_committed(block, next), 2U);
  EXPECT_EQ(heard.at(a0), RemovalReason::kCommitted);
  EXPECT_EQ(heard.at(a1), RemovalReason::kReplaced);
  // remove().
  const auto c1 = pool.submit(tx_of(c, 1), kNow).id;
  const std::vector<Hash256> invalid{c1};
  EXPECT_EQ(pool.remove(invalid), 1U);
  EXPECT_EQ(heard.at(c1), RemovalReason::kRemoved);
  EXPECT_EQ(heard.size(), 5U);
  EXPECT_EQ(calls_with_nothing, 0U);
  EXPECT_EQ(removal_reason_name(RemovalReason::kEvicted), "evicted");
}

TEST_F(MempoolTest, CommitDuringLookupIsSeen) {
  const auto a = key(23);
  Mempool* target = nullptr;
  bool committed = false;
  Accounts state;
  // The first lookup answers from before a commit that lands while admission
  // runs; admission must notice and read again.
  AccountLookup racing = [&](const AccountId& id) -> core::Result<std::optional<AccountState>> {
    auto answer = state.lookup()(id);
    if (!committed) {
      committed = true;
      state.set(id, AccountState{a.public_key(), 1});
      const std::vector<std::pair<AccountId, std::uint64_t>> next{{id, 1}};
      target->remove_committed({}, next);
    }
    return answer;
  };
  Mempool pool(config(), racing);
  target = &pool;
  EXPECT_EQ(error_of(pool.submit(tx_of(a, 0), kNow)), MempoolError::kStaleSequence);
  EXPECT_TRUE(pool.submit(tx_of(a, 1), kNow).ok());
}

TEST_F(MempoolTest, KeyRotationCommittedDuringLookupIsSeen) {
  const auto old_key = key(24);
  const auto new_key = key(25);
  const AccountId id = account_of(old_key);
  Accounts state;
  state.set(id, AccountState{old_key.public_key(), 3});
  Mempool* target = nullptr;
  bool committed = false;
  AccountLookup racing = [&](const AccountId& who) -> core::Result<std::optional<AccountState>> {
    auto answer = state.lookup()(who);
    if (!committed) {  // the rotation (sequence 3) commits while admission reads
      committed = true;
      state.set(who, AccountState{new_key.public_key(), 4});
      const std::vector<std::pair<AccountId, std::uint64_t>> next{{who, 4}};
      target->remove_committed({}, next);
    }
    return answer;
  };
  Mempool pool(config(), racing);
  target = &pool;
  // Signed by the new key: refused as wrong_key on the stale read, admitted on the re-read.
  EXPECT_TRUE(pool.submit(tx_of(new_key, 4, kExpiry, 4, id), kNow).ok());
}

TEST(VerifierPool, ParallelMatchesSerial) {
  std::vector<chain::Transaction> txs;
  for (std::uint32_t i = 0; i < 600; ++i) {
    auto t = tx_of(key(1000 + i % 37), i);
    if (i % 7 == 3) t.signature.bytes[i % 64] ^= static_cast<std::uint8_t>(1U << (i % 8));
    if (i % 11 == 5) t.sequence += 1;  // signed content changed after signing
    txs.push_back(std::move(t));
  }
  std::vector<const chain::Transaction*> ptrs;
  for (const auto& t : txs) ptrs.push_back(&t);
  std::vector<bool> serial;
  for (const auto& t : txs) serial.push_back(signature_valid(t));
  EXPECT_GT(std::count(serial.begin(), serial.end(), false), 50);
  EXPECT_GT(std::count(serial.begin(), serial.end(), true), 400);
  for (std::size_t threads : {1U, 2U, 5U}) {
    VerifierPool pool(threads, 4);  // a tiny queue: callers must wait for room
    EXPECT_EQ(pool.verify(ptrs), serial) << threads;
  }
  // Many callers at once on one pool.
  VerifierPool shared(3, 8);
  std::vector<std::thread> callers;
  std::vector<std::vector<bool>> got(6);
  for (std::size_t c = 0; c < got.size(); ++c) {
    callers.emplace_back([&, c] { got[c] = shared.verify(ptrs); });
  }
  for (auto& t : callers) t.join();
  for (const auto& g : got) EXPECT_EQ(g, serial);
}

TEST(MempoolConcurrency, ManyThreadsSubmittingBatches) {
  Accounts accounts;
  VerifierPool verifier(2);
  MempoolConfig cfg = config();
  cfg.max_per_account = 64;
  cfg.max_sequence_ahead = 64;
  Mempool pool(cfg, accounts.lookup(), &verifier);

  // 8 threads x 4 batches; each thread owns 4 accounts; 1 in 9 signatures bad.
  constexpr int kThreads = 8;
  std::vector<std::vector<std::vector<chain::Transaction>>> batches(kThreads);
  std::size_t valid = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < 4; ++b) {
      std::vector<chain::Transaction> batch;
      for (std::uint64_t s = 0; s < 10; ++s) {
        const std::uint32_t acct = static_cast<std::uint32_t>(t * 4 + b);
        auto tx = tx_of(key(5000 + acct), s);
        if ((acct + s) % 9 == 0) {
          tx.signature.bytes[0] ^= 1;
        } else {
          ++valid;
        }
        batch.push_back(std::move(tx));
      }
      batches[t].push_back(std::move(batch));
    }
  }
  std::atomic<std::size_t> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (auto& batch : batches[t]) {
        for (const auto& r : pool.submit_batch(batch, kNow)) {
          if (r.ok()) {
            admitted.fetch_add(1);
          } else {
            EXPECT_EQ(r.rejection->error, MempoolError::kBadSignature);
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), valid);
  EXPECT_EQ(pool.size(), valid);
  // Every proposable run is consecutive from 0 and stops before the first bad one.
  const auto taken = pool.take(10'000, 1 << 30);
  std::map<AccountId, std::uint64_t> next;
  for (const auto& t : taken) {
    EXPECT_EQ(t.tx.sequence, next[t.tx.sender]++);
    EXPECT_TRUE(t.tx.check_context_free());
  }
  EXPECT_EQ(taken.size() + pool.stats().parked, valid);
}

}  // namespace
}  // namespace bauhinia::mempool
