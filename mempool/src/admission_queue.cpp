#include "bauhinia/mempool/admission_queue.hpp"

#include <algorithm>
#include <span>
#include <utility>

#include "bauhinia/core/status.hpp"

namespace bauhinia::mempool {

AdmissionQueue::AdmissionQueue(AdmissionQueueConfig config, Mempool& pool, Clock now_ms,
                               OnAdmitted on_admitted)
    : config_(config),
      pool_(pool),
      now_ms_(std::move(now_ms)),
      on_admitted_(std::move(on_admitted)) {
  BAUHINIA_ASSERT(config_.max_transactions >= 1 && config_.max_bytes >= 1);
  BAUHINIA_ASSERT(config_.max_merge_transactions >= 1);
  BAUHINIA_ASSERT(now_ms_ != nullptr);
  thread_ = std::thread([this] {
    if (config_.on_thread_start) config_.on_thread_start();
    run();
  });
}

AdmissionQueue::~AdmissionQueue() {
  stop();
}

bool AdmissionQueue::push(std::vector<core::Bytes>& transactions,
                          const core::ed25519::PublicKey& origin) {
  if (transactions.empty()) return true;
  std::size_t bytes = 0;
  for (const auto& t : transactions) bytes += t.size();
  {
    const std::lock_guard lock(mutex_);
    // An empty queue takes any batch, so one large batch cannot wedge it.
    const bool fits =
        queue_.empty() || (queued_transactions_ + transactions.size() <= config_.max_transactions &&
                           queued_bytes_ + bytes <= config_.max_bytes);
    if (stopping_ || !fits) {
      ++stats_.dropped_batches;
      stats_.dropped_transactions += transactions.size();
      return false;
    }
    queued_transactions_ += transactions.size();
    queued_bytes_ += bytes;
    ++stats_.batches;
    queue_.push_back(Batch{std::move(transactions), bytes, origin});
  }
  wake_.notify_one();
  return true;
}

void AdmissionQueue::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
    queued_transactions_ = queued_bytes_ = 0;
  }
  wake_.notify_one();
  idle_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AdmissionQueue::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (queue_.empty() && !busy_); });
}

AdmissionQueueStats AdmissionQueue::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

void AdmissionQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    // Merge consecutive batches (whole ones) into one admission call, so the
    // verifier pool gets enough work to keep every core busy.
    std::vector<core::Bytes> merged = std::move(queue_.front().transactions);
    // Who sent which transactions: (origin, end of its run in `merged`).
    std::vector<std::pair<core::ed25519::PublicKey, std::size_t>> origins{
        {queue_.front().origin, merged.size()}};
    queued_transactions_ -= merged.size();
    queued_bytes_ -= queue_.front().bytes;
    queue_.pop_front();
    while (!queue_.empty() &&
           merged.size() + queue_.front().transactions.size() <= config_.max_merge_transactions) {
      Batch& b = queue_.front();
      queued_transactions_ -= b.transactions.size();
      queued_bytes_ -= b.bytes;
      merged.insert(merged.end(), std::make_move_iterator(b.transactions.begin()),
                    std::make_move_iterator(b.transactions.end()));
      origins.emplace_back(b.origin, merged.size());
      queue_.pop_front();
    }
    busy_ = true;
    lock.unlock();

    std::size_t admitted = 0;
    std::size_t bad_total = 0;
    std::vector<std::size_t> bad(origins.size(), 0);  // bad signatures per origin run
    std::size_t run = 0;
    // The mempool refuses what exceeds its own batch limit; admit in slices.
    const std::size_t slice = std::max<std::size_t>(1, pool_.config().max_batch);
    for (std::size_t begin = 0; begin < merged.size(); begin += slice) {
      const std::size_t n = std::min(slice, merged.size() - begin);
      const auto results = pool_.submit_batch_encoded(
          std::span<const core::Bytes>(merged.data() + begin, n), now_ms_());
      for (std::size_t k = 0; k < results.size(); ++k) {
        const auto& r = results[k];
        admitted += r.ok() ? 1 : 0;
        if (r.rejection && r.rejection->error == MempoolError::kBadSignature) {
          while (begin + k >= origins[run].second) ++run;
          ++bad[run];
          ++bad_total;
        }
      }
    }
    if (admitted > 0 && on_admitted_) on_admitted_(admitted);
    if (bad_total > 0 && config_.on_bad_signature) {
      // One call per origin, however many of its batches were merged here.
      std::vector<std::pair<core::ed25519::PublicKey, std::size_t>> blamed;
      for (std::size_t i = 0; i < origins.size(); ++i) {
        if (bad[i] == 0) continue;
        auto it = std::find_if(blamed.begin(), blamed.end(),
                               [&](const auto& b) { return b.first == origins[i].first; });
        if (it == blamed.end()) {
          blamed.emplace_back(origins[i].first, bad[i]);
        } else {
          it->second += bad[i];
        }
      }
      for (const auto& [origin, count] : blamed) config_.on_bad_signature(origin, count);
    }

    lock.lock();
    busy_ = false;
    stats_.admitted += admitted;
    stats_.refused += merged.size() - admitted;
    stats_.bad_signatures += bad_total;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace bauhinia::mempool
