// The rules behind catch-up retries and sync bounds (issue 9, items 4 and 5),
// driven with explicit times: token buckets, the core thread's inbox budget,
// and the catch-up scheduler's timeouts, back-off and choice of peers.
#include "bauhinia/node/sync_liveness.hpp"

#include <gtest/gtest.h>

#include <set>

namespace bauhinia::node {
namespace {

PeerKey key(std::uint8_t seed) {
  std::array<std::uint8_t, 32> s{};
  s[0] = seed;
  s[31] = 0x33;
  return core::ed25519::SecretKey::from_seed(s).public_key();
}

TEST(TokenBucket, AllowsTheBurstThenTheRate) {
  TokenBucket b(10, 3, 1000);
  EXPECT_TRUE(b.take(1000));
  EXPECT_TRUE(b.take(1000));
  EXPECT_TRUE(b.take(1000));
  EXPECT_FALSE(b.take(1000)) << "burst spent";
  EXPECT_FALSE(b.take(1050)) << "half a token after 50 ms at 10/s";
  EXPECT_TRUE(b.take(1100));
  EXPECT_FALSE(b.take(1100));
  // A long pause refills to the burst, not beyond.
  int taken = 0;
  while (b.take(100000)) ++taken;
  EXPECT_EQ(taken, 3);
  // A clock that steps back refills nothing.
  EXPECT_FALSE(b.take(50));
}

TEST(PeerRateLimiter, EachPeerHasItsOwnBucket) {
  PeerRateLimiter l(1, 2);
  EXPECT_TRUE(l.allow(key(1), 0));
  EXPECT_TRUE(l.allow(key(1), 0));
  EXPECT_FALSE(l.allow(key(1), 0));
  EXPECT_FALSE(l.allow(key(1), 500));
  EXPECT_TRUE(l.allow(key(2), 500)) << "another peer is not limited by the first";
  EXPECT_TRUE(l.allow(key(1), 1000));
  EXPECT_EQ(l.refused(), 2u);
  // A flood of 10,000 requests in one second gets burst + rate through.
  PeerRateLimiter f(10, 20);
  int allowed = 0;
  for (int i = 0; i < 10000; ++i) allowed += f.allow(key(3), static_cast<std::uint64_t>(i / 10));
  EXPECT_LE(allowed, 20 + 10 + 1);
  EXPECT_GE(allowed, 20);
}

TEST(InboundBudget, BoundsEachPeerAndTheTotalAndCountsDrops) {
  InboundBudgetLimits lim;
  lim.per_peer_messages = 3;
  lim.per_peer_bytes = 100;
  lim.total_messages = 5;
  lim.total_bytes = 150;
  InboundBudget b(lim);
  EXPECT_TRUE(b.acquire(key(1), 10));
  EXPECT_TRUE(b.acquire(key(1), 10));
  EXPECT_TRUE(b.acquire(key(1), 10));
  EXPECT_FALSE(b.acquire(key(1), 10)) << "per-peer count";
  EXPECT_TRUE(b.acquire(key(2), 90));
  EXPECT_FALSE(b.acquire(key(2), 20)) << "per-peer bytes";
  EXPECT_FALSE(b.acquire(key(3), 40)) << "total bytes (30 + 90 + 40 > 150)";
  EXPECT_TRUE(b.acquire(key(3), 30));
  EXPECT_FALSE(b.acquire(key(4), 1)) << "total count";
  EXPECT_EQ(b.stats().messages, 5u);
  EXPECT_EQ(b.stats().bytes, 150u);
  EXPECT_EQ(b.stats().dropped, 4u);
  EXPECT_EQ(b.take_dropped(key(1)), 1u);
  EXPECT_EQ(b.take_dropped(key(1)), 0u);
  // Released messages make room again.
  b.release(key(1), 10);
  EXPECT_TRUE(b.acquire(key(1), 10));
  for (int i = 0; i < 3; ++i) b.release(key(1), 10);
  b.release(key(2), 90);
  b.release(key(3), 30);
  EXPECT_EQ(b.stats().messages, 0u);
  EXPECT_EQ(b.stats().bytes, 0u);
  EXPECT_EQ(b.stats().peak_bytes, 150u);
}

class CatchUp : public ::testing::Test {
 protected:
  CatchUpConfig cfg() {
    CatchUpConfig c;
    c.request_timeout_ms = 1000;
    c.backoff_min_ms = 500;
    c.backoff_max_ms = 4000;
    return c;
  }
  CatchUpScheduler s{cfg()};
  std::vector<PeerKey> peers{key(1), key(2), key(3)};
};

TEST_F(CatchUp, ASilentPeerTimesOutAndTheNextRequestGoesToAnother) {
  EXPECT_FALSE(s.pick(0, peers)) << "nothing to catch up";
  s.want(50, key(2));
  ASSERT_EQ(s.pick(0, peers), key(2)) << "the replica's peer first";
  s.sent(key(2), 0);
  EXPECT_FALSE(s.pick(10, peers)) << "one request at a time";
  EXPECT_EQ(s.awaiting(), key(2));
  EXPECT_EQ(s.next_event_ms(10), 1000u);
  EXPECT_FALSE(s.expire(999));
  EXPECT_EQ(s.expire(1000), key(2));
  EXPECT_FALSE(s.awaiting());
  auto next = s.pick(1000, peers);
  ASSERT_TRUE(next);
  EXPECT_NE(*next, key(2));
  EXPECT_EQ(s.failures(), 1u);
}

// A peer whose connection drops with the request outstanding: the request
// ends then, not after the timeout (a rejoining node waited 8.9 s for it).
TEST_F(CatchUp, ARequestLostWithItsConnectionEndsAtOnce) {
  s.want(50, key(2));
  ASSERT_EQ(s.pick(0, peers), key(2));
  s.sent(key(2), 0);
  EXPECT_FALSE(s.lost(peers, 5)) << "still connected: still awaited";
  EXPECT_EQ(s.awaiting(), key(2));
  const std::vector<PeerKey> without{key(1), key(3)};
  EXPECT_EQ(s.lost(without, 10), key(2));
  EXPECT_FALSE(s.awaiting());
  EXPECT_EQ(s.failures(), 1u);
  auto next = s.pick(10, without);
  ASSERT_TRUE(next) << "another peer is asked well before the 1000 ms timeout";
  EXPECT_NE(*next, key(2));
  EXPECT_FALSE(s.lost(without, 11)) << "nothing outstanding: nothing lost";
}

TEST_F(CatchUp, PeersThatGiveNothingRestWithBackOffAndAllAreTriedInTurn) {
  s.want(50, std::nullopt);
  std::set<PeerKey> asked;
  std::uint64_t now = 0;
  for (int i = 0; i < 3; ++i) {
    auto p = s.pick(now, peers);
    ASSERT_TRUE(p);
    asked.insert(*p);
    s.sent(*p, now);
    s.answered(*p, /*progress=*/false, now);
    now += 1;
  }
  EXPECT_EQ(asked.size(), 3u) << "each peer asked once before any is asked again";
  EXPECT_FALSE(s.pick(now, peers)) << "all three rest";
  ASSERT_TRUE(s.next_event_ms(now));
  EXPECT_EQ(*s.next_event_ms(now), 500u);
  EXPECT_TRUE(s.pick(500, peers));
  // Failing again doubles the rest: 1,000 ms.
  const PeerKey p = *s.pick(500, peers);
  s.sent(p, 500);
  s.answered(p, false, 500);
  EXPECT_FALSE(s.pick(1499, {p}));
  EXPECT_EQ(s.pick(1500, {p}), p);
  // Rests are capped at backoff_max_ms.
  for (int i = 0; i < 10; ++i) s.send_failed(p, 2000);
  EXPECT_FALSE(s.pick(5999, {p}));
  EXPECT_EQ(s.pick(6000, {p}), p);
}

TEST_F(CatchUp, APeerThatDeliversIsAskedAgainAndADisconnectedHintIsSkipped) {
  s.want(50, key(9));  // not connected
  auto p = s.pick(0, peers);
  ASSERT_TRUE(p);
  EXPECT_NE(*p, key(9));
  s.sent(*p, 0);
  s.answered(*p, /*progress=*/true, 5);
  EXPECT_EQ(s.pick(5, peers), p);
  s.want(80, std::nullopt);
  EXPECT_EQ(s.target(), 80u);
  s.want(60, std::nullopt);
  EXPECT_EQ(s.target(), 80u) << "a target never shrinks";
  s.finish();
  EXPECT_FALSE(s.active());
  EXPECT_FALSE(s.pick(5, peers));
  EXPECT_FALSE(s.next_event_ms(5));
}

TEST_F(CatchUp, NoPeerConnectedWaitsWithoutFailing) {
  s.want(10, key(1));
  EXPECT_FALSE(s.pick(0, {}));
  EXPECT_EQ(s.failures(), 0u);
  EXPECT_EQ(s.pick(1, peers), key(1));
}

}  // namespace
}  // namespace bauhinia::node
