// Random operations against the mempool, checking its invariants after each
// step: proposable runs are consecutive from each account's next sequence,
// nothing excluded or committed is proposed, and the counters match.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "bauhinia/mempool/mempool.hpp"

namespace bauhinia::mempool {
namespace {

constexpr const char* kChain = "bauhinia-test-1";
constexpr std::uint64_t kNow = 1'767'225'600'000ULL;

// SplitMix64: a small deterministic generator (the test replays exactly).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

TEST(MempoolRandom, InvariantsHoldUnderRandomOperations) {
  constexpr std::size_t kAccounts = 6;
  std::vector<core::schnorr::SecretKey> keys;
  for (std::uint32_t i = 0; i < kAccounts; ++i) {
    core::Bytes raw(32, 0);
    raw[0] = 0x44;
    raw[31] = static_cast<std::uint8_t>(i + 1);
    keys.push_back(std::move(core::schnorr::SecretKey::from_bytes(raw)).value());
  }
  std::map<AccountId, std::uint64_t> committed_next;  // the "ledger"
  AccountLookup lookup = [&](const AccountId& id) -> core::Result<std::optional<AccountState>> {
    const auto it = committed_next.find(id);
    if (it == committed_next.end()) return std::optional<AccountState>{};
    for (const auto& k : keys) {
      if (core::account_id_of(k.public_key()) == id) {
        return std::optional<AccountState>{AccountState{k.public_key(), it->second}};
      }
    }
    return std::optional<AccountState>{};
  };
  MempoolConfig config;
  config.chain_id = kChain;
  config.max_per_account = 5;
  config.max_sequence_ahead = 8;
  config.max_count = 20;
  Mempool pool(config, lookup);

  Rng rng{42};
  std::vector<Hash256> admitted_ids;
  std::uint64_t now = kNow;
  for (int step = 0; step < 600; ++step) {
    const std::uint64_t op = rng.below(10);
    if (op < 6) {  // submit
      const auto& k = keys[rng.below(kAccounts)];
      const AccountId id = core::account_id_of(k.public_key());
      chain::Transaction tx;
      tx.chain_id = kChain;
      tx.sender = id;
      tx.public_key = k.public_key();
      tx.sequence = committed_next[id] + rng.below(7);
      tx.expiry_ms = now + 1 + rng.below(20'000);
      tx.module = "accounts";
      tx.call = "ping";
      tx.payload.assign(rng.below(40), 0x5A);
      tx.sign(k);
      if (const auto r = pool.submit(tx, now); r.ok()) admitted_ids.push_back(r.id);
    } else if (op < 8) {  // commit the head of what a leader would propose
      const auto proposal = pool.take(1 + rng.below(6), 1 << 20);
      std::vector<Hash256> ids;
      std::vector<std::pair<AccountId, std::uint64_t>> next;
      for (const auto& t : proposal) {
        ids.push_back(t.id);
        committed_next[t.tx.sender] = t.tx.sequence + 1;
      }
      // Sometimes another node's transactions of an account commit too
      // (same sequences, other ids): what is pending below them is stale.
      if (rng.below(3) == 0) {
        const auto& k = keys[rng.below(kAccounts)];
        committed_next[core::account_id_of(k.public_key())] += 1 + rng.below(3);
      }
      for (const auto& [id, n] : committed_next) next.emplace_back(id, n);
      pool.remove_committed(ids, next);
      for (const auto& id : ids) EXPECT_FALSE(pool.contains(id));
    } else {  // time passes
      now += rng.below(5'000);
      pool.remove_expired(now);
    }

    // Invariants.
    const auto stats = pool.stats();
    ASSERT_LE(stats.count, config.max_count);
    const auto all = pool.take(1'000, 1 << 30);
    std::map<AccountId, std::uint64_t> expect_next;
    std::set<Hash256> seen;
    std::size_t bytes = 0;
    for (const auto& t : all) {
      auto [it, fresh] = expect_next.try_emplace(t.tx.sender, committed_next[t.tx.sender]);
      ASSERT_EQ(t.tx.sequence, it->second) << "step " << step;
      ++it->second;
      ASSERT_TRUE(seen.insert(t.id).second);
      ASSERT_GT(t.tx.expiry_ms, now);
      bytes += t.encoded_size;
    }
    ASSERT_EQ(all.size() + stats.parked, stats.count) << "step " << step;
    ASSERT_LE(bytes, stats.bytes);
    // Nothing pending is stale or expired.
    std::size_t pending = 0;
    for (const auto& id : admitted_ids) {
      const auto t = pool.get(id);
      if (!t) continue;
      ++pending;
      ASSERT_GE(t->tx.sequence, committed_next[t->tx.sender]) << "step " << step;
      ASSERT_GT(t->tx.expiry_ms, now) << "step " << step;
    }
    ASSERT_EQ(pending, stats.count);
    // Excluding a prefix of every account's run skips exactly that prefix.
    std::unordered_set<Hash256, core::Hash256Hasher> exclude;
    std::map<AccountId, int> first_of;
    for (const auto& t : all) {
      if (first_of[t.tx.sender]++ == 0) exclude.insert(t.id);
    }
    const auto rest = pool.take(1'000, 1 << 30, exclude);
    ASSERT_EQ(rest.size(), all.size() - exclude.size());
    for (const auto& t : rest) ASSERT_EQ(exclude.count(t.id), 0U);
  }
  EXPECT_GT(pool.stats().admitted, 100U);
}

}  // namespace
}  // namespace bauhinia::mempool
