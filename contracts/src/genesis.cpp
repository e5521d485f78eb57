#include "bauhinia/contracts/genesis.hpp"

#include <map>
#include <set>
#include <string>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/lists.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"

namespace bauhinia::contracts {

namespace {

core::Rejection refuse(std::string detail) {
  return core::reject(core::Reject::kInvalid, "genesis: " + std::move(detail));
}

// The system module's genesis records in the making, so that its index lists
// are built by IndexList itself (same records as the module's calls make).
class GenesisSystemView final : public StateView {
 public:
  std::string_view module() const override { return system::kModuleName; }
  std::optional<Bytes> read(std::string_view module, ByteView key) const override {
    if (module != system::kModuleName) return std::nullopt;
    auto it = records_.find(Bytes(key.begin(), key.end()));
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  void write(ByteView key, Bytes value) override {
    records_[Bytes(key.begin(), key.end())] = std::move(value);
  }
  void erase(ByteView key) override { records_.erase(Bytes(key.begin(), key.end())); }
  const std::map<Bytes, Bytes>& records() const { return records_; }

 private:
  std::map<Bytes, Bytes> records_;
};

}  // namespace

core::Checked<std::vector<GenesisRecord>> genesis_records(const ModuleSet& modules,
                                                          const GenesisInput& input) {
  std::vector<GenesisRecord> out;
  GenesisSystemView lists;  // the system module's index lists
  if (input.departments.size() > system::kMaxDepartments) {
    return refuse("at most " + std::to_string(system::kMaxDepartments) + " departments");
  }
  std::set<std::string> codes;
  std::set<core::AccountId> admins;
  for (const GenesisDepartment& d : input.departments) {
    if (d.code.empty() || d.code.size() > system::kMaxDepartmentCodeSize ||
        d.name.size() > system::kMaxDepartmentNameSize) {
      return refuse("department code 1.." + std::to_string(system::kMaxDepartmentCodeSize) +
                    " bytes and name at most " + std::to_string(system::kMaxDepartmentNameSize));
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
    out.push_back(
        {std::string(system::kModuleName), system::department_key(d.code), core::encode(dep)});
    out.push_back({std::string(system::kModuleName), system::admin_of_key(admin),
                   core::encode(system::AdminOf{system::AdminOf::kVersion, d.code})});
    if (!system::departments_list().add(lists, system::department_key(d.code)).ok()) {
      return refuse("department list");
    }
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
    out.push_back(
        {std::string(system::kModuleName), system::parameter_key(spec.name), core::encode(v)});
  }
  for (const GenesisRoleGrant& g : input.roles) {
    if (!codes.contains(g.department)) {
      return refuse("role " + g.role + " granted by unknown department " + g.department);
    }
    if (auto refused = system::role_grant_refusal(modules, g.role, g.department)) {
      return refuse(refused->reason + ": " + refused->detail);
    }
    system::RoleGrant grant;
    grant.role = g.role;
    grant.department = g.department;
    const Bytes key = system::role_grant_key(g.account, g.role);
    if (lists.read(system::kModuleName, key)) {
      return refuse("role " + g.role + " of account " + g.account.to_hex() + " repeats");
    }
    lists.write(key, core::encode(grant));
    if (!system::roles_list(g.account).add(lists, key).ok() ||
        !system::holders_list(g.department).add(lists, key).ok()) {
      return refuse("role lists");
    }
  }
  if (auto v = input.validators.validate(); !v) return v.rejection();
  system::GovernedValidatorSet set;
  set.set = input.validators;
  out.push_back({std::string(system::kModuleName), system::validator_set_key(), core::encode(set)});
  lists.write(system::epoch_validators_key(input.validators.epoch),
              core::encode(
                  system::EpochValidators{system::EpochValidators::kVersion, input.validators, 0}));
  for (const auto& [key, value] : lists.records()) {
    out.push_back({std::string(system::kModuleName), key, value});
  }
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
