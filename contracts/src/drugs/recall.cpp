// recall: the regulator recalls a batch. The batch is marked (every later
// transfer is refused) and each account holding units of it at that moment
// gets a recall notice record, an entry in its list of recalls and a
// "recall_notice" event — all in the same transaction, so the recall reaches
// every current holder or does not happen. acknowledge_recall: a holder
// confirms it received its notice.

#include <vector>

#include "internal.hpp"

namespace bauhinia::contracts::drugs::detail {

namespace {

// The batch's current holdings, in the holders list's order.
CallResult current_holdings(const StateView& state, const BatchRecord& b,
                            std::vector<HoldingRecord>& out) {
  const IndexList holders = holders_list(b.regno, b.batch);
  for (std::uint32_t page = 0;; ++page) {
    QueryAnswer a = holders.answer_page(state, page);
    for (const QueryRecord& r : a.related) {
      if (!r.value) continue;
      auto h = core::decode<HoldingRecord>(*r.value);
      if (!h) {
        return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                    "a stored holding of batch " + b.batch + " does not decode");
      }
      if (h->quantity > 0) out.push_back(std::move(*h));
    }
    if (!a.next_page) return CallResult::success();
  }
}

}  // namespace

CallResult apply_recall(CallContext& call, StateView& state) {
  RecallArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  if (CallResult r = require_regulator(call, state); !r.ok()) return r;
  BatchRecord b;
  if (CallResult r = load_batch(state, a.regno, a.batch, b); !r.ok()) return r;
  if (b.recall) {
    return fail(TxOutcome::kFailedPrecondition, "already_recalled",
                "recall: batch " + b.batch + " of " + b.regno + " is already recalled");
  }
  std::vector<HoldingRecord> holdings;
  if (CallResult r = current_holdings(state, b, holdings); !r.ok()) return r;

  Recall recall;
  recall.recall_class = a.recall_class;
  recall.level = a.level;
  recall.reason = a.reason;
  recall.recalled_ms = call.block().timestamp_ms;
  recall.height = call.block().height;
  recall.transaction_id = call.transaction_id();
  recall.notices = static_cast<std::uint32_t>(holdings.size());
  b.recall = recall;
  const Bytes key = batch_key(b.regno, b.batch);
  state.write(key, core::encode(b));
  call.emit("batch_recalled", key,
            core::encode(
                RecallEvent{b.regno, b.batch, a.recall_class, a.level, a.reason, recall.notices}));

  for (std::uint32_t i = 0; i < holdings.size(); ++i) {
    const HoldingRecord& h = holdings[i];
    RecallNoticeRecord n;
    n.regno = b.regno;
    n.batch = b.batch;
    n.index = i;
    n.holder = h.holder;
    n.quantity = h.quantity;
    n.recall_class = a.recall_class;
    n.level = a.level;
    n.reason = a.reason;
    n.recalled_ms = recall.recalled_ms;
    const Bytes nkey = notice_key(b.regno, b.batch, i);
    state.write(nkey, core::encode(n));
    if (CallResult r = recalls_list(h.holder).add(state, nkey); !r.ok()) return r;
    call.emit("recall_notice", nkey,
              core::encode(NoticeEvent{b.regno, b.batch, i, h.holder, h.quantity}));
  }
  return CallResult::success();
}

CallResult apply_acknowledge(CallContext& call, StateView& state) {
  NoticeArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  RecallNoticeRecord n;
  if (CallResult r = load_notice(state, a.regno, a.batch, a.index, n); !r.ok()) return r;
  if (n.holder != call.sender()) {
    return fail(TxOutcome::kUnauthorized, "not_notice_holder",
                "acknowledge_recall: the notice is addressed to another account");
  }
  if (n.acknowledged_ms != 0) {
    return fail(TxOutcome::kAlreadyExists, "already_acknowledged",
                "acknowledge_recall: the notice was acknowledged already");
  }
  n.acknowledged_ms = call.block().timestamp_ms;
  const Bytes key = notice_key(a.regno, a.batch, a.index);
  state.write(key, core::encode(n));
  call.emit("recall_acknowledged", key,
            core::encode(NoticeEvent{n.regno, n.batch, n.index, n.holder, n.quantity}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::drugs::detail
