#pragma once
// The system module's index lists (index_list.hpp), each a paged provable
// list of record keys of the module:
//   "departments"                    department records (active and retired)
//   "roles/" || account id           the account's role grants
//   "holders/" || department code    the role grants a department made
//   "proposals"                      every proposal, in id order
//   "open_proposals"                 proposals still open (order not kept)
//   "evidence"                       every equivocation evidence record
//   "evidence_by/" || validator key  the evidence against one validator

#include <string_view>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/core/address.hpp"

namespace bauhinia::contracts::system {

IndexList departments_list();
IndexList roles_list(const core::AccountId& account);
IndexList holders_list(std::string_view department);
IndexList proposals_list();
IndexList open_proposals_list();
IndexList evidence_list();
IndexList evidence_by_list(const core::ed25519::PublicKey& validator);

}  // namespace bauhinia::contracts::system
