#pragma once
// Shared helpers of the environment module's sources (not a public header).

#include <string>
#include <string_view>

#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::environment::detail {

using chain::TxOutcome;

inline CallResult fail(TxOutcome outcome, std::string_view reason, std::string detail) {
  return CallResult::failure(outcome, std::string(reason), std::move(detail));
}

// Decodes the call's payload: malformed_payload, or field_too_large for a
// field beyond its declared limit.
template <class T>
CallResult decode_args(const chain::Transaction& tx, T& out) {
  auto args = core::decode<T>(tx.payload);
  if (!args) {
    const bool too_large = args.error().reason == core::Reject::kTooLarge;
    return fail(too_large ? TxOutcome::kLimitExceeded : TxOutcome::kInvalidArgument,
                too_large ? "field_too_large" : "malformed_payload",
                tx.call + ": " + args.error().to_string());
  }
  out = std::move(*args);
  return CallResult::success();
}

CallResult require_role(const CallContext& call, const StateView& state, std::string_view role,
                        std::string_view reason);
CallResult require_officer(const CallContext& call, const StateView& state);
CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out);
// A document hash must be given (not all zero): missing_document.
CallResult require_document(const CallContext& call, const core::Hash256& hash,
                            std::string_view what);
// Well-formed UTF-8 without control characters: invalid_text.
CallResult check_text(const CallContext& call, std::string_view text, std::string_view field);

// The next number PREFIX-NNN/YYYY for the block's Hong Kong year (records the counter).
CallResult next_number(const CallContext& call, StateView& state, std::string_view prefix,
                       std::string& out);

CallResult load_project(const StateView& state, std::string_view number, ProjectRecord& out);
// Writes `after` and moves it between the proponent and status lists
// (nullptr: a new project).
CallResult save_project(StateView& state, const ProjectRecord* before, const ProjectRecord& after);
CallResult load_permit(const StateView& state, std::string_view number, PermitRecord& out);
CallResult save_permit(StateView& state, const PermitRecord* before, const PermitRecord& after);
CallResult load_ticket(const StateView& state, std::string_view number, TicketRecord& out);
CallResult save_ticket(StateView& state, const TicketRecord* before, const TicketRecord& after);

IndexList proponent_list(const core::AccountId& account);
IndexList project_status_list(ProjectStatus status);
IndexList holder_list(const core::AccountId& account);
IndexList producer_list(const core::AccountId& account);
IndexList collector_list(const core::AccountId& account);
IndexList reception_list(const core::AccountId& account);
IndexList flagged_list();

CallResult illegal_project_transition(const CallContext& call, const ProjectRecord& p,
                                      std::string_view to);
CallResult illegal_permit_transition(const CallContext& call, const PermitRecord& p,
                                     std::string_view to);

// The call handlers.
CallResult apply_submit_profile(CallContext& call, StateView& state);
CallResult apply_issue_study_brief(CallContext& call, StateView& state);
CallResult apply_submit_report(CallContext& call, StateView& state);
CallResult apply_open_inspection(CallContext& call, StateView& state);
CallResult apply_comment(CallContext& call, StateView& state);
CallResult apply_decide(CallContext& call, StateView& state);
CallResult apply_issue_permit(CallContext& call, StateView& state);
CallResult apply_vary_permit(CallContext& call, StateView& state);
CallResult apply_transfer_permit(CallContext& call, StateView& state);
CallResult apply_surrender_permit(CallContext& call, StateView& state);
CallResult apply_cancel_permit(CallContext& call, StateView& state);
CallResult apply_submit_em_a(CallContext& call, StateView& state);
CallResult apply_issue_ticket(CallContext& call, StateView& state);
CallResult apply_record_collection(CallContext& call, StateView& state);
CallResult apply_record_receipt(CallContext& call, StateView& state);
CallResult apply_flag_overdue(CallContext& call, StateView& state);

}  // namespace bauhinia::contracts::environment::detail
