#include "bauhinia/loadgen/commit_tracker.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace bauhinia::loadgen {
namespace {

using std::chrono::milliseconds;

core::Hash256 id(std::uint8_t n) {
  core::Hash256::Array a{};
  a[0] = n;
  a[31] = 0xEE;
  return core::Hash256(a);
}

TEST(CommitTracker, LatencyFromFirstSendToBlockSeen) {
  CommitTracker t(8);
  const Clock::time_point t0{};
  t.on_sent(id(1), t0);
  t.on_sent(id(2), t0 + milliseconds(10));
  t.on_sent(id(1), t0 + milliseconds(50));  // a resubmission keeps the first time
  EXPECT_EQ(t.sent(), 2U);
  EXPECT_EQ(t.committed(), 0U);
  EXPECT_EQ(t.committed_per_second(), 0.0);

  const std::vector<core::Hash256> block{id(1), id(9), id(2)};
  EXPECT_EQ(t.on_block(block, t0 + milliseconds(250)), 2U);
  EXPECT_EQ(t.committed(), 2U);
  EXPECT_EQ(t.foreign(), 1U);
  EXPECT_TRUE(t.is_committed(id(1)));
  EXPECT_FALSE(t.is_committed(id(9)));
  const LatencySummary s = t.latencies().summary();
  EXPECT_EQ(s.count, 2U);
  EXPECT_EQ(s.min_us, 240'000U);
  EXPECT_EQ(s.max_us, 250'000U);
  // 2 commits over 250 ms from the first send.
  EXPECT_DOUBLE_EQ(t.committed_per_second(), 8.0);
}

TEST(CommitTracker, ACommitIsCountedOnce) {
  CommitTracker t;
  const Clock::time_point t0{};
  t.on_sent(id(1), t0);
  const std::vector<core::Hash256> block{id(1)};
  EXPECT_EQ(t.on_block(block, t0 + milliseconds(100)), 1U);
  EXPECT_EQ(t.on_block(block, t0 + milliseconds(900)), 0U);
  EXPECT_EQ(t.committed(), 1U);
  EXPECT_EQ(t.latencies().count(), 1U);
  ASSERT_TRUE(t.last_commit());
  EXPECT_EQ(*t.last_commit(), t0 + milliseconds(100));
}

TEST(CommitTracker, TimelineCountsCommitsPerSecond) {
  CommitTracker t;
  const Clock::time_point t0{};
  for (std::uint8_t n = 0; n < 6; ++n) t.on_sent(id(n), t0);
  const std::vector<core::Hash256> a{id(0), id(1)};
  const std::vector<core::Hash256> b{id(2)};
  const std::vector<core::Hash256> c{id(3), id(4), id(5)};
  t.on_block(a, t0 + milliseconds(300));
  t.on_block(b, t0 + milliseconds(900));
  t.on_block(c, t0 + milliseconds(2100));
  EXPECT_EQ(t.committed_timeline(), (std::vector<std::uint64_t>{3, 0, 3}));
  EXPECT_EQ(t.latencies().summary().p50_us, 900'000U);
  EXPECT_DOUBLE_EQ(t.committed_per_second(), 6 / 2.1);
}

TEST(CommitTracker, LatenciesByTheMinuteOfFirstSend) {
  CommitTracker t;
  const Clock::time_point t0{};
  using std::chrono::minutes;
  t.on_sent(id(1), t0);
  t.on_sent(id(2), t0 + minutes(2) + milliseconds(5));
  t.on_sent(id(3), t0 + minutes(2) + milliseconds(10));
  t.on_sent(id(4), t0 + minutes(1));  // never committed: minute 1 stays empty
  // id(1) commits late, in minute 2: it still counts in minute 0, when it was sent.
  const std::vector<core::Hash256> block{id(1), id(2), id(3)};
  t.on_block(block, t0 + minutes(2) + milliseconds(110));
  const auto& m = t.latencies_by_minute();
  ASSERT_EQ(m.size(), 3U);
  EXPECT_EQ(m[0].count(), 1U);
  EXPECT_EQ(m[0].summary().max_us, 120'110'000U);
  EXPECT_EQ(m[1].count(), 0U);
  EXPECT_EQ(m[2].count(), 2U);
  EXPECT_EQ(m[2].summary().min_us, 100'000U);
  EXPECT_EQ(m[2].summary().max_us, 105'000U);
}

TEST(CommitTracker, OnlyForeignTransactions) {
  CommitTracker t;
  const std::vector<core::Hash256> block{id(1), id(2)};
  EXPECT_EQ(t.on_block(block, Clock::time_point{}), 0U);
  EXPECT_EQ(t.foreign(), 2U);
  EXPECT_FALSE(t.last_commit());
  EXPECT_TRUE(t.committed_timeline().empty());
  EXPECT_TRUE(t.latencies_by_minute().empty());
}

}  // namespace
}  // namespace bauhinia::loadgen
