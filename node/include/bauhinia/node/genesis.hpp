#pragma once
// The genesis file (genesis.json) every node of a consortium shares: the chain
// id, the first validator set, and the departments with their first admin
// accounts. Its canonical form decides the genesis block, so every node given
// the same file starts from the same genesis id.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::node {

inline constexpr std::size_t kMaxDepartments = 64;
inline constexpr std::size_t kMaxGenesisBytes = 4U << 20;
inline constexpr std::size_t kMaxGenesisParameters = 256;
inline constexpr std::size_t kMaxGenesisRoles = 1024;

struct Department {
  std::string code;  // "IPD", "CR", "DH", "EPD", "OGCIO", ...: 2..16 upper-case ASCII letters
  std::string name;  // "Intellectual Property Department"
  core::schnorr::PublicKey admin_key;  // the department's first admin account
};

// An initial role grant ("roles" in genesis.json): `department`'s admin
// grants `role` to `account` (docs/contracts/system.md, "Roles").
struct RoleGrant {
  std::string department;
  std::string role;  // e.g. "trademark.registrar"
  core::AccountId account;
  friend bool operator==(const RoleGrant&, const RoleGrant&) = default;
};

struct Genesis {
  std::string chain_id;
  std::uint64_t timestamp_ms = 0;
  chain::ValidatorSet validators;  // epoch 0
  std::vector<Department> departments;
  // Optional: chain parameters that differ from the modules' defaults
  // ("parameters": {name: value}) and initial role grants ("roles"). Checked
  // against the modules by genesis_spec() (unknown names, ranges, the role table).
  std::map<std::string, std::uint64_t, std::less<>> parameters;
  std::vector<RoleGrant> roles;

  core::Verdict validate() const;
};

// The five departments of the pilot, in the order the testnet uses them.
struct DepartmentName {
  const char* code;
  const char* name;
};
inline constexpr DepartmentName kPilotDepartments[] = {
    {"IPD", "Intellectual Property Department"},
    {"CR", "Companies Registry"},
    {"DH", "Department of Health"},
    {"EPD", "Environmental Protection Department"},
    {"OGCIO", "Office of the Government Chief Information Officer"},
};

core::Checked<Genesis> parse_genesis_json(std::string_view json_text);
core::Checked<Genesis> load_genesis(const std::filesystem::path& path);
std::string genesis_to_json(const Genesis& genesis);

// The ledger's genesis: the validator set and the initial records (one
// accounts-module record per department admin).
core::Checked<ledger::GenesisSpec> genesis_spec(const Genesis& genesis);

}  // namespace bauhinia::node
