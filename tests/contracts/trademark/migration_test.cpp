// register_existing: marks taken over from the legacy register, registered
// (with renewals so far) or removed, and then renewed, restored, assigned and
// licensed on the ledger exactly as marks registered on it.

#include <gtest/gtest.h>

#include <algorithm>

#include "bauhinia/contracts/company/calls.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
}

// `ms` minus `years` calendar years (Hong Kong dates; no 29 February here).
std::uint64_t years_before(std::uint64_t ms, std::int64_t years) {
  const std::uint64_t local = ms + static_cast<std::uint64_t>(kHongKongOffsetMs);
  CivilDate d = civil_from_days(static_cast<std::int64_t>(local / kDayMs));
  d.year -= years;
  return static_cast<std::uint64_t>(days_from_civil(d)) * kDayMs + local % kDayMs -
         static_cast<std::uint64_t>(kHongKongOffsetMs);
}

// 10:00 Hong Kong time on a Hong Kong date.
std::uint64_t hk(std::int64_t y, unsigned m, unsigned d) {
  return static_cast<std::uint64_t>(days_from_civil(CivilDate{y, m, d})) * kDayMs + 2 * 3'600'000;
}

company::IncorporateArgs company_args(std::string number, std::string en, std::string zh,
                                      const core::schnorr::SecretKey& account) {
  company::IncorporateArgs a;
  a.number = std::move(number);
  a.name_en = std::move(en);
  a.name_zh = std::move(zh);
  a.type = company::CompanyType::kPrivateLimitedByShares;
  a.registered_office = "Room 1201, 88 Queensway, Admiralty, Hong Kong";
  a.account = account_of(account);
  a.document_hash = doc(0x11);
  company::OfficerArgs o;
  o.role = company::OfficerRole::kDirector;
  o.name_en = "CHAN Tai Man";
  o.name_zh = "陳大文";
  o.partial_id = "A123***(*)";
  o.correspondence_address = "Flat A, 12/F, 8 Harbour Road, Wan Chai, Hong Kong";
  o.id_number_commitment = doc(0x21);
  o.residential_address_commitment = doc(0x22);
  a.officers.push_back(o);
  return a;
}

// A registered mark as the legacy register shows it: filed `filing_ms`,
// entered 200 days later, `renewals` renewals so far.
RegisterExistingArgs legacy(const std::string& number, const Party& owner, std::uint64_t filing_ms,
                            std::uint32_t renewals = 0) {
  RegisterExistingArgs a;
  a.mark = sample_filing(number, owner, filing_ms);
  a.status = Status::kRegistered;
  a.entered_ms = filing_ms + 200 * kDayMs;
  a.renewals = renewals;
  a.expiry_ms = add_years(filing_ms, 10ULL * (renewals + 1));
  a.extract_hash = doc(0xE7);
  return a;
}

// The same mark removed on `removed_ms`.
RegisterExistingArgs legacy_removed(const std::string& number, const Party& owner,
                                    std::uint64_t filing_ms, std::uint32_t renewals,
                                    std::uint64_t removed_ms) {
  RegisterExistingArgs a = legacy(number, owner, filing_ms, renewals);
  a.status = Status::kRemoved;
  a.removed_ms = removed_ms;
  return a;
}

class MigrationTest : public ::testing::Test {
 protected:
  ExecutedTransaction migrate(const RegisterExistingArgs& a,
                              const core::schnorr::SecretKey& k = registrar()) {
    return ledger_.call(k, "register_existing", core::encode(a));
  }
  void incorporate_kinetic() {
    chain::Transaction tx =
        ledger_.draft(cr_registrar(), "incorporate",
                      core::encode(company_args("3345678", "Kowloon Kinetic Technology Limited",
                                                "九龍動力科技有限公司", assignee())));
    tx.module = "company";
    const auto r = ledger_.submit(Ledger::sign(std::move(tx), cr_registrar()));
    ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  }
  std::vector<HistoryRecord> history(const std::string& number) {
    std::vector<HistoryRecord> out;
    auto a = ledger_.query("history/" + number);
    EXPECT_TRUE(a.has_value());
    if (!a) return out;
    for (const QueryRecord& r : a->related) {
      auto h = core::decode<HistoryRecord>(*r.value);
      EXPECT_TRUE(h.has_value());
      if (h) out.push_back(*h);
    }
    return out;
  }
  std::size_t listed(const std::string& path, const std::string& number) {
    auto a = ledger_.query(path);
    EXPECT_TRUE(a.has_value());
    std::size_t n = 0;
    if (!a) return n;
    for (const QueryRecord& r : a->related) {
      if (r.record_key == mark_key(number)) ++n;
    }
    return n;
  }

