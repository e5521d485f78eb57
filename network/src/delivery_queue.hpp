#pragma once
// Messages and peer events on their way to the upper layer, handed over on
// one delivery thread.
//
// Two lanes: consensus and sync messages and peer events go to the priority
// lane, transaction gossip (Channel::kMempool) to the gossip lane. The
// delivery thread always empties the priority lane first, so a proposal or a
// vote never waits behind a backlog of gossip. Within a lane, items keep their
// arrival order (per peer: the order of the connection's frames).
//
// Bounds: each lane holds at most max_messages and max_bytes. When a priority
// message does not fit, the connection keeps it, stops reading its socket (so
// TCP pushes back on the sender) and registers a resume callback; callbacks
// run once the priority lane has drained below half of both bounds. A gossip
// message that does not fit is dropped and counted instead: gossip is best
// effort, and pausing the connection would stall the peer's consensus
// messages too. Peer events are few (two per connection) and have their own
// cap, kMaxEvents; beyond it they are dropped with a log line.

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
  std::size_t messages = 0;  // both lanes
  std::size_t bytes = 0;     // both lanes
  std::size_t peak_bytes = 0;
  std::size_t gossip_messages = 0;   // of which in the gossip lane
  std::uint64_t gossip_dropped = 0;  // gossip messages dropped: their lane was full
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

  // Queues `message` (moved from) and returns true; or, for a full priority
  // lane, returns false, leaves `message` untouched and keeps `resume` to call
  // when there is room again. A gossip message that does not fit is dropped
  // (true is returned: the connection goes on reading).
  bool push_or_wait(InboundMessage& message, std::function<void()> resume);
  void push_event(const PeerEvent& event);
  DeliveryStats stats() const;

 private:
  using Item = std::variant<InboundMessage, PeerEvent>;
  struct Lane {
    std::deque<Item> items;
    std::size_t messages = 0;
    std::size_t bytes = 0;
  };
  void run();
  // REQUIRES: mutex_ held.
  bool fits_locked(const Lane& lane, std::size_t size) const;

  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  const MessageHandler on_message_;
  const PeerEventHandler on_event_;
  const LogSink log_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Lane priority_;  // guarded by mutex_
  Lane gossip_;    // guarded by mutex_
  std::size_t events_ = 0;
  std::size_t peak_bytes_ = 0;
  std::uint64_t gossip_dropped_ = 0;
  std::vector<std::function<void()>> waiters_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bauhinia::network::detail
