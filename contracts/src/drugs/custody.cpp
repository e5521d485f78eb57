// transfer and return_recalled: a quantity of a batch moves from one holder
// to another. Both sides sign: the supplier submits the transaction (and is
// the terms' `from`), the receiver co-signs the terms (cosignature.hpp).
//
// Legal directions (the capacity each side acts in, from its roles):
//   transfer         manufacturer/importer (the product's holder) -> wholesaler,
//                    wholesaler -> wholesaler, wholesaler -> dispenser
//   return_recalled  dispenser -> wholesaler, wholesaler -> wholesaler,
//                    wholesaler -> the product's holder (manufacturer/importer)
// A transfer of a recalled or expired batch is refused; a return is only of a
// recalled batch. Quantities move, never appear: the sender's holding drops by
// exactly what the receiver's rises.

#include <array>

#include "bauhinia/contracts/drugs/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::drugs::detail {

namespace {

using R = TraderRole;

struct Direction {
  TraderRole from;
  TraderRole to;
};
constexpr std::array<Direction, 4> kSupply{{{R::kManufacturer, R::kWholesaler},
                                            {R::kImporter, R::kWholesaler},
                                            {R::kWholesaler, R::kWholesaler},
                                            {R::kWholesaler, R::kDispenser}}};
constexpr std::array<Direction, 4> kReturn{{{R::kDispenser, R::kWholesaler},
                                            {R::kWholesaler, R::kWholesaler},
                                            {R::kWholesaler, R::kManufacturer},
                                            {R::kWholesaler, R::kImporter}}};

bool is_holder_role(TraderRole r) {
  return r == R::kManufacturer || r == R::kImporter;
}

// The first legal direction the two accounts' roles allow. A manufacturer or
// importer acts as such only for the product it holds.
CallResult choose_direction(const StateView& state, const ProductRecord& product,
                            const TransferTerms& t, CustodyStep step, Direction& out) {
  const auto& table = step == CustodyStep::kReturn ? kReturn : kSupply;
  auto acts_as = [&](const core::AccountId& a, TraderRole r) {
    if (is_holder_role(r) && a != product.holder) return false;
    return has_trader_role(state, a, r);
  };
  bool sender_licensed = false;
  for (const Direction& d : table) {
    if (!acts_as(t.from, d.from)) continue;
    sender_licensed = true;
    if (acts_as(t.to, d.to)) {
      out = d;
      return CallResult::success();
    }
  }
  const std::string call = step == CustodyStep::kReturn ? "return_recalled" : "transfer";
  if (!sender_licensed) {
    return fail(TxOutcome::kUnauthorized, "sender_not_licensed",
                call + ": the sender holds no role that may " +
                    (step == CustodyStep::kReturn ? "return" : "supply") + " this batch");
  }
  return fail(TxOutcome::kFailedPrecondition, "illegal_direction",
              call + ": the receiver holds no role this sender may " +
                  (step == CustodyStep::kReturn ? "return to" : "supply") +
                  " (manufacturer/importer -> wholesaler -> dispenser)");
}

// The sender's notice of the batch's recall, if it had one: counts the return.
void count_return(StateView& state, const BatchRecord& b, const core::AccountId& holder,
                  std::uint64_t quantity) {
  if (!b.recall) return;
  for (std::uint32_t i = 0; i < b.recall->notices; ++i) {
    RecallNoticeRecord n;
    if (!load_notice(state, b.regno, b.batch, i, n).ok() || n.holder != holder) continue;
    n.returned += quantity;
    state.write(notice_key(b.regno, b.batch, i), core::encode(n));
    return;
  }
}

CallResult custody_step(CallContext& call, StateView& state, CustodyStep step) {
  const std::string& name = call.tx().call;
  TransferPayload p;
  if (CallResult r = decode_args(call.tx(), p); !r.ok()) return r;
  const TransferTerms& t = p.terms;
  BatchRecord b;
  if (CallResult r = load_batch(state, t.regno, t.batch, b); !r.ok()) return r;
  ProductRecord product;
  if (CallResult r = load_product(state, t.regno, product); !r.ok()) return r;
  if (t.from != call.sender()) {
    return fail(TxOutcome::kUnauthorized, "not_sender",
                name + ": the terms' sender (from) is not the account submitting them");
  }
  if (t.to == t.from) {
    return fail(TxOutcome::kInvalidArgument, "same_party", name + ": from and to are the same");
  }
  if (t.quantity == 0 || t.quantity > kMaxQuantity) {
    return fail(TxOutcome::kInvalidArgument, "invalid_quantity",
                name + ": the quantity must be 1 to " + std::to_string(kMaxQuantity));
  }
  if (CallResult r = check_cosignatures(call, state, core::encode(t), p.cosignatures); !r.ok()) {
    return r;
  }
  if (!cosigned_by(p.cosignatures, t.to)) {
    return fail(TxOutcome::kUnauthorized, "receiver_not_cosigned",
                name + ": the receiver has not co-signed the terms");
  }
  if (p.cosignatures.size() != 1) {
    return fail(TxOutcome::kInvalidArgument, "unexpected_cosigner",
                name + ": only the receiver co-signs a custody step");
  }
  if (step == CustodyStep::kTransfer) {
    if (b.recall) {
      return fail(TxOutcome::kFailedPrecondition, "batch_recalled",
                  name + ": batch " + b.batch + " of " + b.regno + " is recalled (" +
                      std::string(recall_reason_name(b.recall->reason)) + ")");
    }
    if (call.block().timestamp_ms >= b.expiry_ms) {
      return fail(TxOutcome::kFailedPrecondition, "batch_expired",
                  name + ": batch " + b.batch + " of " + b.regno + " has expired");
    }
  } else if (!b.recall) {
    return fail(TxOutcome::kFailedPrecondition, "batch_not_recalled",
                name + ": batch " + b.batch + " of " + b.regno + " is not recalled");
  }
  Direction d{};
  if (CallResult r = choose_direction(state, product, t, step, d); !r.ok()) return r;

  const std::uint64_t held = holding_of(state, b, t.from);
  if (held < t.quantity) {
    return fail(TxOutcome::kFailedPrecondition, "insufficient_holding",
                name + ": the sender holds " + std::to_string(held) + " units of the batch, not " +
                    std::to_string(t.quantity));
  }
  const std::uint64_t received = holding_of(state, b, t.to);
  if (received == 0) {
    std::uint64_t max_holders = 0;
    if (CallResult r = read_param(state, kMaxHoldersPerBatch, max_holders); !r.ok()) return r;
    const std::uint64_t holders = holders_list(b.regno, b.batch).size(state);
    // The sender drops out when it passes on everything it holds.
    const std::uint64_t after = holders + 1 - (held == t.quantity ? 1 : 0);
    if (after > max_holders) {
      return fail(TxOutcome::kLimitExceeded, "too_many_holders",
                  name + ": the batch already has " + std::to_string(holders) +
                      " holders (drugs.max_holders_per_batch)");
    }
  }
  if (CallResult r = set_holding(call, state, b, t.from, held - t.quantity); !r.ok()) return r;
  if (CallResult r = set_holding(call, state, b, t.to, received + t.quantity); !r.ok()) return r;
  if (step == CustodyStep::kReturn) count_return(state, b, t.from, t.quantity);

  CustodyRecord c;
  c.step = step;
  c.from = t.from;
  c.from_role = d.from;
  c.to = t.to;
  c.to_role = d.to;
  c.quantity = t.quantity;
  c.time_ms = call.block().timestamp_ms;
  c.height = call.block().height;
  c.transaction_id = call.transaction_id();
  c.document_hash = t.document_hash;
  append_custody(state, b, c);
  const std::uint32_t index = b.custody_size - 1;
  state.write(batch_key(b.regno, b.batch), core::encode(b));
  mention_cosigners(call, p.cosignatures);
  call.emit(step == CustodyStep::kReturn ? "returned" : "transferred",
            custody_key(b.regno, b.batch, index),
            core::encode(CustodyEvent{b.regno, b.batch, index, t.from, t.to, t.quantity}));
  return CallResult::success();
}

}  // namespace

CallResult apply_transfer(CallContext& call, StateView& state) {
  return custody_step(call, state, CustodyStep::kTransfer);
}

CallResult apply_return(CallContext& call, StateView& state) {
  return custody_step(call, state, CustodyStep::kReturn);
}

}  // namespace bauhinia::contracts::drugs::detail
