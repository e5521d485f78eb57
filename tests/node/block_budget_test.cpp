// BlockBudget: how many transactions a leader puts in its next block.
#include "bauhinia/node/block_budget.hpp"

#include <gtest/gtest.h>

namespace bauhinia::node {
namespace {

using std::chrono::microseconds;

TEST(BlockBudget, NoBudgetOrNoSampleAllowsTheMaximum) {
  BlockBudget off(0, 5000);
  off.observe(1000, microseconds(10'000'000));  // 10 ms a transaction
  EXPECT_EQ(off.limit(), 5000U);

  const BlockBudget fresh(100, 5000);
  EXPECT_EQ(fresh.limit(), 5000U);
  EXPECT_EQ(fresh.micros_per_transaction(), 0.0);
}

TEST(BlockBudget, LimitIsTheBudgetOverTheMeasuredCost) {
  BlockBudget b(100, 5000);
  b.observe(1000, microseconds(200'000));  // 200 µs a transaction
  EXPECT_DOUBLE_EQ(b.micros_per_transaction(), 200.0);
  EXPECT_EQ(b.limit(), 500U);  // 100 ms / 200 µs
}

TEST(BlockBudget, MovingAverageFollowsTheCost) {
  BlockBudget b(100, 20000);
  b.observe(1000, microseconds(100'000));  // 100 µs
  for (int i = 0; i < 50; ++i) b.observe(1000, microseconds(25'000));  // then 25 µs
  EXPECT_NEAR(b.micros_per_transaction(), 25.0, 0.01);
  EXPECT_NEAR(b.limit(), 4000U, 2U);
  // One slow block moves the limit by its weight, not all the way.
  b.observe(1000, microseconds(1'000'000));  // 1 ms a transaction
  const double expected = BlockBudget::kWeight * 1000.0 + (1 - BlockBudget::kWeight) * 25.0;
  EXPECT_NEAR(b.micros_per_transaction(), expected, 0.5);
  EXPECT_LT(b.limit(), 4000U);
}

TEST(BlockBudget, ClampedBetweenTheFloorAndTheMaximum) {
  BlockBudget slow(10, 5000);
  slow.observe(100, microseconds(100'000'000));  // 1 s a transaction
  EXPECT_EQ(slow.limit(), BlockBudget::kMinLimit);

  BlockBudget fast(1000, 5000);
  fast.observe(1000, microseconds(1000));  // 1 µs a transaction
  EXPECT_EQ(fast.limit(), 5000U);

  BlockBudget tiny_max(10, 16);  // a maximum under the floor wins
  tiny_max.observe(100, microseconds(100'000'000));
  EXPECT_EQ(tiny_max.limit(), 16U);
}

TEST(BlockBudget, SmallBlocksAreNotSamples) {
  BlockBudget b(100, 5000);
  b.observe(BlockBudget::kMinSampleTransactions - 1, microseconds(10'000'000));
  EXPECT_EQ(b.micros_per_transaction(), 0.0);
  EXPECT_EQ(b.limit(), 5000U);
  b.observe(BlockBudget::kMinSampleTransactions, microseconds(BlockBudget::kMinSampleTransactions * 50));
  EXPECT_DOUBLE_EQ(b.micros_per_transaction(), 50.0);
}

}  // namespace
}  // namespace bauhinia::node
