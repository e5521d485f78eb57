#include "bauhinia/contracts/genesis.hpp"

#include <set>
#include <string>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/records.hpp"

namespace bauhinia::contracts {

namespace {

core::Rejection refuse(std::string detail) {
  return core::reject(core::Reject::kInvalid, "genesis: " + std::move(detail));
}

}  // namespace

core::Checked<std::vector<GenesisRecord>> genesis_records(const ModuleSet& modules,
                                                          const GenesisInput& input) {
  std::vector<GenesisRecord> out;
  std::set<std::string> codes;
  std::set<core::AccountId> admins;
  for (const GenesisDepartment& d : input.departments) {
    if (d.code.empty() || d.code.size() > system::kMaxDepartmentCodeSize ||
        d.name.size() > system::kMaxDepartmentNameSize) {
      return refuse("department code 1.." + std::to_string(system::kMaxDepartmentCodeSize) +
                    " bytes and name at most " +
                    std::to_string(system::kMaxDepartmentNameSize));
    }
    if (!codes.insert(d.code).second) return refuse("department " + d.code + " repeats");
    const core::AccountId admin = core::account_id_of(d.admin_key);
    if (!admins.insert(admin).second) {
      return refuse("department " + d.code + ": its admin key is another department's");
    }
    accounts::AccountRecord account;
    account.key = d.admin_key;
    out.push_back({std::string(accounts::kModuleName), accounts::account_record_key(admin),
                   core::encode(account)});
    system::DepartmentRecord dep;
    dep.code = d.code;
    dep.name = d.name;
    dep.admin = admin;
    dep.admin_key = d.admin_key;
    out.push_back({std::string(system::kModuleName), system::department_key(d.code),
                   core::encode(dep)});
    out.push_back({std::string(system::kModuleName), system::admin_of_key(admin),
                   core::encode(system::AdminOf{system::AdminOf::kVersion, d.code})});
  }
  for (const auto& [name, value] : input.parameters) {
    const ParameterSpec* spec = modules.find_parameter(name);
    if (spec == nullptr) return refuse("no chain parameter '" + name + "'");
    if (value < spec->min_value || value > spec->max_value) {
      return refuse("parameter " + name + " = " + std::to_string(value) + " is outside " +
                    std::to_string(spec->min_value) + ".." + std::to_string(spec->max_value));
    }
  }
  for (const ParameterSpec& spec : modules.parameters()) {
    auto it = input.parameters.find(spec.name);
    system::ParameterValue v;
    v.value = it == input.parameters.end() ? spec.default_value : it->second;
    out.push_back({std::string(system::kModuleName), system::parameter_key(spec.name),
                   core::encode(v)});
  }
  for (const GenesisRoleGrant& g : input.roles) {
    if (!codes.contains(g.department)) {
      return refuse("role " + g.role + " granted by unknown department " + g.department);
    }
    const auto dot = g.role.find('.');
    if (g.role.size() > system::kMaxRoleSize || dot == std::string::npos || dot == 0 ||
        modules.find(g.role.substr(0, dot)) == nullptr) {
      return refuse("role '" + g.role + "' is not <module>.<role> of a module of this chain");
    }
    system::RoleGrant grant;
    grant.role = g.role;
    grant.department = g.department;
    out.push_back({std::string(system::kModuleName), system::role_grant_key(g.account, g.role),
                   core::encode(grant)});
  }
  if (auto v = input.validators.validate(); !v) return v.rejection();
  system::GovernedValidatorSet set;
  set.set = input.validators;
  out.push_back({std::string(system::kModuleName), system::validator_set_key(),
                 core::encode(set)});
  return out;
}

core::Checked<WriteSet> genesis_writes(const ModuleSet& modules, const GenesisInput& input) {
  auto records = genesis_records(modules, input);
  if (!records) return std::move(records).error();
  WriteSet out;
  for (GenesisRecord& r : *records) {
    auto key = chain::state_key(r.module, r.record_key);
    if (!key) return key.error();
    StateWrite w{std::move(r.module), std::move(r.record_key), std::move(r.value)};
    if (!out.emplace(*key, std::move(w)).second) {
      return core::reject(core::Reject::kDuplicate, "genesis: a record repeats");
    }
  }
  return out;
}

}  // namespace bauhinia::contracts
