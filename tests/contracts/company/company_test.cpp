// The company module through the Executor: every call's success and
// rejection paths, late / on-time flags at the exact boundaries, the
// Registry's name normalisation, the ending and restoration lifecycles.

#include "bauhinia/contracts/company/module.hpp"

#include <gtest/gtest.h>

#include "bauhinia/contracts/company/liveness.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "registry.hpp"

namespace bauhinia::contracts::company {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
}

Salt salt(std::uint8_t n) {
  Salt s{};
  s.fill(n);
  s[0] = 0x5A;
  return s;
}

OfficerArgs director(std::string name_en, std::string name_zh, std::uint8_t n) {
  OfficerArgs o;
  o.role = OfficerRole::kDirector;
  o.name_en = std::move(name_en);
  o.name_zh = std::move(name_zh);
  o.partial_id = "A123***(*)";
  o.correspondence_address = "Flat A, 12/F, 8 Harbour Road, Wan Chai, Hong Kong";
  o.id_number_commitment = commit_field(salt(n), "A1234567");
  o.residential_address_commitment = commit_field(salt(n + 1), "Flat 3, 1 Shan Road, Kowloon");
  return o;
}

IncorporateArgs company(std::string number, std::string en, std::string zh = "") {
  IncorporateArgs a;
  a.number = std::move(number);
  a.name_en = std::move(en);
  a.name_zh = std::move(zh);
  a.type = CompanyType::kPrivateLimitedByShares;
  a.registered_office = "Room 1201, 88 Queensway, Admiralty, Hong Kong";
  a.account = account_of(key(100));
  a.document_hash = doc(0x11);
  a.officers.push_back(director("CHAN Tai Man", "陳大文", 1));
  return a;
}

const Date kIncorporation{2026, 1, 15};

class CompanyTest : public ::testing::Test {
 protected:
  CompanyTest() { chain_.at(kIncorporation); }

  Outcome incorporate(const IncorporateArgs& a, const core::schnorr::SecretKey& k = registrar()) {
    return chain_.call(k, "company", "incorporate", core::encode(a));
  }
  template <class Args>
  Outcome file(const char* call, const Args& a, const core::schnorr::SecretKey& k = key(100)) {
    return chain_.call(k, "company", call, core::encode(a));
  }
  Outcome act(const char* call, std::string number,
              const core::schnorr::SecretKey& k = registrar()) {
    return chain_.call(k, "company", call,
                       core::encode(RegistrarActArgs{std::move(number), doc(0x77)}));
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
  bool live(const std::string& number) {
    return chain_.with_view("trademark", [&](const StateView& v) { return is_live(v, number); });
  }
  FilingRecord filing(const std::string& number, std::uint32_t seq) {
    const QueryAnswer a = chain_.query("company/filings/" + number);
    for (const QueryRecord& r : a.related) {
      if (r.record_key == filing_key(number, seq))
        return core::decode<FilingRecord>(*r.value).value();
    }
    ADD_FAILURE() << "no filing " << seq;
    return {};
  }
  void expect_refused(const Outcome& o, TxOutcome outcome, const std::string& reason) {
    EXPECT_EQ(o.outcome, outcome) << o.reason << ": " << o.detail;
    EXPECT_EQ(o.reason, reason) << o.detail;
    EXPECT_FALSE(o.detail.empty());
    for (const Event& e : o.events) EXPECT_NE(e.module, "company") << e.kind;
  }

  Chain chain_;
};

// ---- Incorporation -------------------------------------------------------------

TEST_F(CompanyTest, IncorporationWritesTheCompanyItsNamesFilingOfficersAndLists) {
  const Outcome o =
      incorporate(company("03298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司"));
  ASSERT_TRUE(o.ok()) << o.reason << ": " << o.detail;
  const CompanyRecord c = record("3298741");
  EXPECT_EQ(c.number, "3298741");  // stored canonical; the 8-digit search form was accepted
  EXPECT_EQ(c.incorporation_date, kIncorporation);
  EXPECT_EQ(c.next_return_date, (Date{2027, 1, 15}));
  EXPECT_EQ(c.next_return_due, (Date{2027, 2, 26}));  // + 42 days
  EXPECT_EQ(c.status, CompanyStatus::kLive);
  EXPECT_EQ(c.account, account_of(key(100)));
  EXPECT_EQ(c.filings, 1U);
  EXPECT_EQ(c.officers, 1U);
  EXPECT_EQ(record("03298741"), c);  // the search form reads the same record
  EXPECT_TRUE(live("3298741"));
  EXPECT_TRUE(live("03298741"));
  EXPECT_FALSE(live("3298742"));
  EXPECT_FALSE(live("not a number"));

  // Name index under both names, and the queries by name in any spelling.
  for (const std::string name :
       {"Lantern Harbour Logistics Limited", "lantern harbour logistics ltd", "港燈物流有限公司",
        "lanternharbourlogistics"}) {
    auto owner = chain_.record<NameIndexRecord>("company/by_name/" + name);
    ASSERT_TRUE(owner.has_value()) << name;
    EXPECT_EQ(owner->number, "3298741");
  }
  // As the HTTP API passes them (plain ASCII): the normalised name, or the name in hex.
  const std::string zh = "港燈物流有限公司";
  auto by_hex =
      chain_.record<NameIndexRecord>("company/by_name_hex/" + core::to_hex(core::as_bytes(zh)));
  ASSERT_TRUE(by_hex.has_value());
  EXPECT_EQ(by_hex->number, "3298741");
  EXPECT_TRUE(chain_.query_refused("company/by_name_hex/zz"));
  EXPECT_TRUE(chain_.query_refused("company/by_name_hex/"));
  const FilingRecord f = filing("3298741", 0);
  EXPECT_EQ(f.kind, FilingKind::kIncorporation);
  EXPECT_FALSE(f.late);
  EXPECT_EQ(f.document_hash, doc(0x11));
  EXPECT_EQ(list("company/officers/3298741").size(), 1U);
  EXPECT_EQ(list("company/due/2027-02"), std::vector<Bytes>{company_key("3298741")});
  EXPECT_EQ(list("company/overdue/2027-02"), std::vector<Bytes>{company_key("3298741")});
  EXPECT_EQ(list("company/by_status/live"), std::vector<Bytes>{company_key("3298741")});
  // Events: filed, officer_appointed, incorporated; the company account is named.
  std::vector<std::string> kinds;
  for (const Event& e : o.events) {
    if (e.module == "company") kinds.push_back(e.kind);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"filed", "officer_appointed", "incorporated"}));
  EXPECT_EQ(chain_.blocks().back().transactions[0].accounts.back(), account_of(key(100)));
}

