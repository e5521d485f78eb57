// The health module's calls (calls.hpp): every check before any write; a
// refusal names a typed reason (docs/contracts/health.md, "Rejections").

#include "bauhinia/contracts/health/module.hpp"

#include <array>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/system/records.hpp"

namespace bauhinia::contracts::health {

namespace {

using chain::TxOutcome;

constexpr std::uint64_t kDayMs = 86'400'000;

constexpr std::array<ParameterSpec, 2> kParameters{{
    {kMaxConsentDays, 3653, 1, 36525, "days",
     "Longest consent a patient may give in one grant (eHRSS offers one-year and "
     "open-ended sharing consent, Cap. 625 s.12; the ledger needs an end date: ten years)"},
    {kReleaseWindowMs, 600'000, 1'000, 86'400'000, "ms",
     "How long after its committed record_access a provider may ask a node to release the "
     "payload (the access log entry authorises one release shortly after it is written)"},
}};

CallResult fail(TxOutcome o, std::string_view reason, std::string detail) {
  return CallResult::failure(o, std::string(reason), std::move(detail));
}

std::string short_hex(const core::Hash256& h) {
  return h.to_hex().substr(0, 16);
}

template <class T>
CallResult decode_args(const chain::Transaction& tx, T& out) {
  auto args = core::decode<T>(tx.payload);
  if (!args) {
    const bool large = args.error().reason == core::Reject::kTooLarge;
    return fail(large ? TxOutcome::kLimitExceeded : TxOutcome::kInvalidArgument,
                large ? "field_too_large" : "malformed_payload",
                tx.call + ": " + args.error().to_string());
  }
  out = std::move(*args);
  return CallResult::success();
}

template <class T>
std::optional<T> load_as(const StateView& state, const Bytes& key) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return std::nullopt;
  auto v = core::decode<T>(*bytes);
  if (!v) return std::nullopt;
  return std::move(*v);
}

// Loads a record of the module: not_found (reason `missing`) or corrupt_record.
template <class T>
CallResult load_or_fail(const StateView& state, const Bytes& key, std::string_view missing,
                        std::string what, T& out) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return fail(TxOutcome::kNotFound, missing, "no " + what);
  auto v = core::decode<T>(*bytes);
  if (!v) return fail(TxOutcome::kFailedPrecondition, "corrupt_record", what + " does not decode");
  out = std::move(*v);
  return CallResult::success();
}

CallResult add_to(StateView& state, const Bytes& list, const Bytes& member) {
  return IndexList(list).add(state, member);
}

CallResult apply_issue(CallContext& call, StateView& state) {
  IssueArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  if (!system::has_role(state, call.sender(), kIssuerRole)) {
    return fail(TxOutcome::kUnauthorized, "not_issuer",
                "issue: the sender does not hold the role health.issuer");
  }
  if (!valid_record_type(a.record_type)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_record_type",
                "record type " + std::to_string(a.record_type) + " is not 1..5");
  }
  if (a.subject.bytes == core::AccountId{}.bytes || a.subject == call.sender()) {
    return fail(TxOutcome::kInvalidArgument, "invalid_subject",
                "the subject is the patient's own account: not zero, not the issuer");
  }
  if (a.commitment.is_zero()) {
    return fail(TxOutcome::kInvalidArgument, "missing_commitment", "the commitment is zero");
  }
  const Bytes ref = commitment_key(a.commitment);
  if (auto existing = load_as<CommitmentRef>(state, ref)) {
    return fail(TxOutcome::kAlreadyExists, "duplicate_commitment",
                "record " + short_hex(existing->record_id) + " has this commitment");
  }
  HealthRecord r;
  r.id = call.transaction_id();
  r.record_type = static_cast<RecordType>(a.record_type);
  r.issuer = call.sender();
  r.subject = a.subject;
  r.commitment = a.commitment;
  r.issued_ms = call.block().timestamp_ms;
  r.issued_height = call.block().height;
  const Bytes key = record_key(r.id);
  if (state.read_own(key)) {
    return fail(TxOutcome::kAlreadyExists, "duplicate_record", "record exists");
  }
  if (CallResult x = add_to(state, patient_records_list(r.subject), key); !x.ok()) return x;
  if (CallResult x = add_to(state, issuer_records_list(r.issuer), key); !x.ok()) return x;
  state.write(ref, core::encode(CommitmentRef{CommitmentRef::kVersion, r.id}));
  const Bytes encoded = core::encode(r);
  state.write(key, encoded);
  call.mention_account(r.subject);
  call.emit("issued", key, encoded);
  return CallResult::success();
}

