#include "bauhinia/node/genesis.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/address.hpp"

namespace bauhinia::node {

namespace {

using core::Reject;
using core::reject;
using json = nlohmann::json;

bool valid_code(const std::string& code) {
  return code.size() >= 2 && code.size() <= 16 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Reads a string member, or records why not.
const std::string* get_string(const json& obj, const char* key, std::string& error,
                              const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    if (error.empty()) error = where + "." + key + " must be a string";
    return nullptr;
  }
  return it->get_ptr<const std::string*>();
}

// An account: 64 hex digits, or a Bech32m address of any chain prefix.
core::Checked<core::AccountId> parse_account(const std::string& text) {
  if (text.size() == 2 * core::AccountId::kSize) return core::AccountId::from_hex(text);
  const auto sep = text.rfind('1');
  if (sep == std::string::npos || sep == 0) {
    return reject(Reject::kBadEncoding, "not a 64-hex account id or a bauhinia address");
  }
  return core::decode_address(text.substr(0, sep), text);
}

void parse_parameters(const json& doc, Genesis& g, std::string& error) {
  auto ps = doc.find("parameters");
  if (ps == doc.end()) return;
  if (!ps->is_object() || ps->size() > kMaxGenesisParameters) {
    if (error.empty()) {
      error = "genesis.parameters must be an object of at most " +
              std::to_string(kMaxGenesisParameters) + " name: value entries";
    }
    return;
  }
  for (auto it = ps->begin(); it != ps->end() && error.empty(); ++it) {
    if (it.key().empty() || it.key().size() > 96) {
      error = "genesis.parameters: a name is 1..96 bytes";
    } else if (!it->is_number_unsigned()) {
      error = "genesis.parameters." + it.key() + " must be a non-negative integer";
    } else {
      g.parameters[it.key()] = it->get<std::uint64_t>();
    }
  }
}

void parse_roles(const json& doc, Genesis& g, std::string& error) {
  auto rs = doc.find("roles");
  if (rs == doc.end()) return;
  if (!rs->is_array() || rs->size() > kMaxGenesisRoles) {
    if (error.empty()) {
      error = "genesis.roles must be an array of at most " + std::to_string(kMaxGenesisRoles) +
              " grants";
    }
    return;
  }
  for (std::size_t i = 0; i < rs->size() && error.empty(); ++i) {
    const json& r = (*rs)[i];
    const std::string where = "genesis.roles[" + std::to_string(i) + "]";
    if (!r.is_object()) {
      error = where + " must be an object";
      break;
    }
    RoleGrant grant;
    if (const auto* s = get_string(r, "department", error, where)) grant.department = *s;
    if (const auto* s = get_string(r, "role", error, where)) grant.role = *s;
    if (const auto* s = get_string(r, "account", error, where)) {
      auto account = parse_account(*s);
      if (account) {
        grant.account = *account;
      } else if (error.empty()) {
        error = where + ".account: " + account.error().to_string();
      }
    }
    if (grant.role.empty() || grant.role.size() > 64) {
      if (error.empty()) error = where + ".role must be 1..64 bytes";
    }
    g.roles.push_back(std::move(grant));
  }
}

}  // namespace

core::Verdict Genesis::validate() const {
  if (chain_id.empty() || chain_id.size() > chain::kMaxChainIdLength) {
    return reject(Reject::kInvalid, "genesis chain_id must be 1..64 characters");
  }
  if (auto v = validators.validate(); !v) return v;
  if (validators.epoch != 0) return reject(Reject::kInvalid, "genesis validators must be epoch 0");
  if (departments.empty() || departments.size() > kMaxDepartments) {
    return reject(Reject::kInvalid,
                  "genesis needs 1.." + std::to_string(kMaxDepartments) + " departments");
  }
  std::set<std::string> codes;
  std::set<core::schnorr::PublicKey> keys;
  for (const auto& d : departments) {
    if (!valid_code(d.code)) {
      return reject(Reject::kInvalid,
                    "department code '" + d.code + "' must be 2..16 upper-case letters");
    }
    if (d.name.empty() || d.name.size() > 128) {
      return reject(Reject::kInvalid, "department " + d.code + ": name must be 1..128 bytes");
    }
    if (!codes.insert(d.code).second)
      return reject(Reject::kDuplicate, "department " + d.code + " repeats");
    if (!keys.insert(d.admin_key).second) {
      return reject(Reject::kDuplicate, "department " + d.code + ": admin key used twice");
    }
  }
  if (parameters.size() > kMaxGenesisParameters || roles.size() > kMaxGenesisRoles) {
    return reject(Reject::kTooLarge, "genesis: at most " + std::to_string(kMaxGenesisParameters) +
                                         " parameters and " + std::to_string(kMaxGenesisRoles) +
                                         " roles");
  }
  const contracts::ModuleSet modules;
  for (const auto& [name, value] : parameters) {
    const contracts::ParameterSpec* spec = modules.find_parameter(name);
    if (spec == nullptr)
      return reject(Reject::kInvalid, "genesis: no chain parameter '" + name + "'");
    if (value < spec->min_value || value > spec->max_value) {
      return reject(Reject::kInvalid, "genesis: parameter " + name + " = " + std::to_string(value) +
                                          " is outside " + std::to_string(spec->min_value) + ".." +
                                          std::to_string(spec->max_value));
    }
  }
  std::set<std::pair<core::AccountId, std::string>> granted;
  for (const auto& r : roles) {
    if (!codes.contains(r.department)) {
      return reject(Reject::kInvalid,
                    "genesis: role " + r.role + " granted by unknown department " + r.department);
    }
    if (auto refused = contracts::system::role_grant_refusal(modules, r.role, r.department)) {
      return reject(Reject::kInvalid, "genesis: role " + r.role + " by " + r.department + ": " +
                                          refused->reason + ": " + refused->detail);
    }
    if (!granted.emplace(r.account, r.role).second) {
      return reject(Reject::kDuplicate,
                    "genesis: role " + r.role + " of account " + r.account.to_hex() + " repeats");
    }
  }
  return core::Verdict::accept();
}

core::Checked<Genesis> parse_genesis_json(std::string_view json_text) {
  if (json_text.size() > kMaxGenesisBytes)
    return reject(Reject::kTooLarge, "genesis file over 4 MiB");
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return reject(Reject::kBadEncoding, "genesis is not a JSON object");
  }
  Genesis g;
  std::string error;
  if (const auto* s = get_string(doc, "chain_id", error, "genesis")) g.chain_id = *s;
  if (auto it = doc.find("timestamp_ms"); it != doc.end() && it->is_number_unsigned()) {
    g.timestamp_ms = it->get<std::uint64_t>();
  } else if (error.empty()) {
    error = "genesis.timestamp_ms must be a non-negative integer";
  }
  auto vs = doc.find("validators");
  if (vs == doc.end() || !vs->is_array() || vs->size() > chain::kMaxValidators) {
    if (error.empty()) error = "genesis.validators must be an array of at most 256 validators";
  } else {
    for (std::size_t i = 0; i < vs->size() && error.empty(); ++i) {
      const json& v = (*vs)[i];
      const std::string where = "genesis.validators[" + std::to_string(i) + "]";
      if (!v.is_object()) {
        error = where + " must be an object";
        break;
      }
      chain::ValidatorInfo info;
      if (const auto* s = get_string(v, "name", error, where)) info.name = *s;
      if (const auto* s = get_string(v, "key", error, where)) {
        auto key = core::ed25519::PublicKey::from_hex(*s);
        if (key) {
          info.key = *key;
        } else if (error.empty()) {
          error = where + ".key: " + key.error().to_string();
        }
      }
      if (auto p = v.find("power"); p != v.end() && p->is_number_unsigned()) {
        info.voting_power = p->get<std::uint64_t>();
      } else if (error.empty()) {
        error = where + ".power must be a positive integer";
      }
      g.validators.validators.push_back(std::move(info));
    }
  }
  auto ds = doc.find("departments");
  if (ds == doc.end() || !ds->is_array() || ds->size() > kMaxDepartments) {
    if (error.empty()) error = "genesis.departments must be an array of at most 64 departments";
  } else {
    for (std::size_t i = 0; i < ds->size() && error.empty(); ++i) {
      const json& d = (*ds)[i];
      const std::string where = "genesis.departments[" + std::to_string(i) + "]";
      if (!d.is_object()) {
        error = where + " must be an object";
        break;
      }
      Department dep;
      if (const auto* s = get_string(d, "code", error, where)) dep.code = *s;
      if (const auto* s = get_string(d, "name", error, where)) dep.name = *s;
      if (const auto* s = get_string(d, "admin_key", error, where)) {
        auto key = core::schnorr::PublicKey::from_hex(*s);
        if (key) {
          dep.admin_key = *key;
        } else if (error.empty()) {
          error = where + ".admin_key: " + key.error().to_string();
        }
      }
      g.departments.push_back(std::move(dep));
    }
  }
  parse_parameters(doc, g, error);
  parse_roles(doc, g, error);
  if (!error.empty()) return reject(Reject::kInvalid, error);
  if (auto v = g.validate(); !v) return v.rejection();
  return g;
}

