// register_existing: companies of the legacy register migrated onto the
// ledger with their historic dates and status. Success paths (live with and
// without a last return, ended), every rejection, the late / on-time annual
// return after migration end to end, restoration counted from the legacy
// date, and a scenario on two independent state instances.

#include <gtest/gtest.h>

#include "bauhinia/contracts/company/liveness.hpp"
#include "bauhinia/contracts/company/module.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "registry.hpp"

namespace bauhinia::contracts::company {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

const Date kMigrationDay{2026, 12, 6};  // the blocks' Hong Kong date

core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
}

OfficerArgs director(std::string name_en, std::string name_zh, std::uint8_t n) {
  Salt s{};
  s.fill(n);
  OfficerArgs o;
  o.role = OfficerRole::kDirector;
  o.name_en = std::move(name_en);
  o.name_zh = std::move(name_zh);
  o.partial_id = "K654***(*)";
  o.correspondence_address = "Unit 5, 3/F, 18 Nathan Road, Tsim Sha Tsui, Kowloon";
  o.id_number_commitment = commit_field(s, "K6543210");
  o.residential_address_commitment = commit_field(s, "Flat 9, 2 Pok Fu Lam Road");
  return o;
}

// A private company limited by shares as the legacy register shows it.
RegisterExistingArgs existing(std::string number, std::string en, std::string zh,
                              const Date& incorporated, std::optional<Date> last_return,
                              std::uint8_t account = 100) {
  RegisterExistingArgs a;
  a.company.number = std::move(number);
  a.company.name_en = std::move(en);
  a.company.name_zh = std::move(zh);
  a.company.registered_office = "Room 2301, 9 Des Voeux Road Central, Central, Hong Kong";
  a.company.account = account_of(key(account));
  a.company.document_hash = doc(0x1E);  // the legacy register's extract
  a.company.officers.push_back(director("LEE Ka Wai", "李家慧", 3));
  a.incorporation_date = incorporated;
  a.status = CompanyStatus::kLive;
  a.status_date = incorporated;
  a.last_return_date = last_return;
  return a;
}

RegisterExistingArgs ended(std::string number, std::string en, CompanyStatus status,
                           const Date& incorporated, const Date& since) {
  RegisterExistingArgs a = existing(std::move(number), std::move(en), "", incorporated, {});
  a.status = status;
  a.status_date = since;
  return a;
}

class MigrationTest : public ::testing::Test {
 protected:
  MigrationTest() { chain_.at(kMigrationDay); }

  Outcome migrate(const RegisterExistingArgs& a, const core::schnorr::SecretKey& k = registrar()) {
    return chain_.call(k, "company", "register_existing", core::encode(a));
  }
  CompanyRecord record(const std::string& number) {
    auto r = chain_.record<CompanyRecord>("company/company/" + number);
    EXPECT_TRUE(r.has_value()) << number;
    return r.value_or(CompanyRecord{});
  }
  std::vector<Bytes> list(const std::string& path) {
    std::vector<Bytes> out;
    for (const QueryRecord& r : chain_.query(path).related) out.push_back(r.record_key);
    return out;
  }
  std::vector<FilingRecord> filings(const std::string& number) {
    std::vector<FilingRecord> out;
    for (const QueryRecord& r : chain_.query("company/filings/" + number).related) {
      out.push_back(core::decode<FilingRecord>(*r.value).value());
    }
    return out;
  }
  bool live(const std::string& number) {
    return chain_.with_view("trademark", [&](const StateView& v) { return is_live(v, number); });
  }
  void expect_refused(const Outcome& o, TxOutcome outcome, const std::string& reason) {
    EXPECT_EQ(o.outcome, outcome) << o.reason << ": " << o.detail;
    EXPECT_EQ(o.reason, reason) << o.detail;
    EXPECT_FALSE(o.detail.empty());
    for (const Event& e : o.events) EXPECT_NE(e.module, "company") << e.kind;
  }

  Chain chain_;
};

// ---- Success paths ----------------------------------------------------------------

