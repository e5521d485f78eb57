#pragma once
// Reconnect back-off and ban durations (docs/network.md, "Reconnect and bans").

#include <chrono>
#include <cstdint>

namespace bauhinia::network::detail {

// min_ms * 2^attempts, capped at max_ms, times a uniformly random factor in
// [0.5, 1] so that peers that lost each other at once do not redial in step.
std::chrono::milliseconds reconnect_delay(std::uint32_t attempts, std::uint32_t min_ms,
                                          std::uint32_t max_ms);

// min_ms * 2^(offences - 1), capped at max_ms. REQUIRES: offences >= 1.
std::chrono::milliseconds ban_duration(std::uint32_t offences, std::uint32_t min_ms,
                                       std::uint32_t max_ms);

}  // namespace bauhinia::network::detail
