#include "bauhinia/lightclient/trust.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <span>
#include <utility>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/address.hpp"

namespace bauhinia::lightclient {

namespace {

using core::Reject;
using core::reject;
using json = nlohmann::json;
using Record = std::pair<core::Hash256, core::Hash256>;

core::Hash256 subtree_root(std::span<const Record> s, unsigned depth) {
  if (s.empty()) return chain::state_placeholder_hash();
  if (s.size() == 1) return chain::state_leaf_hash(s[0].first, s[0].second);
  // Sorted keys share their first `depth` bits: those with bit `depth` = 0 come first.
  const auto right = std::partition_point(s.begin(), s.end(),
                                          [&](const Record& r) { return !r.first.bit(depth); });
  const auto split = static_cast<std::size_t>(right - s.begin());
  return chain::state_internal_hash(subtree_root(s.first(split), depth + 1),
                                    subtree_root(s.subspan(split), depth + 1));
}

// The string member `key` of `obj`, or why not (naming `where`).
core::Checked<std::string> string_of(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    return reject(Reject::kInvalid, where + "." + key + " must be a string");
  }
  return it->get<std::string>();
}

core::Checked<std::uint64_t> u64_of(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_unsigned()) {
    return reject(Reject::kInvalid, where + "." + key + " must be a non-negative integer");
  }
  return it->get<std::uint64_t>();
}

// An account: 64 hex digits, or a Bech32m address of any chain prefix (as the node reads it).
core::Checked<core::AccountId> account_of(const std::string& text) {
  if (text.size() == 2 * core::AccountId::kSize) return core::AccountId::from_hex(text);
  const auto sep = text.rfind('1');
  if (sep == std::string::npos || sep == 0) {
    return reject(Reject::kBadEncoding, "not a 64-hex account id or a bauhinia address");
  }
  return core::decode_address(text.substr(0, sep), text);
}

core::Checked<chain::ValidatorSet> validators_of(const json& doc) {
  auto vs = doc.find("validators");
  if (vs == doc.end() || !vs->is_array() || vs->size() > chain::kMaxValidators) {
    return reject(Reject::kInvalid,
                  "genesis.validators must be an array of at most 256 validators");
  }
  chain::ValidatorSet set;
  set.epoch = 0;
  for (std::size_t i = 0; i < vs->size(); ++i) {
    const json& v = (*vs)[i];
    const std::string where = "genesis.validators[" + std::to_string(i) + "]";
    if (!v.is_object()) return reject(Reject::kInvalid, where + " must be an object");
    chain::ValidatorInfo info;
    auto name = string_of(v, "name", where);
    if (!name) return std::move(name).error();
    info.name = *name;
    auto key_hex = string_of(v, "key", where);
    if (!key_hex) return std::move(key_hex).error();
    auto key = core::ed25519::PublicKey::from_hex(*key_hex);
    if (!key) return reject(key.error().reason, where + ".key: " + key.error().detail);
    info.key = *key;
    auto power = u64_of(v, "power", where);
    if (!power) return std::move(power).error();
    info.voting_power = *power;
    set.validators.push_back(std::move(info));
  }
  if (auto v = set.validate(); !v) {
    return reject(v.rejection().reason, "genesis.validators: " + v.rejection().detail);
  }
  return set;
}

core::Checked<std::vector<contracts::GenesisDepartment>> departments_of(const json& doc) {
  auto ds = doc.find("departments");
  if (ds == doc.end() || !ds->is_array() || ds->empty() || ds->size() > 64) {
    return reject(Reject::kInvalid, "genesis.departments must be an array of 1..64 departments");
  }
  std::vector<contracts::GenesisDepartment> out;
  for (std::size_t i = 0; i < ds->size(); ++i) {
    const json& d = (*ds)[i];
    const std::string where = "genesis.departments[" + std::to_string(i) + "]";
    if (!d.is_object()) return reject(Reject::kInvalid, where + " must be an object");
    contracts::GenesisDepartment dep;
    auto code = string_of(d, "code", where);
    if (!code) return std::move(code).error();
    auto name = string_of(d, "name", where);
    if (!name) return std::move(name).error();
    auto key_hex = string_of(d, "admin_key", where);
    if (!key_hex) return std::move(key_hex).error();
    auto key = core::schnorr::PublicKey::from_hex(*key_hex);
    if (!key) return reject(key.error().reason, where + ".admin_key: " + key.error().detail);
    dep.code = *code;
    dep.name = *name;
    dep.admin_key = *key;
    out.push_back(std::move(dep));
  }
  return out;
}

