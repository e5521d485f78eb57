// Every call of the health module: its success and each of its refusals,
// through the real Executor (admission and execution), over genesis state.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::health::testing {
namespace {

const std::string kOk = "success/";

// A ledger with one vaccination record of patient() and a 30-day consent of
// patient() to provider() for vaccination records.
struct Scene {
  Ledger l;
  core::Hash256 record;
  core::Hash256 consent;
  Scene() {
    auto r = l.issue_sample();
    EXPECT_EQ(result(r), kOk) << r.detail;
    record = r.id;
    auto c = l.grant_sample();
    EXPECT_EQ(result(c), kOk) << c.detail;
    consent = c.id;
  }
};

TEST(HealthIssue, AnchorsTheCommitmentWithTypeIssuerSubjectAndBlockTime) {
  Ledger l;
  const core::Hash256 commitment = record_commitment(salt_of(0x5A), sample_record());
  const std::uint64_t at = l.now_ms;
  auto t = l.issue(facility(), account_of(patient()), RecordType::kLaboratoryResult, commitment);
  ASSERT_EQ(result(t), kOk) << t.detail;
  auto r = l.record(t.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, t.id);
  EXPECT_EQ(r->record_type, RecordType::kLaboratoryResult);
  EXPECT_EQ(r->issuer, account_of(facility()));
  EXPECT_EQ(r->subject, account_of(patient()));
  EXPECT_EQ(r->commitment, commitment);
  EXPECT_EQ(r->issued_ms, at);
  EXPECT_EQ(r->status, RecordStatus::kActive);
  EXPECT_FALSE(r->erased);
  // The facility's first transaction also creates its account (accounts/account_created).
  ASSERT_FALSE(t.events.empty());
  EXPECT_EQ(t.events.back().module, "health");
  EXPECT_EQ(t.events.back().kind, "issued");
  EXPECT_EQ(t.events.back().record_key, record_key(t.id));
  // The patient's account index names the issue.
  EXPECT_NE(std::find(t.accounts.begin(), t.accounts.end(), account_of(patient())),
            t.accounts.end());
  // The holder verifies with the record bytes and the salt, and nothing else opens it.
  EXPECT_TRUE(opens(*r, salt_of(0x5A), sample_record()));
  EXPECT_FALSE(opens(*r, salt_of(0x5B), sample_record()));
  EXPECT_FALSE(opens(*r, salt_of(0x5A), sample_record("COVID-19 vaccination, dose 3")));
}

TEST(HealthIssue, RefusesWithTypedReasonsAndChangesNothing) {
  Ledger l;
  const core::Hash256 c = record_commitment(salt_of(1), sample_record());
  const auto p = account_of(patient());
  EXPECT_EQ(result(l.issue(provider(), p, RecordType::kVaccination, c)), "unauthorized/not_issuer");
  EXPECT_EQ(result(l.issue(patient(), p, RecordType::kVaccination, c)), "unauthorized/not_issuer");
  EXPECT_EQ(result(l.call(facility(), "issue", core::encode(IssueArgs{0, p, c}))),
            "invalid_argument/invalid_record_type");
  EXPECT_EQ(result(l.call(facility(), "issue", core::encode(IssueArgs{6, p, c}))),
            "invalid_argument/invalid_record_type");
  EXPECT_EQ(result(l.issue(facility(), core::AccountId{}, RecordType::kVaccination, c)),
            "invalid_argument/invalid_subject");
  EXPECT_EQ(result(l.issue(facility(), account_of(facility()), RecordType::kVaccination, c)),
            "invalid_argument/invalid_subject");
  EXPECT_EQ(result(l.issue(facility(), p, RecordType::kVaccination, core::Hash256{})),
            "invalid_argument/missing_commitment");
  // Malformed payloads: truncated, trailing bytes, empty.
  Bytes good = core::encode(IssueArgs{1, p, c});
  Bytes truncated(good.begin(), good.end() - 1);
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(result(l.call(facility(), "issue", truncated)), "invalid_argument/malformed_payload");
  EXPECT_EQ(result(l.call(facility(), "issue", trailing)), "invalid_argument/malformed_payload");
  EXPECT_EQ(result(l.call(facility(), "issue", {})), "invalid_argument/malformed_payload");
  EXPECT_EQ(result(l.call(facility(), "payload_release", good)), "invalid_argument/unknown_call");
  // None of these wrote a health record.
  EXPECT_EQ(l.query("patient/" + p.to_hex() + "/records")->related.size(), 0u);
  // Then the same commitment is accepted once, and refused the second time.
  EXPECT_EQ(result(l.issue(facility(), p, RecordType::kVaccination, c)), kOk);
  EXPECT_EQ(result(l.issue(facility2(), p, RecordType::kPrescription, c)),
            "already_exists/duplicate_commitment");
}

TEST(HealthIssue, AdmissionRefusesExactlyWhatExecutionWould) {
  Ledger l;
  auto tx = l.signed_call(provider(), "issue",
                          core::encode(IssueArgs{1, account_of(patient()),
                                                 record_commitment(salt_of(2), sample_record())}));
  core::Verdict v = l.admit(tx);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.rejection().detail.find("not_issuer"), std::string::npos) << v.rejection().detail;
}

