#pragma once
// The bounded, two-priority send queue of one connection. Thread-safe: any
// thread pushes, the connection's strand pops.
//
// Policy: a push that would exceed the message or byte bound of its priority
// is refused (the new message is dropped and counted); nothing already queued
// is dropped. Pops take high-priority messages first, except that after
// kHighStreakLimit high pops in a row a waiting low-priority message goes, so
// bulk traffic is never starved completely either.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/network/channel.hpp"

namespace bauhinia::network::detail {

struct OutboundMessage {
  Channel channel = Channel::kControl;
  std::shared_ptr<const core::Bytes> payload;  // shared by a broadcast's copies
};

struct SendQueueLimits {
  std::size_t high_messages = 0;
  std::size_t high_bytes = 0;
  std::size_t low_messages = 0;
  std::size_t low_bytes = 0;
};

struct SendQueueSnapshot {
  std::size_t high_messages = 0;
  std::size_t high_bytes = 0;
  std::size_t low_messages = 0;
  std::size_t low_bytes = 0;
  std::size_t peak_bytes = 0;
  std::uint64_t dropped = 0;
};

class SendQueue {
 public:
  static constexpr unsigned kHighStreakLimit = 16;

  enum class Push : std::uint8_t { kQueued, kFull, kClosed };

  explicit SendQueue(const SendQueueLimits& limits) : limits_(limits) {}

  // On kQueued, `wake_writer` tells the caller to schedule the writer (it was
  // idle); the writer then pops until the queue is empty.
  Push push(OutboundMessage message, bool& wake_writer);
  // The next message, or nothing (and the writer is marked idle).
  std::optional<OutboundMessage> pop();
  // Drops everything; later pushes return kClosed.
  void close();
  SendQueueSnapshot snapshot() const;

 private:
  struct Lane {
    std::deque<OutboundMessage> messages;
    std::size_t bytes = 0;
  };
  const SendQueueLimits limits_;
  mutable std::mutex mutex_;
  Lane high_;
  Lane low_;
  unsigned high_streak_ = 0;
  bool writer_active_ = false;
  bool closed_ = false;
  std::size_t peak_bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace bauhinia::network::detail