TEST_F(MigrationTest, ALiveCompanyWithItsLastReturnIsMigratedAsTheLegacyRegisterShowsIt) {
  const Outcome o = migrate(existing("01234501", "Peak Tram Provisions Limited",
                                     "山頂纜車糧食有限公司", Date{2019, 3, 18}, Date{2025, 3, 18}));
  ASSERT_TRUE(o.ok()) << o.reason << ": " << o.detail;
  const std::uint64_t height = chain_.blocks().size();
  const CompanyRecord c = record("1234501");
  EXPECT_EQ(c.incorporation_date, (Date{2019, 3, 18}));  // historic, not the block's date
  EXPECT_EQ(c.next_return_date, (Date{2026, 3, 18}));    // the 2026 return
  EXPECT_EQ(c.next_return_due, (Date{2026, 4, 29}));     // + 42 days
  EXPECT_EQ(c.status, CompanyStatus::kLive);
  EXPECT_EQ(c.migrated_height, height);
  EXPECT_EQ(c.legacy_status_date, (Date{2019, 3, 18}));
  EXPECT_EQ(c.incorporated_ms, chain_.now());  // the record was made at migration
  EXPECT_EQ(c.returns_filed, 0U);              // none on the ledger
  EXPECT_TRUE(live("1234501"));
  // Indexed exactly as an incorporation: names, status, due month.
  for (const std::string name : {"Peak Tram Provisions Ltd", "山頂纜車糧食有限公司"}) {
    auto owner = chain_.record<NameIndexRecord>("company/by_name/" + name);
    ASSERT_TRUE(owner.has_value()) << name;
    EXPECT_EQ(owner->number, "1234501");
  }
  EXPECT_EQ(list("company/by_status/live"), std::vector<Bytes>{company_key("1234501")});
  EXPECT_EQ(list("company/due/2026-04"), std::vector<Bytes>{company_key("1234501")});
  // The filing history starts at migration: one LEGACY entry, never late.
  const auto history = filings("1234501");
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].kind, FilingKind::kMigration);
  EXPECT_EQ(filing_form(history[0].kind), "LEGACY");
  EXPECT_EQ(history[0].event_date, (Date{2019, 3, 18}));
  EXPECT_EQ(history[0].filed_date, kMigrationDay);
  EXPECT_EQ(history[0].document_hash, doc(0x1E));
  EXPECT_FALSE(history[0].late);
  EXPECT_EQ(history[0].filed_by, account_of(registrar()));
  // Officers known to the ledger from the migration.
  const QueryAnswer officers = chain_.query("company/officers/1234501");
  ASSERT_EQ(officers.related.size(), 1U);
  const OfficerRecord officer = core::decode<OfficerRecord>(*officers.related[0].value).value();
  EXPECT_EQ(officer.name_zh, "李家慧");
  EXPECT_EQ(officer.appointed, kMigrationDay);
  // The event says "migrated", with the record.
  bool migrated = false;
  for (const Event& e : o.events) {
    if (e.module == "company" && e.kind == "migrated") {
      migrated = true;
      EXPECT_EQ(e.data, core::encode(c));
    }
    EXPECT_NE(e.kind, "incorporated");
  }
  EXPECT_TRUE(migrated);
}