TEST(HealthRevoke, OnlyTheIssuingFacilityRevokesOnceWithAReasonCode) {
  Scene s;
  EXPECT_EQ(result(s.l.revoke(facility2(), s.record)), "unauthorized/not_record_issuer");
  EXPECT_EQ(result(s.l.revoke(patient(), s.record)), "unauthorized/not_record_issuer");
  EXPECT_EQ(result(s.l.call(facility(), "revoke", core::encode(RevokeArgs{s.record, 0}))),
            "invalid_argument/invalid_reason");
  EXPECT_EQ(result(s.l.call(facility(), "revoke", core::encode(RevokeArgs{s.record, 5}))),
            "invalid_argument/invalid_reason");
  core::Hash256 unknown;
  unknown.bytes().fill(0x77);
  EXPECT_EQ(result(s.l.revoke(facility(), unknown)), "not_found/record_not_found");
  EXPECT_EQ(result(s.l.revoke(facility(), s.record, RevocationReason::kSuperseded)), kOk);
  auto r = s.l.record(s.record);
  EXPECT_EQ(r->status, RecordStatus::kRevoked);
  EXPECT_EQ(r->revocation_reason, static_cast<std::uint8_t>(RevocationReason::kSuperseded));
  EXPECT_EQ(result(s.l.revoke(facility(), s.record)), "failed_precondition/already_revoked");
  // A revoked record cannot be accessed.
  EXPECT_EQ(result(s.l.access(provider(), s.record, s.consent)),
            "failed_precondition/record_revoked");
}

TEST(HealthConsent, ThePatientGrantsToARegisteredProviderForATypeUntilADate) {
  Ledger l;
  const std::uint64_t until = l.now_ms + 10 * kDayMs;
  auto t = l.grant(patient(), account_of(provider()), RecordType::kLaboratoryResult, until);
  ASSERT_EQ(result(t), kOk) << t.detail;
  auto c = l.consent(t.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->patient, account_of(patient()));
  EXPECT_EQ(c->provider, account_of(provider()));
  EXPECT_EQ(c->record_type, RecordType::kLaboratoryResult);
  EXPECT_EQ(c->until_ms, until);
  EXPECT_EQ(c->status, ConsentStatus::kActive);
  EXPECT_EQ(l.query("provider/" + account_of(provider()).to_hex() + "/consents")->related.size(),
            1u);
  EXPECT_EQ(l.query("patient/" + account_of(patient()).to_hex() + "/consents")->related.size(), 1u);
}

