// The block timestamp rule (docs/consensus.md, "Block timestamps"), one replica
// driven event by event: with S = max_clock_skew_ms, a proposal is at most
// now + S ahead, or exactly its parent's timestamp + 1 ms and at most now + 2S;
// a refused proposal is reported (ProposalTimestamp), times the round out at
// once and is kept without a vote; the idle interval of a leader does not wait for a parent stamped
// ahead of its clock.
#include <gtest/gtest.h>

#include "bauhinia/consensus/replica.hpp"
#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

constexpr std::uint64_t kSkew = 10000;

ReplicaConfig config() {
  ReplicaConfig c;
  c.chain_id = kChainId;
  c.round_timeout_base_ms = 400;
  c.round_timeout_max_ms = 6400;
  c.idle_block_interval_ms = 200;
  c.max_clock_skew_ms = kSkew;
  return c;
}

template <class T>
std::vector<T> all_of(const std::vector<Effect>& effects) {
  std::vector<T> out;
  for (const Effect& e : effects) {
    if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
  }
  return out;
}

std::size_t timeouts_broadcast(const std::vector<Effect>& effects) {
  std::size_t n = 0;
  for (const auto& b : all_of<Broadcast>(effects)) {
    n += std::holds_alternative<TimeoutMessage>(b.message) ? 1 : 0;
  }
  return n;
}

class BlockTimestampTest : public ::testing::Test {
 protected:
  BlockTimestampTest()
      : set_(make_set({1, 1, 1, 1})),
        genesis_(genesis_for(set_)),
        root_qc_(QuorumCert::for_epoch_root(kChainId, 0, genesis_)) {}

  Replica make(std::uint32_t who) {
    Replica r(config(), key_for(who), genesis_recovery(set_), SafetyState{});
    last_ = r.step(Start{now_});
    return r;
  }
  std::vector<Effect> receive(Replica& r, std::uint32_t from, Message m) {
    last_ = r.step(MessageReceived{key_for(from).public_key(), std::move(m), now_});
    return last_;
  }
  static std::uint32_t leader(Round round) { return static_cast<std::uint32_t>(round % 4); }
  // A child of `parent` in `round` stamped `ts`, signed by the round's leader.
  chain::BlockHeader child(const chain::BlockHeader& parent, Round round, std::uint64_t ts) {
    chain::BlockHeader meta;
    meta.height = parent.height + 1;
    meta.round = round;
    meta.parent_hash = parent.id();
    meta.timestamp_ms = ts;
    meta.proposer = key_for(leader(round)).public_key();
    return Executor{}.execute(parent, meta, {});
  }
  Proposal propose(const chain::BlockHeader& h, const QuorumCert& qc) {
    return make_proposal(key_for(leader(h.round)), h, qc);
  }
  // `r` hears of round 2's proposal `p2` (child of an unknown block 1) and
  // fetches block 1 by block sync, where no timestamp rule applies: the way a
  // replica learns of a block certified by others while its clock lagged.
  std::vector<Effect> fetch_parent_then(Replica& r, const chain::BlockHeader& b1,
                                        const Proposal& p2) {
    auto sends = all_of<Send>(receive(r, leader(2), p2));
    EXPECT_FALSE(sends.empty());
    auto fx = receive(r, leader(2), SyncResponse{0, b1.id(), {SyncBlock{b1, {}, root_qc_}}, {}});
    auto exec = all_of<ExecuteBlock>(fx);
    EXPECT_EQ(exec.size(), 1u);
    if (exec.empty()) return fx;
    last_ = r.step(BlockExecuted{b1.id(), b1, std::nullopt, now_});
    return last_;
  }

  // A refused proposal is still executed and kept (others may certify it and
  // the next block is its child), but never voted for.
  void expect_kept_without_vote(Replica& r, const std::vector<Effect>& fx) {
    auto exec = all_of<ExecuteBlock>(fx);
    ASSERT_EQ(exec.size(), 1u);
    const Round voted = r.safety_state().last_voted_round;
    auto done = r.step(BlockExecuted{exec[0].header.id(), exec[0].header, std::nullopt, now_});
    for (const auto& s : all_of<Send>(done)) {
      EXPECT_FALSE(std::holds_alternative<Vote>(s.message)) << "voted for a refused proposal";
    }
    EXPECT_TRUE(all_of<PersistBlock>(done).size() == 1u) << "the block is kept";
    EXPECT_EQ(r.safety_state().last_voted_round, voted);
  }

  chain::ValidatorSet set_;
  chain::BlockHeader genesis_;
  QuorumCert root_qc_;
  std::uint64_t now_ = 1'000'000;
  std::vector<Effect> last_;
};

TEST_F(BlockTimestampTest, AtTheAllowanceIsVotedForAndItsOffsetReported) {
  Replica r = make(0);
  auto fx = receive(r, 1, propose(child(genesis_, 1, now_ + kSkew), root_qc_));
  EXPECT_EQ(all_of<ExecuteBlock>(fx).size(), 1u);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].leader, key_for(1).public_key());
  EXPECT_EQ(ts[0].round, 1u);
  EXPECT_EQ(ts[0].ahead_ms, static_cast<std::int64_t>(kSkew));
  EXPECT_FALSE(ts[0].follows_parent);
  EXPECT_FALSE(ts[0].refused);
  EXPECT_EQ(timeouts_broadcast(fx), 0u);
}

