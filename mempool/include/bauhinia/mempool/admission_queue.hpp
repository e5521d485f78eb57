#pragma once
// Inbound transaction gossip, admitted off the network's delivery thread.
//
// The delivery thread push()es a peer's batch and returns at once; one worker
// thread takes the queued batches in arrival order, merges consecutive ones up
// to max_merge_transactions, and admits them with
// Mempool::submit_batch_encoded (signatures verified in parallel on the
// mempool's VerifierPool). So consensus messages, delivered by the same
// network thread, never wait for signature verification of gossip.
//
// Bounds: at most max_transactions and max_bytes wait. A batch that does not
// fit is dropped whole and counted (gossip is best effort: a dropped
// transaction is still in its origin's mempool, and execution verifies any
// block transaction this node has not seen). Never blocks the caller.
//
// Order: batches are admitted in push order by one thread, so the
// transactions of an account that one peer sent in sequence order are
// admitted in that order — except that batches pushed with an OnVerified hook
// (certified gossip: other validators wait for this node's acknowledgement)
// go ahead of the others; a transaction admitted ahead of an earlier sequence
// waits in the mempool as not yet proposable.
//
// Blame: each batch names its origin (the peer that sent it). A transaction
// whose BIP-340 signature does not verify is provable misbehaviour of the
// peer that sent it (an honest node forwards only transactions its own
// mempool admitted, after verifying their signatures; docs/network.md,
// "Transaction gossip"): on_bad_signature is called once per origin and
// admission call that held any, with how many.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/mempool/mempool.hpp"

namespace bauhinia::mempool {

struct AdmissionQueueConfig {
  std::size_t max_transactions = 50'000;          // waiting in total
  std::size_t max_bytes = std::size_t{64} << 20;  // waiting in total (encoded)
  std::size_t max_merge_transactions = 2'000;     // per submit_batch_encoded call
  ThreadStart on_thread_start;                    // first thing on the worker thread
  // On the worker, outside the queue's lock: `origin` sent `count`
  // transactions whose signature does not verify (MempoolError::kBadSignature).
  std::function<void(const core::ed25519::PublicKey& origin, std::size_t count)> on_bad_signature;
};

struct AdmissionQueueStats {
  std::uint64_t batches = 0;          // pushed and queued
  std::uint64_t dropped_batches = 0;  // refused: the queue was full or stopping
  std::uint64_t dropped_transactions = 0;
  std::uint64_t admitted = 0;        // transactions the mempool accepted
  std::uint64_t refused = 0;         // transactions the mempool refused (duplicates included)
  std::uint64_t bad_signatures = 0;  // of the refused: the signature did not verify
};

class AdmissionQueue {
 public:
  // Clock for admission (expiry checks), in ms since the epoch.
  using Clock = std::function<std::uint64_t()>;
  // Called on the worker after each admission call that admitted at least one
  // transaction, with how many.
  using OnAdmitted = std::function<void(std::size_t admitted)>;

  AdmissionQueue(AdmissionQueueConfig config, Mempool& pool, Clock now_ms, OnAdmitted on_admitted);
  ~AdmissionQueue();  // stop()
  AdmissionQueue(const AdmissionQueue&) = delete;
  AdmissionQueue& operator=(const AdmissionQueue&) = delete;

  // Called on the worker after the batch's admission: true when every
  // transaction in it is one whose signature this node verified (or already
  // knew: a duplicate) and found valid — what a BatchAck states. False when
  // any was malformed, expired, over a limit before its check, or forged.
  using OnVerified = std::function<void(bool all_signatures_valid)>;

  // Queues a batch of encoded transactions (moved from on success) that
  // `origin` sent. False: dropped, the queue is full (or stopped).
  bool push(std::vector<core::Bytes>& transactions, const core::ed25519::PublicKey& origin = {},
            OnVerified on_verified = {});
  // Joins the worker; what still waits is dropped. Idempotent.
  void stop();
  // Blocks until everything pushed so far was admitted (tests, shutdown).
  void drain();

  AdmissionQueueStats stats() const;

 private:
  struct Batch {
    std::vector<core::Bytes> transactions;
    std::size_t bytes = 0;
    core::ed25519::PublicKey origin;
    OnVerified on_verified;
  };
  void run();

  const AdmissionQueueConfig config_;
  Mempool& pool_;
  const Clock now_ms_;
  const OnAdmitted on_admitted_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Batch> queue_;   // guarded by mutex_
  std::deque<Batch> urgent_;  // guarded by mutex_: batches with an OnVerified hook, taken first
  std::size_t queued_transactions_ = 0;
  std::size_t queued_bytes_ = 0;
  bool busy_ = false;  // the worker is admitting
  bool stopping_ = false;
  AdmissionQueueStats stats_;
  std::thread thread_;
};

}  // namespace bauhinia::mempool
