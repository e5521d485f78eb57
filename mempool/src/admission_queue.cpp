#include "bauhinia/mempool/admission_queue.hpp"

#include <algorithm>
#include <span>
#include <utility>

#include "bauhinia/core/status.hpp"

namespace bauhinia::mempool {

namespace {
// Was the signature of a transaction refused with `e` verified valid (or
// known) first? Admission checks format, chain, expiry, batch size and
// duplicates before the signature, the account and the policy after it.
bool signature_checked(MempoolError e) {
  switch (e) {
    case MempoolError::kDuplicate:  // the pending copy (same bytes) was checked
    case MempoolError::kStateUnavailable:
    case MempoolError::kUnknownAccount:
    case MempoolError::kWrongKey:
    case MempoolError::kStaleSequence:
    case MempoolError::kSequenceTooFar:
    case MempoolError::kSequenceTaken:
    case MempoolError::kAccountFull:
    case MempoolError::kPolicy: return true;
    default: return false;  // kMempoolFull too: it may come before the check
  }
}
}  // namespace

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
                          const core::ed25519::PublicKey& origin, OnVerified on_verified) {
  if (transactions.empty()) return true;
  std::size_t bytes = 0;
  for (const auto& t : transactions) bytes += t.size();
  {
    const std::lock_guard lock(mutex_);
    // An empty queue takes any batch, so one large batch cannot wedge it.
    const bool fits = (queue_.empty() && urgent_.empty()) ||
                      (queued_transactions_ + transactions.size() <= config_.max_transactions &&
                       queued_bytes_ + bytes <= config_.max_bytes);
    if (stopping_ || !fits) {
      ++stats_.dropped_batches;
      stats_.dropped_transactions += transactions.size();
      return false;
    }
    queued_transactions_ += transactions.size();
    queued_bytes_ += bytes;
    ++stats_.batches;
    // A batch with a hook is one other validators wait on (its
    // acknowledgement): it goes ahead of the others.
    auto& lane = on_verified ? urgent_ : queue_;
    lane.push_back(Batch{std::move(transactions), bytes, origin, std::move(on_verified)});
  }
  wake_.notify_one();
  return true;
}

void AdmissionQueue::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
    urgent_.clear();
    queued_transactions_ = queued_bytes_ = 0;
  }
  wake_.notify_one();
  idle_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AdmissionQueue::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (queue_.empty() && urgent_.empty() && !busy_); });
}

AdmissionQueueStats AdmissionQueue::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

void AdmissionQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || !urgent_.empty(); });
    if (stopping_) return;
    std::deque<Batch>& lane = urgent_.empty() ? queue_ : urgent_;
    // Merge consecutive batches (whole ones) into one admission call, so the
    // verifier pool gets enough work to keep every core busy.
    std::vector<core::Bytes> merged = std::move(lane.front().transactions);
    // Who sent which transactions: (origin, end of its run in `merged`).
    std::vector<std::pair<core::ed25519::PublicKey, std::size_t>> origins{
        {lane.front().origin, merged.size()}};
    std::vector<OnVerified> verified_hooks{std::move(lane.front().on_verified)};
    queued_transactions_ -= merged.size();
    queued_bytes_ -= lane.front().bytes;
    lane.pop_front();
    while (!lane.empty() &&
           merged.size() + lane.front().transactions.size() <= config_.max_merge_transactions) {
      Batch& b = lane.front();
      queued_transactions_ -= b.transactions.size();
      queued_bytes_ -= b.bytes;
      merged.insert(merged.end(), std::make_move_iterator(b.transactions.begin()),
                    std::make_move_iterator(b.transactions.end()));
      origins.emplace_back(b.origin, merged.size());
      verified_hooks.push_back(std::move(b.on_verified));
      lane.pop_front();
    }
    busy_ = true;
    lock.unlock();

    std::size_t admitted = 0;
    std::size_t bad_total = 0;
    std::vector<std::size_t> bad(origins.size(), 0);  // bad signatures per origin run
    std::size_t run = 0;
    // Per run: did any transaction fail before or at its signature check?
    std::vector<bool> unverified(origins.size(), false);
    std::size_t hook_run = 0;
    // The mempool refuses what exceeds its own batch limit; admit in slices.
    const std::size_t slice = std::max<std::size_t>(1, pool_.config().max_batch);
    for (std::size_t begin = 0; begin < merged.size(); begin += slice) {
      const std::size_t n = std::min(slice, merged.size() - begin);
      const auto results = pool_.submit_batch_encoded(
          std::span<const core::Bytes>(merged.data() + begin, n), now_ms_());
      for (std::size_t k = 0; k < results.size(); ++k) {
        const auto& r = results[k];
        admitted += r.ok() ? 1 : 0;
        if (r.rejection && !signature_checked(r.rejection->error)) {
          while (begin + k >= origins[hook_run].second) ++hook_run;
          unverified[hook_run] = true;
        }
        if (r.rejection && r.rejection->error == MempoolError::kBadSignature) {
          while (begin + k >= origins[run].second) ++run;
          ++bad[run];
          ++bad_total;
        }
      }
    }
    for (std::size_t i = 0; i < origins.size(); ++i) {
      if (verified_hooks[i]) verified_hooks[i](!unverified[i]);
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
    if (queue_.empty() && urgent_.empty()) idle_.notify_all();
  }
}

}  // namespace bauhinia::mempool
