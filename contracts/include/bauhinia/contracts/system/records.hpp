#pragma once
// The system module's records: the departments of the consortium, their
// admins, the roles they grant, the chain parameters and the validator set
// that governance has decided. Other modules read them (who may act, which
// deadlines apply); only the system module writes them (docs/contracts/system.md).
//
// Records of module "system":
//   0x01 || department code         DepartmentRecord
//   0x02 || account id || role      RoleGrant          (role e.g. "trademark.registrar")
//   0x03 || parameter name          ParameterValue     (parameters.hpp)
//   0x04                            GovernedValidatorSet
//   0x05 || account id              AdminOf            (the department an admin account runs)
//   0x06 || u64 epoch (big-endian)  EpochValidators    (the set of each epoch, for evidence)
//   0x07 || u64 id (big-endian)     ProposalRecord     (system/proposals.hpp)
//   0x08 || offender || u64 epoch || u64 round || kind   EvidenceRecord (system/evidence.hpp)
//   0x09                            ProposalCounter    (the last proposal id)
//   0xF0..0xF2                      index lists (index_list.hpp; names in system/lists.hpp)
//
// The validator set: GovernedValidatorSet.set is the set governance wants.
// Its epoch is the current epoch while nothing changed, and current + 1 once
// an approved proposal changed it; the block that writes a set of the next
// epoch ends the epoch and its header names that set as next
// (execution::Pipeline reads it with governed_validator_set()).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::contracts::system {

inline constexpr std::string_view kModuleName = "system";
inline constexpr std::size_t kMaxDepartmentCodeSize = 16;
inline constexpr std::size_t kMaxDepartmentNameSize = 128;
inline constexpr std::size_t kMaxRoleSize = 64;
inline constexpr std::size_t kMaxParameterNameSize = 96;

inline constexpr std::uint8_t kDepartmentKind = 0x01;
inline constexpr std::uint8_t kRoleGrantKind = 0x02;
inline constexpr std::uint8_t kParameterKind = 0x03;
inline constexpr std::uint8_t kValidatorSetKind = 0x04;
inline constexpr std::uint8_t kAdminOfKind = 0x05;
inline constexpr std::uint8_t kEpochValidatorsKind = 0x06;
inline constexpr std::uint8_t kProposalKind = 0x07;
inline constexpr std::uint8_t kEvidenceKind = 0x08;
inline constexpr std::uint8_t kProposalCounterKind = 0x09;
// Departments a chain may have (active and retired): one page of the list.
inline constexpr std::size_t kMaxDepartments = 64;

Bytes department_key(std::string_view code);
Bytes role_grant_key(const core::AccountId& account, std::string_view role);
Bytes parameter_key(std::string_view name);
Bytes validator_set_key();
Bytes admin_of_key(const core::AccountId& account);
Bytes epoch_validators_key(std::uint64_t epoch);
Bytes proposal_key(std::uint64_t id);
Bytes proposal_counter_key();

struct DepartmentRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string code;  // "IPD"
  std::string name;  // "Intellectual Property Department"
  core::AccountId admin;
  core::schnorr::PublicKey admin_key;  // the admin account's key when it was appointed
  bool active = true;                  // false once retired by governance
  std::uint64_t since_height = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.code, kMaxDepartmentCodeSize, "code");
    c.string(s.name, kMaxDepartmentNameSize, "name");
    c.fixed(s.admin.bytes);
    c.fixed(s.admin_key.bytes);
    c.boolean(s.active);
    c.u64(s.since_height);
  }
  friend bool operator==(const DepartmentRecord&, const DepartmentRecord&) = default;
};

struct RoleGrant {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string role;
  std::string department;  // the granting department
  std::uint64_t granted_height = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.role, kMaxRoleSize, "role");
    c.string(s.department, kMaxDepartmentCodeSize, "department");
    c.u64(s.granted_height);
  }
  friend bool operator==(const RoleGrant&, const RoleGrant&) = default;
};

struct ParameterValue {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t value = 0;
  std::uint64_t changed_height = 0;  // 0: set at genesis

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.value);
    c.u64(s.changed_height);
  }
  friend bool operator==(const ParameterValue&, const ParameterValue&) = default;
};

struct GovernedValidatorSet {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  chain::ValidatorSet set;
  std::uint64_t changed_height = 0;  // 0: the genesis set

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.object(s.set);
    c.u64(s.changed_height);
  }
  friend bool operator==(const GovernedValidatorSet&, const GovernedValidatorSet&) = default;
};

struct AdminOf {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string department;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.department, kMaxDepartmentCodeSize, "department");
  }
  friend bool operator==(const AdminOf&, const AdminOf&) = default;
};

// The validator set of one epoch, as governance decided it (the genesis set
// for the first epoch); never changes once written.
struct EpochValidators {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  chain::ValidatorSet set;
  std::uint64_t decided_height = 0;  // 0: the genesis set

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.object(s.set);
    c.u64(s.decided_height);
  }
  friend bool operator==(const EpochValidators&, const EpochValidators&) = default;
};

struct ProposalCounter {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t last_id = 0;  // ids are 1, 2, 3, ...

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.last_id);
  }
};

// ---- Reads for every module (a record that does not decode reads as absent;
// such a state cannot come from the Executor) ---------------------------------

std::optional<DepartmentRecord> load_department(const StateView& state, std::string_view code);
// The active department whose admin is `account`, if any.
std::optional<DepartmentRecord> admin_department(const StateView& state,
                                                 const core::AccountId& account);
// True when `account` holds `role`, granted by a department that is still active.
bool has_role(const StateView& state, const core::AccountId& account, std::string_view role);
// A chain parameter's current value (absent: not a parameter of this chain).
std::optional<std::uint64_t> read_parameter(const StateView& state, std::string_view name);

// The validator set of `epoch` (EpochValidators), if governance or the
// genesis decided one.
std::optional<chain::ValidatorSet> epoch_validators(const StateView& state, std::uint64_t epoch);

// For the execution pipeline: the set governance decided, nullopt before the
// genesis wrote it; corruption when it does not decode.
core::Result<std::optional<chain::ValidatorSet>> governed_validator_set(const StateReader& state);

}  // namespace bauhinia::contracts::system
