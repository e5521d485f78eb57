#include "bauhinia/node/durable_acceptance.hpp"

#include <utility>

namespace bauhinia::node {

DurableAcceptance::DurableAcceptance(std::unique_ptr<TxJournal> journal, mempool::Mempool& pool,
                                     const ledger::LedgerStore& ledger,
                                     std::function<std::uint64_t()> now_ms)
    : journal_(std::move(journal)), pool_(pool), ledger_(ledger), now_ms_(std::move(now_ms)) {
  BAUHINIA_ASSERT(journal_ != nullptr);
  pool_.set_removal_listener([this](std::span<const mempool::Removal> removed) {
    const std::uint64_t now = now_ms_();
    for (const mempool::Removal& r : removed) journal_->settle(r.id, verdict_of(r, now));
  });
}

std::optional<TxVerdict> DurableAcceptance::verdict_of(const mempool::Removal& r,
                                                       std::uint64_t now_ms) {
  using R = mempool::RemovalReason;
  switch (r.reason) {
    case R::kCommitted: return std::nullopt;
    case R::kExpired:
      return TxVerdict{TxFate::kExpired, "expired",
                       "its expiry (" + std::to_string(r.expiry_ms) +
                           " ms) passed before a block took it; sign it again with a new expiry",
                       now_ms};
    case R::kReplaced:
      return TxVerdict{TxFate::kDropped, "replaced",
                       "another transaction of its sender committed with this sequence", now_ms};
    case R::kEvicted:
      return TxVerdict{TxFate::kDropped, "evicted",
                       "the mempool was full and this transaction could not be proposed yet (a gap "
                       "in its sender's sequence); submit it again",
                       now_ms};
    case R::kRemoved:
      return TxVerdict{TxFate::kDropped, "invalid", "left out of blocks as invalid", now_ms};
  }
  return std::nullopt;
}

core::Result<RestoreReport> DurableAcceptance::restore() {
  auto contents = journal_->load();
  if (!contents) return contents.error();
  RestoreReport report;
  report.journaled = contents->transactions.size();
  report.dropped = contents->corrupt.size();
  for (const auto& [id, why] : contents->corrupt) report.problems.push_back(why);
  std::vector<JournaledTx> back;
  for (JournaledTx& t : contents->transactions) {
    auto committed = ledger_.transaction_by_id(t.id);
    if (committed) {
      journal_->settle(t.id, std::nullopt);
      ++report.committed;
      continue;
    }
    if (committed.error().code() != core::StatusCode::kNotFound) return committed.error();
    const std::uint64_t now = now_ms_();
    const mempool::AdmitResult r = pool_.submit_encoded(t.bytes, now);
    if (r.ok() || r.rejection->error == mempool::MempoolError::kDuplicate) {
      ++report.readmitted;
      back.push_back(std::move(t));
      continue;
    }
    if (r.rejection->error == mempool::MempoolError::kStateUnavailable) {
      return core::Status::io_error("re-admitting journaled transaction " + t.id.to_hex() + ": " +
                                    r.rejection->to_string());
    }
    TxVerdict v;
    v.at_ms = now;
    if (r.rejection->error == mempool::MempoolError::kExpired) {
      v.fate = TxFate::kExpired;
      v.reason = "expired";
      v.detail = "expired while the node was down: " + r.rejection->to_string();
      ++report.expired;
    } else {
      v.fate = TxFate::kDropped;
      v.reason = r.rejection->error == mempool::MempoolError::kStaleSequence
                     ? "replaced"
                     : std::string(mempool::mempool_error_name(r.rejection->error));
      v.detail = "not admissible any more when the node restarted: " + r.rejection->to_string();
      ++report.dropped;
    }
    journal_->settle(t.id, std::move(v));
  }
  std::lock_guard lock(mutex_);
  restored_ = std::move(back);
  return report;
}

std::uint64_t DurableAcceptance::accepted(const core::Hash256& id, core::ByteView bytes) {
  return journal_->append(id, bytes);
}

std::vector<core::Bytes> DurableAcceptance::regossip() {
  std::vector<core::Bytes> out;
  std::lock_guard lock(mutex_);
  std::vector<JournaledTx> keep;
  for (JournaledTx& t : restored_) {
    if (!pool_.contains(t.id)) continue;  // committed or gone since
    out.push_back(t.bytes);
    keep.push_back(std::move(t));
  }
  restored_ = std::move(keep);
  return out;
}

}  // namespace bauhinia::node
