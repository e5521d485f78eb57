// The TEST-ONLY injected faults (injected_faults.hpp): each switch turns off
// exactly the rule it names and nothing else, and with none set the rules and
// certificate checks are the ordinary ones. bauhinia-sim uses them to prove its
// checkers catch a broken core (tests/sim/seeds_injected_bugs_test.cpp).
#include "bauhinia/consensus/injected_faults.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bauhinia/consensus/config.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

InjectedFaults only_vote_round() {
  InjectedFaults f;
  f.skip_vote_round_check = true;
  return f;
}
InjectedFaults only_lock() {
  InjectedFaults f;
  f.skip_lock_check = true;
  return f;
}
InjectedFaults only_safe_to_vote() {
  InjectedFaults f;
  f.skip_safe_to_vote_check = true;
  return f;
}
InjectedFaults only_duplicates() {
  InjectedFaults f;
  f.accept_duplicate_signers = true;
  return f;
}

class InjectedFaultsTest : public ::testing::Test {
 protected:
  InjectedFaultsTest()
      : set_(make_set({1, 1, 1, 1})),
        genesis_(genesis_for(set_)),
        ctx_(context_for(set_, genesis_)),
        root_qc_(QuorumCert::for_epoch_root(kChainId, 0, genesis_)) {}

  SafetyRules rules(InjectedFaults faults) {
    return SafetyRules(key_for(0), SafetyState{}, ctx_, faults);
  }
  Proposal propose(const chain::BlockHeader& parent, Round round, const QuorumCert& qc,
                   std::optional<TimeoutCertificate> tc = std::nullopt, core::Bytes payload = {}) {
    const auto leader = key_for(static_cast<std::uint32_t>(round % 4));
    const chain::BlockHeader h = child_header(parent, round, leader.public_key(), payload);
    return make_proposal(leader, h, qc, std::move(tc), std::move(payload));
  }
  QuorumCert certify(const Proposal& p) {
    return make_qc(set_, vote_data_for(p.header, p.qc.round()), {0, 1, 2});
  }
  // A QC over `p` whose quorum counts validator `who` in the slots of 0, 1
  // and 2: its own signature copied into the others' slots.
  QuorumCert duplicate_signer_qc(const Proposal& p, std::uint32_t who) {
    QuorumCert qc = certify(p);
    const Vote v = sign_vote(key_for(who), qc.vote_data);
    for (auto& s : qc.certificate.signatures) s = v.signature;
    return qc;
  }

  chain::ValidatorSet set_;
  chain::BlockHeader genesis_;
  EpochContext ctx_;
  QuorumCert root_qc_;
};

TEST_F(InjectedFaultsTest, AllOffByDefaultEverywhere) {
  EXPECT_FALSE(InjectedFaults{}.any());
  EXPECT_EQ(ReplicaConfig{}.injected_faults, InjectedFaults{});
  for (const InjectedFaults& f :
       {only_vote_round(), only_lock(), only_safe_to_vote(), only_duplicates()}) {
    EXPECT_TRUE(f.any());
  }
}

// The node must never switch a fault on: no source file under node/ names them.
TEST(InjectedFaultsSource, TheNodeNeverSetsThem) {
  const std::filesystem::path node = std::filesystem::path(BAUHINIA_SOURCE_DIR) / "node";
  ASSERT_TRUE(std::filesystem::is_directory(node)) << node << " not found: nothing checked";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(node)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    ++files;
    EXPECT_EQ(text.str().find("injected_faults"), std::string::npos) << entry.path();
    EXPECT_EQ(text.str().find("InjectedFaults"), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 0u);
}

// Rule 4 (round > last_voted_round).
TEST_F(InjectedFaultsTest, SkipVoteRoundCheckDropsOnlyRule4) {
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  // Vote in a round already timed out in: refused by rule 4 normally.
  {
    SafetyRules normal = rules({});
    ASSERT_TRUE(normal.sign_timeout(1, root_qc_, std::nullopt));
    EXPECT_FALSE(normal.vote(p1, std::nullopt));
    SafetyRules faulty = rules(only_vote_round());
    ASSERT_TRUE(faulty.sign_timeout(1, root_qc_, std::nullopt));
    auto v = faulty.vote(p1, std::nullopt);
    ASSERT_TRUE(v) << v.error().to_string();
    EXPECT_EQ(v->round(), 1u);
  }
  // A vote in a round below the last voted one.
  {
    SafetyRules normal = rules({});
    SafetyRules faulty = rules(only_vote_round());
    for (SafetyRules* sr : {&normal, &faulty}) {
      ASSERT_TRUE(sr->vote(p1, std::nullopt));
      ASSERT_TRUE(sr->vote(p2, std::nullopt));
    }
    const Proposal late = propose(genesis_, 1, root_qc_, std::nullopt, {'z'});
    EXPECT_FALSE(normal.vote(late, std::nullopt));
    EXPECT_TRUE(faulty.vote(late, std::nullopt));
  }
  // Rule 2 still holds: the round of the last vote gets that vote or nothing.
  SafetyRules faulty = rules(only_vote_round());
  ASSERT_TRUE(faulty.vote(p1, std::nullopt));
  auto other = faulty.vote(propose(genesis_, 1, root_qc_, std::nullopt, {'x'}), std::nullopt);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().reason, core::Reject::kDuplicate);
  // Rule 6 still holds: round 3 on QC(1) without a TC.
  EXPECT_FALSE(faulty.vote(propose(p1.header, 3, certify(p1)), std::nullopt));
}