TEST(HealthConsent, RefusesBadGrants) {
  Ledger l;
  const auto pv = account_of(provider());
  const std::uint64_t until = l.now_ms + kDayMs;
  EXPECT_EQ(result(l.grant(patient(), account_of(stranger()), RecordType::kVaccination, until)),
            "failed_precondition/not_provider");
  EXPECT_EQ(result(l.grant(provider(), pv, RecordType::kVaccination, until)),
            "invalid_argument/invalid_provider");
  EXPECT_EQ(result(l.grant(patient(), core::AccountId{}, RecordType::kVaccination, until)),
            "invalid_argument/invalid_provider");
  EXPECT_EQ(
      result(l.call(patient(), "grant_consent", core::encode(GrantConsentArgs{pv, 9, until}))),
      "invalid_argument/invalid_record_type");
  EXPECT_EQ(result(l.grant(patient(), pv, RecordType::kVaccination, l.now_ms)),
            "invalid_argument/invalid_until");
  // health.max_consent_days (3653) is the longest consent.
  EXPECT_EQ(result(l.grant(patient(), pv, RecordType::kVaccination, l.now_ms + 3654 * kDayMs)),
            "invalid_argument/consent_too_long");
  EXPECT_EQ(result(l.grant(patient(), pv, RecordType::kVaccination, l.now_ms + 3653 * kDayMs)),
            kOk);
}

TEST(HealthConsent, OnlyThePatientWithdrawsOnce) {
  Scene s;
  EXPECT_EQ(result(s.l.withdraw(provider(), s.consent)), "unauthorized/not_consent_patient");
  EXPECT_EQ(result(s.l.withdraw(patient2(), s.consent)), "unauthorized/not_consent_patient");
  core::Hash256 unknown;
  unknown.bytes().fill(0x31);
  EXPECT_EQ(result(s.l.withdraw(patient(), unknown)), "not_found/consent_not_found");
  EXPECT_EQ(result(s.l.withdraw(patient(), s.consent)), kOk);
  EXPECT_EQ(s.l.consent(s.consent)->status, ConsentStatus::kWithdrawn);
  EXPECT_EQ(result(s.l.withdraw(patient(), s.consent)), "failed_precondition/already_withdrawn");
}

TEST(HealthAccess, WithValidConsentTheAccessIsLoggedForThePatientAndTheRecord) {
  Scene s;
  const std::uint64_t at = s.l.now_ms;
  auto t = s.l.access(provider(), s.record, s.consent);
  ASSERT_EQ(result(t), kOk) << t.detail;
  auto e = s.l.access_entry(t.id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->record_id, s.record);
  EXPECT_EQ(e->consent_id, s.consent);
  EXPECT_EQ(e->provider, account_of(provider()));
  EXPECT_EQ(e->patient, account_of(patient()));
  EXPECT_EQ(e->accessed_ms, at);
  auto mine = s.l.query("patient/" + account_of(patient()).to_hex() + "/accesses");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->related.size(), 1u);
  EXPECT_EQ(mine->related[0].record_key, access_key(t.id));
  auto of_record = s.l.query("record/" + s.record.to_hex() + "/accesses");
  ASSERT_EQ(of_record->related.size(), 1u);
  // A second access is a second entry (each access is its own transaction).
  ASSERT_EQ(result(s.l.access(provider(), s.record, s.consent)), kOk);
  EXPECT_EQ(s.l.query("patient/" + account_of(patient()).to_hex() + "/accesses")->related.size(),
            2u);
}

TEST(HealthAccess, RefusedWithoutAValidConsentAndNothingIsLogged) {
  Scene s;
  // A vaccination record and a laboratory result of patient(); a record of patient2().
  auto lab = s.l.issue_sample(0x61, RecordType::kLaboratoryResult);
  auto other = s.l.issue_sample(0x62, RecordType::kVaccination, &patient2());
  // provider2 got no consent; consent for another provider.
  EXPECT_EQ(result(s.l.access(provider2(), s.record, s.consent)),
            "unauthorized/consent_not_for_provider");
  // Not a provider at all (even holding the consent id).
  EXPECT_EQ(result(s.l.access(stranger(), s.record, s.consent)), "unauthorized/not_provider");
  EXPECT_EQ(result(s.l.access(facility(), s.record, s.consent)), "unauthorized/not_provider");
  // Another record type than the consent covers.
  EXPECT_EQ(result(s.l.access(provider(), lab.id, s.consent)), "unauthorized/wrong_record_type");
  // Another patient's record under this patient's consent.
  EXPECT_EQ(result(s.l.access(provider(), other.id, s.consent)),
            "unauthorized/consent_other_patient");
  core::Hash256 unknown;
  unknown.bytes().fill(0x44);
  EXPECT_EQ(result(s.l.access(provider(), unknown, s.consent)), "not_found/record_not_found");
  EXPECT_EQ(result(s.l.access(provider(), s.record, unknown)), "not_found/consent_not_found");
  EXPECT_EQ(s.l.query("patient/" + account_of(patient()).to_hex() + "/accesses")->related.size(),
            0u);
}