TEST_F(CompanyTest, IncorporationRejections) {
  // Wrong role: the company's own account, a stranger, the CR admin.
  for (const auto& k : {key(100), stranger(), cr_admin()}) {
    expect_refused(incorporate(company("1234567", "Alpha Limited"), k), TxOutcome::kUnauthorized,
                   "not_registrar");
  }
  // Bad CR numbers.
  for (const std::string n : {"123456", "12345678", "123456a", "F123456", "f1234567", "G1234567",
                              "0000000", "F0000000", " 1234567", "1234567 ", ""}) {
    expect_refused(incorporate(company(n, "Alpha Limited")), TxOutcome::kInvalidArgument,
                   "invalid_cr_number");
  }
  expect_refused(incorporate(company("F1234567", "Alpha Limited")), TxOutcome::kInvalidArgument,
                 "number_type_mismatch");
  // Names.
  expect_refused(incorporate(company("1234567", "Alpha 港 Limited")), TxOutcome::kInvalidArgument,
                 "mixed_language_name");
  expect_refused(incorporate(company("1234567", "", "阿爾法Alpha有限公司")),
                 TxOutcome::kInvalidArgument, "mixed_language_name");
  expect_refused(incorporate(company("1234567", "Alpha Trading")), TxOutcome::kInvalidArgument,
                 "missing_limited_suffix");
  expect_refused(incorporate(company("1234567", "", "阿爾法貿易公司")), TxOutcome::kInvalidArgument,
                 "missing_limited_suffix");
  IncorporateArgs unlimited = company("1234567", "Alpha Limited");
  unlimited.type = CompanyType::kPrivateUnlimited;
  expect_refused(incorporate(unlimited), TxOutcome::kInvalidArgument,
                 "limited_suffix_for_unlimited");
  expect_refused(incorporate(company("1234567", "")), TxOutcome::kInvalidArgument, "invalid_name");
  expect_refused(incorporate(company("1234567", "The Limited")), TxOutcome::kInvalidArgument,
                 "invalid_name");
  expect_refused(incorporate(company("1234567", "Limited")), TxOutcome::kInvalidArgument,
                 "invalid_name");
  // Other fields.
  IncorporateArgs a = company("1234567", "Alpha Limited");
  a.registered_office.clear();
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_office");
  a.registered_office = "Room 1\n88 Queensway";
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_office");
  a.registered_office = "Room \xFF";  // the decoder refuses strings that are not UTF-8
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "malformed_payload");
  a = company("1234567", "Alpha Limited");
  a.officers[0].correspondence_address = "8 Harbour Road\x01";
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_officer");
  a = company("1234567", "Alpha Limited");
  a.account = core::AccountId{};
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_account");
  a = company("1234567", "Alpha Limited");
  a.document_hash = core::Hash256{};
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "missing_document");
  a = company("1234567", "Alpha Limited");
  a.officers.clear();
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "no_director");
  a = company("1234567", "Alpha Limited");
  a.officers[0].partial_id = "A1234567";  // the full number: never on chain
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_partial_id");
  a = company("1234567", "Alpha Limited");
  a.officers[0].id_number_commitment = core::Hash256{};
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "missing_commitment");
  a = company("1234567", "Alpha Limited");
  a.officers[0].name_en = "CHAN 大文";
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "mixed_language_name");
  a = company("1234567", "Alpha Limited");
  a.accounting_reference_month = 3;
  a.accounting_reference_day = 31;  // a private company's return date is its anniversary
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_accounting_reference");
  a.type = CompanyType::kPublicLimitedByShares;
  a.accounting_reference_month = 2;
  a.accounting_reference_day = 30;
  expect_refused(incorporate(a), TxOutcome::kInvalidArgument, "invalid_accounting_reference");

  // Oversized fields and malformed payloads.
  core::Writer big;
  big.bytes(core::as_bytes(std::string("1234567")));
  big.bytes(Bytes(kMaxNameSize + 1, 'A'));
  expect_refused(chain_.call(registrar(), "company", "incorporate", std::move(big).take()),
                 TxOutcome::kLimitExceeded, "field_too_large");
  Bytes truncated = core::encode(company("1234567", "Alpha Limited"));
  truncated.pop_back();
  expect_refused(chain_.call(registrar(), "company", "incorporate", truncated),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  Bytes trailing = core::encode(company("1234567", "Alpha Limited"));
  trailing.push_back(0);
  expect_refused(chain_.call(registrar(), "company", "incorporate", trailing),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  expect_refused(chain_.call(registrar(), "company", "merge", {}), TxOutcome::kInvalidArgument,
                 "unknown_call");

  // Nothing of the module was written by any of them.
  EXPECT_FALSE(chain_.query("company/company/1234567").value.has_value());
  EXPECT_TRUE(list("company/by_status/live").empty());

  // Admission (check) refuses the same and accepts the good call.
  EXPECT_FALSE(chain_.admit(stranger(), "company", "incorporate",
                            core::encode(company("1234567", "Alpha Limited"))));
  EXPECT_TRUE(chain_.admit(registrar(), "company", "incorporate",
                           core::encode(company("1234567", "Alpha Limited"))));
  ASSERT_TRUE(incorporate(company("1234567", "Alpha Limited")).ok());
  expect_refused(incorporate(company("01234567", "Beta Limited")), TxOutcome::kAlreadyExists,
                 "company_exists");
}

TEST_F(CompanyTest, OtherTypesHaveTheirOwnNumbersNamesAndReturnDates) {
  IncorporateArgs foreign = company("F0001234", "Pacific Rim Shipping Corporation");
  foreign.type = CompanyType::kRegisteredNonHongKong;
  foreign.officers.clear();  // its directors are overseas; no Hong Kong director required
  ASSERT_TRUE(incorporate(foreign).ok());
  EXPECT_EQ(record("F0001234").next_return_date, (Date{2027, 1, 15}));  // s.788: anniversary

  IncorporateArgs pub = company("2000001", "Kowloon Tramways Holdings Limited");
  pub.type = CompanyType::kPublicLimitedByShares;
  pub.accounting_reference_month = 3;
  pub.accounting_reference_day = 31;
  ASSERT_TRUE(incorporate(pub).ok());
  // 31 March + 6 months = 30 September; the first on or after the first anniversary.
  EXPECT_EQ(record("2000001").next_return_date, (Date{2027, 9, 30}));

  IncorporateArgs guarantee = company("2000002", "Harbour Arts Foundation Limited");
  guarantee.type = CompanyType::kLimitedByGuarantee;
  guarantee.accounting_reference_month = 12;
  guarantee.accounting_reference_day = 31;
  ASSERT_TRUE(incorporate(guarantee).ok());
  EXPECT_EQ(record("2000002").next_return_date, (Date{2027, 9, 30}));  // + 9 months

  IncorporateArgs unlimited = company("2000003", "Lee Brothers & Company");
  unlimited.type = CompanyType::kPrivateUnlimited;
  ASSERT_TRUE(incorporate(unlimited).ok());
}

// ---- Names ---------------------------------------------------------------------------

TEST_F(CompanyTest, NameClashAfterEachNormalisationRule) {
  ASSERT_TRUE(
      incorporate(company("3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司"))
          .ok());
  ASSERT_TRUE(incorporate(company("3298742", "Chan & Wong Trading Limited")).ok());
  ASSERT_TRUE(incorporate(company("3298743", "Pearl HK Holdings Limited")).ok());
  const std::vector<std::pair<std::string, std::string>> clashes = {
      {"case", "LANTERN HARBOUR LOGISTICS LIMITED"},
      {"spacing", "Lantern  Harbour Logistics Limited"},
      {"punctuation", "Lantern-Harbour Logistics, Limited"},
      {"leading The", "The Lantern Harbour Logistics Limited"},
      {"& = and (other way)", "Chan and Wong Trading Limited"},
      {"HK = Hong Kong", "Pearl Hong Kong Holdings Limited"},
  };
  std::uint32_t n = 4000000;
  for (const auto& [rule, name] : clashes) {
    SCOPED_TRACE(rule);
    expect_refused(incorporate(company(std::to_string(++n), name)), TxOutcome::kAlreadyExists,
                   "name_taken");
  }
  // The suffix rule: an unlimited company without "Limited" has the same name.
  IncorporateArgs unlimited = company(std::to_string(++n), "Lantern Harbour Logistics");
  unlimited.type = CompanyType::kPrivateUnlimited;
  expect_refused(incorporate(unlimited), TxOutcome::kAlreadyExists, "name_taken");
  // Chinese: spacing, punctuation, the suffix.
  for (const std::string zh : {"港燈 物流有限公司", "港燈·物流有限公司", "「港燈物流」有限公司"}) {
    expect_refused(incorporate(company(std::to_string(++n), "", zh)), TxOutcome::kAlreadyExists,
                   "name_taken");
  }
  IncorporateArgs zh_unlimited = company(std::to_string(++n), "", "港燈物流");
  zh_unlimited.type = CompanyType::kPrivateUnlimited;
  expect_refused(incorporate(zh_unlimited), TxOutcome::kAlreadyExists, "name_taken");
  // Different names pass.
  EXPECT_TRUE(
      incorporate(company(std::to_string(++n), "Lantern Harbour Logistics Two Limited")).ok());
  EXPECT_TRUE(incorporate(company(std::to_string(++n), "", "港燈運輸有限公司")).ok());
}

TEST_F(CompanyTest, ChangeOfNameMovesTheIndexAndDissolutionReleasesIt) {
  ASSERT_TRUE(
      incorporate(company("3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司"))
          .ok());
  ASSERT_TRUE(incorporate(company("3298742", "Jade Dragon Limited")).ok());
  chain_.at(Date{2026, 3, 1});
  ChangeNameArgs n{"3298741", Date{2026, 2, 20}, doc(0x22), "Lantern Harbour Freight Limited",
                   "港燈貨運有限公司"};
  // Refused: the other company's name, unchanged names, a bad name.
  ChangeNameArgs taken = n;
  taken.name_en = "Jade-Dragon Limited";
  expect_refused(file("change_name", taken), TxOutcome::kAlreadyExists, "name_taken");
  ChangeNameArgs same{"3298741", Date{2026, 2, 20}, doc(0x22), "Lantern Harbour Logistics Limited",
                      "港燈物流有限公司"};
  expect_refused(file("change_name", same), TxOutcome::kInvalidArgument, "no_change");
  ChangeNameArgs mixed = n;
  mixed.name_zh = "港燈Freight有限公司";
  expect_refused(file("change_name", mixed), TxOutcome::kInvalidArgument, "mixed_language_name");

  const Outcome o = file("change_name", n);  // 9 days after the resolution: on time
  ASSERT_TRUE(o.ok()) << o.detail;
  EXPECT_EQ(record("3298741").name_en, "Lantern Harbour Freight Limited");
  EXPECT_FALSE(filing("3298741", 1).late);
  EXPECT_EQ(filing("3298741", 1).kind, FilingKind::kName);
  EXPECT_FALSE(chain_.query("company/by_name/Lantern Harbour Logistics Limited").value);
  EXPECT_FALSE(chain_.query("company/by_name/港燈物流有限公司").value);
  EXPECT_TRUE(chain_.query("company/by_name/Lantern Harbour Freight Limited").value);
  // The old name is free again.
  ASSERT_TRUE(incorporate(company("3298743", "Lantern Harbour Logistics Limited")).ok());

  // Dissolution releases the name; restoring the first holder then clashes.
  ASSERT_TRUE(act("dissolve", "3298742").ok());
  EXPECT_FALSE(chain_.query("company/by_name/Jade Dragon Limited").value);
  ASSERT_TRUE(incorporate(company("3298744", "Jade Dragon Limited")).ok());
  expect_refused(chain_.call(registrar(), "company", "restore",
                             core::encode(RestoreArgs{"3298742", doc(0x55), true})),
                 TxOutcome::kAlreadyExists, "name_taken");
}

// ---- Filings and their deadlines ------------------------------------------------

TEST_F(CompanyTest, AnnualReturnOnTimeAndLateAtTheExactBoundary) {
  ASSERT_TRUE(incorporate(company("1111111", "Early Bird Limited")).ok());
  ASSERT_TRUE(incorporate(company("2222222", "Late Owl Limited")).ok());
  ASSERT_TRUE(incorporate(company("3333333", "Never Files Limited")).ok());
  const AnnualReturnArgs first{"1111111", Date{2027, 1, 15}, doc(0x31)};

  // Before the return date: refused.
  chain_.at(Date{2027, 1, 14}, 23, 59);
  expect_refused(file("annual_return", first), TxOutcome::kFailedPrecondition,
                 "return_date_not_reached");
  // Another period than the outstanding one.
  chain_.at(Date{2027, 1, 20});
  expect_refused(file("annual_return", AnnualReturnArgs{"1111111", Date{2028, 1, 15}, doc(0x31)}),
                 TxOutcome::kInvalidArgument, "wrong_return_date");
  expect_refused(file("annual_return", AnnualReturnArgs{"1111111", Date{2027, 2, 30}, doc(0x31)}),
                 TxOutcome::kInvalidArgument, "invalid_date");
  expect_refused(file("annual_return", AnnualReturnArgs{"1111111", Date{2027, 1, 15}, {}}),
                 TxOutcome::kInvalidArgument, "missing_document");

  // The last minute of the 42nd day (Hong Kong time, 15:59 UTC): on time.
  chain_.at(Date{2027, 2, 26}, 23, 59);
  ASSERT_TRUE(file("annual_return", first).ok());
  FilingRecord f = filing("1111111", 1);
  EXPECT_FALSE(f.late);
  EXPECT_EQ(f.due_date, (Date{2027, 2, 26}));
  EXPECT_EQ(f.filed_date, (Date{2027, 2, 26}));
  // The first minute of the 43rd day: late.
  chain_.at(Date{2027, 2, 27}, 0, 0);
  ASSERT_TRUE(
      file("annual_return", AnnualReturnArgs{"2222222", Date{2027, 1, 15}, doc(0x32)}).ok());
  EXPECT_TRUE(filing("2222222", 1).late);
  EXPECT_EQ(filing("2222222", 1).filed_by, account_of(key(100)));

  // The due index: filed returns moved to next year's month; the one still
  // outstanding stays in February 2027 (its month is over: overdue).
  EXPECT_EQ(list("company/overdue/2027-02"), std::vector<Bytes>{company_key("3333333")});
  EXPECT_EQ(list("company/due/2028-02").size(), 2U);
  const CompanyRecord c = record("1111111");
  EXPECT_EQ(c.next_return_date, (Date{2028, 1, 15}));
  EXPECT_EQ(c.next_return_due, (Date{2028, 2, 26}));
  EXPECT_EQ(c.returns_filed, 1U);
  // The same return again: the next one is outstanding now.
  expect_refused(file("annual_return", first), TxOutcome::kInvalidArgument, "wrong_return_date");
}

TEST_F(CompanyTest, ChangeOfOfficersAndOfficeFlaggedByTheFifteenDayWindow) {
  ASSERT_TRUE(incorporate(company("1111111", "Harbour Light Limited")).ok());
  ChangeOfficersArgs nd2a{"1111111", Date{2026, 2, 1}, doc(0x41), {}, {0}};
  nd2a.appoint.push_back(director("WONG Siu Ming", "黃小明", 7));
  // Day 15 after the change (16 February), last minute: on time.
  chain_.at(Date{2026, 2, 16}, 23, 59);
  ASSERT_TRUE(file("change_officers", nd2a).ok());
  EXPECT_FALSE(filing("1111111", 1).late);
  const QueryAnswer officers = chain_.query("company/officers/1111111");
  ASSERT_EQ(officers.related.size(), 2U);
  for (const QueryRecord& r : officers.related) {
    const OfficerRecord o = core::decode<OfficerRecord>(*r.value).value();
    if (o.id == 0) {
      EXPECT_EQ(o.resigned, (Date{2026, 2, 1}));
    }
    if (o.id == 1) {
      EXPECT_EQ(o.name_zh, "黃小明");
      EXPECT_FALSE(o.resigned);
      EXPECT_EQ(o.appointed, (Date{2026, 2, 1}));
    }
  }
  // NR1: the 16th day is late.
  ChangeOfficeArgs nr1{"1111111", Date{2026, 2, 1}, doc(0x42),
                       "Unit 5, 2 Science Park Road, Sha Tin"};
  chain_.at(Date{2026, 2, 17}, 0, 0);
  ASSERT_TRUE(file("change_office", nr1).ok());
  EXPECT_TRUE(filing("1111111", 2).late);
  EXPECT_EQ(filing("1111111", 2).due_date, (Date{2026, 2, 16}));
  EXPECT_EQ(record("1111111").registered_office, nr1.registered_office);

  // Rejections.
  expect_refused(file("change_office", nr1), TxOutcome::kInvalidArgument, "no_change");
  ChangeOfficeArgs empty_office = nr1;
  empty_office.registered_office.clear();
  expect_refused(file("change_office", empty_office), TxOutcome::kInvalidArgument,
                 "invalid_office");
  ChangeOfficersArgs again{"1111111", Date{2026, 2, 10}, doc(0x43), {}, {0}};
  expect_refused(file("change_officers", again), TxOutcome::kFailedPrecondition,
                 "officer_already_resigned");
  again.resign = {9};
  expect_refused(file("change_officers", again), TxOutcome::kNotFound, "officer_not_found");
  again.resign = {1, 1};
  expect_refused(file("change_officers", again), TxOutcome::kInvalidArgument, "duplicate_officer");
  again.resign = {};
  expect_refused(file("change_officers", again), TxOutcome::kInvalidArgument, "empty_filing");
  again.resign = {1};
  again.change_date = Date{2026, 3, 1};  // after today
  expect_refused(file("change_officers", again), TxOutcome::kInvalidArgument, "future_date");
  again.change_date = Date{2026, 1, 14};  // before incorporation
  expect_refused(file("change_officers", again), TxOutcome::kInvalidArgument,
                 "date_before_incorporation");
  again.change_date = Date{2026, 1, 20};  // before officer 1 was appointed
  expect_refused(file("change_officers", again), TxOutcome::kInvalidArgument,
                 "date_before_appointment");
  ChangeOfficersArgs bad_officer{"1111111", Date{2026, 2, 10}, doc(0x43), {}, {}};
  bad_officer.appoint.push_back(director("LEE Ka Yan", "李嘉欣", 9));
  bad_officer.appoint[0].correspondence_address.clear();
  expect_refused(file("change_officers", bad_officer), TxOutcome::kInvalidArgument,
                 "invalid_officer");
  // Oversized partial id (over 16 bytes) fails decoding.
  core::Writer w;
  w.bytes(core::as_bytes(std::string("1111111")));
  w.u16(2026);
  w.u8(2);
  w.u8(10);
  w.raw(doc(0x43).view());
  w.length(1);
  w.u8(0);
  w.bytes(core::as_bytes(std::string("LEE Ka Yan")));
  w.bytes(core::as_bytes(std::string("")));
  w.bytes(Bytes(kMaxPartialIdSize + 1, '*'));
  expect_refused(chain_.call(key(100), "company", "change_officers", std::move(w).take()),
                 TxOutcome::kLimitExceeded, "field_too_large");
}

TEST_F(CompanyTest, OnlyTheCompanyAccountOrARegistrarFiles) {
  ASSERT_TRUE(incorporate(company("1111111", "Harbour Light Limited")).ok());
  ChangeOfficeArgs nr1{"1111111", Date{2026, 1, 15}, doc(0x42), "1 Queen's Road Central"};
  expect_refused(file("change_office", nr1, stranger()), TxOutcome::kUnauthorized,
                 "not_authorised");
  expect_refused(file("change_office", nr1, epd_issuer()), TxOutcome::kUnauthorized,
                 "not_authorised");
  ASSERT_TRUE(file("change_office", nr1, registrar()).ok());
  EXPECT_EQ(filing("1111111", 1).filed_by, account_of(registrar()));
  nr1.registered_office = "2 Queen's Road Central";
  ASSERT_TRUE(file("change_office", nr1, key(100)).ok());
  // Unknown and invalid companies.
  nr1.number = "7654321";
  expect_refused(file("change_office", nr1), TxOutcome::kNotFound, "company_not_found");
  nr1.number = "76543210";
  expect_refused(file("change_office", nr1), TxOutcome::kInvalidArgument, "invalid_cr_number");
  // A transaction of the company's account signed by another key never
  // reaches the module: the envelope refuses it (and the whole block).
  auto forged = make_tx(stranger(), account_of(key(100)), 0, "company", "change_office",
                        core::encode(nr1), chain_.now() + 3'600'000);
  Executor executor;
  const ModuleSet modules;
  modules.register_with(executor);
  auto r =
      executor.check_envelope(BlockContext{kChain, 99, chain_.now(), 0}, forged, chain_.state());
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->error, EnvelopeError::kWrongKey);
}

