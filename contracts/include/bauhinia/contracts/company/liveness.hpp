#pragma once
// Whether a company is live in the company register at a state: for the
// rules of other modules (a trademark owner or assignee that is a company
// must be a live company at that block).

#include <string_view>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/state_view.hpp"

namespace bauhinia::contracts::company {

// True when a company with CR number `cr_number` (7 digits, the 8-digit
// search form, or "F" + 7 digits) exists and is not deregistered, struck off
// or dissolved at `state`. A company in the middle of deregistration or
// strike-off is still live (it exists until the final step).
inline bool is_live(const StateView& state, std::string_view cr_number) {
  const auto record = load_company(state, cr_number);
  return record.has_value() && is_live_status(record->status);
}

}  // namespace bauhinia::contracts::company