TEST_F(MigrationTest, WithoutALastReturnTheFirstReturnIsTheOneDue) {
  // None delivered: the oldest outstanding return is the first (anniversary).
  ASSERT_TRUE(
      migrate(existing("2345601", "Stonecutters Bakery Limited", "", Date{2025, 6, 10}, {})).ok());
  CompanyRecord c = record("2345601");
  EXPECT_EQ(c.next_return_date, (Date{2026, 6, 10}));
  EXPECT_EQ(c.next_return_due, (Date{2026, 7, 22}));
  EXPECT_EQ(list("company/due/2026-07"), std::vector<Bytes>{company_key("2345601")});
  // A company not yet a year old: its first return lies ahead.
  ASSERT_TRUE(
      migrate(existing("2345602", "Tai O Salt Works Limited", "", Date{2026, 9, 1}, {}, 101)).ok());
  EXPECT_EQ(record("2345602").next_return_date, (Date{2027, 9, 1}));
  // A public company: its return date follows its accounting reference period
  // (6 months after 31 December), with or without a last return.
  RegisterExistingArgs pub =
      existing("2345603", "Kai Tak Cruise Holdings Limited", "", Date{2015, 2, 10}, {}, 102);
  pub.company.type = CompanyType::kPublicLimitedByShares;
  pub.company.accounting_reference_month = 12;
  pub.company.accounting_reference_day = 31;
  ASSERT_TRUE(migrate(pub).ok());
  EXPECT_EQ(record("2345603").next_return_date, (Date{2016, 6, 30}));
  pub.company.number = "2345604";
  pub.company.name_en = "Kai Tak Ferry Holdings Limited";
  pub.last_return_date = Date{2025, 6, 30};
  ASSERT_TRUE(migrate(pub).ok());
  c = record("2345604");
  EXPECT_EQ(c.next_return_date, (Date{2026, 6, 30}));
  EXPECT_EQ(c.next_return_due, (Date{2026, 8, 11}));
  // A registered non-Hong Kong company (F number, no Hong Kong director) and
  // one from the first year of the register.
  RegisterExistingArgs foreign =
      existing("F0004321", "Straits Pacific Trading Corporation", "", Date{2008, 4, 1}, {}, 103);
  foreign.company.type = CompanyType::kRegisteredNonHongKong;
  foreign.company.officers.clear();
  ASSERT_TRUE(migrate(foreign).ok());
  EXPECT_EQ(record("F0004321").next_return_date, (Date{2009, 4, 1}));
  ASSERT_TRUE(migrate(existing("0000019", "Victoria Dock Company Limited", "", Date{1865, 1, 1},
                               Date{2026, 1, 1}, 104))
                  .ok());
  EXPECT_EQ(record("0000019").incorporation_date, (Date{1865, 1, 1}));
  EXPECT_EQ(record("0000019").next_return_date, (Date{2027, 1, 1}));
  EXPECT_EQ(list("company/due/2027-02"), std::vector<Bytes>{company_key("0000019")});
}

TEST_F(MigrationTest, AStruckOffCompanyIsNotLiveAndItsNameIsFree) {
  const Outcome o = migrate(ended("3456701", "Golden Bauhinia Trading Limited",
                                  CompanyStatus::kStruckOff, Date{2010, 5, 4}, Date{2024, 9, 27}));
  ASSERT_TRUE(o.ok()) << o.reason << ": " << o.detail;
  const CompanyRecord c = record("3456701");
  EXPECT_EQ(c.status, CompanyStatus::kStruckOff);
  EXPECT_EQ(c.legacy_status_date, (Date{2024, 9, 27}));
  EXPECT_TRUE(c.migrated_height.has_value());
  EXPECT_FALSE(live("3456701"));
  EXPECT_FALSE(chain_.query("company/by_name/Golden Bauhinia Trading Limited").value);
  EXPECT_EQ(list("company/by_status/struck_off"), std::vector<Bytes>{company_key("3456701")});
  EXPECT_TRUE(list("company/by_status/live").empty());
  EXPECT_TRUE(
      list(std::string("company/due/") + c.next_return_due.to_string().substr(0, 7)).empty());
  // It files nothing...
  expect_refused(chain_.call(key(100), "company", "annual_return",
                             core::encode(AnnualReturnArgs{"3456701", c.next_return_date, doc(3)})),
                 TxOutcome::kFailedPrecondition, "company_dissolved");
  // ...and its name may be taken by a live company, migrated or new.
  ASSERT_TRUE(
      migrate(existing("3456702", "GOLDEN BAUHINIA TRADING LIMITED", "", Date{2025, 1, 2}, {}, 101))
          .ok());
  // Dissolved and deregistered companies likewise; a struck-off company may
  // share its name with a live one.
  ASSERT_TRUE(migrate(ended("3456703", "Golden Bauhinia Trading Limited", CompanyStatus::kDissolved,
                            Date{1988, 7, 1}, Date{2001, 3, 9}))
                  .ok());
  ASSERT_TRUE(migrate(ended("3456704", "Quarry Bay Lacquer Limited", CompanyStatus::kDeregistered,
                            Date{1999, 7, 1}, Date{2020, 1, 31}))
                  .ok());
  EXPECT_EQ(list("company/by_status/dissolved"), std::vector<Bytes>{company_key("3456703")});
  EXPECT_EQ(list("company/by_status/deregistered"), std::vector<Bytes>{company_key("3456704")});
  EXPECT_FALSE(live("3456703"));
  EXPECT_FALSE(live("3456704"));
}

