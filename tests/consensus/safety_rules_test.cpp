// Every safety rule, one by one, against real signatures.
#include "bauhinia/consensus/safety_rules.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

class SafetyRulesTest : public ::testing::Test {
 protected:
  SafetyRulesTest()
      : set_(make_set({1, 1, 1, 1})),
        genesis_(genesis_for(set_)),
        ctx_(context_for(set_, genesis_)),
        root_qc_(QuorumCert::for_epoch_root(kChainId, 0, genesis_)) {}

  SafetyRules rules(std::uint32_t who = 0, SafetyState state = {}) {
    return SafetyRules(key_for(who), std::move(state), ctx_);
  }
  // Block at `round` on `parent` (certified by `qc`), proposed by the round's leader.
  Proposal propose(const chain::BlockHeader& parent, Round round, const QuorumCert& qc,
                   std::optional<TimeoutCertificate> tc = std::nullopt, core::Bytes payload = {}) {
    const auto leader = key_for(static_cast<std::uint32_t>(round % 4));
    const chain::BlockHeader h = child_header(parent, round, leader.public_key(), payload);
    return make_proposal(leader, h, qc, std::move(tc), std::move(payload));
  }
  QuorumCert certify(const Proposal& p) {
    return make_qc(set_, vote_data_for(p.header, p.qc.round()), {0, 1, 2});
  }

  chain::ValidatorSet set_;
  chain::BlockHeader genesis_;
  EpochContext ctx_;
  QuorumCert root_qc_;
};

TEST_F(SafetyRulesTest, VotesForAValidProposalAndRecordsIt) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  auto vote = sr.vote(p1, std::nullopt);
  ASSERT_TRUE(vote) << vote.error().to_string();
  EXPECT_EQ(vote->vote_data.block_id, p1.header.id());
  EXPECT_EQ(vote->vote_data.parent_id, genesis_.id());
  EXPECT_FALSE(vote->ledger_info.commits()) << "the epoch root is committed already";
  EXPECT_TRUE(core::ed25519::verify(key_for(0).public_key(),
                                    vote->ledger_info.signing_hash().view(), vote->signature));
  EXPECT_EQ(sr.state().last_voted_round, 1u);
  ASSERT_TRUE(sr.state().last_vote.has_value());
  EXPECT_EQ(*sr.state().last_vote, *vote);
}

TEST_F(SafetyRulesTest, RepeatedRequestReturnsTheSameVote) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  auto a = sr.vote(p1, std::nullopt);
  auto b = sr.vote(p1, std::nullopt);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
}

TEST_F(SafetyRulesTest, NeverVotesForTwoBlocksInOneRound) {
  SafetyRules sr = rules();
  ASSERT_TRUE(sr.vote(propose(genesis_, 1, root_qc_), std::nullopt));
  auto other = sr.vote(propose(genesis_, 1, root_qc_, std::nullopt, {'x'}), std::nullopt);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().reason, core::Reject::kDuplicate);
}

TEST_F(SafetyRulesTest, NeverVotesInARoundBelowTheLastVotedOne) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  ASSERT_TRUE(sr.vote(p1, std::nullopt));
  ASSERT_TRUE(sr.vote(p2, std::nullopt));
  // A different round-1 block (same round as an older vote, not the last one).
  auto late = sr.vote(propose(genesis_, 1, root_qc_, std::nullopt, {'z'}), std::nullopt);
  ASSERT_FALSE(late);
  EXPECT_EQ(sr.state().last_voted_round, 2u);
}

TEST_F(SafetyRulesTest, TwoChainRuleCommitsTheParentOnlyOnConsecutiveRounds) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  auto v2 = sr.vote(p2, std::nullopt);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->ledger_info.commit_block, p1.header.id());
  EXPECT_EQ(v2->ledger_info.commit_height, 1u);

  // Round 3 timed out: block 4 extends block 2 through a TC, and commits nothing.
  const QuorumCert qc2 = certify(p2);
  const TimeoutCertificate tc3 = make_tc(set_, 0, 3, {0, 1, 3}, {qc2, qc2, qc2});
  const Proposal p4 = propose(p2.header, 4, qc2, tc3);
  auto v4 = sr.vote(p4, std::nullopt);
  ASSERT_TRUE(v4) << v4.error().to_string();
  EXPECT_FALSE(v4->ledger_info.commits());

  // An override names the epoch's last block as the commit target.
  const Proposal p5 = propose(p4.header, 5, certify(p4));
  auto v5 = sr.vote(p5, BlockRef{p2.header.id(), 2});
  ASSERT_TRUE(v5);
  EXPECT_EQ(v5->ledger_info.commit_block, p2.header.id());
}

