#pragma once
// Many seeds of one configuration, optionally on several threads (each run is
// self-contained and deterministic, so the results do not depend on the
// thread count). Results are reported in seed order.

#include <cstdint>
#include <functional>
#include <string>

#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {

struct CampaignSummary {
  std::uint64_t seeds = 0;
  std::uint64_t failed = 0;
  std::uint64_t blocks = 0;
  std::uint64_t transactions = 0;
  std::uint64_t steps = 0;
  std::uint64_t crashes = 0;
  std::uint64_t partitions = 0;
  std::uint64_t epoch_changes = 0;  // governance-driven, summed over the seeds
  std::uint64_t seeds_with_epoch_changes = 0;
  std::uint64_t first_failed_seed = 0;  // valid when failed > 0
};

// Runs seeds first_seed .. first_seed + seeds - 1 with `base` (its seed is
// replaced). on_result is called in seed order from the calling thread.
// stop_at_first: no new seeds start after a violation.
CampaignSummary run_campaign(
    const SimConfig& base, std::uint64_t first_seed, std::uint64_t seeds, unsigned jobs,
    bool stop_at_first, const std::function<void(const SimConfig&, const RunResult&)>& on_result);

// One line per run: "seed 17 ok: 45 blocks ..." or "seed 17 VIOLATION ...".
std::string summary_line(const RunResult& r);

}  // namespace bauhinia::sim
