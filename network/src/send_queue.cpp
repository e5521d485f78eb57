#include "send_queue.hpp"

namespace bauhinia::network::detail {

SendQueue::Push SendQueue::push(OutboundMessage message, bool& wake_writer) {
  wake_writer = false;
  const std::size_t size = message.payload ? message.payload->size() : 0;
  const bool high = priority_of(message.channel) == Priority::kHigh;
  const std::lock_guard lock(mutex_);
  if (closed_) return Push::kClosed;
  Lane& lane = high ? high_ : low_;
  const std::size_t max_messages = high ? limits_.high_messages : limits_.low_messages;
  const std::size_t max_bytes = high ? limits_.high_bytes : limits_.low_bytes;
  if (lane.messages.size() >= max_messages || lane.bytes + size > max_bytes) {
    ++dropped_;
    return Push::kFull;
  }
  lane.messages.push_back(std::move(message));
  lane.bytes += size;
  if (high_.bytes + low_.bytes > peak_bytes_) peak_bytes_ = high_.bytes + low_.bytes;
  if (!writer_active_) {
    writer_active_ = true;
    wake_writer = true;
  }
  return Push::kQueued;
}

std::optional<OutboundMessage> SendQueue::pop() {
  const std::lock_guard lock(mutex_);
  Lane* lane = nullptr;
  if (!high_.messages.empty() && (low_.messages.empty() || high_streak_ < kHighStreakLimit)) {
    lane = &high_;
    ++high_streak_;
  } else if (!low_.messages.empty()) {
    lane = &low_;
    high_streak_ = 0;
  }
  if (lane == nullptr || closed_) {
    writer_active_ = false;
    return std::nullopt;
  }
  OutboundMessage m = std::move(lane->messages.front());
  lane->messages.pop_front();
  lane->bytes -= m.payload ? m.payload->size() : 0;
  return m;
}

void SendQueue::close() {
  const std::lock_guard lock(mutex_);
  closed_ = true;
  high_ = Lane{};
  low_ = Lane{};
}

SendQueueSnapshot SendQueue::snapshot() const {
  const std::lock_guard lock(mutex_);
  return SendQueueSnapshot{high_.messages.size(), high_.bytes, low_.messages.size(), low_.bytes,
                           peak_bytes_,           dropped_};
}

}  // namespace bauhinia::network::detail
