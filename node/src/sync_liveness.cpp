#include "bauhinia/node/sync_liveness.hpp"

#include <algorithm>
#include <limits>

namespace bauhinia::node {

// ---- TokenBucket ---------------------------------------------------------------

TokenBucket::TokenBucket(std::uint32_t rate_per_s, std::uint32_t burst, std::uint64_t now_ms)
    : rate_per_s_(rate_per_s),
      burst_milli_(std::uint64_t{std::max<std::uint32_t>(burst, 1)} * 1000),
      milli_(burst_milli_),
      last_ms_(now_ms) {}

void TokenBucket::refill(std::uint64_t now_ms) {
  if (now_ms <= last_ms_) return;  // a clock step back refills nothing
  const std::uint64_t elapsed = std::min<std::uint64_t>(now_ms - last_ms_, 3'600'000);
  milli_ = std::min(burst_milli_, milli_ + elapsed * rate_per_s_);
  last_ms_ = now_ms;
}

bool TokenBucket::take(std::uint64_t now_ms) {
  refill(now_ms);
  if (milli_ < 1000) return false;
  milli_ -= 1000;
  return true;
}

// ---- PeerRateLimiter -----------------------------------------------------------

bool PeerRateLimiter::allow(const PeerKey& peer, std::uint64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (now_ms >= last_prune_ms_ + 60'000) {
    // A bucket idle for a minute is full again: forgetting it changes nothing.
    std::erase_if(peers_, [&](const auto& kv) { return kv.second.last_ms + 60'000 <= now_ms; });
    last_prune_ms_ = now_ms;
  }
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    it = peers_.emplace(peer, Entry{TokenBucket(rate_per_s_, burst_, now_ms), now_ms}).first;
  }
  it->second.last_ms = now_ms;
  if (it->second.bucket.take(now_ms)) return true;
  ++refused_;
  return false;
}

std::uint64_t PeerRateLimiter::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

// ---- InboundBudget -------------------------------------------------------------

bool InboundBudget::acquire(const PeerKey& peer, std::size_t bytes) {
  std::lock_guard lock(mutex_);
  Use& u = peers_[peer];
  const bool fits =
      u.messages < limits_.per_peer_messages && u.bytes + bytes <= limits_.per_peer_bytes &&
      total_.messages < limits_.total_messages && total_.bytes + bytes <= limits_.total_bytes;
  if (!fits) {
    ++u.dropped_unreported;
    ++total_.dropped;
    return false;
  }
  ++u.messages;
  u.bytes += bytes;
  ++total_.messages;
  total_.bytes += bytes;
  total_.peak_bytes = std::max(total_.peak_bytes, total_.bytes);
  return true;
}

void InboundBudget::release(const PeerKey& peer, std::size_t bytes) {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  Use& u = it->second;
  u.messages -= std::min<std::size_t>(u.messages, 1);
  u.bytes -= std::min(u.bytes, bytes);
  total_.messages -= std::min<std::size_t>(total_.messages, 1);
  total_.bytes -= std::min(total_.bytes, bytes);
  if (u.messages == 0 && u.dropped_unreported == 0) peers_.erase(it);
}

InboundBudget::Stats InboundBudget::stats() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::uint64_t InboundBudget::take_dropped(const PeerKey& peer) {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) return 0;
  const std::uint64_t n = it->second.dropped_unreported;
  it->second.dropped_unreported = 0;
  if (it->second.messages == 0) peers_.erase(it);
  return n;
}

// ---- CatchUpScheduler ----------------------------------------------------------

void CatchUpScheduler::want(std::uint64_t height, const std::optional<PeerKey>& hint) {
  target_ = std::max(target_.value_or(0), height);
  if (hint) hint_ = hint;
}

void CatchUpScheduler::finish() {
  target_.reset();
  hint_.reset();
  outstanding_.reset();
}

std::optional<PeerKey> CatchUpScheduler::pick(std::uint64_t now_ms,
                                              const std::vector<PeerKey>& connected) const {
  if (!target_ || outstanding_) return std::nullopt;
  auto usable = [&](const PeerKey& p) {
    auto it = peers_.find(p);
    return it == peers_.end() || it->second.resting_until_ms <= now_ms;
  };
  if (hint_ && usable(*hint_) &&
      std::find(connected.begin(), connected.end(), *hint_) != connected.end()) {
    return hint_;
  }
  // Otherwise the usable peer with the fewest failures in a row, then the one
  // asked longest ago (so that peers are tried in turn).
  std::optional<PeerKey> best;
  std::pair<std::uint32_t, std::uint64_t> best_rank{std::numeric_limits<std::uint32_t>::max(),
                                                    std::numeric_limits<std::uint64_t>::max()};
  for (const PeerKey& p : connected) {
    if (!usable(p)) continue;
    auto it = peers_.find(p);
    const std::pair<std::uint32_t, std::uint64_t> rank =
        it == peers_.end() ? std::pair<std::uint32_t, std::uint64_t>{0, 0}
                           : std::pair{it->second.failures_in_a_row, it->second.last_asked_ms};
    if (!best || rank < best_rank) {
      best = p;
      best_rank = rank;
    }
  }
  return best;
}

void CatchUpScheduler::sent(const PeerKey& peer, std::uint64_t now_ms) {
  outstanding_ = peer;
  outstanding_since_ms_ = now_ms;
  peers_[peer].last_asked_ms = now_ms;
  ++requests_;
}

void CatchUpScheduler::fail(const PeerKey& peer, std::uint64_t now_ms) {
  PeerState& s = peers_[peer];
  ++s.failures_in_a_row;
  ++failures_;
  std::uint64_t rest = config_.backoff_min_ms;
  for (std::uint32_t i = 1; i < s.failures_in_a_row && rest < config_.backoff_max_ms; ++i) {
    rest *= 2;
  }
  s.resting_until_ms = now_ms + std::min(rest, config_.backoff_max_ms);
  if (hint_ == peer) hint_.reset();
}

void CatchUpScheduler::send_failed(const PeerKey& peer, std::uint64_t now_ms) {
  fail(peer, now_ms);
}

std::optional<PeerKey> CatchUpScheduler::awaiting() const {
  return outstanding_;
}

void CatchUpScheduler::answered(const PeerKey& peer, bool progress, std::uint64_t now_ms) {
  if (outstanding_ == peer) outstanding_.reset();
  if (progress) {
    PeerState& s = peers_[peer];
    s.failures_in_a_row = 0;
    s.resting_until_ms = 0;
    hint_ = peer;  // a peer that delivers is asked for the rest
  } else {
    fail(peer, now_ms);
  }
}

std::optional<PeerKey> CatchUpScheduler::expire(std::uint64_t now_ms) {
  if (!outstanding_ || now_ms < outstanding_since_ms_ + config_.request_timeout_ms) {
    return std::nullopt;
  }
  const PeerKey peer = *outstanding_;
  outstanding_.reset();
  fail(peer, now_ms);
  return peer;
}

std::optional<PeerKey> CatchUpScheduler::lost(const std::vector<PeerKey>& connected,
                                              std::uint64_t now_ms) {
  if (!outstanding_ ||
      std::find(connected.begin(), connected.end(), *outstanding_) != connected.end()) {
    return std::nullopt;
  }
  const PeerKey peer = *outstanding_;
  outstanding_.reset();
  fail(peer, now_ms);
  return peer;
}

std::optional<std::uint64_t> CatchUpScheduler::next_event_ms(std::uint64_t now_ms) const {
  if (!target_) return std::nullopt;
  if (outstanding_) return outstanding_since_ms_ + config_.request_timeout_ms;
  std::optional<std::uint64_t> next;
  for (const auto& [key, s] : peers_) {
    if (s.resting_until_ms > now_ms)
      next = std::min(next.value_or(s.resting_until_ms), s.resting_until_ms);
  }
  return next;
}

}  // namespace bauhinia::node
