#include "bauhinia/sim/prng.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace bauhinia::sim {
namespace {

TEST(SplitMix64, KnownFirstOutputs) {
  // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
  std::uint64_t s = 0;
  EXPECT_EQ(splitmix64(s), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(splitmix64(s), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(splitmix64(s), 0x06C45D188009454FULL);
}

TEST(Prng, SameSeedSameSequenceOtherSeedOther) {
  Prng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs |= x != c.next_u64();
  }
  EXPECT_TRUE(differs);
}

TEST(Prng, BelowStaysInRangeAndCoversIt) {
  Prng p(7);
  std::array<int, 10> counts{};
  for (int i = 0; i < 100'000; ++i) {
    const std::uint64_t v = p.below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) {  // each bucket near 10,000 (far outside 6 sigma fails)
    EXPECT_GT(c, 9'000);
    EXPECT_LT(c, 11'000);
  }
  EXPECT_EQ(p.below(1), 0u);
}

TEST(Prng, BetweenIsInclusive) {
  Prng p(9);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = p.between(3, 5);
    ASSERT_GE(v, 3u);
    ASSERT_LE(v, 5u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(p.between(8, 8), 8u);
}

TEST(Prng, ChancePpmMatchesProbability) {
  Prng p(11);
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) hits += p.chance_ppm(250'000) ? 1 : 0;
  EXPECT_GT(hits, 24'000);
  EXPECT_LT(hits, 26'000);
  EXPECT_FALSE(p.chance_ppm(0));
  EXPECT_TRUE(p.chance_ppm(kPpmOne));
}

TEST(Prng, ForkedStreamsAreIndependentOfParentDraws) {
  Prng a(5);
  Prng b(5);
  for (int i = 0; i < 17; ++i) b.next_u64();  // drawing from the parent...
  Prng fa = a.fork(3), fb = b.fork(3);        // ...does not shift a fork
  for (int i = 0; i < 100; ++i) EXPECT_EQ(fa.next_u64(), fb.next_u64());
  Prng other = a.fork(4);
  EXPECT_NE(a.fork(3).next_u64(), other.next_u64());
}

}  // namespace
}  // namespace bauhinia::sim
