#pragma once
// Messages and peer events on their way to the upper layer, handed over on
// one delivery thread in arrival order.
//
// Bounds: messages count against max_messages and max_bytes. When a message
// does not fit, the connection keeps it, stops reading its socket (so TCP
// pushes back on the sender) and registers a resume callback; callbacks run
// once the queue has drained below half of both bounds. Peer events are few
// (two per connection) and have their own cap, kMaxEvents; beyond it they are
// dropped with a log line.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "bauhinia/network/config.hpp"

namespace bauhinia::network::detail {

struct DeliveryStats {
  std::size_t messages = 0;
  std::size_t bytes = 0;
  std::size_t peak_bytes = 0;
};

class DeliveryQueue {
 public:
  static constexpr std::size_t kMaxEvents = 4096;

  DeliveryQueue(std::size_t max_messages, std::size_t max_bytes, MessageHandler on_message,
                PeerEventHandler on_event, LogSink log);
  ~DeliveryQueue();  // stop()
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  void start();
  // Joins the delivery thread; undelivered items are dropped. Idempotent.
  void stop();

  // Queues `message` (moved from) and returns true, or returns false, leaves
  // `message` untouched and keeps `resume` to call when there is room again.
  bool push_or_wait(InboundMessage& message, std::function<void()> resume);
  void push_event(const PeerEvent& event);
  DeliveryStats stats() const;

 private:
  using Item = std::variant<InboundMessage, PeerEvent>;
  void run();

  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  const MessageHandler on_message_;
  const PeerEventHandler on_event_;
  const LogSink log_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> items_;
  std::size_t messages_ = 0;
  std::size_t bytes_ = 0;
  std::size_t events_ = 0;
  std::size_t peak_bytes_ = 0;
  std::vector<std::function<void()>> waiters_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bauhinia::network::detail
