#include "bauhinia/loadgen/pacer.hpp"

#include <algorithm>
#include <limits>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::loadgen {

namespace {
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
}

Pacer::Pacer(std::uint64_t rate_per_s) : rate_(rate_per_s) {
  BAUHINIA_ASSERT(rate_per_s <= kMaxRatePerSecond);
}

std::uint64_t Pacer::due_count(std::chrono::nanoseconds elapsed) const noexcept {
  if (rate_ == 0) return std::numeric_limits<std::uint64_t>::max();
  if (elapsed.count() <= 0) return 1;
  const auto ns = static_cast<std::uint64_t>(elapsed.count());
  // floor(ns * rate / 1e9) without overflow: whole seconds and the rest
  // separately (rest * rate < 1e9 * 1e7 fits in 64 bits).
  const std::uint64_t seconds = ns / kNsPerSecond;
  const std::uint64_t rest = ns % kNsPerSecond;
  const std::uint64_t whole = seconds * rate_;
  if (seconds != 0 && whole / seconds != rate_) return std::numeric_limits<std::uint64_t>::max();
  return whole + rest * rate_ / kNsPerSecond + 1;
}

std::chrono::nanoseconds Pacer::due_at(std::uint64_t n) const noexcept {
  if (rate_ == 0 || n == 0) return std::chrono::nanoseconds(0);
  // Smallest ns with floor(ns * rate / 1e9) >= n: ceil(n * 1e9 / rate),
  // computed as whole seconds plus the rest to stay within 64 bits.
  const std::uint64_t seconds = n / rate_;
  const std::uint64_t rest = n % rate_;  // < rate <= 1e7, so rest * 1e9 < 1e16
  const std::uint64_t rest_ns = (rest * kNsPerSecond + rate_ - 1) / rate_;
  const std::uint64_t ns = seconds * kNsPerSecond + rest_ns;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(
      ns, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))));
}

}  // namespace bauhinia::loadgen
