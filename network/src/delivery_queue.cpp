#include "delivery_queue.hpp"

#include <string>
#include <utility>

namespace bauhinia::network::detail {

DeliveryQueue::DeliveryQueue(std::size_t max_messages, std::size_t max_bytes,
                             MessageHandler on_message, PeerEventHandler on_event, LogSink log)
    : max_messages_(max_messages),
      max_bytes_(max_bytes),
      on_message_(std::move(on_message)),
      on_event_(std::move(on_event)),
      log_(std::move(log)) {}

DeliveryQueue::~DeliveryQueue() {
  stop();
}

void DeliveryQueue::start() {
  thread_ = std::thread([this] { run(); });
}

void DeliveryQueue::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    priority_ = Lane{};
    gossip_ = Lane{};
    waiters_.clear();
    events_ = 0;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool DeliveryQueue::fits_locked(const Lane& lane, std::size_t size) const {
  // An empty lane takes any message, so one large message cannot wedge it.
  return lane.messages == 0 || (lane.messages < max_messages_ && lane.bytes + size <= max_bytes_);
}

bool DeliveryQueue::push_or_wait(InboundMessage& message, std::function<void()> resume) {
  std::uint64_t dropped = 0;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return true;  // dropped: the network is shutting down
    const std::size_t size = message.payload.size();
    const bool gossip = message.channel == Channel::kMempool || message.channel == Channel::kBatchAck;
    Lane& lane = gossip ? gossip_ : priority_;
    if (!fits_locked(lane, size)) {
      if (!gossip) {
        waiters_.push_back(std::move(resume));
        return false;
      }
      dropped = ++gossip_dropped_;
    } else {
      ++lane.messages;
      lane.bytes += size;
      const std::size_t total = priority_.bytes + gossip_.bytes;
      if (total > peak_bytes_) peak_bytes_ = total;
      lane.items.emplace_back(std::move(message));
    }
  }
  if (dropped != 0) {
    // One line for the first drop and then one per thousand (the log is rate
    // limited too, but this path can run thousands of times per second).
    if (log_ && (dropped == 1 || dropped % 1000 == 0)) {
      log_(LogLevel::kWarn, "transaction gossip dropped (" + std::to_string(dropped) +
                                " so far): the upper layer is not keeping up");
    }
    return true;
  }
  wake_.notify_one();
  return true;
}

void DeliveryQueue::push_event(const PeerEvent& event) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (events_ >= kMaxEvents) {
      if (log_) log_(LogLevel::kWarn, "peer event dropped: the upper layer is not keeping up");
      return;
    }
    ++events_;
    priority_.items.emplace_back(event);
  }
  wake_.notify_one();
}

DeliveryStats DeliveryQueue::stats() const {
  const std::lock_guard lock(mutex_);
  return DeliveryStats{priority_.messages + gossip_.messages, priority_.bytes + gossip_.bytes,
                       peak_bytes_, gossip_.messages, gossip_dropped_};
}

void DeliveryQueue::run() {
  for (;;) {
    Item item;
    std::vector<std::function<void()>> resume;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(
          lock, [this] { return stopping_ || !priority_.items.empty() || !gossip_.items.empty(); });
      if (stopping_) return;
      Lane& lane = priority_.items.empty() ? gossip_ : priority_;
      item = std::move(lane.items.front());
      lane.items.pop_front();
      if (auto* m = std::get_if<InboundMessage>(&item)) {
        --lane.messages;
        lane.bytes -= m->payload.size();
      } else {
        --events_;
      }
      if (!waiters_.empty() && priority_.messages <= max_messages_ / 2 &&
          priority_.bytes <= max_bytes_ / 2) {
        resume.swap(waiters_);
      }
    }
    for (auto& r : resume) r();
    if (auto* m = std::get_if<InboundMessage>(&item)) {
      if (on_message_) on_message_(std::move(*m));
    } else if (on_event_) {
      on_event_(std::get<PeerEvent>(item));
    }
  }
}

}  // namespace bauhinia::network::detail
