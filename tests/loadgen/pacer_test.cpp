#include "bauhinia/loadgen/pacer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>

namespace bauhinia::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(Pacer, UnlimitedReleasesEverythingAtOnce) {
  const Pacer p(0);
  EXPECT_TRUE(p.unlimited());
  EXPECT_EQ(p.due_count(nanoseconds(0)), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(p.due_at(123456), nanoseconds(0));
}

TEST(Pacer, FirstIsDueAtOnceThenOnePerPeriod) {
  const Pacer p(1000);  // one every millisecond
  EXPECT_EQ(p.due_count(nanoseconds(-5)), 1U);
  EXPECT_EQ(p.due_count(nanoseconds(0)), 1U);
  EXPECT_EQ(p.due_count(nanoseconds(999'999)), 1U);
  EXPECT_EQ(p.due_count(milliseconds(1)), 2U);
  EXPECT_EQ(p.due_count(milliseconds(10)), 11U);
  EXPECT_EQ(p.due_count(seconds(60)), 60'001U);
  EXPECT_EQ(p.due_at(0), nanoseconds(0));
  EXPECT_EQ(p.due_at(1), milliseconds(1));
  EXPECT_EQ(p.due_at(60'000), seconds(60));
}

TEST(Pacer, DueAtIsTheFirstInstantTheCountPassesN) {
  // Rates that do not divide a second evenly: check the defining property.
  for (std::uint64_t rate : {1ULL, 3ULL, 7ULL, 999ULL, 8000ULL, 12'345ULL, 10'000'000ULL}) {
    const Pacer p(rate);
    for (std::uint64_t n : {1ULL, 2ULL, 5ULL, 1000ULL, 123'457ULL, 50'000'000ULL}) {
      const nanoseconds at = p.due_at(n);
      EXPECT_GT(p.due_count(at), n) << "rate " << rate << " n " << n;
      EXPECT_LE(p.due_count(at - nanoseconds(1)), n) << "rate " << rate << " n " << n;
    }
  }
}

TEST(Pacer, AverageRateOverLongRunsIsExact) {
  const Pacer p(8000);
  EXPECT_EQ(p.due_count(seconds(3600)), 8000U * 3600 + 1);
  const Pacer q(7);
  EXPECT_EQ(q.due_count(seconds(3)), 22U);
  EXPECT_EQ(q.due_count(milliseconds(3142)), 22U);  // floor(21.994) + 1
}

TEST(Pacer, HugeElapsedTimeDoesNotOverflow) {
  const Pacer p(kMaxRatePerSecond);
  const nanoseconds far(std::numeric_limits<std::int64_t>::max());
  // floor(9223372036.854775807 s * 1e7 / s) + 1
  EXPECT_EQ(p.due_count(far), 92'233'720'368'547'759ULL);
}

}  // namespace
}  // namespace bauhinia::loadgen
