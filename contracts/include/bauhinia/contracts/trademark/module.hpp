#pragma once
// The trade mark register of the Intellectual Property Department (Trade
// Marks Ordinance, Cap. 559): marks, their status lifecycle, renewals, and the
// registrable transactions (assignment, licence, security interest).
// docs/contracts/trademark.md is the officer's guide; calls.hpp the payloads;
// records.hpp the records.

#include <span>
#include <string_view>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/contracts/trademark/records.hpp"

namespace bauhinia::contracts::trademark {

// Chain parameters (read at execution with system::read_parameter).
inline constexpr std::string_view kTermYears = "trademark.term_years";
inline constexpr std::string_view kOppositionPeriodDays = "trademark.opposition_period_days";
inline constexpr std::string_view kOppositionExtensionDays = "trademark.opposition_extension_days";
inline constexpr std::string_view kRenewalWindowDays = "trademark.renewal_window_days";
inline constexpr std::string_view kLateRenewalGraceDays = "trademark.late_renewal_grace_days";
inline constexpr std::string_view kRestorationWindowDays = "trademark.restoration_window_days";
inline constexpr std::string_view kNonUseYears = "trademark.non_use_years";

// The cross-module rule: a party that is a company (CR number given) must be
// a live company in the company register at this state.
bool company_is_live(const StateView& state, std::string_view cr_number);

class TrademarkModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  // Runs the whole call against a scratch copy of the state: admission
  // refuses exactly what apply() would (reason and message in the rejection).
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // mark/<number>, history/<number>[/page], ownership/<number>[/page],
  // by_owner/<account hex>[/page], by_status/<status>[/page], expiring/<yyyy-mm>[/page].
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;
};

}  // namespace bauhinia::contracts::trademark
