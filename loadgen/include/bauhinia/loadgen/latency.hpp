#pragma once
// Latency samples and their summary (nearest-rank percentiles, in
// microseconds).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bauhinia::loadgen {

struct LatencySummary {
  std::size_t count = 0;
  std::uint64_t min_us = 0;
  std::uint64_t mean_us = 0;  // rounded down
  std::uint64_t p50_us = 0;
  std::uint64_t p90_us = 0;
  std::uint64_t p99_us = 0;
  std::uint64_t max_us = 0;
};

// The nearest-rank percentile of sorted samples: the smallest sample such
// that at least `percent` % of the samples are <= it, i.e. the value of rank
// ceil(percent / 100 * n) (1-based). percent in (0, 100] (asserted); 0 for
// no samples.
std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, double percent);

class LatencyRecorder {
 public:
  void add(std::uint64_t us) { samples_.push_back(us); }
  std::size_t count() const noexcept { return samples_.size(); }
  LatencySummary summary() const;  // all zero without samples

 private:
  std::vector<std::uint64_t> samples_;
};

}  // namespace bauhinia::loadgen
