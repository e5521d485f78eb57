// issue_ticket: the producer of chemical waste completes its part of a
// trip-ticket. The sender must be the own account of a live company in the
// company register (company::CompanyRecord::account); the collector must hold
// environment.waste_collector and the destination environment.reception_point.

#include "bauhinia/contracts/company/liveness.hpp"
#include "bauhinia/contracts/environment/module.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

CallResult apply_issue_ticket(CallContext& call, StateView& state) {
  TicketArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (!valid_ticket_number(args.number)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_ticket_number",
                "issue_ticket: a ticket number is 1-24 characters of A-Z, 0-9 and '-'");
  }
  auto cr = company::canonical_cr_number(args.producer_cr);
  if (!cr) {
    return fail(TxOutcome::kInvalidArgument, "invalid_cr_number",
                "issue_ticket: '" + args.producer_cr + "' is not a CR number");
  }
  const auto producer = company::load_company(state, *cr);
  if (!producer || !company::is_live_status(producer->status)) {
    return fail(TxOutcome::kFailedPrecondition, "company_not_live",
                "issue_ticket: company " + *cr + " is not a live company in the company register");
  }
  if (producer->account != call.sender()) {
    return fail(TxOutcome::kUnauthorized, "not_company_account",
                "issue_ticket: the sender is not the account of company " + *cr);
  }
  if (args.declared_kg == 0 || args.declared_kg > kMaxQuantityKg) {
    return fail(
        TxOutcome::kInvalidArgument, "invalid_quantity",
        "issue_ticket: the declared quantity is 1.." + std::to_string(kMaxQuantityKg) + " kg");
  }
  if (args.from_premises.empty()) {
    return fail(TxOutcome::kInvalidArgument, "premises_missing",
                "issue_ticket: the producer's premises are required");
  }
  if (CallResult r = check_text(call, args.from_premises, "from_premises"); !r.ok()) return r;
  if (!system::has_role(state, args.collector, kCollectorRole)) {
    return fail(TxOutcome::kFailedPrecondition, "not_licensed_collector",
                "issue_ticket: the collector does not hold " + std::string(kCollectorRole));
  }
  if (!system::has_role(state, args.reception_point, kReceptionRole)) {
    return fail(TxOutcome::kFailedPrecondition, "not_reception_point",
                "issue_ticket: the destination does not hold " + std::string(kReceptionRole));
  }
  if (state.read_own(ticket_key(args.number))) {
    return fail(TxOutcome::kAlreadyExists, "ticket_exists",
                "issue_ticket: ticket " + args.number + " already exists");
  }
  std::uint64_t deadline = 0;
  if (CallResult r = read_param(state, kTicketDeadlineMs, deadline); !r.ok()) return r;
  TicketRecord t;
  t.number = args.number;
  t.producer = call.sender();
  t.producer_cr = *cr;
  t.waste_type = args.waste_type;
  t.declared_kg = args.declared_kg;
  t.from_premises = args.from_premises;
  t.reception_point = args.reception_point;
  t.collector = args.collector;
  t.status = TicketStatus::kIssued;
  t.issued_ms = call.block().timestamp_ms;
  t.issued_height = call.block().height;
  t.deadline_ms = t.issued_ms + deadline;
  if (CallResult r = save_ticket(state, nullptr, t); !r.ok()) return r;
  call.mention_account(t.collector);
  call.mention_account(t.reception_point);
  call.emit("ticket_issued", ticket_key(t.number),
            core::encode(TicketEvent{t.number, t.status, t.declared_kg, 0, t.deadline_ms}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::environment::detail