TEST_F(MigrationTest, RestorationCountsFromTheLegacyDate) {
  // Struck off in 2024 on the legacy register: restorable until 2044.
  ASSERT_TRUE(migrate(ended("4567801", "Lamma Kelp Farm Limited", CompanyStatus::kStruckOff,
                            Date{2012, 2, 29}, Date{2024, 9, 27}))
                  .ok());
  // Struck off in 2005: the 20 years (to 2025-09-27) are over, though the
  // record reached the ledger today.
  ASSERT_TRUE(migrate(ended("4567802", "Sham Shui Po Buttons Limited", CompanyStatus::kStruckOff,
                            Date{1990, 1, 8}, Date{2005, 9, 27}))
                  .ok());
  const auto restore = [&](const char* n) {
    return chain_.call(registrar(), "company", "restore",
                       core::encode(RestoreArgs{n, doc(0x56), false}));
  };
  expect_refused(restore("4567802"), TxOutcome::kFailedPrecondition, "restoration_period_over");
  ASSERT_TRUE(restore("4567801").ok());
  const CompanyRecord c = record("4567801");
  EXPECT_EQ(c.status, CompanyStatus::kLive);
  EXPECT_FALSE(c.legacy_status_date.has_value());  // the status is now the ledger's
  EXPECT_TRUE(c.migrated_height.has_value());      // the origin stays public
  EXPECT_TRUE(live("4567801"));
  EXPECT_TRUE(chain_.query("company/by_name/Lamma Kelp Farm Limited").value);
}

// ---- The late / on-time example end to end ---------------------------------------

TEST_F(MigrationTest, ReturnsAfterMigrationAreFlaggedLateOrOnTimeByBlockTime) {
  chain_.at(Date{2026, 12, 1});
  ASSERT_TRUE(migrate(existing("5678901", "Aberdeen Junk Tours Limited", "香港仔帆船遊有限公司",
                               Date{2019, 3, 18}, Date{2025, 3, 18}))
                  .ok());
  ASSERT_TRUE(migrate(existing("5678902", "Cheung Chau Bun Supplies Limited",
                               "長洲包山用品有限公司", Date{2021, 11, 2}, Date{2025, 11, 2}, 101))
                  .ok());
  EXPECT_EQ(record("5678902").next_return_due, (Date{2026, 12, 14}));
  // 2026-12-06 in Hong Kong (00:30 HK is still 5 December in UTC).
  chain_.at(kMigrationDay, 0, 30);
  ASSERT_TRUE(chain_
                  .call(key(100), "company", "annual_return",
                        core::encode(AnnualReturnArgs{"5678901", Date{2026, 3, 18}, doc(0x31)}))
                  .ok());
  ASSERT_TRUE(chain_
                  .call(key(101), "company", "annual_return",
                        core::encode(AnnualReturnArgs{"5678902", Date{2026, 11, 2}, doc(0x32)}))
                  .ok());
  const auto late_one = filings("5678901");
  ASSERT_EQ(late_one.size(), 2U);
  EXPECT_EQ(late_one[1].kind, FilingKind::kAnnualReturn);
  EXPECT_EQ(late_one[1].due_date, (Date{2026, 4, 29}));
  EXPECT_EQ(late_one[1].filed_date, kMigrationDay);
  EXPECT_TRUE(late_one[1].late);
  const auto on_time = filings("5678902");
  ASSERT_EQ(on_time.size(), 2U);
  EXPECT_EQ(on_time[1].due_date, (Date{2026, 12, 14}));
  EXPECT_FALSE(on_time[1].late);
  // Their next returns move on a year, in their due months.
  EXPECT_EQ(record("5678901").next_return_date, (Date{2027, 3, 18}));
  EXPECT_EQ(record("5678901").returns_filed, 1U);
  EXPECT_EQ(list("company/due/2027-04"), std::vector<Bytes>{company_key("5678901")});
  EXPECT_EQ(list("company/due/2027-12"), std::vector<Bytes>{company_key("5678902")});
  EXPECT_TRUE(list("company/due/2026-04").empty());
  EXPECT_TRUE(list("company/due/2026-12").empty());
}