TEST_F(SafetyRulesTest, RefusesABlockThatDoesNotExtendThePreferredRound) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  const Proposal p3 = propose(p2.header, 3, certify(p2));
  ASSERT_TRUE(sr.vote(p3, std::nullopt));  // observes QC(2) whose parent round is 1
  EXPECT_EQ(sr.state().preferred_round, 1u);
  EXPECT_EQ(sr.state().one_chain_round, 2u);
  // Round 5 on the genesis branch, justified by a TC whose signers all had only
  // the root QC: passes safe_to_vote but forks below the preferred round.
  const TimeoutCertificate tc4 = make_tc(set_, 0, 4, {1, 2, 3}, {root_qc_, root_qc_, root_qc_});
  const Proposal fork = propose(genesis_, 5, root_qc_, tc4, {'f'});
  auto v = sr.vote(fork, std::nullopt);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().detail.find("preferred"), std::string::npos) << v.error().detail;
}

TEST_F(SafetyRulesTest, RoundMustFollowTheQcOrTheTc) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const QuorumCert qc1 = certify(p1);
  // Round 3 with QC(1) and no TC: not justified.
  auto v = sr.vote(propose(p1.header, 3, qc1), std::nullopt);
  ASSERT_FALSE(v);
  // With a TC for round 2 whose highest QC is above the block's QC: refused.
  const Proposal p2 = propose(p1.header, 2, qc1);
  const QuorumCert qc2 = certify(p2);
  const TimeoutCertificate tc2 = make_tc(set_, 0, 2, {0, 1, 2}, {qc2, qc1, qc1});
  // qc2 has round 2 == tc round: invalid TC (a signer's QC must be below the round).
  EXPECT_FALSE(sr.vote(propose(p1.header, 3, qc1, tc2), std::nullopt));
  const TimeoutCertificate tc3 = make_tc(set_, 0, 3, {0, 1, 2}, {qc2, qc1, qc1});
  auto low = sr.vote(propose(p1.header, 4, qc1, tc3), std::nullopt);
  ASSERT_FALSE(low);
  // With the TC's highest QC it is fine.
  auto ok = sr.vote(propose(p2.header, 4, qc2, tc3), std::nullopt);
  EXPECT_TRUE(ok) << ok.error().to_string();
}

TEST_F(SafetyRulesTest, RejectsBadCertificates) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const VoteData vd1 = vote_data_for(p1.header, 0);
  struct Case {
    const char* name;
    QuorumCert qc;
    core::Reject reason;
  };
  QuorumCert bad_sig = make_qc(set_, vd1, {0, 1, 2});
  bad_sig.certificate.signatures[1].bytes[5] ^= 1;
  QuorumCert outside = make_qc(set_, vd1, {0, 1, 2});
  outside.certificate.signer_bitmap[0] |= 0x10;  // validator 4 of a 4-validator set
  outside.certificate.signatures.push_back(outside.certificate.signatures[0]);
  QuorumCert dup = make_qc(set_, vd1, {0, 1, 2});
  dup.certificate.signatures.push_back(dup.certificate.signatures[0]);  // a signer counted twice
  QuorumCert other_data = make_qc(set_, vd1, {0, 1, 2});
  other_data.vote_data.height = 7;  // no longer what was signed
  const std::vector<Case> cases = {
      {"too little power", make_qc(set_, vd1, {0, 1}), core::Reject::kInsufficientPower},
      {"bad signature", bad_sig, core::Reject::kBadSignature},
      {"signer outside the set", outside, core::Reject::kNonCanonical},
      {"duplicate signer", dup, core::Reject::kInvalid},
      {"vote data not signed", other_data, core::Reject::kInvalid},
  };
  for (const Case& c : cases) {
    const Proposal p2 = propose(p1.header, 2, c.qc);
    auto v = sr.vote(p2, std::nullopt);
    ASSERT_FALSE(v) << c.name;
    EXPECT_EQ(v.error().reason, c.reason) << c.name << ": " << v.error().to_string();
  }
  EXPECT_EQ(sr.state().last_voted_round, 0u) << "a refused vote changes nothing";
}

