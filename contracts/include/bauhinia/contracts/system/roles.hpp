#pragma once
// Roles: "<module>.<name>" (e.g. "trademark.registrar"), granted to an account
// by the admin of a department and revoked by it (docs/contracts/system.md).
// Which department may grant a role is fixed by its module:
//   trademark.*    IPD      (Intellectual Property Department)
//   company.*      CR       (Companies Registry)
//   health.*       DH       (Department of Health)
//   drugs.*        DH       (Department of Health: pharmaceutical traceability)
//   environment.*  EPD      (Environmental Protection Department)
//   anchor.issuer  any department (each grants it to its own issuing accounts)
//   anything else  no one (system.* and accounts.* are governance's or nobody's)
// The role's module must be a module of the chain, or one of the planned
// modules health and environment (so departments can appoint their officers
// before the module ships).

#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::contracts::system {

// Why `department` may not grant `role` (reason and message), or nullopt when
// it may. Reasons: invalid_role, unknown_role_module, role_not_grantable,
// role_of_other_department.
std::optional<CallResult> role_grant_refusal(const ModuleSet& modules, std::string_view role,
                                             std::string_view department);

// grant_role and revoke_role.
struct RoleArgs {
  core::AccountId account;
  std::string role;  // at most kMaxRoleSize bytes

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.string(s.role, kMaxRoleSize, "role");
  }
  friend bool operator==(const RoleArgs&, const RoleArgs&) = default;
};

// Events "role_granted" and "role_revoked" (record: the role grant).
struct RoleEvent {
  core::AccountId account;
  std::string role;
  std::string department;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.string(s.role, kMaxRoleSize, "role");
    c.string(s.department, kMaxDepartmentCodeSize, "department");
  }
};

}  // namespace bauhinia::contracts::system
