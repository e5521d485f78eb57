#include "bauhinia/loadgen/latency.hpp"

#include <algorithm>
#include <cmath>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::loadgen {

std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, double percent) {
  BAUHINIA_ASSERT(percent > 0.0 && percent <= 100.0);
  if (sorted.empty()) return 0;
  const double exact = percent / 100.0 * static_cast<double>(sorted.size());
  // Guard against 0.99 * 100 = 98.99999...: round to 1e-9 before the ceil.
  auto rank = static_cast<std::size_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary LatencyRecorder::summary() const {
  LatencySummary s;
  if (samples_.empty()) return s;
  std::vector<std::uint64_t> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  s.count = sorted.size();
  s.min_us = sorted.front();
  s.max_us = sorted.back();
  // A long double sum cannot overflow; its rounding is far below 1 us.
  long double sum = 0;
  for (std::uint64_t v : sorted) sum += static_cast<long double>(v);
  s.mean_us = static_cast<std::uint64_t>(sum / static_cast<long double>(sorted.size()));
  s.p50_us = percentile(sorted, 50);
  s.p90_us = percentile(sorted, 90);
  s.p99_us = percentile(sorted, 99);
  return s;
}

}  // namespace bauhinia::loadgen