TEST_F(SafetyRulesTest, RefusesOtherEpochsAndNonMembers) {
  SafetyRules sr = rules();
  Proposal p1 = propose(genesis_, 1, root_qc_);
  p1.header.epoch = 1;
  EXPECT_EQ(sr.vote(p1, std::nullopt).error().reason, core::Reject::kWrongEpoch);
  SafetyRules outsider = rules(77);
  EXPECT_EQ(outsider.vote(propose(genesis_, 1, root_qc_), std::nullopt).error().reason,
            core::Reject::kUnknownSigner);
  EXPECT_FALSE(outsider.sign_timeout(1, root_qc_, std::nullopt));
}

TEST_F(SafetyRulesTest, TimeoutRules) {
  SafetyRules sr = rules();
  auto t1 = sr.sign_timeout(1, root_qc_, std::nullopt);
  ASSERT_TRUE(t1) << t1.error().to_string();
  EXPECT_TRUE(core::ed25519::verify(
      key_for(0).public_key(), t1->signing_data(kChainId).signing_hash().view(), t1->signature));
  EXPECT_EQ(sr.state().last_voted_round, 1u);
  EXPECT_EQ(sr.state().highest_timeout_round, 1u);
  // After timing out in round 1, no vote in round 1.
  EXPECT_FALSE(sr.vote(propose(genesis_, 1, root_qc_), std::nullopt));
  // Round 3 does not follow QC 0 and there is no TC.
  EXPECT_FALSE(sr.sign_timeout(3, root_qc_, std::nullopt));
  // Round 2 follows TC(1).
  const TimeoutCertificate tc1 = make_tc(set_, 0, 1, {0, 1, 2}, {root_qc_, root_qc_, root_qc_});
  auto t2 = sr.sign_timeout(2, root_qc_, tc1);
  ASSERT_TRUE(t2) << t2.error().to_string();
  // Never a timeout below the last voted round.
  EXPECT_FALSE(sr.sign_timeout(1, root_qc_, std::nullopt));
}

TEST_F(SafetyRulesTest, TimeoutQcMustNotBeBelowTheOneChainRound) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  ASSERT_TRUE(sr.vote(p2, std::nullopt));  // one_chain_round = 1
  const TimeoutCertificate tc2 = make_tc(set_, 0, 2, {1, 2, 3}, {root_qc_, root_qc_, root_qc_});
  auto t = sr.sign_timeout(3, root_qc_, tc2);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().detail.find("one-chain"), std::string::npos);
  EXPECT_TRUE(sr.sign_timeout(3, certify(p1), tc2));
}

TEST_F(SafetyRulesTest, RestartFromPersistedStateNeverDoubleSigns) {
  core::Bytes persisted;
  Vote first;
  {
    SafetyRules sr = rules();
    auto v = sr.vote(propose(genesis_, 1, root_qc_), std::nullopt);
    ASSERT_TRUE(v);
    first = *v;
    persisted = core::encode(sr.state());  // what the host wrote before sending
  }
  auto state = core::decode<SafetyState>(persisted);
  ASSERT_TRUE(state);
  SafetyRules restarted = rules(0, *state);
  auto again = restarted.vote(propose(genesis_, 1, root_qc_), std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, first);
  EXPECT_FALSE(restarted.vote(propose(genesis_, 1, root_qc_, std::nullopt, {'d'}), std::nullopt));
  EXPECT_FALSE(restarted.sign_timeout(0, root_qc_, std::nullopt));
}

TEST_F(SafetyRulesTest, NewEpochStartsOver) {
  SafetyState old;
  old.epoch = 0;
  old.last_voted_round = 9;
  chain::ValidatorSet next = make_set({1, 1, 1, 1}, 1);
  EpochContext ctx1{kChainId, next, genesis_.id(), 0};
  SafetyRules sr(key_for(0), old, ctx1);
  EXPECT_EQ(sr.state().epoch, 1u);
  EXPECT_EQ(sr.state().last_voted_round, 0u);
  SafetyRules sr0 = rules(0, old);
  sr0.start_epoch(ctx1);
  EXPECT_EQ(sr0.state(), sr.state());
}

TEST_F(SafetyRulesTest, SignsOnlyJustifiedProposalsOfItsOwnAbovePastVotes) {
  SafetyRules leader1 = rules(1);
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  auto sig = leader1.sign_proposal(p1);
  ASSERT_TRUE(sig);
  EXPECT_EQ(*sig, p1.signature) << "Ed25519 is deterministic";
  EXPECT_FALSE(rules(2).sign_proposal(p1)) << "not our block";
  ASSERT_TRUE(leader1.vote(p1, std::nullopt));
  EXPECT_FALSE(leader1.sign_proposal(propose(genesis_, 1, root_qc_, std::nullopt, {'2'})))
      << "a second proposal in a round already voted";
}

