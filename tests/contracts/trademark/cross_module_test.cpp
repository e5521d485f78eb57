// The cross-module rule: an owner, assignee, licensee or security holder
// given with a CR number must be a live company in the company register
// (company::is_live) at that block.

#include <gtest/gtest.h>

#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/liveness.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

const std::string kNumber = "305918274";

core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
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

class CrossModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto r = ledger_.submit(Ledger::sign(
        company_call("incorporate",
                     core::encode(company_args("3120456", "Harbour Lantern Foods Limited",
                                               "港燈籠食品有限公司", applicant()))),
        cr_registrar()));
    ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
    const auto k = ledger_.submit(Ledger::sign(
        company_call("incorporate",
                     core::encode(company_args("3345678", "Kowloon Kinetic Technology Limited",
                                               "九龍動力科技有限公司", assignee()))),
        cr_registrar()));
    ASSERT_EQ(k.info.outcome, TxOutcome::kSuccess) << k.reason << " " << k.detail;
  }

  chain::Transaction company_call(std::string call, Bytes payload) const {
    chain::Transaction tx = ledger_.draft(cr_registrar(), std::move(call), std::move(payload));
    tx.module = "company";
    return tx;
  }
  ExecutedTransaction company_act(const char* call, const std::string& number) {
    return ledger_.submit(
        Ledger::sign(company_call(call, core::encode(company::RegistrarActArgs{number, doc(0x77)})),
                     cr_registrar()));
  }
  bool live(const std::string& cr) {
    StateOverlay overlay(ledger_.state);
    OverlayStateView view("trademark", overlay);
    return company_is_live(view, cr);
  }

  Party lantern_ =
      party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司", "3120456");
  Party kinetic_ =
      party(assignee(), "Kowloon Kinetic Technology Limited", "九龍動力科技有限公司", "3345678");
  Ledger ledger_;
};

TEST_F(CrossModuleTest, OwnersAndAssigneesThatAreCompaniesMustBeLive) {
  EXPECT_TRUE(live("3120456"));
  EXPECT_TRUE(live("03120456"));  // the 8-digit search form
  EXPECT_FALSE(live("7654321"));
  // Filing for a company that is not on the company register.
  FileArgs ghost = sample_filing(kNumber, party(third(), "Ghost Limited", "", "7654321"),
                                 ledger_.now_ms - kDayMs);
  EXPECT_EQ(failure(ledger_.call(registrar(), "file", core::encode(ghost))),
            "failed_precondition/company_not_live");
  // For a live company: accepted.
  ledger_.register_mark(kNumber, lantern_);
  EXPECT_EQ(ledger_.mark(kNumber)->owner.cr_number, "3120456");

  // Assignment to a live company: accepted; to one that is not: refused.
  AssignTerms t;
  t.number = kNumber;
  t.assignor = lantern_.account;
  t.assignee = party(third(), "Ghost Limited", "", "7654321");
  t.scope = {{43, {}}};
  t.assignment_date_ms = ledger_.now_ms;
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "assign", t, {&applicant()})),
            "failed_precondition/company_not_live");
  t.assignee = kinetic_;
  const ExecutedTransaction ok = ledger_.cosigned(registrar(), "assign", t, {&applicant()});
  ASSERT_EQ(ok.info.outcome, TxOutcome::kSuccess) << ok.reason << " " << ok.detail;
  EXPECT_EQ(ledger_.mark(kNumber + "AA")->owner, kinetic_);
}

TEST_F(CrossModuleTest, AStruckOffCompanyCanNoLongerTakeAMark) {
  ledger_.register_mark(kNumber, lantern_);
  // Kowloon Kinetic is struck off (inquiry, a month, gazette notice, three months).
  ASSERT_EQ(company_act("strike_off_inquiry", "3345678").info.outcome, TxOutcome::kSuccess);
  ledger_.advance_days(31);
  ASSERT_EQ(company_act("gazette_strike_off", "3345678").info.outcome, TxOutcome::kSuccess);
  ledger_.advance_days(92);
  // Still live until the final step.
  EXPECT_TRUE(live("3345678"));
  ASSERT_EQ(company_act("strike_off", "3345678").info.outcome, TxOutcome::kSuccess);
  EXPECT_FALSE(live("3345678"));

  AssignTerms t;
  t.number = kNumber;
  t.assignor = lantern_.account;
  t.assignee = kinetic_;
  t.assignment_date_ms = ledger_.now_ms;
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "assign", t, {&applicant()})),
            "failed_precondition/company_not_live");
  LicenceTerms l;
  l.number = kNumber;
  l.licensor = lantern_.account;
  l.licensee = kinetic_;
  l.start_ms = ledger_.now_ms;
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_licence", l, {&applicant()})),
            "failed_precondition/company_not_live");
  SecurityTerms s;
  s.number = kNumber;
  s.chargor = lantern_.account;
  s.holder = kinetic_;
  s.effective_ms = ledger_.now_ms;
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_security_interest", s, {&applicant()})),
            "failed_precondition/company_not_live");
  EXPECT_EQ(ledger_.mark(kNumber)->owner, lantern_);
  EXPECT_EQ(ledger_.mark(kNumber)->history_size, 0U);
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
