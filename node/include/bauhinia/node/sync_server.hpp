#pragma once
// Serves LedgerSyncRequests (sync_messages.hpp) on its own thread, off the
// consensus thread, reading the committed blocks from the thread-safe
// LedgerStore and ConsensusStore (reads run concurrently with a commit and
// never see part of a block). Requests wait in a small bounded queue (per
// peer and in total); beyond it they are dropped and counted. The caller
// rate-limits peers before offering (PeerRateLimiter, sync_liveness.hpp).
//
// A response is sized to max_response_bytes (the frame limit): it ends at a
// block with a commit certificate and carries at least one such run of
// blocks. When the peer announced a smaller frame (the send answers
// kTooLarge) the response is rebuilt with half the budget, down to one run.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/network/peer_manager.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/sync_liveness.hpp"
#include "bauhinia/node/sync_messages.hpp"

namespace bauhinia::node {

// The committed blocks after req.after_height (at most req.max_blocks and
// kMaxSyncBlocksPerResponse), ending at a block that has a commit
// certificate, whose encoding (with the kind byte) stays within max_bytes
// unless the first such run alone is larger. Empty when there is none.
LedgerSyncResponse build_ledger_sync_response(const ledger::LedgerStore& ledger,
                                              const ConsensusStore& consensus,
                                              const LedgerSyncRequest& req, std::size_t max_bytes);

struct SyncServerConfig {
  std::size_t max_response_bytes = 16U << 20;
  std::size_t max_queued = 64;          // requests waiting, all peers
  std::size_t max_queued_per_peer = 2;  // requests waiting, one peer
};

class SyncServer {
 public:
  using Send = std::function<network::SendResult(const PeerKey&, core::Bytes)>;
  // Bytes already queued towards the peer on the sync lane: a peer that does
  // not read its responses gets no more until they leave.
  using Backlog = std::function<std::size_t(const PeerKey&)>;

  SyncServer(SyncServerConfig config, const ledger::LedgerStore& ledger,
             const ConsensusStore& consensus, Send send, Backlog backlog);
  ~SyncServer();  // stop()
  SyncServer(const SyncServer&) = delete;
  SyncServer& operator=(const SyncServer&) = delete;

  void start();
  void stop();  // joins; requests still queued are dropped

  enum class Offer : std::uint8_t { kQueued, kQueueFull };
  Offer offer(const PeerKey& peer, const LedgerSyncRequest& req);

  struct Stats {
    std::uint64_t served = 0;
    std::uint64_t queue_full = 0;   // offered beyond the queue's bounds
    std::uint64_t backlogged = 0;   // the peer's earlier responses had not left yet
    std::uint64_t send_failed = 0;  // not connected, its queue full, or too large
  };
  Stats stats() const;

 private:
  struct Item {
    PeerKey peer;
    LedgerSyncRequest req;
  };
  void run();
  void serve(const Item& item);

  const SyncServerConfig config_;
  const ledger::LedgerStore& ledger_;
  const ConsensusStore& consensus_;
  const Send send_;
  const Backlog backlog_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  std::map<PeerKey, std::size_t> queued_per_peer_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace bauhinia::node