// ---- Rejections -----------------------------------------------------------------------

TEST_F(MigrationTest, EveryRejection) {
  const auto good = [] {
    return existing("6789001", "Tsing Yi Rope Makers Limited", "青衣繩索有限公司",
                    Date{2019, 3, 18}, Date{2025, 3, 18});
  };
  // Wrong role.
  for (const auto& k : {key(100), stranger(), cr_admin()}) {
    expect_refused(migrate(good(), k), TxOutcome::kUnauthorized, "not_registrar");
  }
  // The particulars, as incorporate checks them.
  RegisterExistingArgs a = good();
  a.company.number = "678900";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_cr_number");
  a = good();
  a.company.number = "F6789001";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "number_type_mismatch");
  a = good();
  a.company.name_en = "Tsing Yi Rope Makers";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "missing_limited_suffix");
  a = good();
  a.company.name_zh = "青衣Rope有限公司";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "mixed_language_name");
  a = good();
  a.company.registered_office = "Room 1\n9 Des Voeux Road";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_office");
  a = good();
  a.company.account = core::AccountId{};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_account");
  a = good();
  a.company.document_hash = core::Hash256{};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "missing_document");
  a = good();
  a.company.officers.clear();
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "no_director");
  a = good();
  a.company.officers[0].id_number_commitment = core::Hash256{};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "missing_commitment");
  a = good();
  a.company.officers[0].partial_id = "K6543210";
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_partial_id");
  a = good();
  a.company.accounting_reference_month = 3;
  a.company.accounting_reference_day = 31;
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_accounting_reference");
  // Historic dates.
  a = good();
  a.incorporation_date = Date{1864, 12, 31};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_before_1865");
  a.incorporation_date = Date{2023, 2, 29};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_date");
  a.incorporation_date = Date{2019, 13, 1};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_date");
  a.incorporation_date = kMigrationDay;  // today: that is incorporate's
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "future_date");
  a.incorporation_date = Date{2027, 1, 1};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "future_date");
  // Status: live or ended, never a step in between.
  for (CompanyStatus s :
       {CompanyStatus::kDeregistrationApplied, CompanyStatus::kDeregistrationGazetted,
        CompanyStatus::kStrikeOffInquiry, CompanyStatus::kStrikeOffGazetted}) {
    a = good();
    a.status = s;
    expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_status");
  }
  a = ended("6789001", "Tsing Yi Rope Makers Limited", CompanyStatus::kDeregistered,
            Date{2001, 1, 2}, Date{2020, 1, 2});
  a.company.type = CompanyType::kPublicLimitedByShares;
  a.company.accounting_reference_month = 3;
  a.company.accounting_reference_day = 31;
  expect_refused(migrate(a), TxOutcome::kFailedPrecondition, "not_eligible");
  a = good();
  a.status_date = Date{2019, 3, 17};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_before_incorporation");
  a.status_date = Date{2026, 12, 7};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "future_date");
  a.status_date = Date{1800, 1, 1};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_before_1865");
  a.status_date = Date{2019, 2, 30};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_date");
  // The last return.
  a = good();
  a.last_return_date = Date{2020, 3, 17};  // the first is made up to 2020-03-18
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_before_first_return");
  a.last_return_date = Date{2026, 12, 7};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "future_date");
  a.last_return_date = Date{1700, 1, 1};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_before_1865");
  a.last_return_date = Date{2025, 2, 29};
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "invalid_date");
  a = ended("6789001", "Tsing Yi Rope Makers Limited", CompanyStatus::kStruckOff, Date{2010, 1, 4},
            Date{2022, 6, 1});
  a.last_return_date = Date{2023, 1, 4};  // after it was struck off
  expect_refused(migrate(a), TxOutcome::kInvalidArgument, "date_after_status");
  // Malformed and oversized payloads, an out-of-range status.
  Bytes truncated = core::encode(good());
  truncated.pop_back();
  expect_refused(chain_.call(registrar(), "company", "register_existing", truncated),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  Bytes trailing = core::encode(good());
  trailing.push_back(0);
  expect_refused(chain_.call(registrar(), "company", "register_existing", trailing),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  Bytes bad_status = core::encode(good());
  bad_status[core::encode(good().company).size() + 4] = 8;  // after the company and a date
  expect_refused(chain_.call(registrar(), "company", "register_existing", bad_status),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  core::Writer big;
  big.bytes(core::as_bytes(std::string("6789001")));
  big.bytes(Bytes(kMaxNameSize + 1, 'A'));
  expect_refused(chain_.call(registrar(), "company", "register_existing", std::move(big).take()),
                 TxOutcome::kLimitExceeded, "field_too_large");

  // Nothing of the module was written by any of them.
  EXPECT_FALSE(chain_.query("company/company/6789001").value.has_value());
  EXPECT_TRUE(list("company/by_status/live").empty());
  EXPECT_TRUE(list("company/by_status/struck_off").empty());
  EXPECT_TRUE(list("company/due/2026-04").empty());

  // Admission (check) refuses the same and accepts the good call.
  EXPECT_FALSE(chain_.admit(stranger(), "company", "register_existing", core::encode(good())));
  EXPECT_TRUE(chain_.admit(registrar(), "company", "register_existing", core::encode(good())));

  // A number already on the ledger (migrated or incorporated), and a live name.
  ASSERT_TRUE(migrate(good()).ok());
  a = good();
  a.company.number = "06789001";
  a.company.name_en = "Other Rope Limited";
  a.company.name_zh = "";
  expect_refused(migrate(a), TxOutcome::kAlreadyExists, "company_exists");
  IncorporateArgs inc = good().company;
  inc.number = "6789002";
  inc.name_en = "Kwun Tong Looms Limited";
  inc.name_zh = "";
  ASSERT_TRUE(chain_.call(registrar(), "company", "incorporate", core::encode(inc)).ok());
  a.company.number = "6789002";
  expect_refused(migrate(a), TxOutcome::kAlreadyExists, "company_exists");
  a.company.number = "6789003";
  a.company.name_en = "TSING YI ROPE MAKERS LIMITED";  // the same name after normalisation
  expect_refused(migrate(a), TxOutcome::kAlreadyExists, "name_taken");
  a.company.name_en = "";
  a.company.name_zh = "青衣繩索有限公司";
  expect_refused(migrate(a), TxOutcome::kAlreadyExists, "name_taken");
  EXPECT_EQ(record("6789001").filings, 1U);
}

TEST_F(MigrationTest, ACommittedMigrationCannotBeReplayed) {
  const auto t = chain_.tx(registrar(), "company", "register_existing",
                           core::encode(existing("6789101", "Sai Kung Oyster Limited", "",
                                                 Date{2019, 3, 18}, Date{2025, 3, 18})));
  ASSERT_EQ(chain_.block({t}).transactions[0].reason, "");
  Executor executor;
  const ModuleSet modules;
  modules.register_with(executor);
  auto r = executor.check_envelope(BlockContext{kChain, 99, chain_.now(), 0}, t, chain_.state());
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->error, EnvelopeError::kStaleSequence);
  EXPECT_EQ(record("6789101").filings, 1U);
}

// ---- Two state instances -------------------------------------------------------------------

void run_scenario(Chain& chain) {
  const auto call = [&](const core::schnorr::SecretKey& k, const char* c, Bytes p) {
    return chain.tx(k, "company", c, std::move(p));
  };
  chain.at(Date{2026, 11, 30});
  chain.block(
      {call(registrar(), "register_existing",
            core::encode(existing("7000001", "Aberdeen Junk Tours Limited", "香港仔帆船遊有限公司",
                                  Date{2019, 3, 18}, Date{2025, 3, 18}))),
       call(registrar(), "register_existing",
            core::encode(existing("7000002", "Cheung Chau Bun Supplies Limited", "",
                                  Date{2021, 11, 2}, Date{2025, 11, 2}, 101))),
       call(registrar(), "register_existing",
            core::encode(ended("7000003", "Lamma Kelp Farm Limited", CompanyStatus::kStruckOff,
                               Date{2012, 2, 29}, Date{2024, 9, 27}))),
       call(registrar(), "register_existing",  // fails: exists
            core::encode(ended("7000001", "Clash Limited", CompanyStatus::kDissolved,
                               Date{1990, 1, 1}, Date{2000, 1, 1})))});
  chain.at(Date{2026, 12, 6});
  chain.block({call(key(100), "annual_return",
                    core::encode(AnnualReturnArgs{"7000001", Date{2026, 3, 18}, doc(0x31)})),
               call(key(101), "annual_return",
                    core::encode(AnnualReturnArgs{"7000002", Date{2026, 11, 2}, doc(0x32)})),
               call(registrar(), "restore", core::encode(RestoreArgs{"7000003", doc(0x56), false})),
               call(key(101), "change_name",
                    core::encode(ChangeNameArgs{"7000002", Date{2026, 12, 1}, doc(0x22),
                                                "Cheung Chau Festival Supplies Limited",
                                                "長洲節慶用品有限公司"}))});
}

TEST(MigrationScenario, TwoIndependentStateInstancesReachIdenticalWrites) {
  Chain a;
  Chain b;
  run_scenario(a);
  run_scenario(b);
  ASSERT_EQ(a.blocks().size(), b.blocks().size());
  for (std::size_t i = 0; i < a.blocks().size(); ++i) {
    EXPECT_EQ(encode_write_set(a.blocks()[i].writes), encode_write_set(b.blocks()[i].writes)) << i;
    ASSERT_EQ(a.blocks()[i].transactions.size(), b.blocks()[i].transactions.size());
    for (std::size_t t = 0; t < a.blocks()[i].transactions.size(); ++t) {
      EXPECT_EQ(core::encode(a.blocks()[i].transactions[t].info),
                core::encode(b.blocks()[i].transactions[t].info));
    }
  }
  EXPECT_EQ(a.state().values(), b.state().values());
  // The scenario did what it says.
  const auto& first = a.blocks()[0].transactions;
  for (std::size_t t = 0; t < 3; ++t) EXPECT_EQ(first[t].reason, "") << first[t].detail;
  EXPECT_EQ(first[3].reason, "company_exists");
  for (const auto& t : a.blocks()[1].transactions) EXPECT_EQ(t.reason, "") << t.detail;
  std::vector<bool> late;
  for (const std::string n : {"7000001", "7000002"}) {
    for (const QueryRecord& r : a.query("company/filings/" + n).related) {
      const FilingRecord f = core::decode<FilingRecord>(*r.value).value();
      if (f.kind == FilingKind::kAnnualReturn) late.push_back(f.late);
    }
  }
  EXPECT_EQ(late, (std::vector<bool>{true, false}));
  auto restored = a.record<CompanyRecord>("company/company/7000003");
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->status, CompanyStatus::kLive);
}

}  // namespace
}  // namespace bauhinia::contracts::company