  Ledger ledger_;
  Party owner_ = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  Party kinetic_ =
      party(assignee(), "Kowloon Kinetic Technology Limited", "九龍動力科技有限公司", "3345678");
};

TEST_F(MigrationTest, RegisteredMarkIsTakenOverWithItsHistoricDates) {
  // Filed 10 years minus 90 days before today: its renewal window is open.
  const std::uint64_t filing = years_before(ledger_.now_ms, 10) + 90 * kDayMs;
  const RegisterExistingArgs a = legacy("305918274", owner_, filing);
  const std::uint64_t block_ms = ledger_.now_ms;
  const auto t = migrate(a);
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;

  const MarkRecord m = *ledger_.mark("305918274");
  EXPECT_EQ(m.status, Status::kRegistered);
  EXPECT_EQ(m.filing_date_ms, filing);
  EXPECT_EQ(m.registration_date_ms, filing);
  EXPECT_EQ(m.entered_ms, a.entered_ms);
  EXPECT_EQ(m.expiry_ms, add_years(filing, 10));
  EXPECT_EQ(m.renewals, 0U);
  EXPECT_EQ(m.status_changed_ms, block_ms);
  EXPECT_EQ(m.filed_height, ledger_.height);
  EXPECT_EQ(m.owner, owner_);
  EXPECT_EQ(m.classes, a.mark.classes);
  EXPECT_EQ(m.history_size, 1U);

  // History record 0: the migration, with the extract's hash and the block.
  const auto h = history("305918274");
  ASSERT_EQ(h.size(), 1U);
  EXPECT_EQ(h[0].kind, TransactionKind::kMigration);
  EXPECT_EQ(transaction_kind_name(h[0].kind), "migration");
  EXPECT_EQ(h[0].height, ledger_.height);
  EXPECT_EQ(h[0].entry_ms, block_ms);
  EXPECT_EQ(h[0].effective_ms, a.entered_ms);
  EXPECT_EQ(h[0].deed_hash, doc(0xE7));
  EXPECT_EQ(h[0].to, owner_);
  EXPECT_EQ(h[0].transaction_id, t.id);

  // Event and the owner's per-account index.
  const auto ev = std::find_if(t.events.begin(), t.events.end(),
                               [](const Event& e) { return e.kind == "migrated"; });
  ASSERT_NE(ev, t.events.end());
  EXPECT_EQ(ev->module, "trademark");
  EXPECT_EQ(ev->record_key, mark_key("305918274"));
  EXPECT_NE(std::find(t.accounts.begin(), t.accounts.end(), account_of(applicant())),
            t.accounts.end());

  // The index lists, as for a registration.
  const std::string hex = core::to_hex(account_of(applicant()).bytes);
  EXPECT_EQ(listed("by_owner/" + hex, "305918274"), 1U);
  EXPECT_EQ(listed("by_status/registered", "305918274"), 1U);
  EXPECT_EQ(listed("expiring/" + month_of(m.expiry_ms), "305918274"), 1U);
  // The ownership chain has no transfer yet: the mark alone.
  EXPECT_TRUE(ledger_.query("ownership/305918274")->related.empty());
}

