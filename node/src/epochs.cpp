#include "bauhinia/node/epochs.hpp"

#include <algorithm>
#include <string>

#include "bauhinia/consensus/sync_verify.hpp"
#include "bauhinia/execution/payload_check.hpp"

namespace bauhinia::node {

using core::Reject;
using core::reject;

core::Result<consensus::EpochContext> ledger_epoch_context(const ledger::LedgerStore& ledger) {
  consensus::EpochContext ctx;
  ctx.chain_id = ledger.chain_id();
  ctx.validators = ledger.current_validator_set();
  auto record = ledger.epoch(ctx.validators.epoch);
  if (!record) return std::move(record).error();
  if (record->first_height == 0) {
    ctx.epoch_root_id = ledger.genesis_id();
    ctx.epoch_root_height = 0;
    return ctx;
  }
  auto root = ledger.header(record->first_height - 1);
  if (!root) return std::move(root).error();
  if (!root->ends_epoch() || root->next_validator_set_hash != ctx.validators.hash()) {
    return core::Status::corruption("the root of epoch " + std::to_string(ctx.epoch()) +
                                    " does not name its validator set");
  }
  ctx.epoch_root_id = root->id();
  ctx.epoch_root_height = root->height;
  return ctx;
}

core::Result<consensus::RecoveryData> recovery_from_ledger(const ledger::LedgerStore& ledger,
                                                           const ConsensusStore& records) {
  auto ctx = ledger_epoch_context(ledger);
  if (!ctx) return std::move(ctx).error();
  consensus::RecoveryData r;
  r.epoch = std::move(ctx).value();
  r.root = ledger.latest_header();
  if (r.root.height == 0 || r.root.height == r.epoch.epoch_root_height) {
    r.root_qc = consensus::QuorumCert::for_epoch_root(r.epoch.chain_id, r.epoch.epoch(), r.root);
  }
  if (r.root.height > 0) {
    auto qcs = records.committed(r.root.height);
    if (!qcs) {
      return core::Status::corruption("the consensus records miss the latest block's QC: " +
                                      qcs.error().to_string());
    }
    if (r.root.height != r.epoch.epoch_root_height) r.root_qc = qcs->qc;
    r.commit_cert = qcs->commit_qc;
  }
  // Never install a root (hence high) QC that does not pass the checks of a
  // QC received in consensus and certify the root block.
  if (auto v = consensus::verify_recovery(r); !v) {
    return core::Status::corruption(
        "the consensus records of the committed block at height " + std::to_string(r.root.height) +
        " fail verification (" + v.rejection().to_string() +
        "): this data folder cannot be trusted; restore it or sync a fresh one");
  }
  return r;
}

core::Result<std::vector<consensus::CommittedRecord>> committed_history(
    const ledger::LedgerStore& ledger, const ConsensusStore& records, std::size_t count) {
  std::vector<consensus::CommittedRecord> out;
  const std::uint64_t latest = ledger.latest_height();
  for (std::uint64_t h = latest; h >= 1 && out.size() < count; --h) {
    auto header = ledger.header(h);
    if (!header) return std::move(header).error();
    auto qcs = records.committed(h);
    if (!qcs) break;  // records from before a catch-up may be absent: history starts after
    out.push_back(consensus::committed_record(*header, qcs->qc));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

core::Verdict verify_sync_response(const ledger::LedgerStore& ledger,
                                   const LedgerSyncResponse& resp) {
  if (resp.blocks.empty() || !resp.commit_qc) {
    return reject(Reject::kInvalid, "no blocks or no commit certificate");
  }
  auto ctx = ledger_epoch_context(ledger);
  if (!ctx) return reject(Reject::kInvalid, "this node's epoch: " + ctx.error().to_string());
  std::vector<consensus::CertifiedHeader> run;
  run.reserve(resp.blocks.size());
  for (const auto& b : resp.blocks) run.push_back({b.header, b.qc});
  if (auto v = consensus::verify_committed_run(run, *resp.commit_qc, *ctx); !v) return v;
  if (auto v = consensus::verify_extends(ledger.latest_header(), run.front()); !v) return v;
  for (std::size_t i = 0; i + 1 < resp.blocks.size(); ++i) {
    if (resp.blocks[i].header.ends_epoch()) {
      return reject(Reject::kInvalid, "the block at height " +
                                          std::to_string(resp.blocks[i].header.height) +
                                          " ends its epoch but is not the last of the response");
    }
  }
  for (const auto& b : resp.blocks) {
    if (auto v = execution::check_payload(b.header, b.payload); !v) return v;
  }
  return core::Verdict::accept();
}

std::optional<consensus::SyncResponse> answer_past_epoch(const ledger::LedgerStore& ledger,
                                                         const ConsensusStore& records,
                                                         const consensus::SyncRequest& request,
                                                         consensus::Epoch current_epoch) {
  if (request.epoch >= current_epoch) return std::nullopt;
  auto next = ledger.epoch(request.epoch + 1);
  if (!next || next->first_height == 0) return std::nullopt;
  const std::uint64_t end = next->first_height - 1;
  auto qcs = records.committed(end);
  if (!qcs || !qcs->commit_qc || qcs->commit_qc->epoch() != request.epoch) return std::nullopt;
  consensus::SyncResponse resp;
  resp.epoch = request.epoch;
  resp.block_id = request.block_id;
  resp.commit_cert = qcs->commit_qc;
  return resp;
}

}  // namespace bauhinia::node
