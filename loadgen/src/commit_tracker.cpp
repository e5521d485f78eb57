#include "bauhinia/loadgen/commit_tracker.hpp"

#include <algorithm>

namespace bauhinia::loadgen {

CommitTracker::CommitTracker(std::size_t expected_transactions) {
  entries_.reserve(expected_transactions);
}

void CommitTracker::on_sent(const core::Hash256& id, Clock::time_point at) {
  if (!first_sent_ || at < *first_sent_) first_sent_ = at;
  entries_.try_emplace(id, Entry{at, false});
}

std::size_t CommitTracker::on_block(std::span<const core::Hash256> ids, Clock::time_point at) {
  std::size_t fresh = 0;
  for (const core::Hash256& id : ids) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) {
      ++foreign_;
      continue;
    }
    if (it->second.committed) continue;
    it->second.committed = true;
    ++fresh;
    const auto latency =
        std::chrono::duration_cast<std::chrono::microseconds>(at - it->second.sent);
    const auto us = static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count()));
    latencies_.add(us);
    // first_sent_ is set (this entry was sent); clamped to a day like the timeline.
    const auto minute =
        std::chrono::duration_cast<std::chrono::minutes>(it->second.sent - *first_sent_).count();
    const auto mslot = static_cast<std::size_t>(std::clamp<std::int64_t>(minute, 0, 1'440));
    if (by_minute_.size() <= mslot) by_minute_.resize(mslot + 1);
    by_minute_[mslot].add(us);
  }
  if (fresh == 0) return 0;
  committed_ += fresh;
  if (!last_commit_ || at > *last_commit_) last_commit_ = at;
  // first_sent_ is set: a committed entry was sent.
  const auto second = std::chrono::duration_cast<std::chrono::seconds>(at - *first_sent_).count();
  // Clamped to a day so that a wrong clock cannot grow the vector without bound.
  const auto slot = static_cast<std::size_t>(std::clamp<std::int64_t>(second, 0, 86'400));
  if (timeline_.size() <= slot) timeline_.resize(slot + 1, 0);
  timeline_[slot] += fresh;
  return fresh;
}

bool CommitTracker::is_committed(const core::Hash256& id) const {
  const auto it = entries_.find(id);
  return it != entries_.end() && it->second.committed;
}

double CommitTracker::committed_per_second() const noexcept {
  if (committed_ == 0 || !first_sent_ || !last_commit_) return 0.0;
  const double seconds = std::chrono::duration<double>(*last_commit_ - *first_sent_).count();
  if (seconds <= 0.0) return 0.0;
  return static_cast<double>(committed_) / seconds;
}

}  // namespace bauhinia::loadgen
