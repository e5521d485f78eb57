#include "bauhinia/mempool/admission_budget.hpp"

#include <algorithm>
#include <string>

#include "bauhinia/core/status.hpp"

namespace bauhinia::mempool {

namespace {
// How long a client refused for the backlog waits: about the time a loaded
// chain takes to commit a block or two.
constexpr std::uint32_t kBacklogRetryAfterS = 1;
}  // namespace

AdmissionBudget::AdmissionBudget(AdmissionBudgetConfig config) : config_(config) {
  BAUHINIA_ASSERT(config_.rate_per_s == 0 || config_.burst >= 1);
  tokens_milli_ = std::uint64_t{config_.burst} * 1000;
}

std::optional<BudgetRefusal> AdmissionBudget::try_admit(std::uint64_t now_ms, std::size_t backlog) {
  const std::lock_guard lock(mutex_);
  if (config_.max_backlog != 0 && backlog >= config_.max_backlog) {
    ++stats_.refused_backlog;
    return BudgetRefusal{
        MempoolRejection{MempoolError::kOverloaded,
                         "the node is behind: " + std::to_string(backlog) +
                             " transactions wait for a block (limit " +
                             std::to_string(config_.max_backlog) + "); retry later"},
        kBacklogRetryAfterS};
  }
  if (config_.rate_per_s != 0) {
    const std::uint64_t cap = std::uint64_t{config_.burst} * 1000;
    if (last_ms_ && now_ms > *last_ms_) {
      // rate tokens per second = rate thousandths per millisecond.
      const std::uint64_t elapsed = std::min<std::uint64_t>(now_ms - *last_ms_, 3'600'000);
      tokens_milli_ = std::min(cap, tokens_milli_ + elapsed * config_.rate_per_s);
    }
    if (!last_ms_ || now_ms > *last_ms_) last_ms_ = now_ms;
    if (tokens_milli_ < 1000) {
      ++stats_.refused_rate;
      const std::uint64_t missing = 1000 - tokens_milli_;
      const std::uint64_t wait_ms = (missing + config_.rate_per_s - 1) / config_.rate_per_s;
      return BudgetRefusal{
          MempoolRejection{MempoolError::kOverloaded, "over this node's admission budget of " +
                                                          std::to_string(config_.rate_per_s) +
                                                          " transactions per second; retry later"},
          static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (wait_ms + 999) / 1000))};
    }
    tokens_milli_ -= 1000;
  }
  ++stats_.passed;
  return std::nullopt;
}

AdmissionBudgetStats AdmissionBudget::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace bauhinia::mempool
