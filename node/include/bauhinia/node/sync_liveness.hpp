#pragma once
// Liveness and bounds of block sync and of the core thread's inbox (issue 9,
// items 4 and 5). Times are milliseconds given by the caller (no clock here),
// so every rule is unit-tested without waiting.
//
//  - TokenBucket / PeerRateLimiter: sync requests a peer may have served.
//  - InboundBudget: messages posted to the core thread but not yet run, per
//    peer and in total (count and bytes); beyond it they are dropped.
//  - CatchUpScheduler: which peer a catching-up node asks next, when a
//    request has timed out, and the back-off of peers that failed.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::node {

using PeerKey = core::ed25519::PublicKey;

// `rate_per_s` tokens a second, at most `burst` kept; one token per request.
class TokenBucket {
 public:
  TokenBucket(std::uint32_t rate_per_s, std::uint32_t burst, std::uint64_t now_ms);
  bool take(std::uint64_t now_ms);

 private:
  void refill(std::uint64_t now_ms);
  std::uint64_t rate_per_s_;
  std::uint64_t burst_milli_;  // capacity in thousandths of a token
  std::uint64_t milli_;        // tokens now, in thousandths
  std::uint64_t last_ms_;
};

// One bucket per peer (thread-safe). Peers are the consortium's allowed keys,
// so the map is bounded by that set; buckets idle for a minute are dropped.
class PeerRateLimiter {
 public:
  PeerRateLimiter(std::uint32_t rate_per_s, std::uint32_t burst)
      : rate_per_s_(rate_per_s), burst_(burst) {}
  bool allow(const PeerKey& peer, std::uint64_t now_ms);
  std::uint64_t refused() const;

 private:
  struct Entry {
    TokenBucket bucket;
    std::uint64_t last_ms;
  };
  const std::uint32_t rate_per_s_;
  const std::uint32_t burst_;
  mutable std::mutex mutex_;
  std::map<PeerKey, Entry> peers_;
  std::uint64_t refused_ = 0;
  std::uint64_t last_prune_ms_ = 0;
};

// What may wait for the core thread: at most per_peer_messages and
// per_peer_bytes from one peer and total_messages / total_bytes from all.
// acquire() on the delivery thread before posting, release() when the posted
// handler runs (or is dropped). Thread-safe.
struct InboundBudgetLimits {
  std::size_t per_peer_messages = 256;
  std::size_t per_peer_bytes = 40U << 20;
  std::size_t total_messages = 4096;
  std::size_t total_bytes = 160U << 20;
};

class InboundBudget {
 public:
  explicit InboundBudget(InboundBudgetLimits limits) : limits_(limits) {}
  // False (and the drop counted for `peer`) when it does not fit.
  bool acquire(const PeerKey& peer, std::size_t bytes);
  void release(const PeerKey& peer, std::size_t bytes);

  struct Stats {
    std::size_t messages = 0;
    std::size_t bytes = 0;
    std::size_t peak_bytes = 0;
    std::uint64_t dropped = 0;
  };
  Stats stats() const;
  // Drops of `peer` since the last call (for a rate-limited log line).
  std::uint64_t take_dropped(const PeerKey& peer);

 private:
  struct Use {
    std::size_t messages = 0;
    std::size_t bytes = 0;
    std::uint64_t dropped_unreported = 0;
  };
  const InboundBudgetLimits limits_;
  mutable std::mutex mutex_;
  std::map<PeerKey, Use> peers_;
  Stats total_;
};

struct CatchUpConfig {
  std::uint64_t request_timeout_ms = 10000;  // no answer this long: ask another peer
  std::uint64_t backoff_min_ms = 500;        // a peer that failed rests this long, doubled
  std::uint64_t backoff_max_ms = 30000;      // for each failure in a row, up to this
};

// The catching-up side of ledger sync: one request outstanding at a time; a
// peer that times out, answers with nothing usable or cannot be sent to is
// rested (exponential back-off) and the next request goes to another
// connected peer; a peer that made progress is asked again. Not thread-safe
// (the core thread).
class CatchUpScheduler {
 public:
  explicit CatchUpScheduler(CatchUpConfig config) : config_(config) {}

  // Catch up to at least `height`, asking `hint` first if it is usable.
  void want(std::uint64_t height, const std::optional<PeerKey>& hint);
  void finish();  // the target was reached (or given up by the caller)
  bool active() const { return target_.has_value(); }
  std::optional<std::uint64_t> target() const { return target_; }

  // The peer to ask now among `connected`, or none (a request is
  // outstanding, every peer is resting, or none is connected).
  std::optional<PeerKey> pick(std::uint64_t now_ms, const std::vector<PeerKey>& connected) const;
  void sent(const PeerKey& peer, std::uint64_t now_ms);
  void send_failed(const PeerKey& peer, std::uint64_t now_ms);
  // The outstanding request's peer, if any (only its response is taken).
  std::optional<PeerKey> awaiting() const;
  // Its answer: `progress` when it moved the ledger forward.
  void answered(const PeerKey& peer, bool progress, std::uint64_t now_ms);
  // The outstanding request timed out at now_ms: its peer rests; returns it.
  std::optional<PeerKey> expire(std::uint64_t now_ms);
  // The outstanding request's peer is not among `connected`: its answer went
  // with the connection, so the request ends now (its peer rests, as for a
  // timeout) instead of after request_timeout_ms; returns that peer.
  std::optional<PeerKey> lost(const std::vector<PeerKey>& connected, std::uint64_t now_ms);
  // When something may change (a timeout or a rest ending), for the timer.
  std::optional<std::uint64_t> next_event_ms(std::uint64_t now_ms) const;

  std::uint64_t requests() const { return requests_; }
  std::uint64_t failures() const { return failures_; }

 private:
  struct PeerState {
    std::uint32_t failures_in_a_row = 0;
    std::uint64_t resting_until_ms = 0;
    std::uint64_t last_asked_ms = 0;
  };
  void fail(const PeerKey& peer, std::uint64_t now_ms);

  const CatchUpConfig config_;
  std::optional<std::uint64_t> target_;
  std::optional<PeerKey> hint_;
  std::optional<PeerKey> outstanding_;
  std::uint64_t outstanding_since_ms_ = 0;
  std::map<PeerKey, PeerState> peers_;
  std::uint64_t requests_ = 0;
  std::uint64_t failures_ = 0;
};

}  // namespace bauhinia::node