TEST_F(MigrationTest, AfterMigrationRenewAssignAndLicenceWorkAsOnAnyMark) {
  incorporate_kinetic();
  const std::uint64_t filing = years_before(ledger_.now_ms, 10) + 90 * kDayMs;
  ASSERT_EQ(migrate(legacy("305918274", owner_, filing)).info.outcome, TxOutcome::kSuccess);
  const std::string old_month = month_of(ledger_.mark("305918274")->expiry_ms);

  // Renewal in the window: on time, a new term.
  const auto renew = ledger_.act("renew", "305918274");
  ASSERT_EQ(renew.info.outcome, TxOutcome::kSuccess) << renew.reason << " " << renew.detail;
  MarkRecord m = *ledger_.mark("305918274");
  EXPECT_EQ(m.expiry_ms, add_years(filing, 20));
  EXPECT_EQ(m.renewals, 1U);
  EXPECT_FALSE(m.last_renewal_late);
  EXPECT_EQ(listed("expiring/" + old_month, "305918274"), 0U);
  EXPECT_EQ(listed("expiring/" + month_of(m.expiry_ms), "305918274"), 1U);

  // Partial assignment to a company, co-signed by the assignor.
  AssignTerms part;
  part.number = "305918274";
  part.assignor = account_of(applicant());
  part.assignee = kinetic_;
  part.scope = {{43, {"catering"}}};
  part.assignment_date_ms = ledger_.now_ms - kDayMs;
  part.deed_hash = doc(0xD1);
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "assign", part, {})),
            "unauthorized/assignor_not_cosigned");
  const auto p = ledger_.cosigned(registrar(), "assign", part, {&applicant()});
  ASSERT_EQ(p.info.outcome, TxOutcome::kSuccess) << p.reason << " " << p.detail;
  const MarkRecord split = *ledger_.mark("305918274AA");
  EXPECT_EQ(split.owner, kinetic_);
  EXPECT_EQ(split.expiry_ms, m.expiry_ms);
  EXPECT_EQ(split.status, Status::kRegistered);
  const auto h = history("305918274");
  ASSERT_EQ(h.size(), 2U);
  EXPECT_EQ(h[0].kind, TransactionKind::kMigration);
  EXPECT_EQ(h[1].kind, TransactionKind::kPartialAssignment);

  // Whole assignment with goodwill of the rest, co-signed by the assignor.
  AssignTerms whole;
  whole.number = "305918274";
  whole.assignor = account_of(applicant());
  whole.assignee = party(third(), "Sham Shui Po Bakery Limited", "深水埗餅家有限公司");
  whole.with_goodwill = true;
  whole.assignment_date_ms = ledger_.now_ms - kDayMs;
  whole.deed_hash = doc(0xD2);
  const auto w = ledger_.cosigned(registrar(), "assign", whole, {&applicant()});
  ASSERT_EQ(w.info.outcome, TxOutcome::kSuccess) << w.reason << " " << w.detail;
  EXPECT_EQ(ledger_.mark("305918274")->owner.account, account_of(third()));
  EXPECT_TRUE(history("305918274")[2].with_goodwill);

  // A licence granted by the new owner.
  LicenceTerms l;
  l.number = "305918274";
  l.licensor = account_of(third());
  l.licensee = kinetic_;
  l.scope = {{30, {"mooncakes"}}};
  l.start_ms = ledger_.now_ms;
  l.end_ms = add_years(ledger_.now_ms, 3);
  l.deed_hash = doc(0xD3);
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_licence", l, {&applicant()})),
            "unauthorized/owner_not_cosigned");
  const auto lic = ledger_.cosigned(registrar(), "record_licence", l, {&third()});
  ASSERT_EQ(lic.info.outcome, TxOutcome::kSuccess) << lic.reason << " " << lic.detail;
  EXPECT_EQ(history("305918274")[3].kind, TransactionKind::kLicence);
  EXPECT_EQ(ledger_.query("ownership/305918274AA")->related.size() > 0, true);
}