core::Checked<Genesis> load_genesis(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return reject(Reject::kInvalid, path.string() + ": cannot read: " + ec.message());
  if (size > kMaxGenesisBytes) return reject(Reject::kTooLarge, path.string() + ": over 4 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return reject(Reject::kInvalid, path.string() + ": read failed");
  }
  auto g = parse_genesis_json(text);
  if (!g) return reject(g.error().reason, path.string() + ": " + g.error().detail);
  return g;
}

std::string genesis_to_json(const Genesis& g) {
  json doc;
  doc["chain_id"] = g.chain_id;
  doc["timestamp_ms"] = g.timestamp_ms;
  doc["validators"] = json::array();
  for (const auto& v : g.validators.validators) {
    doc["validators"].push_back(
        {{"name", v.name}, {"key", v.key.to_hex()}, {"power", v.voting_power}});
  }
  doc["departments"] = json::array();
  for (const auto& d : g.departments) {
    doc["departments"].push_back(
        {{"code", d.code}, {"name", d.name}, {"admin_key", d.admin_key.to_hex()}});
  }
  // Optional sections: written only when present, so files without them
  // keep their exact form.
  if (!g.parameters.empty()) {
    doc["parameters"] = json::object();
    for (const auto& [name, value] : g.parameters) doc["parameters"][name] = value;
  }
  if (!g.roles.empty()) {
    doc["roles"] = json::array();
    for (const auto& r : g.roles) {
      doc["roles"].push_back(
          {{"department", r.department}, {"role", r.role}, {"account", r.account.to_hex()}});
    }
  }
  return doc.dump(2) + "\n";
}

