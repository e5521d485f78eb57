#include "bauhinia/node/block_budget.hpp"

#include <algorithm>
#include <cmath>

namespace bauhinia::node {

BlockBudget::BlockBudget(std::uint32_t budget_ms, std::uint32_t max_transactions) noexcept
    : budget_ms_(budget_ms), max_transactions_(std::max<std::uint32_t>(max_transactions, 1)) {}

void BlockBudget::observe(std::size_t transactions, std::chrono::microseconds elapsed) noexcept {
  if (transactions < kMinSampleTransactions || elapsed.count() < 0) return;
  const double sample = static_cast<double>(elapsed.count()) / static_cast<double>(transactions);
  micros_per_tx_ = micros_per_tx_ == 0 ? sample : kWeight * sample + (1 - kWeight) * micros_per_tx_;
}

std::uint32_t BlockBudget::limit() const noexcept {
  if (budget_ms_ == 0 || micros_per_tx_ <= 0) return max_transactions_;
  const double fit = std::floor(static_cast<double>(budget_ms_) * 1000.0 / micros_per_tx_);
  const double floor = std::min<double>(kMinLimit, max_transactions_);
  return static_cast<std::uint32_t>(std::clamp(fit, floor, static_cast<double>(max_transactions_)));
}

}  // namespace bauhinia::node
