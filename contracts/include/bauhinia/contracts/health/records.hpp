#pragma once
// The health module's records (docs/contracts/health.md). No personal or
// health data is ever written: a record is a salted commitment, its type, its
// issuer and its pseudonymous subject (an account, never a name or identity
// number); consents and accesses name accounts, types and times only.
//
// Records of module "health" (record key = kind byte || ...):
//   0x01 || record id [32]    HealthRecord   (id = the issue transaction's id)
//   0x02 || commitment [32]   CommitmentRef  (one record per commitment)
//   0x03 || consent id [32]   Consent        (id = the grant_consent transaction's id)
//   0x04 || access id [32]    AccessEntry    (id = the record_access transaction's id)
// Index lists (kinds 0xF0..0xF2, index_list.hpp), each naming record keys:
//   "pr" || patient [32]   the patient's records       "pc" || patient   the patient's consents
//   "pa" || patient [32]   accesses to the patient's records
//   "vc" || provider [32]  consents given to the provider
//   "ir" || issuer [32]    records the issuer issued   "ra" || record id accesses of the record

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts::health {

using core::Bytes;

inline constexpr std::string_view kModuleName = "health";
inline constexpr std::string_view kIssuerRole = "health.issuer";      // a facility
inline constexpr std::string_view kProviderRole = "health.provider";  // a healthcare provider

inline constexpr std::uint8_t kRecordKind = 0x01;
inline constexpr std::uint8_t kCommitmentKind = 0x02;
inline constexpr std::uint8_t kConsentKind = 0x03;
inline constexpr std::uint8_t kAccessKind = 0x04;

// The kinds of record the register anchors (a fixed list: a new kind is a
// new version of the module).
enum class RecordType : std::uint8_t {
  kVaccination = 1,
  kLaboratoryResult = 2,
  kDischargeSummary = 3,
  kPrescription = 4,
  kMedicalCertificate = 5,
};
inline constexpr RecordType kMaxRecordType = RecordType::kMedicalCertificate;
std::string_view record_type_name(RecordType t) noexcept;
std::optional<RecordType> record_type_from_name(std::string_view name) noexcept;
bool valid_record_type(std::uint8_t value) noexcept;

// Why an issuer revoked a record (a code, never free text: no clinical
// detail reaches the chain).
enum class RevocationReason : std::uint8_t {
  kIssuedInError = 1,
  kSuperseded = 2,
  kWrongSubject = 3,
  kOther = 4,
};
inline constexpr RevocationReason kMaxRevocationReason = RevocationReason::kOther;
std::string_view revocation_reason_name(RevocationReason r) noexcept;

enum class RecordStatus : std::uint8_t { kActive = 0, kRevoked = 1 };

using Salt = std::array<std::uint8_t, 32>;

// The commitment to a record: tagged_hash("bauhinia/commitment", salt || record
// bytes), the salt 32 random bytes the issuer keeps with the record. Pure; the
// exact formula is in docs/contracts/health.md ("The commitment").
core::Hash256 record_commitment(const Salt& salt, core::ByteView record);

struct HealthRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  core::Hash256 id;  // the issue transaction's id
  RecordType record_type = RecordType::kVaccination;
  core::AccountId issuer;   // the facility's account (holds health.issuer)
  core::AccountId subject;  // the patient's pseudonymous account
  core::Hash256 commitment;
  std::uint64_t issued_ms = 0;  // block time
  std::uint64_t issued_height = 0;
  RecordStatus status = RecordStatus::kActive;
  std::uint64_t revoked_ms = 0;  // 0 while active
  std::uint8_t revocation_reason = 0;
  bool erased = false;  // the off-chain payload's key was destroyed
  std::uint64_t erased_ms = 0;
  core::AccountId erased_by;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.fixed(s.id);
    c.enumeration(s.record_type, kMaxRecordType);
    c.fixed(s.issuer.bytes);
    c.fixed(s.subject.bytes);
    c.fixed(s.commitment);
    c.u64(s.issued_ms);
    c.u64(s.issued_height);
    c.enumeration(s.status, RecordStatus::kRevoked);
    c.u64(s.revoked_ms);
    c.u8(s.revocation_reason);
    c.boolean(s.erased);
    c.u64(s.erased_ms);
    c.fixed(s.erased_by.bytes);
  }
  friend bool operator==(const HealthRecord&, const HealthRecord&) = default;
};

struct CommitmentRef {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  core::Hash256 record_id;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.fixed(s.record_id);
  }
  friend bool operator==(const CommitmentRef&, const CommitmentRef&) = default;
};

enum class ConsentStatus : std::uint8_t { kActive = 0, kWithdrawn = 1 };

struct Consent {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  core::Hash256 id;  // the grant_consent transaction's id
  core::AccountId patient;
  core::AccountId provider;
  RecordType record_type = RecordType::kVaccination;
  std::uint64_t granted_ms = 0;
  std::uint64_t until_ms = 0;  // valid while block time < until_ms
  ConsentStatus status = ConsentStatus::kActive;
  std::uint64_t withdrawn_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.fixed(s.id);
    c.fixed(s.patient.bytes);
    c.fixed(s.provider.bytes);
    c.enumeration(s.record_type, kMaxRecordType);
    c.u64(s.granted_ms);
    c.u64(s.until_ms);
    c.enumeration(s.status, ConsentStatus::kWithdrawn);
    c.u64(s.withdrawn_ms);
  }
  friend bool operator==(const Consent&, const Consent&) = default;
};

// One access by a provider to a record, under a consent: the log entry the
// patient reads, and what authorises the node to release the payload.
struct AccessEntry {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  core::Hash256 id;  // the record_access transaction's id
  core::Hash256 record_id;
  core::Hash256 consent_id;
  core::AccountId provider;
  core::AccountId patient;
  RecordType record_type = RecordType::kVaccination;
  std::uint64_t accessed_ms = 0;  // block time
  std::uint64_t height = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.fixed(s.id);
    c.fixed(s.record_id);
    c.fixed(s.consent_id);
    c.fixed(s.provider.bytes);
    c.fixed(s.patient.bytes);
    c.enumeration(s.record_type, kMaxRecordType);
    c.u64(s.accessed_ms);
    c.u64(s.height);
  }
  friend bool operator==(const AccessEntry&, const AccessEntry&) = default;
};

Bytes record_key(const core::Hash256& id);
Bytes commitment_key(const core::Hash256& commitment);
Bytes consent_key(const core::Hash256& id);
Bytes access_key(const core::Hash256& id);

Bytes patient_records_list(const core::AccountId& patient);
Bytes patient_consents_list(const core::AccountId& patient);
Bytes patient_accesses_list(const core::AccountId& patient);
Bytes provider_consents_list(const core::AccountId& provider);
Bytes issuer_records_list(const core::AccountId& issuer);
Bytes record_accesses_list(const core::Hash256& record_id);

// Verification by a holder, against a record proven from the ledger: true
// when `salt` and `record` open the record's commitment. Says nothing about
// revocation or erasure (read them from the same proven record).
bool opens(const HealthRecord& proven, const Salt& salt, core::ByteView record);

}  // namespace bauhinia::contracts::health
