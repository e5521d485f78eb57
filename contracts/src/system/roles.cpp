// grant_role / revoke_role and the table of which department grants a role.

#include <algorithm>
#include <string>

#include "bauhinia/contracts/system/lists.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system {

namespace {

using chain::TxOutcome;
using detail::fail;

struct RoleOwner {
  std::string_view module;
  std::string_view department;  // empty: any department (for the one role below)
  std::string_view only_role;   // non-empty: only this role of the module
};

// The table of docs/contracts/system.md ("Roles").
constexpr RoleOwner kRoleOwners[] = {
    {"trademark", "IPD", ""},   {"company", "CR", ""},           {"health", "DH", ""},
    {"environment", "EPD", ""}, {"anchor", "", "anchor.issuer"}, {"drugs", "DH", ""},
};
// Modules whose roles may be granted before the module is part of the chain.
constexpr std::string_view kPlannedModules[] = {"health", "environment"};

bool valid_role_name(std::string_view name) {
  return !name.empty() && name.front() >= 'a' && name.front() <= 'z' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

}  // namespace

std::optional<CallResult> role_grant_refusal(const ModuleSet& modules, std::string_view role,
                                             std::string_view department) {
  const auto dot = role.find('.');
  if (role.size() > kMaxRoleSize || dot == std::string_view::npos ||
      !valid_role_name(role.substr(0, dot)) || !valid_role_name(role.substr(dot + 1))) {
    return fail(TxOutcome::kInvalidArgument, "invalid_role",
                "a role is <module>.<name> ([a-z][a-z0-9_]*, at most " +
                    std::to_string(kMaxRoleSize) + " bytes), got '" +
                    std::string(role.substr(0, kMaxRoleSize)) + "'");
  }
  const std::string_view module = role.substr(0, dot);
  const bool planned = std::find(std::begin(kPlannedModules), std::end(kPlannedModules), module) !=
                       std::end(kPlannedModules);
  if (modules.find(module) == nullptr && !planned) {
    return fail(
        TxOutcome::kInvalidArgument, "unknown_role_module",
        "role '" + std::string(role) + "': no module '" + std::string(module) + "' on this chain");
  }
  for (const RoleOwner& owner : kRoleOwners) {
    if (owner.module != module) continue;
    if (!owner.only_role.empty() && owner.only_role != role) break;
    if (!owner.department.empty() && owner.department != department) {
      return fail(TxOutcome::kUnauthorized, "role_of_other_department",
                  "role '" + std::string(role) + "' is granted by " +
                      std::string(owner.department) + ", not " + std::string(department));
    }
    return std::nullopt;
  }
  return fail(TxOutcome::kInvalidArgument, "role_not_grantable",
              "role '" + std::string(role) + "' is not granted by any department");
}

namespace detail {

CallResult not_admin(std::string_view call) {
  return fail(TxOutcome::kUnauthorized, "not_admin",
              std::string(call) + ": the sender is not the admin of an active department");
}

core::Checked<DepartmentRecord> sender_department(const StateView& state,
                                                  const core::AccountId& sender) {
  auto dep = admin_department(state, sender);
  if (!dep) return core::reject(core::Reject::kInvalid, "not an admin");
  return std::move(*dep);
}

static_assert(kMaxDepartments <= kIndexPageSize, "every department is on page 0 of its list");

std::uint64_t active_departments(const StateView& state) {
  // Departments are at most kMaxDepartments: one page of the list.
  QueryAnswer page = departments_list().answer_page(state, 0);
  std::uint64_t n = 0;
  for (const QueryRecord& r : page.related) {
    if (!r.value) continue;
    auto dep = core::decode<DepartmentRecord>(*r.value);
    if (dep && dep->active) ++n;
  }
  return n;
}

CallResult grant_role(const ModuleSet& modules, CallContext& call, StateView& state,
                      const RoleArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("grant_role");
  if (auto refused = role_grant_refusal(modules, args.role, dep->code)) return *refused;
  const Bytes key = role_grant_key(args.account, args.role);
  if (auto existing = read<RoleGrant>(state, key)) {
    if (!*existing) return corrupt("role grant");
    return fail(TxOutcome::kAlreadyExists, "already_granted",
                "the account already holds '" + args.role + "' (granted by " +
                    (*existing)->department + ")");
  }
  RoleGrant grant;
  grant.role = args.role;
  grant.department = dep->code;
  grant.granted_height = call.block().height;
  state.write(key, core::encode(grant));
  if (CallResult r = roles_list(args.account).add(state, key); !r.ok()) return r;
  if (CallResult r = holders_list(dep->code).add(state, key); !r.ok()) return r;
  call.mention_account(args.account);
  call.emit("role_granted", key, core::encode(RoleEvent{args.account, args.role, dep->code}));
  return CallResult::success();
}

CallResult revoke_role(CallContext& call, StateView& state, const RoleArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("revoke_role");
  if (args.role.empty()) {
    return fail(TxOutcome::kInvalidArgument, "invalid_role", "revoke_role: empty role");
  }
  const Bytes key = role_grant_key(args.account, args.role);
  auto existing = read<RoleGrant>(state, key);
  if (!existing) {
    return fail(TxOutcome::kNotFound, "not_granted",
                "the account does not hold '" + args.role + "'");
  }
  if (!*existing) return corrupt("role grant");
  if ((*existing)->department != dep->code) {
    return fail(TxOutcome::kUnauthorized, "not_granting_department",
                "'" + args.role + "' was granted by " + (*existing)->department +
                    "; only its admin revokes it");
  }
  state.erase(key);
  if (CallResult r = roles_list(args.account).remove(state, key); !r.ok()) return r;
  if (CallResult r = holders_list(dep->code).remove(state, key); !r.ok()) return r;
  call.mention_account(args.account);
  call.emit("role_revoked", key, core::encode(RoleEvent{args.account, args.role, dep->code}));
  return CallResult::success();
}

}  // namespace detail

}  // namespace bauhinia::contracts::system
