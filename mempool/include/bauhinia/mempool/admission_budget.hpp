#pragma once
// The admission budget of client submissions (the node's HTTP API): how much
// admission work a node accepts per unit of time, decided before any of it is
// done (no decoding, no signature check), so that a flood costs the node almost
// nothing once it is refused.
//
// Two limits, either one refuses (MempoolError::kOverloaded, API 429 with
// Retry-After):
//   - a token bucket: at most rate_per_s submissions per second on average,
//     bursts of at most burst; each submission that passes takes one token
//     (whatever admission then decides: the work is spent either way);
//   - a backlog: while the mempool holds max_backlog proposable transactions
//     or more the node is behind (it admits faster than the chain commits), so
//     new client transactions wait outside it. Commits drain the backlog and
//     reopen it. (Parked transactions, behind a sequence gap, are not counted:
//     they are no work for the chain, and the mempool's own limits evict them.)
// Gossip from peers is not budgeted here: a transaction a peer admitted is
// checked once on the verifier pool, or else it would be checked serially on
// the consensus thread when its block arrives.
//
// Thread-safe; the clock is the caller's (milliseconds, monotonic).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

#include "bauhinia/mempool/mempool.hpp"

namespace bauhinia::mempool {

struct AdmissionBudgetConfig {
  std::uint32_t rate_per_s = 5000;  // 0: no rate limit
  std::uint32_t burst = 1000;       // >= 1 when rate_per_s > 0
  std::size_t max_backlog = 20000;  // 0: no backlog limit
};

struct AdmissionBudgetStats {
  std::uint64_t passed = 0;
  std::uint64_t refused_rate = 0;     // over rate_per_s
  std::uint64_t refused_backlog = 0;  // the mempool held max_backlog or more
};

// A refusal: why, and when to try again (whole seconds, at least 1: the unit
// of HTTP's Retry-After).
struct BudgetRefusal {
  MempoolRejection rejection;
  std::uint32_t retry_after_s = 1;
};

class AdmissionBudget {
 public:
  explicit AdmissionBudget(AdmissionBudgetConfig config);

  // nullopt: go ahead (a token was taken). `backlog`: transactions in the
  // mempool now.
  std::optional<BudgetRefusal> try_admit(std::uint64_t now_ms, std::size_t backlog);

  AdmissionBudgetStats stats() const;
  const AdmissionBudgetConfig& config() const noexcept { return config_; }

 private:
  const AdmissionBudgetConfig config_;
  mutable std::mutex mutex_;
  // Guarded by mutex_: tokens in thousandths, refilled from last_ms.
  std::uint64_t tokens_milli_ = 0;
  std::optional<std::uint64_t> last_ms_;
  AdmissionBudgetStats stats_;
};

}  // namespace bauhinia::mempool
