// The health module's calls (contracts/health/calls.hpp, docs/contracts/health.md).
// Nothing a facility, patient or provider types here is personal data: ids are
// transaction ids, the record itself never leaves the facility (the issue
// command takes its salted commitment, computed as health.md "The commitment"
// says, e.g. with contracts::health::record_commitment or bauhinia-testtx
// health-issue). Role and consent rules are the module's, judged by the
// node's dry-run.

#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace hl = contracts::health;

constexpr std::size_t kRecordTypes = static_cast<std::size_t>(hl::kMaxRecordType);
constexpr std::size_t kReasons = static_cast<std::size_t>(hl::kMaxRevocationReason);

// An id or commitment: 64 hex digits.
core::Checked<core::Hash256> parse_id(const Args& args, std::string_view name,
                                      std::string_view what) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  auto h = core::Hash256::from_hex(*v);
  if (!h) {
    return arg_error(name, core::Reject::kInvalid, std::string(what) + ", 64 hex digits", *v);
  }
  return *h;
}

core::Checked<std::uint8_t> parse_record_type(const Args& args) {
  auto i = parse_name_index(args, "record-type", kRecordTypes, [](std::size_t k) {
    return hl::record_type_name(static_cast<hl::RecordType>(k + 1));
  });
  if (!i) return std::move(i).error();
  return static_cast<std::uint8_t>(*i + 1);
}

std::string type_name(std::uint8_t t) {
  return in_words(hl::record_type_name(static_cast<hl::RecordType>(t)));
}

core::Checked<BuiltCall> build_issue(const Args& args) {
  Take take;
  hl::IssueArgs p;
  p.record_type = take(parse_record_type(args));
  p.subject = take(parse_account(args, "subject"));
  p.commitment = take(parse_id(args, "commitment", "the record's salted commitment"));
  if (take.failed()) return take.error();
  if (p.commitment.is_zero()) {
    return arg_error("commitment", core::Reject::kInvalid, "not all zeros (missing_commitment)");
  }
  return BuiltCall{
      core::encode(p),
      {},
      {"issue a " + type_name(p.record_type) + " record to patient account " + p.subject.to_hex(),
       "commitment " + p.commitment.to_hex() + " (the record stays off chain)"}};
}

core::Checked<BuiltCall> build_revoke(const Args& args) {
  Take take;
  hl::RevokeArgs p;
  p.record_id = take(parse_id(args, "record", "the record id"));
  const std::size_t reason = take(parse_name_index(args, "reason", kReasons, [](std::size_t k) {
    return hl::revocation_reason_name(static_cast<hl::RevocationReason>(k + 1));
  }));
  if (take.failed()) return take.error();
  p.reason = static_cast<std::uint8_t>(reason + 1);
  return BuiltCall{core::encode(p),
                   {},
                   {"revoke health record " + p.record_id.to_hex(),
                    "reason: " + in_words(hl::revocation_reason_name(
                                     static_cast<hl::RevocationReason>(p.reason)))}};
}

core::Checked<BuiltCall> build_grant(const Args& args) {
  Take take;
  hl::GrantConsentArgs p;
  p.provider = take(parse_account(args, "provider"));
  p.record_type = take(parse_record_type(args));
  const CalendarDate until = take(parse_date(args, "until"));
  p.until_ms = take(parse_date_ms(args, "until"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"consent: provider " + p.provider.to_hex() + " may read my " +
                        type_name(p.record_type) + " records",
                    "until " + until.to_string() + " 00:00 Hong Kong time (or until withdrawn)"}};
}

core::Checked<BuiltCall> build_withdraw(const Args& args) {
  Take take;
  hl::ConsentArgs p;
  p.consent_id = take(parse_id(args, "consent", "the consent id"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p), {}, {"withdraw consent " + p.consent_id.to_hex()}};
}

core::Checked<BuiltCall> build_access(const Args& args) {
  Take take;
  hl::RecordAccessArgs p;
  p.record_id = take(parse_id(args, "record", "the record id"));
  p.consent_id = take(parse_id(args, "consent", "the consent id"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"log my access to health record " + p.record_id.to_hex(),
                    "under consent " + p.consent_id.to_hex() + " (the patient sees this entry)"}};
}

core::Checked<BuiltCall> build_erase(const Args& args) {
  Take take;
  hl::RecordArgs p;
  p.record_id = take(parse_id(args, "record", "the record id"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"erase health record " + p.record_id.to_hex(),
                    "every node destroys its payload key; the commitment stays"}};
}

const char* const kRecordTypeHelp =
    "vaccination, laboratory-result, discharge-summary, prescription or medical-certificate";

}  // namespace

std::vector<CallSpec> health_calls() {
  const std::string record = "5d1c0a9e6f2b47d3a8e4c1b07f9a2e6d3c5b8a1f4e7d0c3b6a9f2e5d8c1b4a70";
  const std::string consent = "a3f1e5c7b9d2046e8f1a3c5e7b9d1f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d";
  const std::string account = "305aea2429bd12070c418b5373187a103e9fa1b339b7a212b1a1fb991f0fe466";
  return {
      CallSpec{
          "health",
          "issue",
          "a facility (health.issuer) anchors the salted commitment of a record it issued "
          "to a patient's account",
          "bauhinia-wallet health issue --record-type vaccination --subject " + account +
              " --commitment 2c2f1d3bf66df00cdcf6c552f44eee3d4ebd5ab365b9ff8f2f008d218f8fd995",
          {{"record-type", kRecordTypeHelp},
           {"subject", "the patient's account (address or 64 hex), never a name or ID"},
           {"commitment", "the record's salted commitment, 64 hex (docs/contracts/health.md)"}},
          build_issue},
      CallSpec{"health",
               "revoke",
               "the issuing facility revokes a record it issued",
               "bauhinia-wallet health revoke --record " + record + " --reason superseded",
               {{"record", "the record id (its issue transaction's id), 64 hex"},
                {"reason", "issued-in-error, superseded, wrong-subject or other"}},
               build_revoke},
      CallSpec{"health",
               "grant_consent",
               "the patient lets a provider (health.provider) read one type of their records "
               "until a date",
               "bauhinia-wallet health grant-consent --provider " + account +
                   " --record-type vaccination --until 2026-12-31",
               {{"provider", "the provider's account (address or 64 hex)"},
                {"record-type", kRecordTypeHelp},
                {"until", "the consent ends at the start of this Hong Kong date, YYYY-MM-DD"}},
               build_grant},
      CallSpec{"health",
               "withdraw_consent",
               "the patient withdraws a consent they gave",
               "bauhinia-wallet health withdraw-consent --consent " + consent,
               {{"consent", "the consent id (its grant transaction's id), 64 hex"}},
               build_withdraw},
      CallSpec{"health",
               "record_access",
               "a provider logs its access to a record under the patient's consent (then asks "
               "a node for the payload)",
               "bauhinia-wallet health record-access --record " + record + " --consent " + consent,
               {{"record", "the record id, 64 hex"}, {"consent", "the consent id, 64 hex"}},
               build_access},
      CallSpec{"health",
               "erase",
               "the issuing facility or the patient erases a record (its payload is destroyed "
               "on every node)",
               "bauhinia-wallet health erase --record " + record,
               {{"record", "the record id, 64 hex"}},
               build_erase},
  };
}

}  // namespace bauhinia::wallet::calls