TEST(HealthAccess, RefusedOnceTheConsentExpiresOrIsWithdrawn) {
  Scene s;
  ASSERT_EQ(result(s.l.access(provider(), s.record, s.consent)), kOk);
  // Expiry is at block time until_ms: valid strictly before.
  const auto c = s.l.consent(s.consent);
  s.l.now_ms = c->until_ms - 1;
  EXPECT_EQ(result(s.l.access(provider(), s.record, s.consent)), kOk);
  s.l.now_ms = c->until_ms;
  EXPECT_EQ(result(s.l.access(provider(), s.record, s.consent)),
            "failed_precondition/consent_expired");
  // A new consent, withdrawn.
  auto fresh = s.l.grant_sample();
  ASSERT_EQ(result(fresh), kOk);
  ASSERT_EQ(result(s.l.access(provider(), s.record, fresh.id)), kOk);
  ASSERT_EQ(result(s.l.withdraw(patient(), fresh.id)), kOk);
  EXPECT_EQ(result(s.l.access(provider(), s.record, fresh.id)),
            "failed_precondition/consent_withdrawn");
}

TEST(HealthAccess, ReplayOfACommittedAccessIsRefusedByItsSequence) {
  Scene s;
  auto tx = s.l.signed_call(provider(), "record_access",
                            core::encode(RecordAccessArgs{s.record, s.consent}));
  ASSERT_EQ(result(s.l.submit(tx)), kOk);
  const BlockContext ctx{kChain, s.l.height + 1, s.l.now_ms, s.l.version};
  ModuleSet modules;
  Executor ex;
  modules.register_with(ex);
  const std::vector<chain::IdentifiedTransaction> again{tx};
  auto r = ex.execute_block(ctx, again, s.l.state);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value()) << "a replayed transaction cannot be in a block";
  EXPECT_FALSE(s.l.admit(tx).ok());
}

TEST(HealthErase, TheIssuerOrThePatientErasesTheCommitmentStays) {
  Scene s;
  EXPECT_EQ(result(s.l.erase(provider(), s.record)), "unauthorized/not_issuer_or_subject");
  EXPECT_EQ(result(s.l.erase(facility2(), s.record)), "unauthorized/not_issuer_or_subject");
  EXPECT_EQ(result(s.l.erase(patient2(), s.record)), "unauthorized/not_issuer_or_subject");
  const HealthRecord before = *s.l.record(s.record);
  auto t = s.l.erase(patient(), s.record);
  ASSERT_EQ(result(t), kOk) << t.detail;
  ASSERT_EQ(t.events.size(), 1u);
  EXPECT_EQ(t.events[0].kind, "erased");
  const HealthRecord after = *s.l.record(s.record);
  EXPECT_TRUE(after.erased);
  EXPECT_EQ(after.erased_by, account_of(patient()));
  EXPECT_EQ(after.commitment, before.commitment);
  EXPECT_TRUE(opens(after, salt_of(0x5A), sample_record()));
  EXPECT_EQ(result(s.l.erase(facility(), s.record)), "failed_precondition/already_erased");
  EXPECT_EQ(result(s.l.access(provider(), s.record, s.consent)),
            "failed_precondition/record_erased");
  // The facility can erase a record of its own too.
  auto second = s.l.issue_sample(0x70);
  EXPECT_EQ(result(s.l.erase(facility(), second.id)), kOk);
}