// Rule 5 (qc.round >= preferred_round).
TEST_F(InjectedFaultsTest, SkipLockCheckDropsOnlyRule5) {
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const Proposal p2 = propose(p1.header, 2, certify(p1));
  const Proposal p3 = propose(p2.header, 3, certify(p2));
  // Round 5 on the genesis branch with a TC whose signers all had the root QC:
  // passes rule 6 but forks below the preferred round 1.
  const TimeoutCertificate tc4 = make_tc(set_, 0, 4, {1, 2, 3}, {root_qc_, root_qc_, root_qc_});
  const Proposal fork = propose(genesis_, 5, root_qc_, tc4, {'f'});
  SafetyRules normal = rules({});
  SafetyRules faulty = rules(only_lock());
  for (SafetyRules* sr : {&normal, &faulty}) {
    ASSERT_TRUE(sr->vote(p3, std::nullopt));
    ASSERT_EQ(sr->state().preferred_round, 1u);
  }
  auto refused = normal.vote(fork, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("preferred"), std::string::npos);
  auto accepted = faulty.vote(fork, std::nullopt);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_EQ(accepted->vote_data.parent_id, genesis_.id());
  // Rule 4 still holds: round 4 is below the round 5 voted.
  const TimeoutCertificate tc3 = make_tc(set_, 0, 3, {1, 2, 3}, {root_qc_, root_qc_, root_qc_});
  auto below = faulty.vote(propose(genesis_, 4, root_qc_, tc3, {'g'}), std::nullopt);
  ASSERT_FALSE(below);
  EXPECT_NE(below.error().detail.find("last voted round"), std::string::npos);
  // And rule 6: round 7 on the root QC without a TC is not justified.
  auto unjustified = faulty.vote(propose(genesis_, 7, root_qc_, std::nullopt, {'u'}), std::nullopt);
  ASSERT_FALSE(unjustified);
  EXPECT_NE(unjustified.error().detail.find("not justified"), std::string::npos);
}

// Rule 6 (two-chain safe_to_vote).
TEST_F(InjectedFaultsTest, SkipSafeToVoteCheckDropsOnlyRule6) {
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const QuorumCert qc1 = certify(p1);
  // Round 3 on QC(1) with no TC: not justified.
  const Proposal skip = propose(p1.header, 3, qc1);
  auto refused = rules({}).vote(skip, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("not justified"), std::string::npos);
  SafetyRules faulty = rules(only_safe_to_vote());
  auto accepted = faulty.vote(skip, std::nullopt);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_FALSE(accepted->ledger_info.commits()) << "round 3 does not follow round 1";
  // A TC whose highest QC is above the block's QC (the TC's lock part of rule 6).
  const Proposal p2 = propose(p1.header, 2, qc1);
  const QuorumCert qc2 = certify(p2);
  const TimeoutCertificate tc3 = make_tc(set_, 0, 3, {0, 1, 2}, {qc2, qc1, qc1});
  const Proposal low = propose(p1.header, 4, qc1, tc3, {'l'});
  EXPECT_FALSE(rules({}).vote(low, std::nullopt));
  EXPECT_TRUE(rules(only_safe_to_vote()).vote(low, std::nullopt));
  // Rule 4 still holds: round 2 is below the round 3 voted.
  auto old_round = faulty.vote(p2, std::nullopt);
  ASSERT_FALSE(old_round);
  EXPECT_NE(old_round.error().detail.find("last voted round"), std::string::npos);
  // And rule 5: after observing QC(5) (preferred round 2), a block on the
  // root QC is refused as below it.
  const Proposal p5 = propose(p2.header, 5, qc2);
  const Proposal p6 = propose(p5.header, 6, certify(p5));
  ASSERT_TRUE(faulty.vote(p6, std::nullopt));
  ASSERT_EQ(faulty.state().preferred_round, 2u);
  auto below = faulty.vote(propose(genesis_, 8, root_qc_, std::nullopt, {'b'}), std::nullopt);
  ASSERT_FALSE(below);
  EXPECT_NE(below.error().detail.find("preferred"), std::string::npos);
}

