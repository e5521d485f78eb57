// The cross-module rule: an owner, assignee, licensee or security holder
// given with a CR number must be a live company in the company register.

#include "bauhinia/contracts/trademark/module.hpp"

namespace bauhinia::contracts::trademark {

bool company_is_live(const StateView& /*state*/, std::string_view cr_number) {
  // PENDING: the company module (branch `company`) provides the check; until it
  // is merged only the CR number's form is checked (detail::check_party).
  return !cr_number.empty();
}

}  // namespace bauhinia::contracts::trademark
