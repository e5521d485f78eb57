#include "delivery_queue.hpp"

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
    items_.clear();
    waiters_.clear();
    messages_ = bytes_ = events_ = 0;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool DeliveryQueue::push_or_wait(InboundMessage& message, std::function<void()> resume) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return true;  // dropped: the network is shutting down
    const std::size_t size = message.payload.size();
    // An empty queue takes any message, so one large message cannot wedge it.
    if (messages_ > 0 && (messages_ >= max_messages_ || bytes_ + size > max_bytes_)) {
      waiters_.push_back(std::move(resume));
      return false;
    }
    ++messages_;
    bytes_ += size;
    if (bytes_ > peak_bytes_) peak_bytes_ = bytes_;
    items_.emplace_back(std::move(message));
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
    items_.emplace_back(event);
  }
  wake_.notify_one();
}

DeliveryStats DeliveryQueue::stats() const {
  const std::lock_guard lock(mutex_);
  return DeliveryStats{messages_, bytes_, peak_bytes_};
}

void DeliveryQueue::run() {
  for (;;) {
    Item item;
    std::vector<std::function<void()>> resume;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !items_.empty(); });
      if (stopping_) return;
      item = std::move(items_.front());
      items_.pop_front();
      if (auto* m = std::get_if<InboundMessage>(&item)) {
        --messages_;
        bytes_ -= m->payload.size();
      } else {
        --events_;
      }
      if (!waiters_.empty() && messages_ <= max_messages_ / 2 && bytes_ <= max_bytes_ / 2) {
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