TEST(HealthQueries, VerifyByCommitmentAnswersTheReferenceAndTheRecord) {
  Scene s;
  const core::Hash256 c = record_commitment(salt_of(0x5A), sample_record());
  auto a = s.l.query("verify/" + c.to_hex());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->record_key, commitment_key(c));
  ASSERT_TRUE(a->value);
  ASSERT_EQ(a->related.size(), 1u);
  EXPECT_EQ(a->related[0].record_key, record_key(s.record));
  auto r = core::decode<HealthRecord>(*a->related[0].value);
  ASSERT_TRUE(r);
  EXPECT_TRUE(opens(*r, salt_of(0x5A), sample_record()));
  // Unknown commitment: an absent record (provable absence), no related.
  core::Hash256 none;
  none.bytes().fill(0x99);
  auto b = s.l.query("verify/" + none.to_hex());
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->value);
  EXPECT_TRUE(b->related.empty());
  auto rec = s.l.query("record/" + s.record.to_hex());
  ASSERT_TRUE(rec && rec->value);
  EXPECT_TRUE(s.l.query("consent/" + s.consent.to_hex())->value);
  EXPECT_EQ(s.l.query("issuer/" + account_of(facility()).to_hex() + "/records")->related.size(),
            1u);
}

TEST(HealthQueries, MalformedPathsAreRefused) {
  Ledger l;
  for (const char* p :
       {"record", "record/zz", "record/12", "nothing/00", "patient/", "patient/abc/records",
        "patient/0000000000000000000000000000000000000000000000000000000000000000/secrets",
        "patient/0000000000000000000000000000000000000000000000000000000000000000",
        "record/0000000000000000000000000000000000000000000000000000000000000000/x",
        "patient/0000000000000000000000000000000000000000000000000000000000000000/records/x",
        "a/b/c/d/e/f"}) {
    auto r = l.query(p);
    EXPECT_FALSE(r.has_value()) << p;
  }
}

TEST(HealthQueries, ListsPageBy64) {
  Ledger l;
  for (int i = 0; i < 65; ++i) {
    ASSERT_EQ(result(l.issue(
                  facility(), account_of(patient()), RecordType::kPrescription,
                  record_commitment(salt_of(static_cast<std::uint8_t>(i)), sample_record("rx")))),
              kOk);
  }
  const std::string base = "patient/" + account_of(patient()).to_hex() + "/records";
  auto p0 = l.query(base);
  ASSERT_TRUE(p0);
  EXPECT_EQ(p0->related.size(), 64u);
  EXPECT_EQ(p0->next_page, std::optional<std::uint64_t>(1));
  auto p1 = l.query(base + "/1");
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->related.size(), 1u);
  EXPECT_FALSE(p1->next_page);
}

// Two independent state instances executing the same calls agree on every
// write, event and outcome.
TEST(HealthDeterminism, TwoIndependentStatesAgree) {
  auto run = [] {
    Ledger l;
    std::vector<std::string> trace;
    auto note = [&](const ExecutedTransaction& t) {
      trace.push_back(result(t) + core::to_hex(core::encode(t.info)));
    };
    auto r = l.issue_sample();
    note(r);
    auto c = l.grant_sample();
    note(c);
    note(l.access(provider(), r.id, c.id));
    note(l.access(provider2(), r.id, c.id));
    note(l.withdraw(patient(), c.id));
    note(l.access(provider(), r.id, c.id));
    note(l.revoke(facility(), r.id));
    note(l.erase(patient(), r.id));
    for (const WriteSet& w : l.blocks) trace.push_back(core::to_hex(encode_write_set(w)));
    return trace;
  };
  const auto a = run();
  const auto b = run();
  EXPECT_EQ(a, b);
  EXPECT_GT(a.size(), 8u);
}

TEST(HealthPrivacy, NoRecordBytesReachTheChain) {
  Scene s;
  const Bytes secret = sample_record();
  ASSERT_EQ(result(s.l.access(provider(), s.record, s.consent)), kOk);
  ASSERT_EQ(result(s.l.erase(patient(), s.record)), kOk);
  const std::string needle(secret.begin(), secret.end());
  for (const WriteSet& w : s.l.blocks) {
    const Bytes enc = encode_write_set(w);
    const std::string hay(enc.begin(), enc.end());
    EXPECT_EQ(hay.find(needle.substr(0, 12)), std::string::npos);
  }
}

}  // namespace
}  // namespace bauhinia::contracts::health::testing
