#include "bauhinia/sim/safety_checkers.hpp"

#include <gtest/gtest.h>

namespace bauhinia::sim {
namespace {

Hash256 h(std::uint8_t b) {
  Hash256 x;
  x.bytes()[0] = b;
  x.bytes()[31] = 1;
  return x;
}

TEST(AgreementChecker, SameBlockAtAHeightIsFineADifferentOneIsAViolation) {
  ViolationLog log;
  AgreementChecker c(log);
  c.on_commit(0, 1, h(1), 10);
  c.on_commit(1, 1, h(1), 11);
  c.on_commit(1, 2, h(2), 12);
  EXPECT_FALSE(log.any());
  EXPECT_EQ(c.highest(), 2u);
  c.on_commit(2, 2, h(9), 13);
  ASSERT_TRUE(log.any());
  EXPECT_EQ(log.all()[0].kind, ViolationKind::kAgreement);
  EXPECT_EQ(log.all()[0].time_ms, 13u);
}

TEST(HistoryChecker, GrowsOneHeightAtATime) {
  ViolationLog log;
  HistoryChecker c(log, 2);
  c.on_commit(0, 1, h(1), 1);
  c.on_commit(0, 2, h(2), 2);
  c.on_commit(0, 2, h(2), 3);  // repeated: harmless
  EXPECT_FALSE(log.any());
  EXPECT_EQ(c.committed_height(0), 2u);
  c.on_commit(0, 4, h(4), 4);
  ASSERT_TRUE(log.any());
  EXPECT_EQ(log.all()[0].kind, ViolationKind::kHistory);
}

TEST(HistoryChecker, RewriteIsAViolation) {
  ViolationLog log;
  HistoryChecker c(log, 1);
  c.on_commit(0, 1, h(1), 1);
  c.on_commit(0, 1, h(7), 2);
  ASSERT_EQ(log.all().size(), 1u);
  EXPECT_EQ(log.all()[0].kind, ViolationKind::kHistory);
}

TEST(HistoryChecker, RestartMustKeepEverythingCommitted) {
  ViolationLog log;
  HistoryChecker c(log, 3);
  for (NodeId r = 0; r < 3; ++r) {
    c.on_commit(r, 1, h(1), 1);
    c.on_commit(r, 2, h(2), 1);
  }
  c.on_restart(0, {h(1), h(2), h(3)}, 5);  // more is fine (applied before the crash)
  EXPECT_FALSE(log.any());
  EXPECT_EQ(c.committed_height(0), 3u);
  c.on_restart(1, {h(1)}, 6);  // lost a committed block
  ASSERT_EQ(log.all().size(), 1u);
  c.on_restart(2, {h(1), h(5)}, 7);  // a different block
  ASSERT_EQ(log.all().size(), 2u);
  EXPECT_EQ(log.all()[1].kind, ViolationKind::kHistory);
}

TEST(DoubleSignChecker, TwoDifferentVotesInOneRound) {
  ViolationLog log;
  DoubleSignChecker c(log, 4);
  c.on_vote(1, 1, 5, h(1), 1);
  c.on_vote(1, 1, 5, h(1), 2);  // the same vote again is fine
  c.on_vote(2, 1, 5, h(2), 3);  // another validator
  c.on_vote(1, 1, 6, h(3), 4);  // another round
  c.on_vote(1, 2, 5, h(4), 5);  // another epoch
  EXPECT_FALSE(log.any());
  c.on_vote(1, 1, 5, h(9), 6);
  ASSERT_TRUE(log.any());
  EXPECT_EQ(log.all()[0].kind, ViolationKind::kDoubleSign);
  EXPECT_EQ(c.votes_seen(), 6u);
}

TEST(DoubleSignChecker, VoteAfterTimeoutInTheSameRound) {
  ViolationLog log;
  DoubleSignChecker c(log, 4);
  c.on_vote(0, 1, 3, h(1), 1);
  c.on_timeout(0, 1, 3, 2);
  c.on_vote(0, 1, 3, h(1), 3);  // re-sending the vote signed before the timeout is fine
  c.on_timeout(1, 1, 3, 4);
  c.on_timeout(1, 1, 3, 5);  // timeouts may be re-signed (a higher QC)
  EXPECT_FALSE(log.any());
  c.on_vote(1, 1, 3, h(1), 6);
  ASSERT_TRUE(log.any());
  EXPECT_EQ(log.all()[0].kind, ViolationKind::kDoubleSign);
}

}  // namespace
}  // namespace bauhinia::sim
