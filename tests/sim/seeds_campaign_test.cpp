// The CI campaign: hundreds of seeds with f Byzantine validators and every
// fault kind must pass every checker. BAUHINIA_LONG=1 runs thousands of seeds
// for n = 4, 7 and 10 (docs/simulator.md records a long campaign's figures).
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

void campaign(std::uint32_t n, std::uint64_t seeds, std::uint64_t first_seed) {
  SimConfig c;
  c.validators = n;
  c.byzantine = c.max_faulty();
  c.rounds = 40;
  const CampaignSummary sum =
      run_campaign(c, first_seed, seeds, 2, false, [&](const SimConfig& cfg, const RunResult& r) {
        if (!r.ok()) {
          ADD_FAILURE() << summary_line(r) << "\n  scenario: " << r.scenario
                        << "\n  replay: " << replay_command(cfg);
        }
      });
  std::cout << "n=" << n << " byzantine=" << c.byzantine << ": " << sum.seeds << " seeds, "
            << sum.blocks << " blocks, " << sum.transactions << " txs, " << sum.crashes
            << " crashes, " << sum.partitions << " partitions, " << sum.failed << " violations\n";
  EXPECT_EQ(sum.seeds, seeds);
  EXPECT_EQ(sum.failed, 0u);
  EXPECT_GT(sum.blocks, seeds * 10);  // every seed commits (liveness is also checked per seed)
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

}  // namespace
}  // namespace bauhinia::sim
