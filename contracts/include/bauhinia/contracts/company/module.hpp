#pragma once
// The company module (CR, Companies Ordinance Cap. 622): incorporation,
// the filings of the CR pilot with their late / on-time flags, officers with
// committed identity numbers, and the ending and restoration of companies
// (docs/contracts/company.md).

#include <span>
#include <string_view>

#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::company {

// Chain parameters (Module::parameters()).
inline constexpr std::string_view kAnnualReturnWindowDays = "company.annual_return_window_days";
inline constexpr std::string_view kChangeNoticeDays = "company.change_notice_days";
inline constexpr std::string_view kPublicReturnMonths = "company.public_return_months";
inline constexpr std::string_view kGuaranteeReturnMonths = "company.guarantee_return_months";
inline constexpr std::string_view kDeregistrationNoticeDays = "company.deregistration_notice_days";
inline constexpr std::string_view kStrikeOffInquiryDays = "company.strike_off_inquiry_days";
inline constexpr std::string_view kStrikeOffNoticeDays = "company.strike_off_notice_days";
inline constexpr std::string_view kRestorationYears = "company.restoration_years";

class CompanyModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // company/<number>, by_name/<name or normalised name>, filings/<number>[/page],
  // officers/<number>[/page], due/<yyyy-mm>[/page] (also overdue/...),
  // by_status/<status>[/page].
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;
};

}  // namespace bauhinia::contracts::company