TEST_F(SafetyRulesTest, VotesAndTimeoutsRecordTheHighestQcTheyWereSignedWith) {
  SafetyRules sr = rules();
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  ASSERT_TRUE(sr.vote(p1, std::nullopt));
  EXPECT_FALSE(sr.state().highest_qc.has_value()) << "the epoch root QC is not recorded";
  const QuorumCert qc1 = certify(p1);
  const Proposal p2 = propose(p1.header, 2, qc1);
  ASSERT_TRUE(sr.vote(p2, std::nullopt));
  ASSERT_TRUE(sr.state().highest_qc.has_value());
  EXPECT_EQ(*sr.state().highest_qc, qc1);
  // A timeout with a QC whose block this validator never saw (round 3 follows QC(2)).
  const QuorumCert qc2 = certify(p2);
  ASSERT_TRUE(sr.sign_timeout(3, qc2, std::nullopt));
  EXPECT_EQ(*sr.state().highest_qc, qc2);
  // A later signature with a lower QC (after a TC) never lowers it.
  const TimeoutCertificate tc3 = make_tc(set_, 0, 3, {1, 2, 3}, {qc1, qc1, qc1});
  ASSERT_TRUE(sr.sign_timeout(4, qc2, tc3));
  EXPECT_EQ(*sr.state().highest_qc, qc2);
  // It survives the encoding the host persists.
  auto back = core::decode<SafetyState>(core::encode(sr.state()));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, sr.state());
}

// The version 1 layout, written byte by byte (not through the codec): version,
// epoch, last_voted_round, preferred_round, one_chain_round,
// highest_timeout_round (u64 little-endian), then last_vote and highest_tc
// absent (0x00 each).
core::Bytes version_one_record() {
  core::Bytes b{0x01};
  for (std::uint64_t v : {3u, 10u, 8u, 9u, 7u}) {
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  b.push_back(0x00);
  b.push_back(0x00);
  return b;
}

TEST_F(SafetyRulesTest, VersionOneRecordStillLoadsAndIsUpgraded) {
  auto old = core::decode<SafetyState>(version_one_record());
  ASSERT_TRUE(old) << old.error().to_string();
  EXPECT_EQ(old->version, 1u);
  EXPECT_EQ(old->last_voted_round, 10u);
  EXPECT_EQ(old->preferred_round, 8u);
  EXPECT_EQ(old->one_chain_round, 9u);
  EXPECT_EQ(old->highest_timeout_round, 7u);
  EXPECT_FALSE(old->highest_qc.has_value());
  EXPECT_EQ(core::encode(*old), version_one_record()) << "re-encodes in its own version";
  old->epoch = 0;
  SafetyRules sr = rules(0, *old);
  EXPECT_EQ(sr.state().version, SafetyState::kVersion);
  EXPECT_EQ(sr.state().last_voted_round, 10u) << "nothing else changes";
  core::Bytes upgraded = core::encode(sr.state());
  ASSERT_EQ(upgraded.size(), version_one_record().size() + 1);  // highest_qc: 0x00
  EXPECT_EQ(upgraded[0], 2u);
  EXPECT_EQ(upgraded.back(), 0u);
}

TEST(SafetyStateTest, EncodingRoundTripsAndRejectsGarbage) {
  SafetyState s;
  s.epoch = 3;
  s.last_voted_round = 10;
  s.preferred_round = 8;
  s.one_chain_round = 9;
  s.highest_timeout_round = 7;
  const auto set = make_set({1, 1, 1, 1});
  const auto g = genesis_for(set);
  s.highest_qc =
      make_qc(set, vote_data_for(child_header(g, 9, key_for(1).public_key()), 0), {0, 1, 2});
  const core::Bytes b = core::encode(s);
  auto d = core::decode<SafetyState>(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, s);
  core::Bytes bad = b;
  for (std::uint8_t unknown : {0, 3, 255}) {
    bad[0] = unknown;
    auto r = core::decode<SafetyState>(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, core::Reject::kBadVersion);
    EXPECT_NE(r.error().detail.find("version " + std::to_string(unknown) + " is unknown"),
              std::string::npos)
        << r.error().detail;
  }
  bad = b;
  bad.push_back(0);
  EXPECT_FALSE(core::decode<SafetyState>(bad));
  EXPECT_FALSE(core::decode<SafetyState>(core::ByteView(b.data(), b.size() - 1)));
}

}  // namespace
}  // namespace bauhinia::consensus
