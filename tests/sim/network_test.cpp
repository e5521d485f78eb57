#include "bauhinia/sim/network.hpp"

#include <gtest/gtest.h>

namespace bauhinia::sim {
namespace {

TEST(SimNetwork, CalmNetworkDeliversEverythingOnceWithinTheDelayRange) {
  SimNetwork net(4, Prng(1));
  net.set_faults(calm_network());
  for (int i = 0; i < 1000; ++i) {
    auto d = net.plan_delivery(0, 1);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_GE(d[0], calm_network().delay_min_ms);
    EXPECT_LE(d[0], calm_network().delay_max_ms);
  }
  EXPECT_EQ(net.stats().lost, 0u);
}

TEST(SimNetwork, LossDuplicationAndHoldFollowTheirRates) {
  SimNetwork net(2, Prng(2));
  NetworkFaults f;
  f.loss_ppm = 100'000;      // 10%
  f.duplicate_ppm = 50'000;  // 5%
  f.hold_ppm = 200'000;      // 20%
  f.hold_max_ms = 1000;
  net.set_faults(f);
  for (int i = 0; i < 20'000; ++i) (void)net.plan_delivery(0, 1, static_cast<std::uint64_t>(i));
  const auto& s = net.stats();
  EXPECT_NEAR(static_cast<double>(s.lost), 2'000, 300);
  EXPECT_NEAR(static_cast<double>(s.duplicated), 900, 200);  // 5% of the 90% not lost
  EXPECT_GT(s.held, 3'000u);
}

TEST(SimNetwork, SelfDeliveryIsImmediateAndNeverLost) {
  SimNetwork net(2, Prng(3));
  NetworkFaults f;
  f.loss_ppm = kPpmOne;
  net.set_faults(f);
  auto d = net.plan_delivery(1, 1);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], 0u);
  EXPECT_TRUE(net.plan_delivery(0, 1).empty());
}

TEST(SimNetwork, SymmetricPartitionCutsBothDirectionsUntilHealed) {
  SimNetwork net(4, Prng(4));
  net.partition({0, 0, 1, 1});
  EXPECT_TRUE(net.partitioned());
  EXPECT_TRUE(net.link_up(0, 1));
  EXPECT_TRUE(net.link_up(3, 2));
  EXPECT_FALSE(net.link_up(0, 2));
  EXPECT_FALSE(net.link_up(2, 0));
  EXPECT_TRUE(net.plan_delivery(1, 3).empty());
  EXPECT_EQ(net.stats().cut, 1u);
  net.heal();
  EXPECT_FALSE(net.partitioned());
  EXPECT_TRUE(net.link_up(0, 2));
}

TEST(SimNetwork, OneWayPartitionCutsOnlyOneDirection) {
  SimNetwork net(3, Prng(5));
  net.cut_one_way({true, false, false});
  EXPECT_FALSE(net.link_up(0, 1));
  EXPECT_FALSE(net.link_up(0, 2));
  EXPECT_TRUE(net.link_up(1, 0));
  EXPECT_TRUE(net.link_up(1, 2));
  EXPECT_EQ(net.describe_partition(), "0-x>1 0-x>2");
}

TEST(SimNetwork, ASendersCapacityIsBounded) {
  SimNetwork net(2, Prng(7));
  int sent = 0;
  for (int i = 0; i < 3 * static_cast<int>(kSendBurst); ++i) {
    sent += net.plan_delivery(0, 1, 100).empty() ? 0 : 1;
  }
  EXPECT_EQ(sent, static_cast<int>(kSendBurst));
  EXPECT_EQ(net.stats().throttled, 2 * kSendBurst);
  EXPECT_FALSE(net.plan_delivery(0, 1, 101).empty());  // refilled with time
  EXPECT_FALSE(net.plan_delivery(1, 0, 100).empty());  // other senders unaffected
}

TEST(SimNetwork, SameSeedSamePlan) {
  NetworkFaults f;
  f.loss_ppm = 300'000;
  f.duplicate_ppm = 300'000;
  f.delay_max_ms = 500;
  SimNetwork a(3, Prng(6)), b(3, Prng(6));
  a.set_faults(f);
  b.set_faults(f);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(a.plan_delivery(0, 2), b.plan_delivery(0, 2));
}

}  // namespace
}  // namespace bauhinia::sim
