#include "bauhinia/node/sync_server.hpp"

#include <algorithm>
#include <iterator>

#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::node {

namespace {

core::Bytes tagged_response(const LedgerSyncResponse& resp) {
  core::Bytes body = core::encode(resp);
  core::Bytes out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<std::uint8_t>(SyncKind::kResponse));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

LedgerSyncResponse build_ledger_sync_response(const ledger::LedgerStore& ledger,
                                              const ConsensusStore& consensus,
                                              const LedgerSyncRequest& req, std::size_t max_bytes) {
  LedgerSyncResponse resp;
  const std::uint64_t latest = ledger.latest_height();
  // Nothing after the latest block (and after_height + 1 must not wrap to genesis).
  if (req.after_height >= latest) return resp;
  const std::uint32_t max = std::min(req.max_blocks, kMaxSyncBlocksPerResponse);
  std::vector<SyncedBlock> run;  // blocks since the last commit certificate
  // The kind byte, the block count and the optional's tag, with room to spare.
  constexpr std::size_t kOverhead = 16;
  std::size_t bytes = kOverhead;  // of resp (complete runs)
  std::size_t run_bytes = 0;      // of run
  for (std::uint64_t h = req.after_height + 1; h <= latest && resp.blocks.size() + run.size() < max;
       ++h) {
    auto header = ledger.header(h);
    auto txs = ledger.block_transactions(h);
    auto qcs = consensus.committed(h);
    if (!header || !txs || !qcs) break;
    execution::BlockPayload p;
    for (auto& t : *txs) p.transactions.push_back(std::move(t.transaction));
    SyncedBlock b{*header, p.transactions.empty() ? core::Bytes{} : core::encode(p), qcs->qc};
    run_bytes += core::encode(b).size();
    const std::size_t cert_bytes = qcs->commit_qc ? core::encode(*qcs->commit_qc).size() : 0;
    // A run that would not fit ends the response, unless it is the first.
    if (!resp.blocks.empty() && bytes + run_bytes + cert_bytes > max_bytes) break;
    run.push_back(std::move(b));
    if (qcs->commit_qc) {
      resp.blocks.insert(resp.blocks.end(), std::make_move_iterator(run.begin()),
                         std::make_move_iterator(run.end()));
      run.clear();
      bytes += run_bytes;
      run_bytes = 0;
      resp.commit_qc = qcs->commit_qc;
      if (bytes + cert_bytes >= max_bytes) break;
      // The requester checks a response against one epoch's set: the next
      // epoch's blocks go in the next response (docs/consensus.md).
      if (header->ends_epoch()) break;
    }
  }
  return resp;
}

SyncServer::SyncServer(SyncServerConfig config, const ledger::LedgerStore& ledger,
                       const ConsensusStore& consensus, Send send, Backlog backlog)
    : config_(config),
      ledger_(ledger),
      consensus_(consensus),
      send_(std::move(send)),
      backlog_(std::move(backlog)) {}

SyncServer::~SyncServer() {
  stop();
}

void SyncServer::start() {
  thread_ = std::thread([this] { run(); });
}

void SyncServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
    queued_per_peer_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SyncServer::Offer SyncServer::offer(const PeerKey& peer, const LedgerSyncRequest& req) {
  {
    std::lock_guard lock(mutex_);
    std::size_t& mine = queued_per_peer_[peer];
    if (stopping_ || queue_.size() >= config_.max_queued || mine >= config_.max_queued_per_peer) {
      if (mine == 0) queued_per_peer_.erase(peer);
      ++stats_.queue_full;
      return Offer::kQueueFull;
    }
    ++mine;
    queue_.push_back(Item{peer, req});
  }
  wake_.notify_one();
  return Offer::kQueued;
}

SyncServer::Stats SyncServer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void SyncServer::run() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      item = std::move(queue_.front());
      queue_.pop_front();
      if (auto it = queued_per_peer_.find(item.peer);
          it != queued_per_peer_.end() && --it->second == 0) {
        queued_per_peer_.erase(it);
      }
    }
    serve(item);
  }
}

void SyncServer::serve(const Item& item) {
  if (backlog_ && backlog_(item.peer) >= config_.max_response_bytes) {
    std::lock_guard lock(mutex_);
    ++stats_.backlogged;
    return;
  }
  std::size_t budget = config_.max_response_bytes;
  for (;;) {
    LedgerSyncResponse resp = build_ledger_sync_response(ledger_, consensus_, item.req, budget);
    const std::size_t blocks = resp.blocks.size();
    const network::SendResult r = send_(item.peer, tagged_response(resp));
    std::lock_guard lock(mutex_);
    if (r == network::SendResult::kQueued) {
      ++stats_.served;
      return;
    }
    // The peer announced a smaller frame: fewer blocks, down to one run.
    if (r == network::SendResult::kTooLarge && blocks > 1 && budget > 1024) {
      budget /= 2;
      continue;
    }
    ++stats_.send_failed;
    return;
  }
}

}  // namespace bauhinia::node
