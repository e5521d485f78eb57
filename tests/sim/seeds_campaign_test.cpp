// The CI campaign: hundreds of seeds with f Byzantine validators and every
// fault kind must pass every checker, also with governance changing the
// validator set (epoch changes) under those faults. BAUHINIA_LONG=1 runs
// thousands of seeds for n = 4, 7 and 10 (docs/simulator.md records a long
// campaign's figures).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "bauhinia/sim/campaign.hpp"
#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {
namespace {

bool long_run() {
  const char* v = std::getenv("BAUHINIA_LONG");
  return v != nullptr && std::string(v) == "1";
}

CampaignSummary campaign(std::uint32_t n, std::uint64_t seeds, std::uint64_t first_seed,
                         std::uint32_t governance = 0) {
  SimConfig c;
  c.validators = n;
  c.byzantine = c.max_faulty();
  c.rounds = 40;
  c.governance = governance;
  const CampaignSummary sum =
      run_campaign(c, first_seed, seeds, 2, false, [&](const SimConfig& cfg, const RunResult& r) {
        if (!r.ok()) {
          ADD_FAILURE() << summary_line(r) << "\n  scenario: " << r.scenario
                        << "\n  replay: " << replay_command(cfg);
        }
      });
  std::cout << "n=" << n << " byzantine=" << c.byzantine << ": " << sum.seeds << " seeds, "
            << sum.blocks << " blocks, " << sum.transactions << " txs, " << sum.crashes
            << " crashes, " << sum.partitions << " partitions, " << sum.failed << " violations, "
            << sum.epoch_changes << " epoch changes in " << sum.seeds_with_epoch_changes
            << " seeds\n";
  EXPECT_EQ(sum.seeds, seeds);
  EXPECT_EQ(sum.failed, 0u);
  EXPECT_GT(sum.blocks, seeds * 10);  // every seed commits (liveness is also checked per seed)
  if (governance == 0) {
    EXPECT_EQ(sum.epoch_changes, 0u);
  }
  return sum;
}

// Governance: department admins add a standby validator, then remove one
// (Byzantine or honest, keeping at most f Byzantine), ... through the system
// module; each change ends an epoch under the same faults and Byzantine
// behaviours. Nearly every seed completes its changes within its 40 rounds.
void governance_campaign(std::uint32_t n, std::uint64_t seeds, std::uint64_t first_seed,
                         std::uint32_t changes) {
  const CampaignSummary sum = campaign(n, seeds, first_seed, changes);
  EXPECT_GE(sum.seeds_with_epoch_changes * 10, seeds * 9);
  EXPECT_GE(sum.epoch_changes * 10, seeds * changes * 8);
}

TEST(Campaign, FourValidatorsOneByzantine) {
  campaign(4, long_run() ? 2000 : 200, 1'000'000);
}

TEST(Campaign, SevenValidatorsTwoByzantine) {
  campaign(7, long_run() ? 1000 : 100, 2'000'000);
}

TEST(Campaign, TenValidatorsThreeByzantine) {
  campaign(10, long_run() ? 500 : 10, 3'000'000);  // a short run, not a skip, by default
}

TEST(Campaign, FourValidatorsOneByzantineWithGovernance) {
  governance_campaign(4, long_run() ? 1000 : 60, 4'000'000, 2);
}

TEST(Campaign, SevenValidatorsTwoByzantineWithGovernance) {
  governance_campaign(7, long_run() ? 500 : 20, 5'000'000, 2);
}

}  // namespace
}  // namespace bauhinia::sim