CallResult apply_revoke(CallContext& call, StateView& state) {
  RevokeArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  const Bytes key = record_key(a.record_id);
  HealthRecord r;
  if (CallResult x =
          load_or_fail(state, key, "record_not_found", "record " + short_hex(a.record_id), r);
      !x.ok()) {
    return x;
  }
  if (r.issuer != call.sender()) {
    return fail(TxOutcome::kUnauthorized, "not_record_issuer",
                "revoke: only the facility that issued the record may revoke it");
  }
  if (!system::has_role(state, call.sender(), kIssuerRole)) {
    return fail(TxOutcome::kUnauthorized, "not_issuer",
                "revoke: the sender no longer holds the role health.issuer");
  }
  if (a.reason < 1 || a.reason > static_cast<std::uint8_t>(kMaxRevocationReason)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_reason",
                "revocation reason " + std::to_string(a.reason) + " is not 1..4");
  }
  if (r.status == RecordStatus::kRevoked) {
    return fail(TxOutcome::kFailedPrecondition, "already_revoked",
                "record " + short_hex(a.record_id) + " is revoked");
  }
  r.status = RecordStatus::kRevoked;
  r.revoked_ms = call.block().timestamp_ms;
  r.revocation_reason = a.reason;
  const Bytes encoded = core::encode(r);
  state.write(key, encoded);
  call.mention_account(r.subject);
  call.emit("revoked", key, encoded);
  return CallResult::success();
}

CallResult apply_grant(CallContext& call, StateView& state) {
  GrantConsentArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  if (!valid_record_type(a.record_type)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_record_type",
                "record type " + std::to_string(a.record_type) + " is not 1..5");
  }
  if (a.provider.bytes == core::AccountId{}.bytes || a.provider == call.sender()) {
    return fail(TxOutcome::kInvalidArgument, "invalid_provider",
                "the provider is another account than the patient's");
  }
  if (!system::has_role(state, a.provider, kProviderRole)) {
    return fail(
        TxOutcome::kFailedPrecondition, "not_provider",
        "account " + a.provider.to_hex().substr(0, 16) + " does not hold the role health.provider");
  }
  const std::uint64_t now = call.block().timestamp_ms;
  if (a.until_ms <= now) {
    return fail(TxOutcome::kInvalidArgument, "invalid_until",
                "a consent ends after the block time");
  }
  const auto max_days = system::read_parameter(state, kMaxConsentDays);
  if (!max_days) {
    return fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                "chain parameter health.max_consent_days is not set");
  }
  if (a.until_ms - now > *max_days * kDayMs) {
    return fail(TxOutcome::kInvalidArgument, "consent_too_long",
                "a consent lasts at most " + std::to_string(*max_days) + " days");
  }
  Consent c;
  c.id = call.transaction_id();
  c.patient = call.sender();
  c.provider = a.provider;
  c.record_type = static_cast<RecordType>(a.record_type);
  c.granted_ms = now;
  c.until_ms = a.until_ms;
  const Bytes key = consent_key(c.id);
  if (CallResult x = add_to(state, patient_consents_list(c.patient), key); !x.ok()) return x;
  if (CallResult x = add_to(state, provider_consents_list(c.provider), key); !x.ok()) return x;
  const Bytes encoded = core::encode(c);
  state.write(key, encoded);
  call.mention_account(c.provider);
  call.emit("consent_granted", key, encoded);
  return CallResult::success();
}

CallResult apply_withdraw(CallContext& call, StateView& state) {
  ConsentArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  const Bytes key = consent_key(a.consent_id);
  Consent c;
  if (CallResult x =
          load_or_fail(state, key, "consent_not_found", "consent " + short_hex(a.consent_id), c);
      !x.ok()) {
    return x;
  }
  if (c.patient != call.sender()) {
    return fail(TxOutcome::kUnauthorized, "not_consent_patient",
                "withdraw_consent: only the patient who gave the consent may withdraw it");
  }
  if (c.status == ConsentStatus::kWithdrawn) {
    return fail(TxOutcome::kFailedPrecondition, "already_withdrawn",
                "consent " + short_hex(a.consent_id) + " is withdrawn");
  }
  c.status = ConsentStatus::kWithdrawn;
  c.withdrawn_ms = call.block().timestamp_ms;
  const Bytes encoded = core::encode(c);
  state.write(key, encoded);
  call.mention_account(c.provider);
  call.emit("consent_withdrawn", key, encoded);
  return CallResult::success();
}

