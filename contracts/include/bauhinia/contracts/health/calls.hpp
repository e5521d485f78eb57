#pragma once
// The health module's calls and their payloads (docs/contracts/health.md).
// Every id a call creates is the id of the transaction that creates it, so
// no free-form identifier (which could carry personal data) reaches the chain.
//
//   issue             IssueArgs          a health.issuer: anchors a record's commitment
//   revoke            RevokeArgs         the record's issuer
//   grant_consent     GrantConsentArgs   the patient (the record subject's key)
//   withdraw_consent  ConsentArgs        the consent's patient
//   record_access     RecordAccessArgs   the provider named by the consent
//   erase             RecordArgs         the record's issuer or its subject

#include <array>
#include <cstdint>
#include <string_view>

#include "bauhinia/contracts/health/records.hpp"

namespace bauhinia::contracts::health {

inline constexpr std::array<std::string_view, 6> kCalls{
    "issue", "revoke", "grant_consent", "withdraw_consent", "record_access", "erase"};

struct IssueArgs {
  std::uint8_t record_type = 0;  // a RecordType
  core::AccountId subject;       // the patient's pseudonymous account
  core::Hash256 commitment;      // record_commitment(salt, record bytes)
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.record_type);
    c.fixed(s.subject.bytes);
    c.fixed(s.commitment);
  }
  friend bool operator==(const IssueArgs&, const IssueArgs&) = default;
};

struct RevokeArgs {
  core::Hash256 record_id;
  std::uint8_t reason = 0;  // a RevocationReason
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.record_id);
    c.u8(s.reason);
  }
  friend bool operator==(const RevokeArgs&, const RevokeArgs&) = default;
};

struct GrantConsentArgs {
  core::AccountId provider;
  std::uint8_t record_type = 0;  // a RecordType
  std::uint64_t until_ms = 0;    // after the block time, within health.max_consent_days
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.provider.bytes);
    c.u8(s.record_type);
    c.u64(s.until_ms);
  }
  friend bool operator==(const GrantConsentArgs&, const GrantConsentArgs&) = default;
};

struct ConsentArgs {
  core::Hash256 consent_id;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.consent_id);
  }
  friend bool operator==(const ConsentArgs&, const ConsentArgs&) = default;
};

struct RecordAccessArgs {
  core::Hash256 record_id;
  core::Hash256 consent_id;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.record_id);
    c.fixed(s.consent_id);
  }
  friend bool operator==(const RecordAccessArgs&, const RecordAccessArgs&) = default;
};

struct RecordArgs {
  core::Hash256 record_id;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.record_id);
  }
  friend bool operator==(const RecordArgs&, const RecordArgs&) = default;
};

}  // namespace bauhinia::contracts::health