core::Checked<bool> optional_sections(const json& doc, contracts::GenesisInput& input) {
  if (auto ps = doc.find("parameters"); ps != doc.end()) {
    if (!ps->is_object() || ps->size() > 256) {
      return reject(Reject::kInvalid,
                    "genesis.parameters must be an object of at most 256 entries");
    }
    for (auto it = ps->begin(); it != ps->end(); ++it) {
      if (!it->is_number_unsigned()) {
        return reject(Reject::kInvalid,
                      "genesis.parameters." + it.key() + " must be a non-negative integer");
      }
      input.parameters[it.key()] = it->get<std::uint64_t>();
    }
  }
  if (auto rs = doc.find("roles"); rs != doc.end()) {
    if (!rs->is_array() || rs->size() > 1024) {
      return reject(Reject::kInvalid, "genesis.roles must be an array of at most 1024 grants");
    }
    for (std::size_t i = 0; i < rs->size(); ++i) {
      const json& r = (*rs)[i];
      const std::string where = "genesis.roles[" + std::to_string(i) + "]";
      if (!r.is_object()) return reject(Reject::kInvalid, where + " must be an object");
      auto department = string_of(r, "department", where);
      if (!department) return std::move(department).error();
      auto role = string_of(r, "role", where);
      if (!role) return std::move(role).error();
      auto account_text = string_of(r, "account", where);
      if (!account_text) return std::move(account_text).error();
      auto account = account_of(*account_text);
      if (!account)
        return reject(account.error().reason, where + ".account: " + account.error().detail);
      input.roles.push_back(contracts::GenesisRoleGrant{*department, *role, *account});
    }
  }
  return true;
}

}  // namespace

core::Hash256 state_root_of(std::vector<Record> records) {
  std::sort(records.begin(), records.end());
  return subtree_root(records, 0);
}

core::Checked<Trust> trust_from_genesis_json(std::string_view json_text) {
  if (json_text.size() > kMaxGenesisFileBytes) {
    return reject(Reject::kTooLarge, "genesis file over 4 MiB");
  }
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return reject(Reject::kBadEncoding, "the genesis file is not a JSON object");
  }
  contracts::GenesisInput input;
  auto chain_id = string_of(doc, "chain_id", "genesis");
  if (!chain_id) return std::move(chain_id).error();
  if (chain_id->empty() || chain_id->size() > chain::kMaxChainIdLength) {
    return reject(Reject::kInvalid, "genesis.chain_id must be 1..64 characters");
  }
  input.chain_id = *chain_id;
  auto timestamp = u64_of(doc, "timestamp_ms", "genesis");
  if (!timestamp) return std::move(timestamp).error();
  input.timestamp_ms = *timestamp;
  auto validators = validators_of(doc);
  if (!validators) return std::move(validators).error();
  input.validators = *validators;
  auto departments = departments_of(doc);
  if (!departments) return std::move(departments).error();
  input.departments = std::move(*departments);
  if (auto ok = optional_sections(doc, input); !ok) return std::move(ok).error();

  const contracts::ModuleSet modules;
  auto initial = contracts::genesis_records(modules, input);
  if (!initial) {
    return reject(initial.error().reason, "genesis records: " + initial.error().detail);
  }
  std::vector<Record> records;
  records.reserve(initial->size());
  for (const auto& r : *initial) {
    auto key = chain::state_key(r.module, r.record_key);
    if (!key) return reject(key.error().reason, "genesis record: " + key.error().detail);
    records.emplace_back(*key, chain::state_value_hash(r.value));
  }
  std::sort(records.begin(), records.end());
  if (std::adjacent_find(records.begin(), records.end(), [](const Record& a, const Record& b) {
        return a.first == b.first;
      }) != records.end()) {
    return reject(Reject::kDuplicate, "genesis: a record repeats");
  }

  // As ledger::genesis_header builds block 0.
  Trust t;
  t.chain_id = input.chain_id;
  t.genesis_validators = input.validators;
  chain::BlockHeader& h = t.genesis_header;
  h.epoch = 0;
  h.height = 0;
  h.round = 0;
  h.timestamp_ms = input.timestamp_ms;
  h.transactions_root = chain::transactions_root_of({});
  h.accumulator_root = chain::merkle::empty_root();
  h.accumulator_size = 0;
  h.state_root = state_root_of(std::move(records));
  h.validator_set_hash = input.validators.hash();
  h.next_validator_set_hash = h.validator_set_hash;
  t.genesis_id = h.id();
  return t;
}

core::Checked<Trust> load_trust(const std::filesystem::path& genesis_file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(genesis_file, ec);
  if (ec) return reject(Reject::kInvalid, genesis_file.string() + ": cannot read: " + ec.message());
  if (size > kMaxGenesisFileBytes) {
    return reject(Reject::kTooLarge, genesis_file.string() + ": over 4 MiB");
  }
  std::ifstream in(genesis_file, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in || in.gcount() != static_cast<std::streamsize>(size)) {
    return reject(Reject::kInvalid, genesis_file.string() + ": read failed");
  }
  auto trust = trust_from_genesis_json(text);
  if (!trust)
    return reject(trust.error().reason, genesis_file.string() + ": " + trust.error().detail);
  return trust;
}

}  // namespace bauhinia::lightclient
