#include "bauhinia/chain/transaction_info.hpp"

#include <gtest/gtest.h>

#include "bauhinia/chain/merkle.hpp"
#include "naive_merkle.hpp"

namespace bauhinia::chain {
namespace {

TransactionInfo sample() {
  TransactionInfo t;
  t.version = 77;
  t.transaction_id.bytes().fill(0x42);
  t.outcome = TxOutcome::kNotFound;
  t.state_changes_hash.bytes().fill(0x01);
  t.events_hash.bytes().fill(0x02);
  return t;
}

TEST(TransactionInfo, EncodingLayoutAndLeafHash) {
  const TransactionInfo t = sample();
  const core::Bytes enc = core::encode(t);
  ASSERT_EQ(enc.size(), 1U + 8 + 32 + 1 + 32 + 32);
  EXPECT_EQ(enc[0], TransactionInfo::kFormat);
  EXPECT_EQ(enc[1], 77);
  EXPECT_EQ(enc[41], 3);  // outcome byte after format, version and id
  EXPECT_EQ(t.leaf_hash(), test::naive::leaf(enc));
  auto back = core::decode<TransactionInfo>(enc);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
}

TEST(TransactionInfo, EveryFieldChangesTheLeaf) {
  const Hash256 base = sample().leaf_hash();
  auto differs = [&](auto&& mutate) {
    TransactionInfo t = sample();
    mutate(t);
    return t.leaf_hash() != base;
  };
  EXPECT_TRUE(differs([](TransactionInfo& t) { t.version = 78; }));
  EXPECT_TRUE(differs([](TransactionInfo& t) { t.transaction_id.bytes()[31] ^= 1; }));
  EXPECT_TRUE(differs([](TransactionInfo& t) { t.outcome = TxOutcome::kSuccess; }));
  EXPECT_TRUE(differs([](TransactionInfo& t) { t.state_changes_hash.bytes()[0] ^= 1; }));
  EXPECT_TRUE(differs([](TransactionInfo& t) { t.events_hash.bytes()[5] ^= 1; }));
}

TEST(TransactionInfo, DecodeRejectsUnknownOutcomeFormatAndLength) {
  core::Bytes enc = core::encode(sample());
  core::Bytes bad_outcome = enc;
  bad_outcome[41] = static_cast<std::uint8_t>(TxOutcome::kMax_) + 1;
  auto r = core::decode<TransactionInfo>(bad_outcome);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, core::Reject::kOutOfRange);
  core::Bytes bad_format = enc;
  bad_format[0] = 2;
  auto f = core::decode<TransactionInfo>(bad_format);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().reason, core::Reject::kBadVersion);
  EXPECT_FALSE(core::decode<TransactionInfo>(core::ByteView(enc).first(enc.size() - 1)));
  enc.push_back(0);
  EXPECT_FALSE(core::decode<TransactionInfo>(enc));
}

TEST(TransactionInfo, OutcomeNames) {
  EXPECT_EQ(tx_outcome_name(TxOutcome::kSuccess), "success");
  EXPECT_EQ(tx_outcome_name(TxOutcome::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(tx_outcome_name(TxOutcome::kLimitExceeded), "limit_exceeded");
}

}  // namespace
}  // namespace bauhinia::chain
