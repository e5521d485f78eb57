#include "bauhinia/loadgen/workload.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::loadgen {
namespace {

constexpr std::uint64_t kExpiry = 1'900'000'000'000;

WorkloadOptions small(std::size_t transactions, std::size_t accounts) {
  WorkloadOptions o;
  o.chain_id = "bauhinia-bench-test-1";
  o.transactions = transactions;
  o.accounts = accounts;
  o.expiry_ms = kExpiry;
  o.key_seed = 7;
  o.threads = 2;
  return o;
}

TEST(Workload, SequencesPerAccount) {
  EXPECT_EQ(sequences_per_account(100, 10), 10U);
  EXPECT_EQ(sequences_per_account(101, 10), 11U);
  EXPECT_EQ(sequences_per_account(5, 10), 1U);
  EXPECT_EQ(sequences_per_account(5, 0), 0U);
}

TEST(Workload, SignedPingsInSequenceMajorOrder) {
  const auto txs = prepare_workload(small(23, 5));
  ASSERT_TRUE(txs) << txs.error().to_string();
  ASSERT_EQ(txs->size(), 23U);
  std::set<core::Hash256> ids;
  std::map<std::uint32_t, core::AccountId> senders;
  for (std::size_t k = 0; k < txs->size(); ++k) {
    const PreparedTransaction& p = (*txs)[k];
    EXPECT_EQ(p.account, k % 5);
    EXPECT_EQ(p.sequence, k / 5);
    auto tx = chain::decode_transaction(p.bytes);
    ASSERT_TRUE(tx) << tx.error().to_string();
    // Exactly what a node checks without state: format and the BIP-340 signature.
    EXPECT_TRUE(tx->check_context_free()) << k;
    EXPECT_TRUE(tx->check_context("bauhinia-bench-test-1", kExpiry - 1));
    EXPECT_FALSE(tx->check_context("bauhinia-bench-test-1", kExpiry));
    EXPECT_EQ(tx->id(), p.id);
    EXPECT_EQ(tx->sequence, p.sequence);
    EXPECT_EQ(tx->module, "accounts");
    EXPECT_EQ(tx->call, "ping");
    EXPECT_EQ(tx->sender, core::account_id_of(tx->public_key));  // a new account's id
    auto args = core::decode<contracts::accounts::PingArgs>(tx->payload);
    ASSERT_TRUE(args);
    EXPECT_EQ(args->memo.size(), 8U);
    // One key per account, one account per key.
    auto [it, fresh] = senders.emplace(p.account, tx->sender);
    EXPECT_EQ(it->second, tx->sender);
    ids.insert(p.id);
  }
  EXPECT_EQ(ids.size(), 23U);
  std::set<core::AccountId> distinct;
  for (const auto& [a, id] : senders) distinct.insert(id);
  EXPECT_EQ(distinct.size(), 5U);
}

TEST(Workload, SeededKeysAreReproducibleAcrossThreadCounts) {
  WorkloadOptions a = small(40, 8);
  a.threads = 1;
  WorkloadOptions b = small(40, 8);
  b.threads = 3;
  const auto x = prepare_workload(a);
  const auto y = prepare_workload(b);
  ASSERT_TRUE(x && y);
  for (std::size_t k = 0; k < 40; ++k) EXPECT_EQ((*x)[k].bytes, (*y)[k].bytes) << k;
  WorkloadOptions c = small(40, 8);
  c.key_seed = 8;
  const auto z = prepare_workload(c);
  ASSERT_TRUE(z);
  EXPECT_NE((*x)[0].id, (*z)[0].id);
}

TEST(Workload, FreshKeysDifferBetweenRuns) {
  WorkloadOptions o = small(4, 2);
  o.key_seed.reset();
  const auto x = prepare_workload(o);
  const auto y = prepare_workload(o);
  ASSERT_TRUE(x && y);
  EXPECT_NE((*x)[0].id, (*y)[0].id);
  auto tx = chain::decode_transaction((*x)[3].bytes);
  ASSERT_TRUE(tx);
  EXPECT_TRUE(tx->check_context_free());
}

TEST(Workload, MoreAccountsThanTransactionsUsesOneSequenceEach) {
  const auto txs = prepare_workload(small(3, 100));
  ASSERT_TRUE(txs);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ((*txs)[k].account, k);
    EXPECT_EQ((*txs)[k].sequence, 0U);
  }
}

TEST(Workload, RefusesLoadsOverThePerAccountLimit) {
  WorkloadOptions o = small(6401, 100);  // needs 65 sequences per account
  const core::Verdict v = validate(o);
  ASSERT_FALSE(v);
  EXPECT_NE(v.rejection().detail.find("at least 101 accounts"), std::string::npos)
      << v.rejection().detail;
  o.transactions = 6400;
  EXPECT_TRUE(validate(o));
  o.max_per_account = 63;
  EXPECT_FALSE(validate(o));
}

TEST(Workload, RefusesBadOptions) {
  WorkloadOptions o = small(10, 2);
  o.chain_id = "Not A Chain Id!";
  EXPECT_FALSE(validate(o));
  EXPECT_FALSE(prepare_workload(o));
  o = small(10, 2);
  o.transactions = 0;
  EXPECT_FALSE(validate(o));
  o = small(10, 2);
  o.accounts = 0;
  EXPECT_FALSE(validate(o));
  o = small(10, 2);
  o.memo_bytes = contracts::accounts::kMaxMemoSize + 1;
  EXPECT_FALSE(validate(o));
  o = small(10, 2);
  o.threads = 0;
  EXPECT_FALSE(validate(o));
  o = small(10, 2);
  o.expiry_ms = 0;
  EXPECT_FALSE(validate(o));
  o = small(10, 2);
  o.memo_bytes = 0;
  EXPECT_TRUE(validate(o));
}

}  // namespace
}  // namespace bauhinia::loadgen