TEST_F(CompanyTest, ACommittedFilingCannotBeReplayed) {
  ASSERT_TRUE(incorporate(company("1111111", "Harbour Light Limited")).ok());
  const auto nr1 = chain_.tx(key(100), "company", "change_office",
                             core::encode(ChangeOfficeArgs{"1111111", Date{2026, 1, 15}, doc(0x42),
                                                           "1 Queen's Road Central"}));
  ASSERT_EQ(chain_.block({nr1}).transactions[0].reason, "");
  Executor executor;
  const ModuleSet modules;
  modules.register_with(executor);
  auto r = executor.check_envelope(BlockContext{kChain, 99, chain_.now(), 0}, nr1, chain_.state());
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->error, EnvelopeError::kStaleSequence);
  EXPECT_EQ(record("1111111").filings, 2U);
}

// ---- Ending and restoration ---------------------------------------------------------

TEST_F(CompanyTest, StrikeOffFollowsItsNoticePeriodsAndAdministrativeRestoration) {
  ASSERT_TRUE(incorporate(company("5555555", "Dormant Pearl Limited", "沉睡明珠有限公司")).ok());
  // Illegal from live.
  expect_refused(act("gazette_strike_off", "5555555"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  expect_refused(act("strike_off", "5555555"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  expect_refused(act("cancel_ending", "5555555"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  expect_refused(act("strike_off_inquiry", "5555555", key(100)), TxOutcome::kUnauthorized,
                 "not_registrar");

  chain_.at(Date{2027, 6, 1});
  ASSERT_TRUE(act("strike_off_inquiry", "5555555").ok());
  const std::uint64_t inquiry = chain_.now();
  EXPECT_EQ(record("5555555").status, CompanyStatus::kStrikeOffInquiry);
  EXPECT_TRUE(live("5555555"));  // still exists until struck off
  // One millisecond before the month (31 days) has run: refused; at it: done.
  chain_.at(inquiry + 31 * 86'400'000ULL - 1);
  expect_refused(act("gazette_strike_off", "5555555"), TxOutcome::kFailedPrecondition,
                 "notice_period_running");
  chain_.at(inquiry + 31 * 86'400'000ULL);
  ASSERT_TRUE(act("gazette_strike_off", "5555555").ok());
  const std::uint64_t gazette = chain_.now();
  chain_.at(gazette + 92 * 86'400'000ULL - 1);
  expect_refused(act("strike_off", "5555555"), TxOutcome::kFailedPrecondition,
                 "notice_period_running");
  // A filing is still accepted while the company exists.
  ASSERT_TRUE(file("change_office", ChangeOfficeArgs{"5555555", Date{2027, 9, 1}, doc(0x42),
                                                     "9 Des Voeux Road West"})
                  .ok());
  chain_.at(gazette + 92 * 86'400'000ULL);
  ASSERT_TRUE(act("strike_off", "5555555").ok());
  const CompanyRecord struck = record("5555555");
  EXPECT_EQ(struck.status, CompanyStatus::kStruckOff);
  EXPECT_FALSE(live("5555555"));
  EXPECT_FALSE(chain_.query("company/by_name/Dormant Pearl Limited").value);
  EXPECT_FALSE(chain_.query("company/by_name/沉睡明珠有限公司").value);
  EXPECT_TRUE(list("company/due/2027-02").empty());
  EXPECT_EQ(list("company/by_status/struck_off"), std::vector<Bytes>{company_key("5555555")});
  EXPECT_TRUE(list("company/by_status/live").empty());

  // A struck-off company files nothing and cannot be struck off again.
  expect_refused(file("annual_return", AnnualReturnArgs{"5555555", Date{2027, 1, 15}, doc(0x31)}),
                 TxOutcome::kFailedPrecondition, "company_dissolved");
  expect_refused(act("dissolve", "5555555"), TxOutcome::kFailedPrecondition, "illegal_transition");

  // Administrative restoration within 20 years: live again, names back, and
  // its outstanding annual return is still due (in its old month).
  chain_.at(Date{2030, 1, 1});
  const Outcome o = chain_.call(registrar(), "company", "restore",
                                core::encode(RestoreArgs{"5555555", doc(0x56), false}));
  ASSERT_TRUE(o.ok()) << o.detail;
  EXPECT_TRUE(live("5555555"));
  EXPECT_TRUE(chain_.query("company/by_name/Dormant Pearl Limited").value);
  EXPECT_EQ(list("company/due/2027-02"), std::vector<Bytes>{company_key("5555555")});
  expect_refused(chain_.call(registrar(), "company", "restore",
                             core::encode(RestoreArgs{"5555555", doc(0x56), false})),
                 TxOutcome::kFailedPrecondition, "illegal_transition");
}

TEST_F(CompanyTest, RestorationEndsTwentyYearsAfterDissolution) {
  ASSERT_TRUE(incorporate(company("5555555", "Dormant Pearl Limited")).ok());
  ASSERT_TRUE(act("strike_off_inquiry", "5555555").ok());
  chain_.at(chain_.now() + 31 * 86'400'000ULL);
  ASSERT_TRUE(act("gazette_strike_off", "5555555").ok());
  chain_.at(chain_.now() + 92 * 86'400'000ULL);
  ASSERT_TRUE(act("strike_off", "5555555").ok());
  const Date dissolved = Date::from_days(hk_day_of(chain_.now()));
  chain_.at(add_months(dissolved, 240), 23, 59);  // the last day
  EXPECT_TRUE(chain_.admit(registrar(), "company", "restore",
                           core::encode(RestoreArgs{"5555555", doc(0x56), false})));
  chain_.at(Date::from_days(add_months(dissolved, 240).days() + 1), 0, 0);
  expect_refused(chain_.call(registrar(), "company", "restore",
                             core::encode(RestoreArgs{"5555555", doc(0x56), true})),
                 TxOutcome::kFailedPrecondition, "restoration_period_over");
}

TEST_F(CompanyTest, DeregistrationLifecycleAndCourtRestoration) {
  ASSERT_TRUE(incorporate(company("6666666", "Quiet Bay Limited")).ok());
  IncorporateArgs pub = company("6666667", "Open Sea Holdings Limited");
  pub.type = CompanyType::kPublicLimitedByShares;
  pub.accounting_reference_month = 3;
  pub.accounting_reference_day = 31;
  pub.account = account_of(key(101));
  ASSERT_TRUE(incorporate(pub).ok());
  const auto apply = [&](const std::string& n, const core::schnorr::SecretKey& k) {
    return chain_.call(k, "company", "apply_deregistration",
                       core::encode(DeregistrationArgs{n, doc(0x61), doc(0x62)}));
  };
  expect_refused(apply("6666667", key(101)), TxOutcome::kFailedPrecondition, "not_eligible");
  expect_refused(apply("6666666", stranger()), TxOutcome::kUnauthorized, "not_authorised");
  expect_refused(chain_.call(key(100), "company", "apply_deregistration",
                             core::encode(DeregistrationArgs{"6666666", doc(0x61), {}})),
                 TxOutcome::kInvalidArgument, "missing_document");
  expect_refused(act("gazette_deregistration", "6666666"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  ASSERT_TRUE(apply("6666666", key(100)).ok());
  expect_refused(apply("6666666", key(100)), TxOutcome::kFailedPrecondition, "illegal_transition");
  expect_refused(act("deregister", "6666666"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  expect_refused(act("strike_off_inquiry", "6666666"), TxOutcome::kFailedPrecondition,
                 "illegal_transition");
  ASSERT_TRUE(act("gazette_deregistration", "6666666").ok());
  const std::uint64_t gazette = chain_.now();
  chain_.at(gazette + 92 * 86'400'000ULL - 1);
  expect_refused(act("deregister", "6666666"), TxOutcome::kFailedPrecondition,
                 "notice_period_running");
  chain_.at(gazette + 92 * 86'400'000ULL);
  ASSERT_TRUE(act("deregister", "6666666").ok());
  EXPECT_EQ(record("6666666").status, CompanyStatus::kDeregistered);
  EXPECT_FALSE(live("6666666"));
  // A deregistered company is restored only by the court.
  expect_refused(chain_.call(registrar(), "company", "restore",
                             core::encode(RestoreArgs{"6666666", doc(0x63), false})),
                 TxOutcome::kFailedPrecondition, "court_order_required");
  expect_refused(chain_.call(stranger(), "company", "restore",
                             core::encode(RestoreArgs{"6666666", doc(0x63), true})),
                 TxOutcome::kUnauthorized, "not_registrar");
  ASSERT_TRUE(chain_
                  .call(registrar(), "company", "restore",
                        core::encode(RestoreArgs{"6666666", doc(0x63), true}))
                  .ok());
  EXPECT_TRUE(live("6666666"));
  // Withdrawal of a strike-off returns the company to live.
  ASSERT_TRUE(act("strike_off_inquiry", "6666667").ok());
  ASSERT_TRUE(act("cancel_ending", "6666667").ok());
  EXPECT_EQ(record("6666667").status, CompanyStatus::kLive);
}

// ---- Officers' commitments -------------------------------------------------------------

TEST_F(CompanyTest, IdentityNumbersAreProvenAgainstTheirCommitments) {
  ASSERT_TRUE(incorporate(company("1111111", "Harbour Light Limited")).ok());
  const QueryAnswer officers = chain_.query("company/officers/1111111");
  ASSERT_EQ(officers.related.size(), 1U);
  const OfficerRecord o = core::decode<OfficerRecord>(*officers.related[0].value).value();
  EXPECT_EQ(o.partial_id, "A123***(*)");
  // The holder of the number and its salt proves it; nothing else does.
  EXPECT_TRUE(verify_field(o.id_number_commitment, salt(1), "A1234567"));
  EXPECT_FALSE(verify_field(o.id_number_commitment, salt(2), "A1234567"));
  EXPECT_FALSE(verify_field(o.id_number_commitment, salt(1), "A1234568"));
  EXPECT_TRUE(
      verify_field(o.residential_address_commitment, salt(2), "Flat 3, 1 Shan Road, Kowloon"));
  // The full number appears nowhere in the company's records.
  const std::string full = "A1234567";
  for (const auto& [k, v] : chain_.state().values()) {
    const std::string text(v.begin(), v.end());
    EXPECT_EQ(text.find(full), std::string::npos);
  }
}

// ---- Queries -------------------------------------------------------------------------------

TEST_F(CompanyTest, MalformedQueriesAreRefused) {
  for (const std::string p :
       {"company/company", "company/company/12", "company/company/1234567/1", "company/filings/x",
        "company/due/2027-13", "company/due/2027", "company/by_status/zombie", "company/by_name/",
        "company/nothing/1", "company/officers/1234567/x", "company/by_name/..."}) {
    EXPECT_TRUE(chain_.query_refused(p)) << p;
  }
  // Provable absence is an answer.
  EXPECT_FALSE(chain_.query("company/company/1234567").value.has_value());
  EXPECT_TRUE(chain_.query("company/due/2027-02").related.empty());
}

TEST(CompanyParameters, DeadlinesComeFromTheChainParameters) {
  // A chain whose genesis sets other windows: the same calls get other due dates.
  GenesisInput g = register_genesis();
  g.parameters["company.annual_return_window_days"] = 30;
  g.parameters["company.change_notice_days"] = 7;
  g.parameters["company.strike_off_inquiry_days"] = 10;
  Chain chain(g);
  chain.at(kIncorporation);
  ASSERT_TRUE(chain
                  .call(registrar(), "company", "incorporate",
                        core::encode(company("1111111", "Harbour Light Limited")))
                  .ok());
  auto c = chain.record<CompanyRecord>("company/company/1111111");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->next_return_due, (Date{2027, 2, 14}));  // 15 January + 30 days
  chain.at(Date{2026, 1, 23});                         // 8 days after the change: late
  ASSERT_TRUE(chain
                  .call(key(100), "company", "change_office",
                        core::encode(ChangeOfficeArgs{"1111111", Date{2026, 1, 15}, doc(0x42),
                                                      "1 Queen's Road Central"}))
                  .ok());
  const QueryAnswer filings = chain.query("company/filings/1111111");
  ASSERT_EQ(filings.related.size(), 2U);
  bool late = false;
  for (const QueryRecord& r : filings.related) {
    const FilingRecord f = core::decode<FilingRecord>(*r.value).value();
    if (f.kind == FilingKind::kOffice) late = f.late;
  }
  EXPECT_TRUE(late);
  ASSERT_TRUE(chain
                  .call(registrar(), "company", "strike_off_inquiry",
                        core::encode(RegistrarActArgs{"1111111", doc(0x71)}))
                  .ok());
  chain.at(chain.now() + 10 * 86'400'000ULL);
  EXPECT_TRUE(chain
                  .call(registrar(), "company", "gazette_strike_off",
                        core::encode(RegistrarActArgs{"1111111", doc(0x72)}))
                  .ok());
  // Out of range for governance: refused at genesis.
  GenesisInput bad = register_genesis();
  bad.parameters["company.annual_return_window_days"] = 0;
  const ModuleSet modules;
  EXPECT_FALSE(genesis_records(modules, bad).has_value());
}

// ---- Two state instances ------------------------------------------------------------------

void run_scenario(Chain& chain) {
  const auto call = [&](const core::schnorr::SecretKey& k, const char* c, Bytes p) {
    return chain.tx(k, "company", c, std::move(p));
  };
  chain.at(Date{2026, 1, 15});
  chain.block(
      {call(registrar(), "incorporate",
            core::encode(
                company("3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司"))),
       call(registrar(), "incorporate", core::encode(company("3298742", "Jade Dragon Limited"))),
       call(registrar(), "incorporate",
            core::encode(company("3298741", "Clash Limited")))});  // fails: exists
  chain.at(Date{2026, 2, 10});
  ChangeOfficersArgs nd2a{"3298741", Date{2026, 2, 1}, doc(0x41), {}, {0}};
  nd2a.appoint.push_back(director("WONG Siu Ming", "黃小明", 7));
  chain.block({call(key(100), "change_officers", core::encode(nd2a)),
               call(key(100), "change_name",
                    core::encode(ChangeNameArgs{"3298742", Date{2026, 1, 20}, doc(0x22),
                                                "Jade Phoenix Limited", ""}))});
  chain.at(Date{2027, 1, 20});
  chain.block({call(key(100), "annual_return",
                    core::encode(AnnualReturnArgs{"3298741", Date{2027, 1, 15}, doc(0x31)})),
               call(registrar(), "strike_off_inquiry",
                    core::encode(RegistrarActArgs{"3298742", doc(0x71)}))});
  chain.at(Date{2027, 3, 1});
  chain.block({call(registrar(), "gazette_strike_off",
                    core::encode(RegistrarActArgs{"3298742", doc(0x72)}))});
  chain.at(Date{2027, 6, 5});
  chain.block(
      {call(registrar(), "strike_off", core::encode(RegistrarActArgs{"3298742", doc(0x73)})),
       call(registrar(), "incorporate", core::encode(company("3298743", "Jade Phoenix Limited")))});
}

TEST(CompanyScenario, TwoIndependentStateInstancesReachIdenticalWrites) {
  Chain a;
  Chain b;
  run_scenario(a);
  run_scenario(b);
  ASSERT_EQ(a.blocks().size(), b.blocks().size());
  for (std::size_t i = 0; i < a.blocks().size(); ++i) {
    EXPECT_EQ(encode_write_set(a.blocks()[i].writes), encode_write_set(b.blocks()[i].writes)) << i;
    for (std::size_t t = 0; t < a.blocks()[i].transactions.size(); ++t) {
      EXPECT_EQ(core::encode(a.blocks()[i].transactions[t].info),
                core::encode(b.blocks()[i].transactions[t].info));
    }
  }
  EXPECT_EQ(a.state().values(), b.state().values());
  // The scenario did what it says.
  EXPECT_EQ(a.blocks()[0].transactions[2].reason, "company_exists");
  for (std::size_t i = 1; i < a.blocks().size(); ++i) {
    for (const auto& t : a.blocks()[i].transactions) EXPECT_EQ(t.reason, "") << t.detail;
  }
  auto c = a.record<CompanyRecord>("company/company/3298742");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, CompanyStatus::kStruckOff);
  auto owner = a.record<NameIndexRecord>("company/by_name/Jade Phoenix Limited");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->number, "3298743");
}

}  // namespace
}  // namespace bauhinia::contracts::company