TEST_F(MigrationTest, MarkInItsLateRenewalGraceIsMigratedRegisteredAndRenewedLate) {
  const std::uint64_t filing = years_before(ledger_.now_ms, 10) - 30 * kDayMs;
  ASSERT_EQ(migrate(legacy("305918274", owner_, filing)).info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(ledger_.act("renew", "305918274").info.outcome, TxOutcome::kSuccess);
  EXPECT_TRUE(ledger_.mark("305918274")->last_renewal_late);
  EXPECT_EQ(ledger_.mark("305918274")->expiry_ms, add_years(filing, 20));
}

TEST_F(MigrationTest, RenewalsSoFarSetTheExpiryAndNonUseCountsFromTheLegacyEntry) {
  // Filed 2005, renewed once (2015) and again (2025): expires 2035.
  const std::uint64_t filing = hk(2005, 6, 1);
  RegisterExistingArgs a = legacy("304477102", owner_, filing, 2);
  ASSERT_EQ(migrate(a).info.outcome, TxOutcome::kSuccess);
  const MarkRecord m = *ledger_.mark("304477102");
  EXPECT_EQ(m.expiry_ms, hk(2035, 6, 1));
  EXPECT_EQ(m.renewals, 2U);
  // Entered on the legacy register in 2005: non-use revocation is open now.
  EXPECT_EQ(
      ledger_.call(registrar(), "revoke", core::encode(GroundArgs{"304477102", Ground::kNonUse}))
          .info.outcome,
      TxOutcome::kSuccess);
  // Renewal is not open for a mark expiring in 2035.
  EXPECT_EQ(migrate(legacy("304477103", owner_, filing, 2)).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(ledger_.act("renew", "304477103")), "failed_precondition/renewal_not_open");
}

// The examples table of docs/contracts/trademark.md (block of 2026-01-05).
TEST_F(MigrationTest, DocumentedExamplesHold) {
  ASSERT_EQ(hong_kong_date(ledger_.now_ms), (CivilDate{2026, 1, 5}));
  ASSERT_EQ(migrate(legacy("305918274", owner_, hk(2016, 4, 5))).info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(ledger_.act("renew", "305918274").info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark("305918274")->expiry_ms, hk(2036, 4, 5));

  ASSERT_EQ(migrate(legacy("306000001", owner_, hk(2015, 11, 20))).info.outcome,
            TxOutcome::kSuccess);
  ASSERT_EQ(ledger_.act("renew", "306000001").info.outcome, TxOutcome::kSuccess);
  EXPECT_TRUE(ledger_.mark("306000001")->last_renewal_late);

  EXPECT_EQ(failure(migrate(legacy("306000002", owner_, hk(2015, 3, 1)))),
            "failed_precondition/expired_beyond_grace");
  EXPECT_EQ(
      failure(migrate(legacy_removed("306000002", owner_, hk(2015, 3, 1), 0, hk(2025, 9, 1) - 1))),
      "invalid_argument/removal_before_grace_over");
  ASSERT_EQ(
      migrate(legacy_removed("306000002", owner_, hk(2015, 3, 1), 0, hk(2025, 9, 1))).info.outcome,
      TxOutcome::kSuccess);

  // 304477102: renewal opens 2034-11-29 (184 days before 2035-06-01).
  ASSERT_EQ(migrate(legacy("304477102", owner_, hk(2005, 6, 1), 2)).info.outcome,
            TxOutcome::kSuccess);
  ledger_.now_ms = hk(2034, 11, 29) - 1;
  EXPECT_EQ(failure(ledger_.act("renew", "304477102")), "failed_precondition/renewal_not_open");
  ledger_.now_ms = hk(2034, 11, 29);
  EXPECT_EQ(ledger_.act("renew", "304477102").info.outcome, TxOutcome::kSuccess);
}

TEST_F(MigrationTest, MarkFiledUnderTheRepealedOrdinanceKeepsItsLegacyExpiry) {
  // Filed 1995-05-02 under Cap. 43 (other terms): expires 2026-05-02, an
  // anniversary of filing; renewed on the ledger for a Cap. 559 term.
  RegisterExistingArgs a = legacy("300587614", owner_, hk(1995, 5, 2), 2);
  a.expiry_ms = hk(2026, 5, 2) + 5 * 3'600'000;  // the date counts, not the time
  const auto t = migrate(a);
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
  EXPECT_EQ(ledger_.mark("300587614")->expiry_ms, hk(2026, 5, 2));
  EXPECT_EQ(ledger_.mark("300587614")->renewals, 2U);
  ASSERT_EQ(ledger_.act("renew", "300587614").info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark("300587614")->expiry_ms, hk(2036, 5, 2));
}

TEST_F(MigrationTest, RemovedMarkIsRestorableWithinTheWindowFromItsLegacyRemoval) {
  // Filed 2000-03-01, renewed once: expired 2020-03-01; removed 2025-10-01.
  const auto a = legacy_removed("300112233", owner_, hk(2000, 3, 1), 1, hk(2025, 10, 1));
  ASSERT_EQ(migrate(a).info.outcome, TxOutcome::kSuccess);
  MarkRecord m = *ledger_.mark("300112233");
  EXPECT_EQ(m.status, Status::kRemoved);
  EXPECT_EQ(m.removed_ms, hk(2025, 10, 1));
  EXPECT_EQ(m.expiry_ms, hk(2020, 3, 1));
  EXPECT_EQ(listed("by_status/removed", "300112233"), 1U);
  EXPECT_EQ(listed("expiring/2020-03", "300112233"), 0U);
  EXPECT_EQ(failure(ledger_.act("renew", "300112233")), "failed_precondition/illegal_transition");
  ASSERT_EQ(ledger_.act("restore", "300112233").info.outcome, TxOutcome::kSuccess);
  m = *ledger_.mark("300112233");
  EXPECT_EQ(m.status, Status::kRegistered);
  EXPECT_EQ(m.expiry_ms, hk(2030, 3, 1));
  EXPECT_EQ(m.renewals, 2U);
  EXPECT_EQ(listed("expiring/2030-03", "300112233"), 1U);

  // Removed long ago: migrated for the record, no longer restorable.
  ASSERT_EQ(
      migrate(legacy_removed("300112234", owner_, hk(1990, 3, 1), 0, hk(2001, 1, 2))).info.outcome,
      TxOutcome::kSuccess);
  EXPECT_EQ(failure(ledger_.act("restore", "300112234")),
            "failed_precondition/restoration_window_closed");
}

TEST_F(MigrationTest, DivisionalNumbersAndLiveCompanyOwnersAreAccepted) {
  incorporate_kinetic();
  ASSERT_EQ(migrate(legacy("301847179AB", kinetic_, hk(2019, 4, 1))).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark("301847179AB")->owner.cr_number, "3345678");
  // Partial assignment of the family's first number skips the migrated suffix.
  ASSERT_EQ(migrate(legacy("301847179", owner_, hk(2019, 4, 1))).info.outcome, TxOutcome::kSuccess);
  AssignTerms part;
  part.number = "301847179";
  part.assignor = account_of(applicant());
  part.assignee = party(third(), "Sham Shui Po Bakery Limited");
  part.scope = {{29, {}}};
  part.deed_hash = doc(0xD4);
  part.assignment_date_ms = ledger_.now_ms;
  ASSERT_EQ(ledger_.cosigned(registrar(), "assign", part, {&applicant()}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_TRUE(ledger_.mark("301847179AA").has_value());
  // Class 29 is no longer in 301847179.
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "assign", part, {&applicant()})),
            "invalid_argument/scope_not_in_mark");
}

TEST_F(MigrationTest, EveryRejectionHasItsTypedReasonAndWritesNoMark) {
  const std::uint64_t filing = hk(2019, 4, 1);
  const std::string n = "305918274";
  auto expect = [&](const RegisterExistingArgs& a, const std::string& want,
                    const core::schnorr::SecretKey& k = registrar()) {
    const chain::IdentifiedTransaction tx =
        Ledger::sign(ledger_.draft(k, "register_existing", core::encode(a)), k);
    const core::Verdict v = ledger_.admit(tx);  // admission refuses it with the same reason
    EXPECT_FALSE(v) << want;
    if (!v) {
      EXPECT_NE(v.rejection().detail.find(want.substr(want.find('/') + 1)), std::string::npos)
          << v.rejection().detail;
    }
    EXPECT_EQ(failure(ledger_.submit(tx)), want);
    EXPECT_FALSE(ledger_.mark(a.mark.number).has_value()) << want;
  };
  const RegisterExistingArgs good = legacy(n, owner_, filing);

  expect(good, "unauthorized/not_registrar", stranger());
  {
    const auto t = ledger_.call(registrar(), "register_existing", Bytes{1, 2, 3});
    EXPECT_EQ(failure(t), "invalid_argument/malformed_payload");
    Bytes bad_status = core::encode(good);
    // The status tag follows the FileArgs bytes: an unknown tag does not decode.
    const Bytes file = core::encode(good.mark);
    bad_status[file.size()] = 11;
    EXPECT_EQ(failure(ledger_.call(registrar(), "register_existing", bad_status)),
              "invalid_argument/malformed_payload");
    // An oversized mark text, written by hand (the encoder refuses it).
    const std::string text(kMaxMarkTextSize + 1, 'A');
    core::Writer w;
    w.bytes(Bytes(n.begin(), n.end()));
    w.bytes(Bytes(text.begin(), text.end()));
    EXPECT_EQ(failure(ledger_.call(registrar(), "register_existing", std::move(w).take())),
              "limit_exceeded/field_too_large");
  }
  {
    RegisterExistingArgs a = good;
    a.mark.number = "405918274";
    expect(a, "invalid_argument/number_prefix");
    a.mark.number = "305918274A1";
    expect(a, "invalid_argument/number_suffix");
    a.mark.number = "3059182";
    expect(a, "invalid_argument/number_length");
  }
  {
    RegisterExistingArgs a = good;
    a.mark.text_en.clear();
    a.mark.text_zh.clear();
    expect(a, "invalid_argument/mark_text_missing");
    a = good;
    a.mark.classes.clear();
    expect(a, "invalid_argument/classes_missing");
    a = good;
    a.mark.classes = {{46, {"rockets"}}};
    expect(a, "invalid_argument/class_out_of_range");
    a = good;
    a.mark.classes = {{30, {"tea"}}, {29, {"jam"}}};
    expect(a, "invalid_argument/classes_not_increasing");
    a = good;
    a.mark.applicant.name_en.clear();
    a.mark.applicant.name_zh.clear();
    expect(a, "invalid_argument/name_missing");
    a = good;
    a.mark.applicant.cr_number = "9999999";  // not in the company register
    expect(a, "failed_precondition/company_not_live");
  }
  {
    RegisterExistingArgs a = good;
    a.status = Status::kPublished;
    expect(a, "invalid_argument/status_not_migratable");
    a.status = Status::kFiled;
    expect(a, "invalid_argument/status_not_migratable");
    a.status = Status::kRevoked;
    expect(a, "invalid_argument/status_not_migratable");
  }
  {
    // Historic dates: not after the block, entered after filing.
    RegisterExistingArgs a = legacy(n, owner_, ledger_.now_ms + kDayMs);
    expect(a, "invalid_argument/filing_date_in_future");
    a = good;
    a.entered_ms = ledger_.now_ms + kDayMs;
    expect(a, "invalid_argument/date_in_future");
    a = good;
    a.entered_ms = filing - kDayMs;
    expect(a, "invalid_argument/entry_before_filing");
  }
  {
    RegisterExistingArgs a = good;
    a.expiry_ms = add_years(filing, 10) + kDayMs;
    expect(a, "invalid_argument/expiry_inconsistent");
    a.expiry_ms = add_years(filing, 10) + 3 * 3'600'000;  // same Hong Kong date: accepted below
    a.renewals = 1;
    expect(a, "invalid_argument/expiry_inconsistent");
    // Filed 2019: a renewal could not have been made yet.
    a = legacy(n, owner_, filing, 1);
    expect(a, "invalid_argument/renewals_implausible");
    a = good;
    a.removed_ms = hk(2025, 1, 1);
    expect(a, "invalid_argument/unexpected_removal_date");
    // Filed under Cap. 43 (before 2003-04-04): an anniversary of filing, after
    // the entry, not beyond a term renewed today.
    a = legacy(n, owner_, hk(1995, 5, 2));
    a.expiry_ms = hk(2026, 5, 3);
    expect(a, "invalid_argument/expiry_inconsistent");
    a.expiry_ms = hk(1995, 5, 2);
    expect(a, "invalid_argument/expiry_inconsistent");
    a.expiry_ms = hk(2037, 5, 2);
    expect(a, "invalid_argument/expiry_inconsistent");
  }
  {
    // Expired beyond the late-renewal grace: would have been removed.
    const std::uint64_t old = years_before(ledger_.now_ms, 10) - 185 * kDayMs;
    expect(legacy(n, owner_, old), "failed_precondition/expired_beyond_grace");
    // ... which is accepted as removed, not before the grace ended, not in the future.
    expect(legacy_removed(n, owner_, old, 0, ledger_.now_ms - 3 * kDayMs),
           "invalid_argument/removal_before_grace_over");
    expect(legacy_removed(n, owner_, old, 0, ledger_.now_ms + kDayMs),
           "invalid_argument/date_in_future");
    // A removed mark with no removal date.
    expect(legacy_removed(n, owner_, old, 0, 0), "invalid_argument/removal_before_grace_over");
  }
  {
    // Already on the ledger: migrated, or filed there.
    RegisterExistingArgs a = good;
    a.expiry_ms = add_years(filing, 10) + 3 * 3'600'000;  // same Hong Kong date
    ASSERT_EQ(migrate(a).info.outcome, TxOutcome::kSuccess);
    const auto again = migrate(good);
    EXPECT_EQ(failure(again), "already_exists/mark_exists");
    ASSERT_EQ(ledger_
                  .call(registrar(), "file",
                        core::encode(sample_filing("306000001", owner_, ledger_.now_ms)))
                  .info.outcome,
              TxOutcome::kSuccess);
    EXPECT_EQ(failure(migrate(legacy("306000001", owner_, filing))), "already_exists/mark_exists");
    EXPECT_EQ(ledger_.mark("306000001")->status, Status::kFiled);
  }
}

// Two independent replicas (two MemoryState + Executor) migrate, renew,
// restore and assign in the same blocks and reach the same state.
TEST(MigrationScenarioTest, TwoReplicasReachIdenticalState) {
  Ledger a;
  Ledger b;
  const Party owner = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  auto run = [&](const std::vector<chain::IdentifiedTransaction>& txs) {
    b.now_ms = a.now_ms;
    auto ra = a.block(txs);
    auto rb = b.block(txs);
    EXPECT_EQ(ra.size(), rb.size());
    for (std::size_t i = 0; i < ra.size() && i < rb.size(); ++i) {
      EXPECT_EQ(ra[i].info, rb[i].info);
      EXPECT_EQ(encode_write_set(ra[i].writes), encode_write_set(rb[i].writes));
      EXPECT_EQ(ra[i].info.outcome, TxOutcome::kSuccess) << ra[i].reason << " " << ra[i].detail;
    }
    EXPECT_EQ(encode_write_set(a.blocks.back()), encode_write_set(b.blocks.back()));
  };
  auto tx = [&](const char* call, Bytes payload, std::uint64_t offset = 0) {
    chain::Transaction t = a.draft(registrar(), call, std::move(payload));
    t.sequence += offset;
    return Ledger::sign(std::move(t), registrar());
  };
  const std::uint64_t filing = years_before(a.now_ms, 10) + 90 * kDayMs;
  // Block 1: three marks migrated in one block.
  run({tx("register_existing", core::encode(legacy("305918274", owner, filing))),
       tx("register_existing", core::encode(legacy("304477102", owner, hk(2005, 6, 1), 2)), 1),
       tx("register_existing",
          core::encode(legacy_removed("300112233", owner, hk(2000, 3, 1), 1, hk(2025, 10, 1))),
          2)});
  // Block 2: renewal and restoration.
  run({tx("renew", number_payload("305918274")), tx("restore", number_payload("300112233"), 1)});
  // Block 3: a partial assignment co-signed by the assignor.
  AssignTerms part;
  part.number = "304477102";
  part.assignor = account_of(applicant());
  part.assignee = party(third(), "Sham Shui Po Bakery Limited");
  part.scope = {{43, {}}};
  part.assignment_date_ms = a.now_ms;
  part.deed_hash = doc(0xD1);
  run({a.cosigned_tx(registrar(), "assign", part, {&applicant()})});

  EXPECT_EQ(a.state.values(), b.state.values());
  EXPECT_EQ(a.mark("305918274")->renewals, 1U);
  EXPECT_EQ(b.mark("300112233")->status, Status::kRegistered);
  EXPECT_EQ(b.mark("304477102AA")->owner.account, account_of(third()));
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
