#include "bauhinia/mempool/admission_budget.hpp"

#include <gtest/gtest.h>

namespace bauhinia::mempool {
namespace {

constexpr std::uint64_t kT0 = 1'000'000;

TEST(AdmissionBudget, RefusesBeyondTheBurstThenRefillsAtTheRate) {
  AdmissionBudget b({.rate_per_s = 100, .burst = 5, .max_backlog = 0});
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(b.try_admit(kT0, 0)) << i;
  auto refused = b.try_admit(kT0, 0);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->rejection.error, MempoolError::kOverloaded);
  EXPECT_NE(refused->rejection.detail.find("100 transactions per second"), std::string::npos);
  EXPECT_EQ(refused->retry_after_s, 1U);
  // 100 per second: one token per 10 ms.
  EXPECT_TRUE(b.try_admit(kT0 + 9, 0));
  EXPECT_FALSE(b.try_admit(kT0 + 10, 0));
  EXPECT_TRUE(b.try_admit(kT0 + 10, 0));
  // A long pause refills up to the burst, no more.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(b.try_admit(kT0 + 60'000, 0)) << i;
  EXPECT_TRUE(b.try_admit(kT0 + 60'000, 0));
  const auto s = b.stats();
  EXPECT_EQ(s.passed, 11U);
  EXPECT_EQ(s.refused_rate, 4U);
  EXPECT_EQ(s.refused_backlog, 0U);
}

TEST(AdmissionBudget, SlowRatesAskForLongerWaits) {
  AdmissionBudget b({.rate_per_s = 1, .burst = 1, .max_backlog = 0});
  EXPECT_FALSE(b.try_admit(kT0, 0));
  auto refused = b.try_admit(kT0 + 100, 0);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->retry_after_s, 1U);  // 900 ms missing: rounded up to a second
  EXPECT_FALSE(b.try_admit(kT0 + 1000, 0));
}

TEST(AdmissionBudget, ABacklogRefusesWithoutTakingTokens) {
  AdmissionBudget b({.rate_per_s = 1000, .burst = 2, .max_backlog = 50});
  auto refused = b.try_admit(kT0, 50);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->rejection.error, MempoolError::kOverloaded);
  EXPECT_NE(refused->rejection.detail.find("the node is behind"), std::string::npos);
  EXPECT_GE(refused->retry_after_s, 1U);
  EXPECT_TRUE(b.try_admit(kT0, 1'000'000));
  // The tokens are still there once the backlog drains.
  EXPECT_FALSE(b.try_admit(kT0, 49));
  EXPECT_FALSE(b.try_admit(kT0, 0));
  EXPECT_TRUE(b.try_admit(kT0, 0));
  EXPECT_EQ(b.stats().refused_backlog, 2U);
}

TEST(AdmissionBudget, ZeroMeansNoLimit) {
  AdmissionBudget b({.rate_per_s = 0, .burst = 1, .max_backlog = 0});
  for (int i = 0; i < 100'000; ++i) ASSERT_FALSE(b.try_admit(kT0, 1'000'000));
  EXPECT_EQ(b.stats().passed, 100'000U);
}

TEST(AdmissionBudget, AClockGoingBackwardsGivesNoTokens) {
  AdmissionBudget b({.rate_per_s = 10, .burst = 1, .max_backlog = 0});
  EXPECT_FALSE(b.try_admit(kT0, 0));
  EXPECT_TRUE(b.try_admit(kT0 - 5'000, 0));
  EXPECT_TRUE(b.try_admit(kT0 + 50, 0));  // measured from kT0, not from the earlier time
  EXPECT_FALSE(b.try_admit(kT0 + 100, 0));
}

}  // namespace
}  // namespace bauhinia::mempool
