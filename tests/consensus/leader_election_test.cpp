// Leader election: deterministic, every validator leads, weighted by power.
#include "bauhinia/consensus/leader_election.hpp"

#include "bauhinia/consensus/replica.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

TEST(LeaderElectionTest, RoundRobinCyclesThroughTheSet) {
  const auto set = make_set({5, 1, 1, 1});
  const auto e = make_round_robin_election();
  for (Round r = 0; r < 40; ++r) EXPECT_EQ(e->leader_index(3, r, set), r % 4);
}

TEST(LeaderElectionTest, WeightedFollowsVotingPowerAndIsDeterministic) {
  const auto set = make_set({6, 2, 1, 1});  // 60 %, 20 %, 10 %, 10 %
  const auto e = make_weighted_election();
  std::vector<int> counts(4, 0);
  constexpr int kRounds = 4000;
  for (Round r = 1; r <= kRounds; ++r) {
    const std::size_t i = e->leader_index(0, r, set);
    ASSERT_LT(i, 4u);
    EXPECT_EQ(i, e->leader_index(0, r, set));
    ++counts[i];
  }
  EXPECT_NEAR(counts[0], kRounds * 0.6, kRounds * 0.05);
  EXPECT_NEAR(counts[1], kRounds * 0.2, kRounds * 0.05);
  EXPECT_NEAR(counts[2], kRounds * 0.1, kRounds * 0.05);
  EXPECT_NEAR(counts[3], kRounds * 0.1, kRounds * 0.05);
  // Another epoch draws another sequence.
  int same = 0;
  for (Round r = 1; r <= 200; ++r) same += e->leader_index(0, r, set) == e->leader_index(1, r, set);
  EXPECT_LT(same, 200);
}

TEST(LeaderElectionTest, ReplicaUsesTheElectionItIsGiven) {
  // The replica takes the election as a parameter; every replica must use the same.
  const auto set = make_set({3, 1, 1, 1});
  const auto e = make_weighted_election();
  std::vector<std::size_t> leaders;
  for (Round r = 1; r <= 8; ++r) leaders.push_back(e->leader_index(0, r, set));
  Replica replica(ReplicaConfig{kChainId}, key_for(0), genesis_recovery(set), SafetyState{}, e);
  (void)replica.step(Start{5000});
  for (Round r = 1; r <= 8; ++r) {
    EXPECT_EQ(replica.leader_of(r), set.validators[leaders[r - 1]].key);
  }
}

}  // namespace
}  // namespace bauhinia::consensus
