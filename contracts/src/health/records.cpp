// Keys, names and the commitment of the health module's records.

#include <array>

#include "bauhinia/contracts/health/payload_auth.hpp"
#include "bauhinia/contracts/health/records.hpp"

namespace bauhinia::contracts::health {

namespace {

constexpr std::array<std::string_view, 5> kTypeNames{
    "vaccination", "laboratory_result", "discharge_summary", "prescription", "medical_certificate"};

constexpr std::array<std::string_view, 4> kReasonNames{"issued_in_error", "superseded",
                                                       "wrong_subject", "other"};

Bytes keyed(std::uint8_t kind, const core::Hash256& id) {
  Bytes k{kind};
  k.insert(k.end(), id.bytes().begin(), id.bytes().end());
  return k;
}

Bytes list(char a, char b, core::ByteView id) {
  Bytes n{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b)};
  n.insert(n.end(), id.begin(), id.end());
  return n;
}

}  // namespace

std::string_view record_type_name(RecordType t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i >= 1 && i <= kTypeNames.size() ? kTypeNames[i - 1] : std::string_view("unknown");
}

std::optional<RecordType> record_type_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<RecordType>(i + 1);
  }
  return std::nullopt;
}

bool valid_record_type(std::uint8_t value) noexcept {
  return value >= 1 && value <= static_cast<std::uint8_t>(kMaxRecordType);
}

std::string_view revocation_reason_name(RevocationReason r) noexcept {
  const auto i = static_cast<std::size_t>(r);
  return i >= 1 && i <= kReasonNames.size() ? kReasonNames[i - 1] : std::string_view("unknown");
}

core::Hash256 record_commitment(const Salt& salt, core::ByteView record) {
  core::Sha256 h = core::tagged_hasher(core::HashTag::kCommitment);
  h.update(core::ByteView(salt.data(), salt.size()));
  h.update(record);
  return h.finalize();
}

bool opens(const HealthRecord& proven, const Salt& salt, core::ByteView record) {
  return record_commitment(salt, record) == proven.commitment;
}

Bytes record_key(const core::Hash256& id) {
  return keyed(kRecordKind, id);
}
Bytes commitment_key(const core::Hash256& commitment) {
  return keyed(kCommitmentKind, commitment);
}
Bytes consent_key(const core::Hash256& id) {
  return keyed(kConsentKind, id);
}
Bytes access_key(const core::Hash256& id) {
  return keyed(kAccessKind, id);
}

Bytes patient_records_list(const core::AccountId& patient) {
  return list('p', 'r', patient.bytes);
}
Bytes patient_consents_list(const core::AccountId& patient) {
  return list('p', 'c', patient.bytes);
}
Bytes patient_accesses_list(const core::AccountId& patient) {
  return list('p', 'a', patient.bytes);
}
Bytes provider_consents_list(const core::AccountId& provider) {
  return list('v', 'c', provider.bytes);
}
Bytes issuer_records_list(const core::AccountId& issuer) {
  return list('i', 'r', issuer.bytes);
}
Bytes record_accesses_list(const core::Hash256& record_id) {
  return list('r', 'a', record_id.bytes());
}

// ---- payload API authentication (payload_auth.hpp) ----------------------------

namespace {

CosignChallenge challenge(std::string_view chain_id, std::string_view call,
                          const core::AccountId& signer, std::uint64_t timestamp_ms,
                          const Bytes& terms) {
  return CosignChallenge{std::string(chain_id), std::string(kModuleName), std::string(call), signer,
                         timestamp_ms,          core::sha256(terms)};
}

}  // namespace

CosignChallenge upload_challenge(std::string_view chain_id, const core::AccountId& signer,
                                 std::uint64_t timestamp_ms, const UploadTerms& terms) {
  return challenge(chain_id, kUploadCall, signer, timestamp_ms, core::encode(terms));
}

CosignChallenge release_challenge(std::string_view chain_id, const core::AccountId& signer,
                                  std::uint64_t timestamp_ms, const ReleaseTerms& terms) {
  return challenge(chain_id, kReleaseCall, signer, timestamp_ms, core::encode(terms));
}

core::schnorr::Signature sign_challenge(const CosignChallenge& c,
                                        const core::schnorr::SecretKey& key) {
  return key.sign(c.hash().bytes());
}

}  // namespace bauhinia::contracts::health