TEST_F(BlockTimestampTest, BeyondTheAllowanceIsRefusedReportedAndTimesTheRoundOutAtOnce) {
  Replica r = make(0);
  auto fx = receive(r, 1, propose(child(genesis_, 1, now_ + kSkew + 1), root_qc_));
  expect_kept_without_vote(r, fx);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_TRUE(ts[0].refused);
  EXPECT_EQ(ts[0].ahead_ms, static_cast<std::int64_t>(kSkew + 1));
  auto rejected = all_of<MessageRejected>(fx);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].from, key_for(1).public_key()) << "names the leader";
  EXPECT_NE(rejected[0].why.detail.find("10001 ms ahead"), std::string::npos);
  // No round timer is waited for: the timeout is signed and sent now.
  EXPECT_EQ(timeouts_broadcast(fx), 1u);
  EXPECT_EQ(r.safety_state().last_voted_round, 1u);
  EXPECT_EQ(r.safety_state().highest_timeout_round, 1u);
}

TEST_F(BlockTimestampTest, ALaggingLeadersTimestampBehindOursIsFine) {
  Replica r = make(0);
  auto fx = receive(r, 1, propose(child(genesis_, 1, now_ - 3000), root_qc_));
  EXPECT_EQ(all_of<ExecuteBlock>(fx).size(), 1u);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].ahead_ms, -3000);
  EXPECT_FALSE(ts[0].refused);
}

TEST_F(BlockTimestampTest, ParentPlusOneIsVotedForUpToTwiceTheAllowance) {
  // Block 1 was stamped 1.5 S ahead of this replica's clock (certified by
  // others whose clocks run ahead, or by a Byzantine leader at their limit);
  // round 2's honest leader stamps it + 1 ms and must not wait for our clock.
  Replica r = make(0);
  const chain::BlockHeader b1 = child(genesis_, 1, now_ + kSkew * 3 / 2);
  const QuorumCert qc1 = make_qc(set_, vote_data_for(b1, 0), {1, 2, 3});
  const chain::BlockHeader b2 = child(b1, 2, b1.timestamp_ms + 1);
  auto fx = fetch_parent_then(r, b1, propose(b2, qc1));
  auto exec = all_of<ExecuteBlock>(fx);
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_EQ(exec[0].header, b2);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_TRUE(ts[0].follows_parent);
  EXPECT_FALSE(ts[0].refused);
}

TEST_F(BlockTimestampTest, MoreThanParentPlusOneAheadOfTheAllowanceIsRefused) {
  Replica r = make(0);
  const chain::BlockHeader b1 = child(genesis_, 1, now_ + kSkew * 3 / 2);
  const QuorumCert qc1 = make_qc(set_, vote_data_for(b1, 0), {1, 2, 3});
  const chain::BlockHeader b2 = child(b1, 2, b1.timestamp_ms + 2);
  auto fx = fetch_parent_then(r, b1, propose(b2, qc1));
  expect_kept_without_vote(r, fx);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_FALSE(ts[0].follows_parent);
  EXPECT_TRUE(ts[0].refused);
  EXPECT_EQ(timeouts_broadcast(fx), 1u);
}

TEST_F(BlockTimestampTest, ParentPlusOneBeyondTwiceTheAllowanceIsRefused) {
  // The bound on drift: however many blocks follow at parent + 1 ms, none is
  // voted for more than 2 S ahead of the voter's clock.
  Replica r = make(0);
  const chain::BlockHeader b1 = child(genesis_, 1, now_ + 2 * kSkew);
  const QuorumCert qc1 = make_qc(set_, vote_data_for(b1, 0), {1, 2, 3});
  const chain::BlockHeader b2 = child(b1, 2, b1.timestamp_ms + 1);
  auto fx = fetch_parent_then(r, b1, propose(b2, qc1));
  expect_kept_without_vote(r, fx);
  auto ts = all_of<ProposalTimestamp>(fx);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_TRUE(ts[0].follows_parent);
  EXPECT_TRUE(ts[0].refused);
}

TEST_F(BlockTimestampTest, IdleIntervalCountsFromWhenTheParentWasSeenIfStampedAhead) {
  // Round 2's leader receives block 1 stamped 5 s ahead of its clock. With
  // nothing to propose it may add an empty block one idle interval after it
  // saw block 1, not 5 s + the interval later.
  Replica r = make(2);
  const chain::BlockHeader b1 = child(genesis_, 1, now_ + 5000);
  auto fx = receive(r, 1, propose(b1, root_qc_));
  ASSERT_EQ(all_of<ExecuteBlock>(fx).size(), 1u);
  (void)r.step(BlockExecuted{b1.id(), b1, std::nullopt, now_});
  std::vector<Effect> all;
  for (std::uint32_t who : {0u, 1u}) {
    fx = receive(r, who, sign_vote(key_for(who), vote_data_for(b1, 0)));
    all.insert(all.end(), fx.begin(), fx.end());
  }
  ASSERT_EQ(r.round(), 2u);
  auto wake = all_of<WakeAt>(all);
  ASSERT_EQ(wake.size(), 1u);
  EXPECT_EQ(wake[0].time_ms, now_ + 200);
  auto build = all_of<BuildProposal>(all);
  ASSERT_EQ(build.size(), 1u);
  EXPECT_EQ(build[0].min_timestamp_ms, b1.timestamp_ms + 1) << "the chain stays monotonic";
}

}  // namespace
}  // namespace bauhinia::consensus