TEST_F(InjectedFaultsTest, AcceptDuplicateSignersCountsOneSignerInSeveralSlots) {
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const QuorumCert dup = duplicate_signer_qc(p1, 3);  // v3 in the slots of v0, v1, v2
  auto normal = verify_qc(dup, ctx_);
  ASSERT_FALSE(normal);
  EXPECT_EQ(normal.rejection().reason, core::Reject::kBadSignature);
  EXPECT_FALSE(verify_qc(dup, ctx_, InjectedFaults{}));
  EXPECT_TRUE(verify_qc(dup, ctx_, only_duplicates()));
  // The other switches leave certificates alone.
  for (const InjectedFaults& f : {only_vote_round(), only_lock(), only_safe_to_vote()}) {
    EXPECT_FALSE(verify_qc(dup, ctx_, f));
  }
  // Everything else is still checked: a signature of no validator, too
  // little power, a signature count that does not match the bitmap.
  QuorumCert outsider = dup;
  outsider.certificate.signatures[1] = sign_vote(key_for(99), dup.vote_data).signature;
  EXPECT_EQ(verify_qc(outsider, ctx_, only_duplicates()).rejection().reason,
            core::Reject::kBadSignature);
  QuorumCert weak = make_qc(set_, dup.vote_data, {0, 1});
  weak.certificate.signatures[0] = weak.certificate.signatures[1];
  EXPECT_EQ(verify_qc(weak, ctx_, only_duplicates()).rejection().reason,
            core::Reject::kInsufficientPower);
  QuorumCert extra = dup;
  extra.certificate.signatures.push_back(extra.certificate.signatures[0]);
  EXPECT_EQ(verify_qc(extra, ctx_, only_duplicates()).rejection().reason, core::Reject::kInvalid);
  // Honest certificates pass either way.
  EXPECT_TRUE(verify_qc(certify(p1), ctx_, only_duplicates()));
  EXPECT_TRUE(verify_qc(root_qc_, ctx_, only_duplicates()));

  // In the safety rules: a proposal on the forged QC gets a vote.
  const Proposal p2 = propose(p1.header, 2, dup);
  auto refused = rules({}).vote(p2, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, core::Reject::kBadSignature);
  auto voted = rules(only_duplicates()).vote(p2, std::nullopt);
  EXPECT_TRUE(voted) << voted.error().to_string();
}

TEST_F(InjectedFaultsTest, AcceptDuplicateSignersAlsoInTimeoutCertificates) {
  const Proposal p1 = propose(genesis_, 1, root_qc_);
  const QuorumCert qc1 = certify(p1);
  // A TC of round 2 whose three slots all hold v3's timeout signature.
  TimeoutCertificate tc = make_tc(set_, 0, 2, {0, 1, 2}, {qc1, qc1, qc1});
  const TimeoutMessage mine = sign_timeout_message(key_for(3), 0, 2, qc1);
  for (auto& s : tc.signatures) s = mine.signature;
  EXPECT_EQ(verify_tc(tc, ctx_).rejection().reason, core::Reject::kBadSignature);
  EXPECT_FALSE(verify_tc(tc, ctx_, InjectedFaults{}));
  EXPECT_TRUE(verify_tc(tc, ctx_, only_duplicates()));
  for (const InjectedFaults& f : {only_vote_round(), only_lock(), only_safe_to_vote()}) {
    EXPECT_FALSE(verify_tc(tc, ctx_, f));
  }
  // Its high QC may count a duplicate signer too.
  TimeoutCertificate both = tc;
  both.high_qc = duplicate_signer_qc(p1, 2);
  EXPECT_FALSE(verify_tc(both, ctx_));
  EXPECT_TRUE(verify_tc(both, ctx_, only_duplicates()));
  // A signature over another high QC round verifies under no key.
  TimeoutCertificate wrong = tc;
  wrong.signatures[2] = sign_timeout_message(key_for(3), 0, 2, root_qc_).signature;
  EXPECT_FALSE(verify_tc(wrong, ctx_, only_duplicates()));
  // The safety rules vote for round 3 justified by the forged TC (whose
  // highest QC is the block's QC(1)) only with the fault.
  const Proposal p3 = propose(p1.header, 3, qc1, tc);
  EXPECT_FALSE(rules({}).vote(p3, std::nullopt));
  EXPECT_TRUE(rules(only_duplicates()).vote(p3, std::nullopt));
}

}  // namespace
}  // namespace bauhinia::consensus