core::Checked<ledger::GenesisSpec> genesis_spec(const Genesis& g) {
  if (auto v = g.validate(); !v) return v.rejection();
  ledger::GenesisSpec spec;
  spec.chain_id = g.chain_id;
  spec.validators = g.validators;
  spec.timestamp_ms = g.timestamp_ms;
  contracts::GenesisInput input;
  input.chain_id = g.chain_id;
  input.timestamp_ms = g.timestamp_ms;
  input.validators = g.validators;
  for (const auto& d : g.departments) {
    input.departments.push_back(contracts::GenesisDepartment{d.code, d.name, d.admin_key});
  }
  input.parameters = g.parameters;
  for (const auto& r : g.roles) {
    input.roles.push_back(contracts::GenesisRoleGrant{r.department, r.role, r.account});
  }
  const contracts::ModuleSet modules;
  auto initial = contracts::genesis_records(modules, input);
  if (!initial) return std::move(initial).error();
  std::map<core::Hash256, core::Bytes> records;  // sorted by state key
  for (auto& r : *initial) {
    auto key = chain::state_key(r.module, r.record_key);
    if (!key) return key.error();
    if (!records.emplace(*key, std::move(r.value)).second) {
      return core::reject(core::Reject::kDuplicate, "genesis: a record repeats");
    }
  }
  for (auto& [k, v] : records) spec.state.push_back(ledger::StateWrite{k, std::move(v)});
  return spec;
}

}  // namespace bauhinia::node