CallResult apply_access(CallContext& call, StateView& state) {
  RecordAccessArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  HealthRecord r;
  if (CallResult x = load_or_fail(state, record_key(a.record_id), "record_not_found",
                                  "record " + short_hex(a.record_id), r);
      !x.ok()) {
    return x;
  }
  Consent c;
  if (CallResult x = load_or_fail(state, consent_key(a.consent_id), "consent_not_found",
                                  "consent " + short_hex(a.consent_id), c);
      !x.ok()) {
    return x;
  }
  if (!system::has_role(state, call.sender(), kProviderRole)) {
    return fail(TxOutcome::kUnauthorized, "not_provider",
                "record_access: the sender does not hold the role health.provider");
  }
  if (auto refusal = consent_refusal(c, r, call.sender(), call.block().timestamp_ms)) {
    return *refusal;
  }
  AccessEntry e;
  e.id = call.transaction_id();
  e.record_id = r.id;
  e.consent_id = c.id;
  e.provider = call.sender();
  e.patient = r.subject;
  e.record_type = r.record_type;
  e.accessed_ms = call.block().timestamp_ms;
  e.height = call.block().height;
  const Bytes key = access_key(e.id);
  if (CallResult x = add_to(state, patient_accesses_list(e.patient), key); !x.ok()) return x;
  if (CallResult x = add_to(state, record_accesses_list(e.record_id), key); !x.ok()) return x;
  const Bytes encoded = core::encode(e);
  state.write(key, encoded);
  call.mention_account(e.patient);
  call.emit("accessed", key, encoded);
  return CallResult::success();
}

CallResult apply_erase(CallContext& call, StateView& state) {
  RecordArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  const Bytes key = record_key(a.record_id);
  HealthRecord r;
  if (CallResult x =
          load_or_fail(state, key, "record_not_found", "record " + short_hex(a.record_id), r);
      !x.ok()) {
    return x;
  }
  if (call.sender() != r.issuer && call.sender() != r.subject) {
    return fail(TxOutcome::kUnauthorized, "not_issuer_or_subject",
                "erase: only the record's issuer or its subject may erase it");
  }
  if (r.erased) {
    return fail(TxOutcome::kFailedPrecondition, "already_erased",
                "record " + short_hex(a.record_id) + " is erased");
  }
  r.erased = true;
  r.erased_ms = call.block().timestamp_ms;
  r.erased_by = call.sender();
  const Bytes encoded = core::encode(r);
  state.write(key, encoded);
  call.mention_account(r.subject);
  call.mention_account(r.issuer);
  call.emit("erased", key, encoded);
  return CallResult::success();
}

CallResult dispatch(CallContext& call, StateView& state) {
  const std::string& name = call.tx().call;
  if (name == "issue") return apply_issue(call, state);
  if (name == "revoke") return apply_revoke(call, state);
  if (name == "grant_consent") return apply_grant(call, state);
  if (name == "withdraw_consent") return apply_withdraw(call, state);
  if (name == "record_access") return apply_access(call, state);
  if (name == "erase") return apply_erase(call, state);
  return fail(
      TxOutcome::kInvalidArgument, "unknown_call",
      "module health has no call '" + name +
          "' (calls: issue, revoke, grant_consent, withdraw_consent, record_access, erase)");
}

}  // namespace

std::optional<CallResult> consent_refusal(const Consent& consent, const HealthRecord& record,
                                          const core::AccountId& provider, std::uint64_t now_ms) {
  const std::string id = "consent " + short_hex(consent.id);
  if (consent.provider != provider) {
    return fail(TxOutcome::kUnauthorized, "consent_not_for_provider",
                id + " was given to another provider");
  }
  if (consent.patient != record.subject) {
    return fail(TxOutcome::kUnauthorized, "consent_other_patient",
                id + " was given by another patient than the record's subject");
  }
  if (consent.record_type != record.record_type) {
    return fail(TxOutcome::kUnauthorized, "wrong_record_type",
                id + " covers " + std::string(record_type_name(consent.record_type)) +
                    " records, not " + std::string(record_type_name(record.record_type)));
  }
  if (consent.status == ConsentStatus::kWithdrawn) {
    return fail(TxOutcome::kFailedPrecondition, "consent_withdrawn", id + " was withdrawn");
  }
  if (now_ms >= consent.until_ms) {
    return fail(TxOutcome::kFailedPrecondition, "consent_expired", id + " has expired");
  }
  if (record.erased) {
    return fail(TxOutcome::kFailedPrecondition, "record_erased",
                "record " + short_hex(record.id) + " is erased");
  }
  if (record.status == RecordStatus::kRevoked) {
    return fail(TxOutcome::kFailedPrecondition, "record_revoked",
                "record " + short_hex(record.id) + " is revoked");
  }
  return std::nullopt;
}

std::optional<HealthRecord> load_record(const StateView& state, const core::Hash256& id) {
  return load_as<HealthRecord>(state, record_key(id));
}
std::optional<Consent> load_consent(const StateView& state, const core::Hash256& id) {
  return load_as<Consent>(state, consent_key(id));
}
std::optional<AccessEntry> load_access(const StateView& state, const core::Hash256& id) {
  return load_as<AccessEntry>(state, access_key(id));
}

std::span<const ParameterSpec> HealthModule::parameters() const {
  return kParameters;
}

core::Verdict HealthModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

CallResult HealthModule::apply(CallContext& call, StateView& state) const {
  return dispatch(call, state);
}

}  // namespace bauhinia::contracts::health
