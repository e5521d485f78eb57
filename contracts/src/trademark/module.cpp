#include "bauhinia/contracts/trademark/module.hpp"

#include <array>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark {

namespace {

using detail::fail;
using detail::TxOutcome;

// Hong Kong values. Periods the law gives in months are set to the longest
// span of that many calendar months (3 months: 92 days; 2: 62; 6: 184), so
// the ledger's window is never shorter than the statutory one.
constexpr std::array<ParameterSpec, 7> kParameters{{
    {kTermYears, 10, 1, 100, "years",
     "Term of a registration, and of each renewal, from the filing date (Cap. 559 s.48, s.49)"},
    {kOppositionPeriodDays, 92, 1, 3660, "days",
     "Opposition window after publication, 3 months (Cap. 559 s.44; Cap. 559A r.16)"},
    {kOppositionExtensionDays, 62, 0, 3660, "days",
     "One extension of the opposition window, 2 months (Cap. 559A r.16)"},
    {kRenewalWindowDays, 184, 1, 3660, "days",
     "Renewal may be requested in the 6 months before expiry (Cap. 559 s.49; Cap. 559A)"},
    {kLateRenewalGraceDays, 184, 0, 3660, "days",
     "Late renewal, with the additional fee, within 6 months after expiry (Cap. 559 s.49)"},
    {kRestorationWindowDays, 184, 0, 3660, "days",
     "Restoration of a removed registration within 6 months of removal (Cap. 559 s.50)"},
    {kNonUseYears, 3, 1, 100, "years",
     "Revocation for non-use: no genuine use for this many years after entry in the register "
     "(Cap. 559 s.52(2)(a))"},
}};

CallResult dispatch(CallContext& call, StateView& state) {
  const std::string& name = call.tx().call;
  if (name == "file") return detail::apply_file(call, state);
  if (name == "register_existing") return detail::apply_register_existing(call, state);
  if (name == "assign") return detail::apply_assign(call, state);
  if (name == "record_licence") return detail::apply_licence(call, state);
  if (name == "record_security_interest") return detail::apply_security(call, state);
  for (std::string_view c : kCalls) {
    if (c == name) return detail::apply_transition(call, state);
  }
  return fail(TxOutcome::kInvalidArgument, "unknown_call",
              "module trademark has no call '" + name + "'");
}

}  // namespace

std::span<const ParameterSpec> TrademarkModule::parameters() const {
  return kParameters;
}

CallResult TrademarkModule::apply(CallContext& call, StateView& state) const {
  return dispatch(call, state);
}

core::Verdict TrademarkModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

}  // namespace bauhinia::contracts::trademark
