#pragma once
// The state a chain starts from, built from the genesis ceremony's inputs by
// the modules themselves (node/genesis turns genesis.json into a GenesisInput;
// the simulator and tests build one directly):
//   - accounts: one account per department admin key;
//   - system: the departments and their admins, the initial role grants,
//     every chain parameter (each module's default, or the genesis override),
//     and the genesis validator set (system/records.hpp).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/write_set.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

struct GenesisDepartment {
  std::string code;  // "IPD"
  std::string name;  // "Intellectual Property Department"
  core::schnorr::PublicKey admin_key;
};

struct GenesisRoleGrant {
  std::string department;  // the granting department's code
  std::string role;        // e.g. "trademark.registrar"
  core::AccountId account;
};

struct GenesisInput {
  std::string chain_id;
  std::uint64_t timestamp_ms = 0;
  chain::ValidatorSet validators;  // the first epoch's
  std::vector<GenesisDepartment> departments;
  std::map<std::string, std::uint64_t, std::less<>> parameters;  // overrides of defaults
  std::vector<GenesisRoleGrant> roles;
};

struct GenesisRecord {
  std::string module;
  Bytes record_key;
  Bytes value;
};

// The initial records, or why the input is refused (an unknown parameter or
// one outside its range, a role of an unknown department, a repeated
// department or admin key).
core::Checked<std::vector<GenesisRecord>> genesis_records(const ModuleSet& modules,
                                                          const GenesisInput& input);

// The same records as a WriteSet (keyed by state key), e.g. for MemoryState::apply.
core::Checked<WriteSet> genesis_writes(const ModuleSet& modules, const GenesisInput& input);

}  // namespace bauhinia::contracts
