// The cross-module rule: an owner, assignee, licensee or security holder
// given with a CR number must be a live company in the company register
// (module "company") at this state: it exists and is not deregistered,
// struck off or dissolved (company::is_live).

#include "bauhinia/contracts/company/liveness.hpp"
#include "bauhinia/contracts/trademark/module.hpp"

namespace bauhinia::contracts::trademark {

bool company_is_live(const StateView& state, std::string_view cr_number) {
  return company::is_live(state, cr_number);
}

}  // namespace bauhinia::contracts::trademark
