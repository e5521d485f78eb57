// Clock skew (issue 15 item 2, docs/consensus.md "Block timestamps"): on a calm
// simulated network, one validator's wrong clock costs at most its own rounds,
// and a leader stamping its blocks at the allowed limit (+10 s) does not make
// an honest leader's proposal refused anywhere. Throughput is compared in the
// run's logical time (deterministic), never in wall time.
#include <gtest/gtest.h>

#include <numeric>

#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {
namespace {

constexpr std::uint64_t kRounds = 60;

SimConfig calm(std::vector<std::int64_t> offsets) {
  SimConfig c;
  c.seed = 7;
  c.validators = 4;
  c.faults = FaultSet::none();
  c.rounds = kRounds;
  c.clock_offsets_ms = std::move(offsets);
  return c;
}

RunResult run(std::vector<std::int64_t> offsets) {
  const RunResult r = run_simulation(calm(std::move(offsets)));
  EXPECT_TRUE(r.ok()) << r.violation->to_string();
  EXPECT_GE(r.rounds, kRounds);
  return r;
}

// The exact-clock run, computed once for every comparison.
const RunResult& base_run() {
  static const RunResult base = run({});
  return base;
}

std::uint64_t refused_from(const RunResult& r, std::size_t validator) {
  return validator < r.timestamp_refusals.size() ? r.timestamp_refusals[validator] : 0;
}

std::uint64_t refused_total(const RunResult& r) {
  return std::accumulate(r.timestamp_refusals.begin(), r.timestamp_refusals.end(),
                         std::uint64_t{0});
}

// Committed blocks per logical second.
double rate(const RunResult& r) {
  return static_cast<double>(r.blocks) * 1000.0 / static_cast<double>(std::max<std::uint64_t>(
                                                     r.time_ms, 1));
}

TEST(ClockSkew, ExactClocksRefuseNothing) {
  const RunResult& base = base_run();
  EXPECT_EQ(refused_total(base), 0u);
  EXPECT_GE(base.blocks, kRounds - 5);  // two-chain commit: every round commits a block
}

TEST(ClockSkew, AValidatorThirtySecondsAheadCostsOnlyItsOwnRoundsAndBriefly) {
  const RunResult& base = base_run();
  const RunResult skewed = run({0, 0, 0, 30000});
  // Every proposal of validator 3 is refused by the three others, nothing else.
  EXPECT_GT(refused_from(skewed, 3), 0u);
  EXPECT_EQ(refused_total(skewed), refused_from(skewed, 3));
  // Its rounds are timed out at once rather than after the round timer
  // (1 s in the simulator; a quarter of all rounds): with the timer the run
  // would take more than 15 s of logical time for these 60 rounds.
  EXPECT_LT(skewed.time_ms, base.time_ms * 2) << "base " << base.time_ms << " ms";
  // The honest rounds still commit: at least half the blocks per second of
  // the exact cluster (a quarter of the rounds produce no block, and a
  // failed round delays the commit of its predecessor by one round).
  EXPECT_GT(rate(skewed), rate(base) / 2) << skewed.blocks << " blocks in " << skewed.time_ms
                                          << " ms vs " << base.blocks << " in " << base.time_ms;
}

TEST(ClockSkew, AValidatorThreeSecondsBehindChangesNothing) {
  const RunResult& base = base_run();
  const RunResult lagging = run({0, -3000, 0, 0});
  EXPECT_EQ(refused_total(lagging), 0u);
  EXPECT_GE(lagging.blocks, kRounds - 5);
  EXPECT_LT(lagging.time_ms, base.time_ms * 5 / 4) << "base " << base.time_ms << " ms";
}

TEST(ClockSkew, ALeaderAtTheAllowanceDoesNotStallHonestLeaders) {
  // Validator 0 stamps its blocks 10 s ahead, the most the others accept (a
  // Byzantine leader at the limit); validator 3's clock lags 2 s, so it
  // refuses those blocks (the other three certify them). Honest leaders after
  // them stamp parent + 1 ms, still ahead of validator 3's clock by more than
  // the allowance: the rule accepts that, so no honest proposal is refused.
  const RunResult& base = base_run();
  const RunResult r = run({10000, 0, 0, -2000});
  EXPECT_GT(refused_from(r, 0), 0u) << "validator 3 refuses the leader at +10 s";
  for (std::size_t v = 1; v < 4; ++v) EXPECT_EQ(refused_from(r, v), 0u) << "validator " << v;
  EXPECT_GE(r.blocks, kRounds - 5);
  EXPECT_LT(r.time_ms, base.time_ms * 5 / 4) << "base " << base.time_ms << " ms";
}

TEST(ClockSkew, OffsetsAreCheckedAndReplayed) {
  SimConfig c = calm({0, 0, 30000});
  EXPECT_FALSE(c.validate().ok()) << "one offset per validator";
  c.clock_offsets_ms = {0, 0, 0, 3'600'001};
  EXPECT_FALSE(c.validate().ok());
  c.clock_offsets_ms = {0, -3000, 0, 30000};
  EXPECT_TRUE(c.validate().ok());
  EXPECT_NE(replay_command(c).find(" --clock-offsets 0,-3000,0,30000 "), std::string::npos)
      << replay_command(c);
}

}  // namespace
}  // namespace bauhinia::sim
