// Leader reputation (ADR 0008) under Byzantine validators and every fault
// kind. The regression: seed 2 of n=7 with two fork-leader validators stalled
// for good (honest replicas with committed roots at heights 1 and 2 drew
// leaders from different windows and never agreed again; a stall fallback
// keyed on the high QC switched back to reputation after a single QC). A root
// below the lag point now elects round-robin. Then a small campaign with
// reputation leaders, f Byzantine validators and every behaviour.
// BAUHINIA_LONG=1 runs more seeds.
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

constexpr const char* kAllFaults = "loss,dup,delay,reorder,partition,asymmetric,crash";

// bauhinia-sim --validators 7 --byzantine 2 --first-seed 2 --rounds 40
//   --faults loss,dup,delay,reorder,partition,asymmetric,crash
//   --behaviours fork-leader --reputation-leaders
TEST(ReputationLeaders, ForkLeaderSeedTwoRecovers) {
  SimConfig c;
  c.seed = 2;
  c.validators = 7;
  c.byzantine = 2;
  c.rounds = 40;
  c.faults = *FaultSet::parse(kAllFaults);
  c.behaviours = *BehaviourSet::parse("fork-leader");
  c.reputation_leaders = true;
  const RunResult r = run_simulation(c);
  std::cout << summary_line(r) << "\n";
  ASSERT_TRUE(r.ok()) << summary_line(r) << "\n  replay: " << replay_command(c);
  // It used to stop at height 2 (2 blocks): it commits well past the faults.
  EXPECT_GE(r.blocks, 10u) << summary_line(r);
}

void campaign(std::uint32_t n, std::uint64_t seeds, std::uint64_t rounds) {
  SimConfig c;
  c.validators = n;
  c.byzantine = c.max_faulty();
  c.rounds = rounds;  // past the lag and the window, where reputation elects
  c.faults = *FaultSet::parse(kAllFaults);
  c.reputation_leaders = true;
  const CampaignSummary sum =
      run_campaign(c, 1, seeds, 2, false, [&](const SimConfig& cfg, const RunResult& r) {
        if (!r.ok()) {
          ADD_FAILURE() << summary_line(r) << "\n  scenario: " << r.scenario
                        << "\n  replay: " << replay_command(cfg);
        }
      });
  std::cout << "reputation n=" << n << " byzantine=" << c.byzantine << ": " << sum.seeds
            << " seeds, " << sum.blocks << " blocks, " << sum.failed << " violations\n";
  EXPECT_EQ(sum.seeds, seeds);
  EXPECT_EQ(sum.failed, 0u);
}

TEST(ReputationLeaders, FourValidatorsOneByzantine) {
  campaign(4, long_run() ? 500 : 6, 60);
}

TEST(ReputationLeaders, SevenValidatorsTwoByzantine) {
  campaign(7, long_run() ? 300 : 4, 60);
}

}  // namespace
}  // namespace bauhinia::sim
