#include "backoff.hpp"

#include <sodium.h>

#include <algorithm>

#include "bauhinia/core/assert.hpp"
#include "sodium_ready.hpp"

namespace bauhinia::network::detail {

namespace {
std::uint64_t doubled(std::uint32_t base_ms, std::uint32_t times, std::uint32_t max_ms) {
  std::uint64_t v = base_ms;
  for (std::uint32_t i = 0; i < times && v < max_ms; ++i) v *= 2;
  return std::min<std::uint64_t>(v, max_ms);
}
}  // namespace

std::chrono::milliseconds reconnect_delay(std::uint32_t attempts, std::uint32_t min_ms,
                                          std::uint32_t max_ms) {
  ensure_sodium();
  const std::uint64_t full = doubled(min_ms, attempts, max_ms);
  // factor in [0.5, 1] with 1/1024 resolution
  const std::uint64_t factor = 512 + randombytes_uniform(513);
  return std::chrono::milliseconds(full * factor / 1024);
}

std::chrono::milliseconds ban_duration(std::uint32_t offences, std::uint32_t min_ms,
                                       std::uint32_t max_ms) {
  BAUHINIA_ASSERT(offences >= 1);
  return std::chrono::milliseconds(doubled(min_ms, offences - 1, max_ms));
}

}  // namespace bauhinia::network::detail
