#include "bauhinia/loadgen/latency.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace bauhinia::loadgen {
namespace {

TEST(Percentile, NearestRankOnOneToHundred) {
  std::vector<std::uint64_t> v;
  for (std::uint64_t i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(percentile(v, 1), 1U);
  EXPECT_EQ(percentile(v, 50), 50U);
  EXPECT_EQ(percentile(v, 90), 90U);
  EXPECT_EQ(percentile(v, 99), 99U);
  EXPECT_EQ(percentile(v, 99.5), 100U);
  EXPECT_EQ(percentile(v, 100), 100U);
}

TEST(Percentile, SmallSamples) {
  EXPECT_EQ(percentile({}, 50), 0U);
  EXPECT_EQ(percentile({7}, 1), 7U);
  EXPECT_EQ(percentile({7}, 100), 7U);
  // Ranks ceil(0.5 * 4) = 2, ceil(0.9 * 4) = 4.
  const std::vector<std::uint64_t> four{10, 20, 30, 40};
  EXPECT_EQ(percentile(four, 50), 20U);
  EXPECT_EQ(percentile(four, 90), 40U);
  // Rank ceil(0.99 * 1000) = 990 exactly, despite 0.99 not being exact in binary.
  std::vector<std::uint64_t> thousand(1000);
  for (std::size_t i = 0; i < thousand.size(); ++i) thousand[i] = i + 1;
  EXPECT_EQ(percentile(thousand, 99), 990U);
  EXPECT_EQ(percentile(thousand, 99.9), 999U);
}

TEST(Percentile, DefinitionHoldsOnRandomSamples) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::uint64_t> v(1 + rng() % 500);
    for (auto& x : v) x = rng() % 1000;
    std::sort(v.begin(), v.end());
    for (double p : {1.0, 25.0, 50.0, 90.0, 99.0, 100.0}) {
      const std::uint64_t q = percentile(v, p);
      const auto at_most = static_cast<double>(std::upper_bound(v.begin(), v.end(), q) - v.begin());
      const auto below = static_cast<double>(std::lower_bound(v.begin(), v.end(), q) - v.begin());
      const double n = static_cast<double>(v.size());
      EXPECT_GE(at_most, p / 100 * n - 1e-9);  // at least p % are <= q
      EXPECT_LT(below, p / 100 * n);           // and q is the smallest such sample
    }
  }
}

TEST(LatencyRecorder, SummaryOfUnsortedSamples) {
  LatencyRecorder r;
  EXPECT_EQ(r.summary().count, 0U);
  EXPECT_EQ(r.summary().max_us, 0U);
  for (std::uint64_t us : {500, 100, 400, 200, 300}) r.add(us);
  const LatencySummary s = r.summary();
  EXPECT_EQ(s.count, 5U);
  EXPECT_EQ(s.min_us, 100U);
  EXPECT_EQ(s.max_us, 500U);
  EXPECT_EQ(s.mean_us, 300U);
  EXPECT_EQ(s.p50_us, 300U);
  EXPECT_EQ(s.p90_us, 500U);
  EXPECT_EQ(s.p99_us, 500U);
}

}  // namespace
}  // namespace bauhinia::loadgen
