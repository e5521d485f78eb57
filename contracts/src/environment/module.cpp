#include "bauhinia/contracts/environment/module.hpp"

#include <array>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment {

namespace {

using detail::fail;
using detail::TxOutcome;

// Hong Kong values (docs/contracts/environment.md, "Chain parameters").
constexpr std::array<ParameterSpec, 3> kParameters{{
    {kInspectionMinMs, 30 * kDayMs, 1'000, kMaxWindowMs, "ms",
     "Shortest public inspection window of an EIA report: 30 days (EIA Ordinance, Cap. 499)"},
    {kWeightToleranceBp, 500, 0, 10'000, "basis points",
     "Difference between the declared and the measured weight of a trip-ticket's waste beyond "
     "which the ticket is flagged (EPD's choice; 500 = 5%)"},
    {kTicketDeadlineMs, 14 * kDayMs, 1'000, kMaxWindowMs, "ms",
     "Time from issue within which a trip-ticket is to be completed (received) before it can be "
     "flagged overdue: 14 days (EPD's choice, not a statutory period)"},
}};

using Handler = CallResult (*)(CallContext&, StateView&);
struct Route {
  std::string_view call;
  Handler handler;
};
constexpr std::array<Route, kCalls.size()> kRoutes{{
    {"submit_profile", detail::apply_submit_profile},
    {"issue_study_brief", detail::apply_issue_study_brief},
    {"submit_report", detail::apply_submit_report},
    {"open_inspection", detail::apply_open_inspection},
    {"comment", detail::apply_comment},
    {"decide", detail::apply_decide},
    {"issue_permit", detail::apply_issue_permit},
    {"vary_permit", detail::apply_vary_permit},
    {"transfer_permit", detail::apply_transfer_permit},
    {"surrender_permit", detail::apply_surrender_permit},
    {"cancel_permit", detail::apply_cancel_permit},
    {"submit_em_a", detail::apply_submit_em_a},
    {"issue_ticket", detail::apply_issue_ticket},
    {"record_collection", detail::apply_record_collection},
    {"record_receipt", detail::apply_record_receipt},
    {"flag_overdue", detail::apply_flag_overdue},
}};

}  // namespace

std::span<const ParameterSpec> EnvironmentModule::parameters() const {
  return kParameters;
}

CallResult EnvironmentModule::apply(CallContext& call, StateView& state) const {
  const std::string& name = call.tx().call;
  for (const Route& r : kRoutes) {
    if (r.call == name) return r.handler(call, state);
  }
  return fail(TxOutcome::kInvalidArgument, "unknown_call",
              "module environment has no call '" + name + "'");
}

core::Verdict EnvironmentModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

}  // namespace bauhinia::contracts::environment
