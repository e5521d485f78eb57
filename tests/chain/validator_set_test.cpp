#include "bauhinia/chain/validator_set.hpp"

#include <gtest/gtest.h>

#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using core::Reject;
using test::Committee;

TEST(ValidatorSet, QuorumIsMoreThanTwoThirds) {
  struct Case {
    std::vector<std::uint64_t> powers;
    std::uint64_t total, quorum;
  };
  for (const Case& c : std::vector<Case>{{{1}, 1, 1},
                                         {{1, 1, 1}, 3, 3},
                                         {{1, 1, 1, 1}, 4, 3},
                                         {{1, 1, 1, 1, 1, 1, 1}, 7, 5},
                                         {{10, 20, 30, 40}, 100, 67},
                                         {{1, 1, 1, 3}, 6, 5}}) {
    const auto set = Committee::make(0, c.powers.size(), 1, c.powers).set;
    EXPECT_EQ(set.total_power(), c.total);
    EXPECT_EQ(set.quorum_power(), c.quorum);
    // The quorum is the smallest power strictly above two thirds.
    EXPECT_GT(3 * set.quorum_power(), 2 * set.total_power());
    EXPECT_LE(3 * (set.quorum_power() - 1), 2 * set.total_power());
  }
  const auto big = Committee::make(0, 100, 1).set;
  EXPECT_EQ(big.quorum_power(), 67U);
  // Maximal powers do not overflow.
  ValidatorSet max = big;
  for (auto& v : max.validators) v.voting_power = kMaxVotingPower;
  EXPECT_EQ(max.total_power(), 100 * kMaxVotingPower);
  EXPECT_GT(3 * max.quorum_power(), 2 * max.total_power());
}

TEST(ValidatorSet, IndexOf) {
  const auto c = Committee::make(3, 5, 10);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(c.set.index_of(c.keys[i].public_key()), i);
  EXPECT_FALSE(c.set.index_of(test::key_from_seed(99).public_key()));
}

TEST(ValidatorSet, HashCoversEveryField) {
  const auto base = Committee::make(3, 4, 10).set;
  ASSERT_TRUE(base.validate());
  EXPECT_EQ(base.hash(), base.hash());
  EXPECT_EQ(base.hash(), core::tagged_hash(core::HashTag::kValidatorSet, core::encode(base)));
  auto changed = [&](auto&& mutate) {
    ValidatorSet s = base;
    mutate(s);
    return s.hash() != base.hash();
  };
  EXPECT_TRUE(changed([](ValidatorSet& s) { s.epoch = 4; }));
  EXPECT_TRUE(changed([](ValidatorSet& s) { s.validators[2].voting_power = 2; }));
  EXPECT_TRUE(changed([](ValidatorSet& s) { s.validators[1].name = "IPD"; }));
  EXPECT_TRUE(changed([](ValidatorSet& s) { std::swap(s.validators[0], s.validators[1]); }));
  EXPECT_TRUE(changed([](ValidatorSet& s) { s.validators.pop_back(); }));
  EXPECT_TRUE(
      changed([](ValidatorSet& s) { s.validators[3].key = test::key_from_seed(77).public_key(); }));
}

TEST(ValidatorSet, ValidateRejectsBadSets) {
  const auto base = Committee::make(1, 4, 10).set;
  auto reason = [&](auto&& mutate) {
    ValidatorSet s = base;
    mutate(s);
    const auto v = s.validate();
    EXPECT_FALSE(v.ok());
    return v.ok() ? Reject::kInvalid : v.rejection().reason;
  };
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators.clear(); }), Reject::kInvalid);
  EXPECT_EQ(reason([](ValidatorSet& s) { s.version = 2; }), Reject::kBadVersion);
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators[1].voting_power = 0; }), Reject::kOutOfRange);
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators[1].voting_power = kMaxVotingPower + 1; }),
            Reject::kOutOfRange);
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators[3].key = s.validators[0].key; }),
            Reject::kDuplicate);
  // Not a point on the curve / a small-order point.
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators[2].key.bytes.fill(0xFF); }), Reject::kBadKey);
  EXPECT_EQ(reason([](ValidatorSet& s) { s.validators[2].key.bytes = {}; }), Reject::kBadKey);
  EXPECT_TRUE(Committee::make(1, kMaxValidators, 0).set.validate());
}

TEST(ValidatorSet, DecodeRoundTripAndLimits) {
  const auto set = Committee::make(9, 7, 40, {1, 2, 3, 4, 5, 6, 7}).set;
  auto back = core::decode<ValidatorSet>(core::encode(set));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, set);
  // 257 validators: refused by the decoder.
  core::Writer w;
  w.u8(1);
  w.u64(0);
  w.length(kMaxValidators + 1);
  auto too_many = core::decode<ValidatorSet>(w.data());
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().reason, Reject::kTooLarge);
  // A decoded set runs validate(): duplicate keys are refused.
  ValidatorSet dup = set;
  dup.validators[1].key = dup.validators[0].key;
  auto d = core::decode<ValidatorSet>(core::encode(dup));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kDuplicate);
}

}  // namespace
}  // namespace bauhinia::chain
