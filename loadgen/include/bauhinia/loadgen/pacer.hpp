#pragma once
// Rate control of the submissions: an open-loop schedule in which
// transaction n (counting from 0) is due at n / rate seconds after the start.
// A rate of 0 means no schedule: everything is due at once and only the
// bound on requests in flight limits the pace.
//
// Pure arithmetic on elapsed time (no clock), so it is exact and testable.

#include <chrono>
#include <cstdint>

namespace bauhinia::loadgen {

inline constexpr std::uint64_t kMaxRatePerSecond = 10'000'000;

class Pacer {
 public:
  // rate_per_s: 0 (unlimited) or 1..kMaxRatePerSecond (asserted).
  explicit Pacer(std::uint64_t rate_per_s);

  bool unlimited() const noexcept { return rate_ == 0; }
  std::uint64_t rate_per_s() const noexcept { return rate_; }

  // How many transactions are due `elapsed` after the start: floor(elapsed *
  // rate) + 1 (the first is due at once); UINT64_MAX when unlimited. Negative
  // elapsed counts as zero.
  std::uint64_t due_count(std::chrono::nanoseconds elapsed) const noexcept;

  // When transaction n is due, after the start: the smallest elapsed time
  // with due_count(elapsed) > n (zero when unlimited).
  std::chrono::nanoseconds due_at(std::uint64_t n) const noexcept;

 private:
  std::uint64_t rate_;
};

}  // namespace bauhinia::loadgen
