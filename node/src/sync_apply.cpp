#include "bauhinia/node/sync_apply.hpp"

#include <utility>

#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/epochs.hpp"

namespace bauhinia::node {

std::string_view sync_apply_outcome_name(SyncApplyOutcome outcome) {
  switch (outcome) {
    case SyncApplyOutcome::kEmpty: return "empty";
    case SyncApplyOutcome::kStale: return "stale";
    case SyncApplyOutcome::kRefused: return "refused";
    case SyncApplyOutcome::kDisagrees: return "disagrees";
    case SyncApplyOutcome::kStorageError: return "storage_error";
    case SyncApplyOutcome::kCommitted: return "committed";
  }
  return "unknown";
}

SyncApplyResult apply_sync_response(execution::Pipeline& pipeline, const LedgerSyncResponse& resp) {
  SyncApplyResult out;
  if (resp.blocks.empty() || !resp.commit_qc) return out;
  const ledger::LedgerStore& ledger = pipeline.store();
  // A response that does not start at this ledger's head is stale (e.g. an
  // answer to an earlier request): dropped before any signature is checked.
  const chain::BlockHeader head = ledger.latest_header();
  const chain::BlockHeader& first = resp.blocks.front().header;
  if (first.parent_hash != head.id() || first.height != head.height + 1) {
    out.outcome = SyncApplyOutcome::kStale;
    return out;
  }
  // Everything a response carries is checked before anything is kept or
  // executed (epochs.hpp).
  if (auto v = verify_sync_response(ledger, resp); !v) {
    out.outcome = SyncApplyOutcome::kRefused;
    out.reason = v.rejection().to_string();
    return out;
  }
  ledger::WriteBatch records;
  out.blocks.reserve(resp.blocks.size());
  for (std::size_t i = 0; i < resp.blocks.size(); ++i) {
    const auto& b = resp.blocks[i];
    CommittedQcs qcs{b.qc, i + 1 == resp.blocks.size() ? resp.commit_qc : std::nullopt};
    ConsensusStore::add_committed(records, b.header.height, qcs);
    out.blocks.push_back({b.header, b.payload});
  }
  auto v = pipeline.commit(out.blocks, resp.commit_qc->certificate, &records);
  if (!v) {
    out.outcome = SyncApplyOutcome::kStorageError;
    out.reason = v.error().to_string();
  } else if (!*v) {
    out.outcome = SyncApplyOutcome::kDisagrees;
    out.reason = v->rejection().to_string();
  } else {
    out.outcome = SyncApplyOutcome::kCommitted;
    return out;
  }
  out.blocks.clear();
  return out;
}

}  // namespace bauhinia::node
