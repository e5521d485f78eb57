#include "bauhinia/node/keygen_descriptor.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "bauhinia/chain/validator_set.hpp"

namespace bauhinia::node {

namespace {

using core::Reject;
using core::reject;
using json = nlohmann::json;

const std::set<std::string>& known_members() {
  static const std::set<std::string> members = {
      "format",   "department_code", "department_name", "name", "role",
      "node_key", "consensus_key",   "voting_power",    "p2p",  "api",
      "admin_key"};
  return members;
}

core::Rejection field_error(const std::string& field, const std::string& what) {
  return reject(Reject::kInvalid, field + ": " + what);
}

// A required string member.
core::Checked<std::string> string_member(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end()) return field_error(key, "missing");
  if (!it->is_string()) return field_error(key, "must be a string");
  return it->get<std::string>();
}

}  // namespace

bool valid_department_code(std::string_view code) {
  return code.size() >= 2 && code.size() <= 16 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool valid_node_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNodeNameLength &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

std::string_view descriptor_role(Role role) {
  return role == Role::kValidator ? "validator" : "observer";
}

core::Verdict NodeDescriptor::validate() const {
  if (!valid_department_code(department_code)) {
    return field_error("department_code",
                       "'" + department_code + "' must be 2..16 upper-case letters A-Z");
  }
  if (department_name.empty() || department_name.size() > kMaxDepartmentNameLength) {
    return field_error("department_name", "must be 1..128 bytes");
  }
  if (!valid_node_name(name)) {
    return field_error("name", "'" + name + "' must be 1..64 characters of A-Z a-z 0-9 . _ -");
  }
  if (consensus_key != node_key) {
    return field_error("consensus_key",
                       "differs from node_key; this version signs votes with the node key, so "
                       "they must be the same key");
  }
  if (role == Role::kValidator) {
    if (voting_power < 1 || voting_power > chain::kMaxVotingPower) {
      return field_error("voting_power", "a validator's must be 1.." +
                                             std::to_string(chain::kMaxVotingPower) + ", got " +
                                             std::to_string(voting_power));
    }
  } else if (voting_power != 0) {
    return field_error("voting_power",
                       "an observer's must be 0, got " + std::to_string(voting_power));
  }
  return core::Verdict::accept();
}

std::string descriptor_to_json(const NodeDescriptor& d) {
  // nlohmann::ordered_json keeps the members in the documented order.
  nlohmann::ordered_json doc;
  doc["format"] = kDescriptorFormat;
  doc["department_code"] = d.department_code;
  doc["department_name"] = d.department_name;
  doc["name"] = d.name;
  doc["role"] = descriptor_role(d.role);
  doc["node_key"] = d.node_key.to_hex();
  doc["consensus_key"] = d.consensus_key.to_hex();
  doc["voting_power"] = d.voting_power;
  doc["p2p"] = d.p2p.to_string();
  if (d.api) {
    doc["api"] = d.api->to_string();
  } else {
    doc["api"] = nullptr;
  }
  if (d.admin_key) {
    doc["admin_key"] = d.admin_key->to_hex();
  } else {
    doc["admin_key"] = nullptr;
  }
  return doc.dump(2) + "\n";
}

core::Checked<NodeDescriptor> parse_descriptor_json(std::string_view json_text) {
  if (json_text.size() > kMaxDescriptorBytes) {
    return reject(Reject::kTooLarge,
                  "larger than " + std::to_string(kMaxDescriptorBytes) + " bytes");
  }
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return reject(Reject::kBadEncoding, "not a JSON object");
  }
  auto format = string_member(doc, "format");
  if (!format) {
    return reject(Reject::kBadVersion, "not a node descriptor (no \"format\": \"" +
                                           std::string(kDescriptorFormat) + "\")");
  }
  if (*format != kDescriptorFormat) {
    return reject(Reject::kBadVersion, "format: expected '" + std::string(kDescriptorFormat) +
                                           "', got '" + *format + "'");
  }
  for (const auto& [key, value] : doc.items()) {
    if (!known_members().contains(key)) return field_error(key, "unknown field");
  }
  NodeDescriptor d;
  for (auto [key, out] :
       {std::pair{"department_code", &d.department_code},
        std::pair{"department_name", &d.department_name}, std::pair{"name", &d.name}}) {
    auto s = string_member(doc, key);
    if (!s) return s.error();
    *out = std::move(s).value();
  }
  auto role = string_member(doc, "role");
  if (!role) return role.error();
  if (*role == "validator") {
    d.role = Role::kValidator;
  } else if (*role == "observer") {
    d.role = Role::kObserver;
  } else {
    return field_error("role", "must be \"validator\" or \"observer\", got '" + *role + "'");
  }
  for (auto [key, out] :
       {std::pair{"node_key", &d.node_key}, std::pair{"consensus_key", &d.consensus_key}}) {
    auto s = string_member(doc, key);
    if (!s) return s.error();
    auto k = core::ed25519::PublicKey::from_hex(*s);
    if (!k) return reject(Reject::kBadKey, std::string(key) + ": " + k.error().to_string());
    *out = *k;
  }
  auto power = doc.find("voting_power");
  if (power == doc.end() || !power->is_number_unsigned()) {
    return field_error("voting_power", "must be a non-negative integer");
  }
  d.voting_power = power->get<std::uint64_t>();
  auto p2p = string_member(doc, "p2p");
  if (!p2p) return p2p.error();
  auto p2p_endpoint = parse_endpoint(*p2p);
  if (!p2p_endpoint) return field_error("p2p", p2p_endpoint.error().detail);
  d.p2p = *p2p_endpoint;
  if (auto api = doc.find("api"); api != doc.end() && !api->is_null()) {
    if (!api->is_string()) return field_error("api", "must be a string or null");
    auto e = parse_endpoint(api->get<std::string>());
    if (!e) return field_error("api", e.error().detail);
    d.api = *e;
  }
  if (auto admin = doc.find("admin_key"); admin != doc.end() && !admin->is_null()) {
    if (!admin->is_string()) return field_error("admin_key", "must be a hex string or null");
    auto k = core::schnorr::PublicKey::from_hex(admin->get<std::string>());
    if (!k) return reject(Reject::kBadKey, "admin_key: " + k.error().to_string());
    d.admin_key = *k;
  }
  if (auto v = d.validate(); !v) return v.rejection();
  return d;
}

core::Checked<NodeDescriptor> load_descriptor(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return reject(Reject::kInvalid, path.string() + ": cannot read: " + ec.message());
  if (size > kMaxDescriptorBytes) {
    return reject(Reject::kTooLarge, path.string() + ": larger than " +
                                         std::to_string(kMaxDescriptorBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return reject(Reject::kInvalid, path.string() + ": read failed");
  }
  auto d = parse_descriptor_json(text);
  if (!d) return reject(d.error().reason, path.string() + ": " + d.error().detail);
  return d;
}

}  // namespace bauhinia::node
