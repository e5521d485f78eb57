#pragma once
// Governance proposals (docs/contracts/system.md). A department admin
// proposes; the admins of the other active departments approve, one
// transaction each; the proposal takes effect in the approval that brings the
// approving active departments to more than two thirds of all active
// departments (3 * approvals > 2 * active), before its expiry. The proposer's
// department counts as approving. A proposal may be withdrawn by its proposer
// while open; an open proposal past its expiry can no longer be approved and
// any admin may close it (close_expired).

#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::contracts::system {

inline constexpr std::size_t kMaxTermsSize = 1024;
inline constexpr std::size_t kMaxOpenProposals = 256;

enum class ProposalKind : std::uint8_t {
  kAddValidator = 0,
  kRemoveValidator = 1,
  kRotateValidatorKey = 2,
  kAddDepartment = 3,
  kRetireDepartment = 4,
  kRotateAdminKey = 5,
  kSetParameter = 6,
};
inline constexpr ProposalKind kLastProposalKind = ProposalKind::kSetParameter;
std::string_view proposal_kind_name(ProposalKind kind);

enum class ProposalStatus : std::uint8_t {
  kOpen = 0,       // collecting approvals (expired if the block time is past expiry_ms)
  kPassed = 1,     // took effect
  kWithdrawn = 2,  // withdrawn by its proposer
  kExpired = 3,    // closed after its expiry without enough approvals
};
std::string_view proposal_status_name(ProposalStatus status);

// ---- The terms of each kind (ProposeArgs::terms is their encoding) --------

struct AddValidatorTerms {
  core::ed25519::PublicKey key;  // the node's consensus key
  std::string name;              // 1..64 bytes, e.g. "IPD-2"
  std::uint64_t voting_power = 0;
  std::string department;  // the active department that runs the node

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.key.bytes);
    c.string(s.name, chain::kMaxValidatorNameLength, "name");
    c.u64(s.voting_power);
    c.string(s.department, kMaxDepartmentCodeSize, "department");
  }
  friend bool operator==(const AddValidatorTerms&, const AddValidatorTerms&) = default;
};

struct RemoveValidatorTerms {
  core::ed25519::PublicKey key;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.key.bytes);
  }
  friend bool operator==(const RemoveValidatorTerms&, const RemoveValidatorTerms&) = default;
};

struct RotateValidatorKeyTerms {
  core::ed25519::PublicKey old_key;
  core::ed25519::PublicKey new_key;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.old_key.bytes);
    c.fixed(s.new_key.bytes);
  }
  friend bool operator==(const RotateValidatorKeyTerms&, const RotateValidatorKeyTerms&) = default;
};

struct AddDepartmentTerms {
  std::string code;  // 2..16 upper-case ASCII letters, never used before
  std::string name;  // 1..128 bytes
  core::schnorr::PublicKey admin_key;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.code, kMaxDepartmentCodeSize, "code");
    c.string(s.name, kMaxDepartmentNameSize, "name");
    c.fixed(s.admin_key.bytes);
  }
  friend bool operator==(const AddDepartmentTerms&, const AddDepartmentTerms&) = default;
};

struct RetireDepartmentTerms {
  std::string code;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.code, kMaxDepartmentCodeSize, "code");
  }
  friend bool operator==(const RetireDepartmentTerms&, const RetireDepartmentTerms&) = default;
};

struct RotateAdminKeyTerms {
  std::string code;
  core::schnorr::PublicKey new_admin_key;  // the new admin account is account_id_of(key)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.code, kMaxDepartmentCodeSize, "code");
    c.fixed(s.new_admin_key.bytes);
  }
  friend bool operator==(const RotateAdminKeyTerms&, const RotateAdminKeyTerms&) = default;
};

struct SetParameterTerms {
  std::string name;  // a parameter of the chain (ModuleSet::parameters())
  std::uint64_t value = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.name, kMaxParameterNameSize, "name");
    c.u64(s.value);
  }
  friend bool operator==(const SetParameterTerms&, const SetParameterTerms&) = default;
};

// ---- Call arguments ---------------------------------------------------------

struct ProposeArgs {
  ProposalKind kind = ProposalKind::kAddValidator;
  Bytes terms;                  // encode(<Kind>Terms), at most kMaxTermsSize
  std::uint64_t expiry_ms = 0;  // block time after which it can no longer pass

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.kind, kLastProposalKind);
    c.bytes(s.terms, kMaxTermsSize, "terms");
    c.u64(s.expiry_ms);
  }
  friend bool operator==(const ProposeArgs&, const ProposeArgs&) = default;
};

// approve, withdraw, close_expired.
struct ProposalIdArgs {
  std::uint64_t id = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.id);
  }
  friend bool operator==(const ProposalIdArgs&, const ProposalIdArgs&) = default;
};

// ---- The record ---------------------------------------------------------------

struct Approval {
  std::string department;
  core::AccountId admin;  // the admin account that approved
  std::uint64_t height = 0;
  std::uint64_t timestamp_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.department, kMaxDepartmentCodeSize, "department");
    c.fixed(s.admin.bytes);
    c.u64(s.height);
    c.u64(s.timestamp_ms);
  }
  friend bool operator==(const Approval&, const Approval&) = default;
};

// Public: the proposal, who proposed and approved it and when.
struct ProposalRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t id = 0;
  ProposalKind kind = ProposalKind::kAddValidator;
  Bytes terms;
  core::AccountId proposer;
  std::string proposer_department;
  std::uint64_t created_height = 0;
  std::uint64_t created_ms = 0;
  std::uint64_t expiry_ms = 0;
  ProposalStatus status = ProposalStatus::kOpen;
  std::vector<Approval> approvals;  // the proposer's department first
  std::uint64_t closed_height = 0;  // passed / withdrawn / closed as expired; 0 while open

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.id);
    c.enumeration(s.kind, kLastProposalKind);
    c.bytes(s.terms, kMaxTermsSize, "terms");
    c.fixed(s.proposer.bytes);
    c.string(s.proposer_department, kMaxDepartmentCodeSize, "proposer_department");
    c.u64(s.created_height);
    c.u64(s.created_ms);
    c.u64(s.expiry_ms);
    c.enumeration(s.status, ProposalStatus::kExpired);
    c.sequence(s.approvals, kMaxDepartments, "approvals");
    c.u64(s.closed_height);
  }
  friend bool operator==(const ProposalRecord&, const ProposalRecord&) = default;
};

// Event "proposal_created", "proposal_approved", "proposal_passed",
// "proposal_withdrawn", "proposal_expired" (record: the proposal).
struct ProposalEvent {
  std::uint64_t id = 0;
  ProposalKind kind = ProposalKind::kAddValidator;
  std::string department;  // who acted
  std::uint64_t approvals = 0;
  std::uint64_t active_departments = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.id);
    c.enumeration(s.kind, kLastProposalKind);
    c.string(s.department, kMaxDepartmentCodeSize, "department");
    c.u64(s.approvals);
    c.u64(s.active_departments);
  }
};

// True when `approvals` of `active` departments is more than two thirds.
constexpr bool passes(std::uint64_t approvals, std::uint64_t active) {
  return active > 0 && 3 * approvals > 2 * active;
}

}  // namespace bauhinia::contracts::system
