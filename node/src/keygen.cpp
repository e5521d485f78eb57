#include "bauhinia/node/keygen.hpp"

#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/genesis_builder.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::node {

namespace {

core::Status bad_option(const std::string& option, const std::string& what) {
  return core::Status::invalid_argument(option + ": " + what);
}

std::string pilot_department_name(std::string_view code) {
  for (const auto& d : kPilotDepartments) {
    if (code == d.code) return d.name;
  }
  return {};
}

// Removes the files created so far unless released (a failed keygen leaves
// nothing half-made behind).
class CreatedFiles {
 public:
  CreatedFiles() = default;
  CreatedFiles(const CreatedFiles&) = delete;
  CreatedFiles& operator=(const CreatedFiles&) = delete;
  ~CreatedFiles() {
    std::error_code ignored;
    for (const auto& p : paths_) std::filesystem::remove(p, ignored);
  }
  void add(std::filesystem::path p) { paths_.push_back(std::move(p)); }
  void release() { paths_.clear(); }

 private:
  std::vector<std::filesystem::path> paths_;
};

}  // namespace

std::string admin_key_file_name(std::string_view department_code) {
  return std::string(department_code) + "-admin.key";
}

core::Result<KeygenResult> generate_node_keys(const KeygenOptions& o) {
  // ---- every check first: nothing is written on bad input ----
  if (o.home.empty()) return bad_option("--home", "must not be empty");
  NodeDescriptor d;
  d.department_code = o.department_code;
  if (!valid_department_code(d.department_code)) {
    return bad_option("--department",
                      "'" + o.department_code + "' must be 2..16 upper-case letters A-Z");
  }
  d.department_name =
      o.department_name.empty() ? pilot_department_name(d.department_code) : o.department_name;
  if (d.department_name.empty()) {
    return bad_option("--department-name", "required for department " + d.department_code +
                                               " (not one of IPD, CR, DH, EPD, OGCIO)");
  }
  if (d.department_name.size() > kMaxDepartmentNameLength) {
    return bad_option("--department-name", "must be 1..128 bytes");
  }
  d.role = o.role;
  d.name = !o.name.empty()              ? o.name
           : o.role == Role::kValidator ? d.department_code
                                        : d.department_code + "-observer";
  if (!valid_node_name(d.name)) {
    return bad_option("--name", "'" + d.name + "' must be 1..64 characters of A-Z a-z 0-9 . _ -");
  }
  auto p2p = parse_endpoint(o.p2p);
  if (!p2p) return bad_option("--p2p", p2p.error().detail);
  d.p2p = *p2p;
  auto api = parse_endpoint(o.api);
  if (!api) return bad_option("--api", api.error().detail);
  d.api = *api;
  if (o.role == Role::kValidator) {
    if (o.voting_power < 1 || o.voting_power > chain::kMaxVotingPower) {
      return bad_option("--voting-power", "must be 1.." + std::to_string(chain::kMaxVotingPower));
    }
    d.voting_power = o.voting_power;
  } else {
    d.voting_power = 0;
  }
  if (o.admin == AdminKeyChoice::kPublicKey) {
    auto k = core::schnorr::PublicKey::from_hex(o.admin_public_key_hex);
    if (!k) return bad_option("--admin-pubkey", k.error().to_string());
    d.admin_key = *k;
  }

  KeygenResult r;
  r.node_key_file = o.home / kNodeKeyFileName;
  r.descriptor_file = o.home / kDescriptorFileName;
  if (o.admin == AdminKeyChoice::kCreate) {
    r.admin_key_file = o.home / admin_key_file_name(d.department_code);
  }
  std::error_code ec;
  std::vector<std::filesystem::path> must_not_exist = {r.node_key_file, r.descriptor_file,
                                                       o.home / "config.toml"};
  if (r.admin_key_file) must_not_exist.push_back(*r.admin_key_file);
  for (const auto& p : must_not_exist) {
    if (std::filesystem::symlink_status(p, ec).type() != std::filesystem::file_type::not_found) {
      return core::Status::invalid_argument(p.string() +
                                            " exists; keygen never overwrites keys (use another "
                                            "--home, or keep the keys you have)");
    }
  }

  // ---- write ----
  std::filesystem::create_directories(o.home, ec);
  if (ec) return core::Status::io_error(o.home.string() + ": " + ec.message());
  CreatedFiles created;
  const auto node_key = core::ed25519::SecretKey::generate();
  if (auto s = write_ed25519_key(r.node_key_file, node_key); !s) return s;
  created.add(r.node_key_file);
  d.node_key = node_key.public_key();
  d.consensus_key = d.node_key;
  if (r.admin_key_file) {
    const auto admin = core::schnorr::SecretKey::generate();
    if (auto s = write_schnorr_key(*r.admin_key_file, admin); !s) return s;
    created.add(*r.admin_key_file);
    d.admin_key = admin.public_key();
  }
  if (auto v = d.validate(); !v) {
    return core::Status::internal("generated descriptor is invalid: " + v.rejection().detail);
  }
  if (auto s = write_new_file(r.descriptor_file, descriptor_to_json(d)); !s) return s;
  created.release();
  r.descriptor = std::move(d);
  return r;
}

}  // namespace bauhinia::node
