#pragma once
// Which prepared transactions were sent when, and which of them a committed
// block holds: the submission-to-commit latencies and the commit timeline.
// Single-threaded (the load run's event loop owns it).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/loadgen/latency.hpp"

namespace bauhinia::loadgen {

using Clock = std::chrono::steady_clock;

class CommitTracker {
 public:
  explicit CommitTracker(std::size_t expected_transactions = 0);

  // The first time a transaction is sent; a resubmission keeps the first time.
  void on_sent(const core::Hash256& id, Clock::time_point at);
  // The ids of one committed block, first seen at `at`. Returns how many of
  // them are ours and newly committed; ids we never sent count as foreign.
  std::size_t on_block(std::span<const core::Hash256> ids, Clock::time_point at);

  std::size_t sent() const noexcept { return entries_.size(); }
  std::size_t committed() const noexcept { return committed_; }
  std::uint64_t foreign() const noexcept { return foreign_; }
  bool is_committed(const core::Hash256& id) const;

  std::optional<Clock::time_point> first_sent() const noexcept { return first_sent_; }
  std::optional<Clock::time_point> last_commit() const noexcept { return last_commit_; }
  // Committed transactions / (last commit - first send); 0 before any commit.
  double committed_per_second() const noexcept;
  const LatencyRecorder& latencies() const noexcept { return latencies_; }
  // Our commits counted per whole second since the first send.
  const std::vector<std::uint64_t>& committed_timeline() const noexcept { return timeline_; }
  // Latencies by the whole minute (since the first send) in which each
  // committed transaction was first sent: whether latency stays flat over a
  // long run.
  const std::vector<LatencyRecorder>& latencies_by_minute() const noexcept { return by_minute_; }

 private:
  struct Entry {
    Clock::time_point sent;
    bool committed = false;
  };
  std::unordered_map<core::Hash256, Entry, core::Hash256Hasher> entries_;
  std::size_t committed_ = 0;
  std::uint64_t foreign_ = 0;
  std::optional<Clock::time_point> first_sent_;
  std::optional<Clock::time_point> last_commit_;
  LatencyRecorder latencies_;
  std::vector<std::uint64_t> timeline_;
  std::vector<LatencyRecorder> by_minute_;
};

}  // namespace bauhinia::loadgen
