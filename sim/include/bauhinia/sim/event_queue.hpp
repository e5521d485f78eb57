#pragma once
// The logical clock and the queue of scheduled events. Time is a plain
// millisecond counter that only moves when an event is taken; events due at the
// same time come out in the order they were scheduled, so a run is a pure
// function of its seed.

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::sim {

template <class T>
class EventQueue {
 public:
  struct Entry {
    std::uint64_t time_ms;
    std::uint64_t sequence;  // tie-break: scheduling order
    T event;
  };

  // The logical time of the event taken last (0 before the first).
  std::uint64_t now_ms() const noexcept { return now_ms_; }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  // Time of the next event; requires !empty().
  std::uint64_t next_time_ms() const {
    BAUHINIA_ASSERT(!heap_.empty());
    return heap_.front().time_ms;
  }

  // Schedules `event` at now + delay_ms.
  void schedule_in(std::uint64_t delay_ms, T event) {
    schedule_at(now_ms_ + delay_ms, std::move(event));
  }
  // Schedules at an absolute time, never in the past.
  void schedule_at(std::uint64_t time_ms, T event) {
    BAUHINIA_ASSERT(time_ms >= now_ms_);
    heap_.push_back(Entry{time_ms, next_sequence_++, std::move(event)});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  // Takes the earliest event and advances the clock to its time.
  Entry pop() {
    BAUHINIA_ASSERT(!heap_.empty());
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Entry e = std::move(heap_.back());
    heap_.pop_back();
    BAUHINIA_ASSERT(e.time_ms >= now_ms_);
    now_ms_ = e.time_ms;
    return e;
  }

 private:
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const noexcept {
      if (a.time_ms != b.time_ms) return a.time_ms > b.time_ms;
      return a.sequence > b.sequence;
    }
  };
  std::vector<Entry> heap_;  // a binary heap ordered by Later
  std::uint64_t now_ms_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace bauhinia::sim
