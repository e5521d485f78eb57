// The trip-ticket's custody: the named licensed collector records the
// collection, the named reception point the receipt and the measured weight.
// A weight outside the tolerance, or a ticket not received before its
// deadline, is flagged (record, event, the "flagged" list). flag_overdue lets
// anyone mark a ticket whose deadline has passed, since modules have no clock
// (docs/contracts/environment.md, "Overdue tickets").
//
//   from \ call   record_collection  record_receipt  flag_overdue (t >= deadline)
//   issued        collected          —               overdue flag
//   collected     —                  received        overdue flag
//   received      —                  —               —

#include "bauhinia/contracts/environment/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

namespace {

CallResult illegal(const CallContext& call, const TicketRecord& t, std::string_view to) {
  return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
              call.tx().call + ": ticket " + t.number + " cannot go from " +
                  std::string(ticket_status_name(t.status)) + " to " + std::string(to));
}

TicketEvent event_of(const TicketRecord& t) {
  return TicketEvent{t.number, t.status, t.declared_kg, t.measured_kg, t.deadline_ms};
}

// The weight differs from the declared quantity by more than tolerance_bp
// basis points of it (integer arithmetic: both sides fit in 64 bits).
bool outside_tolerance(std::uint64_t declared, std::uint64_t measured, std::uint64_t bp) {
  const std::uint64_t diff = declared > measured ? declared - measured : measured - declared;
  return diff * 10'000 > bp * declared;
}

}  // namespace

CallResult apply_record_collection(CallContext& call, StateView& state) {
  CollectionArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  TicketRecord t;
  if (CallResult r = load_ticket(state, args.number, t); !r.ok()) return r;
  if (call.sender() != t.collector) {
    return fail(TxOutcome::kUnauthorized, "not_ticket_collector",
                "record_collection: the sender is not the collector named on " + t.number);
  }
  if (CallResult r = require_role(call, state, kCollectorRole, "not_licensed_collector"); !r.ok()) {
    return r;
  }
  if (t.status != TicketStatus::kIssued) return illegal(call, t, "collected");
  if (args.vehicle.empty()) {
    return fail(TxOutcome::kInvalidArgument, "vehicle_missing",
                "record_collection: the collection vehicle is required");
  }
  if (CallResult r = check_text(call, args.vehicle, "vehicle"); !r.ok()) return r;
  const TicketRecord before = t;
  t.status = TicketStatus::kCollected;
  t.collected_ms = call.block().timestamp_ms;
  t.vehicle = args.vehicle;
  if (CallResult r = save_ticket(state, &before, t); !r.ok()) return r;
  call.mention_account(t.producer);
  call.emit("ticket_collected", ticket_key(t.number), core::encode(event_of(t)));
  return CallResult::success();
}

CallResult apply_record_receipt(CallContext& call, StateView& state) {
  ReceiptArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  TicketRecord t;
  if (CallResult r = load_ticket(state, args.number, t); !r.ok()) return r;
  if (call.sender() != t.reception_point) {
    return fail(TxOutcome::kUnauthorized, "not_ticket_reception_point",
                "record_receipt: the sender is not the reception point named on " + t.number);
  }
  if (CallResult r = require_role(call, state, kReceptionRole, "not_reception_point"); !r.ok()) {
    return r;
  }
  if (t.status != TicketStatus::kCollected) return illegal(call, t, "received");
  if (args.measured_kg > kMaxQuantityKg) {
    return fail(
        TxOutcome::kInvalidArgument, "invalid_quantity",
        "record_receipt: the measured weight is at most " + std::to_string(kMaxQuantityKg) + " kg");
  }
  std::uint64_t bp = 0;
  if (CallResult r = read_param(state, kWeightToleranceBp, bp); !r.ok()) return r;
  const std::uint64_t now = call.block().timestamp_ms;
  const TicketRecord before = t;
  t.status = TicketStatus::kReceived;
  t.received_ms = now;
  t.measured_kg = args.measured_kg;
  t.tolerance_bp = static_cast<std::uint32_t>(bp);
  t.weight_mismatch = outside_tolerance(t.declared_kg, t.measured_kg, bp);
  const bool newly_overdue = !t.overdue && now >= t.deadline_ms;
  t.overdue = t.overdue || newly_overdue;
  if (t.flagged() && t.flagged_ms == 0) t.flagged_ms = now;
  if (CallResult r = save_ticket(state, &before, t); !r.ok()) return r;
  call.mention_account(t.producer);
  call.mention_account(t.collector);
  call.emit("ticket_received", ticket_key(t.number), core::encode(event_of(t)));
  if (t.weight_mismatch) {
    call.emit("weight_mismatch_flagged", ticket_key(t.number), core::encode(event_of(t)));
  }
  if (newly_overdue) {
    call.emit("overdue_flagged", ticket_key(t.number), core::encode(event_of(t)));
  }
  return CallResult::success();
}

// flag_overdue: anyone, once the block's time reaches the deadline of a
// ticket not yet received.
CallResult apply_flag_overdue(CallContext& call, StateView& state) {
  TicketNumberArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  TicketRecord t;
  if (CallResult r = load_ticket(state, args.number, t); !r.ok()) return r;
  if (t.status == TicketStatus::kReceived) {
    return fail(TxOutcome::kFailedPrecondition, "ticket_complete",
                "flag_overdue: ticket " + t.number + " was received");
  }
  if (t.overdue) {
    return fail(TxOutcome::kAlreadyExists, "already_flagged",
                "flag_overdue: ticket " + t.number + " is already flagged overdue");
  }
  const std::uint64_t now = call.block().timestamp_ms;
  if (now < t.deadline_ms) {
    return fail(
        TxOutcome::kFailedPrecondition, "not_overdue",
        "flag_overdue: ticket " + t.number + " is due by " + std::to_string(t.deadline_ms) + " ms");
  }
  const TicketRecord before = t;
  t.overdue = true;
  if (t.flagged_ms == 0) t.flagged_ms = now;
  if (CallResult r = save_ticket(state, &before, t); !r.ok()) return r;
  call.mention_account(t.producer);
  call.mention_account(t.collector);
  call.mention_account(t.reception_point);
  call.emit("overdue_flagged", ticket_key(t.number), core::encode(event_of(t)));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::environment::detail
