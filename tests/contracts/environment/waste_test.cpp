// Chemical waste trip-tickets: the producer (a live company's account)
// issues, the named licensed collector collects, the named reception point
// receives and weighs; mismatched weights and overdue tickets are flagged.

#include "bauhinia/contracts/system/roles.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

class WasteTest : public ::testing::Test {
 protected:
  void SetUp() override { l_.incorporate_producer(); }

  void issue(const std::string& number, std::uint64_t kg = 1200) {
    const auto r = l_.act(producer(), "issue_ticket", sample_ticket(number, kg));
    ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  }
  ExecutedTransaction collect(const std::string& number) {
    return l_.act(collector(), "record_collection", CollectionArgs{number, "LV 4821"});
  }
  ExecutedTransaction receive(const std::string& number, std::uint64_t kg) {
    return l_.act(reception(), "record_receipt", ReceiptArgs{number, kg});
  }

  Ledger l_;
};

TEST_F(WasteTest, ACompleteTicketWithinToleranceIsNotFlagged) {
  issue("CWTT-2026-000101");
  auto t = l_.ticket("CWTT-2026-000101");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->producer, account_of(producer()));
  EXPECT_EQ(t->producer_cr, "3298741");
  EXPECT_EQ(t->deadline_ms, t->issued_ms + 14 * kDayMs);
  const auto c = collect("CWTT-2026-000101");
  ASSERT_EQ(c.info.outcome, TxOutcome::kSuccess) << c.reason;
  EXPECT_EQ(l_.ticket("CWTT-2026-000101")->vehicle, "LV 4821");
  // 1200 kg declared, 1250 measured: 4.2% < 5%.
  const auto r = receive("CWTT-2026-000101", 1250);
  ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason;
  EXPECT_EQ(kinds(r), std::vector<std::string>{"ticket_received"});
  t = l_.ticket("CWTT-2026-000101");
  EXPECT_EQ(t->status, TicketStatus::kReceived);
  EXPECT_EQ(t->measured_kg, 1250U);
  EXPECT_EQ(t->tolerance_bp, 500U);
  EXPECT_FALSE(t->flagged());
  // Exactly at the tolerance (5%) is still within it.
  issue("CWTT-2026-000102", 1000);
  ASSERT_EQ(collect("CWTT-2026-000102").info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(receive("CWTT-2026-000102", 950).info.outcome, TxOutcome::kSuccess);
  EXPECT_FALSE(l_.ticket("CWTT-2026-000102")->weight_mismatch);
}

TEST_F(WasteTest, AWeightBeyondTheToleranceIsFlagged) {
  issue("CWTT-2026-000201", 1000);
  ASSERT_EQ(collect("CWTT-2026-000201").info.outcome, TxOutcome::kSuccess);
  const auto r = receive("CWTT-2026-000201", 949);
  ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason;
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"ticket_received", "weight_mismatch_flagged"}));
  const auto t = l_.ticket("CWTT-2026-000201");
  EXPECT_TRUE(t->weight_mismatch);
  EXPECT_FALSE(t->overdue);
  EXPECT_NE(t->flagged_ms, 0U);
  auto flagged = l_.query("tickets/flagged");
  ASSERT_TRUE(flagged.has_value());
  ASSERT_EQ(flagged->related.size(), 1U);
  EXPECT_EQ(flagged->related[0].record_key, ticket_key("CWTT-2026-000201"));
}

TEST_F(WasteTest, OverdueTicketsAreFlaggedByAnyoneAfterTheDeadlineOnly) {
  issue("CWTT-2026-000301");
  EXPECT_EQ(failure(l_.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2026-000301"})),
            "failed_precondition/not_overdue");
  l_.now_ms = l_.ticket("CWTT-2026-000301")->deadline_ms - 1;
  EXPECT_EQ(failure(l_.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2026-000301"})),
            "failed_precondition/not_overdue");
  // The next block is past the deadline.
  const auto f = l_.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2026-000301"});
  ASSERT_EQ(f.info.outcome, TxOutcome::kSuccess) << f.reason;
  EXPECT_EQ(kinds(f), std::vector<std::string>{"overdue_flagged"});
  EXPECT_TRUE(l_.ticket("CWTT-2026-000301")->overdue);
  EXPECT_EQ(failure(l_.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2026-000301"})),
            "already_exists/already_flagged");
  // Completion is still recorded; the flag stays (no second overdue event).
  ASSERT_EQ(collect("CWTT-2026-000301").info.outcome, TxOutcome::kSuccess);
  const auto r = receive("CWTT-2026-000301", 1200);
  EXPECT_EQ(kinds(r), std::vector<std::string>{"ticket_received"});
  EXPECT_TRUE(l_.ticket("CWTT-2026-000301")->overdue);
  EXPECT_EQ(failure(l_.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2026-000301"})),
            "failed_precondition/ticket_complete");
}

TEST_F(WasteTest, AReceiptAfterTheDeadlineFlagsTheTicketItself) {
  issue("CWTT-2026-000401");
  ASSERT_EQ(collect("CWTT-2026-000401").info.outcome, TxOutcome::kSuccess);
  l_.advance_days(15);
  const auto r = receive("CWTT-2026-000401", 1500);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"ticket_received", "weight_mismatch_flagged",
                                                "overdue_flagged"}));
  const auto t = l_.ticket("CWTT-2026-000401");
  EXPECT_TRUE(t->overdue);
  EXPECT_TRUE(t->weight_mismatch);
}

TEST_F(WasteTest, OnlyTheNamedPartiesActInOrder) {
  issue("CWTT-2026-000501");
  EXPECT_EQ(failure(receive("CWTT-2026-000501", 1200)), "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l_.act(stranger(), "record_collection",
                           CollectionArgs{"CWTT-2026-000501", "LV 4821"})),
            "unauthorized/not_ticket_collector");
  EXPECT_EQ(
      failure(l_.act(collector(), "record_collection", CollectionArgs{"CWTT-2026-000501", ""})),
      "invalid_argument/vehicle_missing");
  ASSERT_EQ(collect("CWTT-2026-000501").info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(collect("CWTT-2026-000501")), "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l_.act(collector(), "record_receipt", ReceiptArgs{"CWTT-2026-000501", 1200})),
            "unauthorized/not_ticket_reception_point");
  EXPECT_EQ(failure(receive("CWTT-2026-000501", kMaxQuantityKg + 1)),
            "invalid_argument/invalid_quantity");
  ASSERT_EQ(receive("CWTT-2026-000501", 1200).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(receive("CWTT-2026-000501", 1200)), "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(collect("CWTT-2026-000999")), "not_found/ticket_not_found");
  EXPECT_EQ(failure(collect("cwtt lower")), "invalid_argument/invalid_ticket_number");
}

TEST_F(WasteTest, ACollectorWhoseRoleWasRevokedCanNoLongerCollect) {
  issue("CWTT-2026-000601");
  const auto r = l_.submit(Ledger::sign(
      l_.draft(epd_admin(), "revoke_role",
               core::encode(system::RoleArgs{account_of(collector()), std::string(kCollectorRole)}),
               "system"),
      epd_admin()));
  ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  EXPECT_EQ(failure(collect("CWTT-2026-000601")), "unauthorized/not_licensed_collector");
  EXPECT_EQ(failure(l_.act(producer(), "issue_ticket", sample_ticket("CWTT-2026-000602"))),
            "failed_precondition/not_licensed_collector");
}

TEST_F(WasteTest, AReceptionPointWhoseRoleWasRevokedCanNoLongerReceive) {
  issue("CWTT-2026-000651");
  ASSERT_EQ(collect("CWTT-2026-000651").info.outcome, TxOutcome::kSuccess);
  const auto r = l_.submit(Ledger::sign(
      l_.draft(epd_admin(), "revoke_role",
               core::encode(system::RoleArgs{account_of(reception()), std::string(kReceptionRole)}),
               "system"),
      epd_admin()));
  ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  EXPECT_EQ(failure(receive("CWTT-2026-000651", 1200)), "unauthorized/not_reception_point");
  EXPECT_EQ(l_.ticket("CWTT-2026-000651")->status, TicketStatus::kCollected);
}

TEST_F(WasteTest, TheProducerMustBeTheAccountOfALiveCompany) {
  TicketArgs a = sample_ticket("CWTT-2026-000701");
  // Not the company's account.
  EXPECT_EQ(failure(l_.act(stranger(), "issue_ticket", a)), "unauthorized/not_company_account");
  // A company not on the register; a number that is not a CR number.
  a.producer_cr = "7654321";
  EXPECT_EQ(failure(l_.act(producer(), "issue_ticket", a)), "failed_precondition/company_not_live");
  a.producer_cr = "12AB";
  EXPECT_EQ(failure(l_.act(producer(), "issue_ticket", a)), "invalid_argument/invalid_cr_number");
  // The 8-digit search form is the same company.
  a.producer_cr = "03298741";
  ASSERT_EQ(l_.act(producer(), "issue_ticket", a).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(l_.ticket("CWTT-2026-000701")->producer_cr, "3298741");

  // Struck off (inquiry, a month, Gazette notice, three months): no more tickets.
  auto act = [&](const char* call) {
    return l_.company(call, core::encode(company::RegistrarActArgs{"3298741", doc(0x77)}));
  };
  ASSERT_EQ(act("strike_off_inquiry").info.outcome, TxOutcome::kSuccess);
  l_.advance_days(31);
  ASSERT_EQ(act("gazette_strike_off").info.outcome, TxOutcome::kSuccess);
  l_.advance_days(92);
  ASSERT_EQ(act("strike_off").info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(l_.act(producer(), "issue_ticket", sample_ticket("CWTT-2026-000702"))),
            "failed_precondition/company_not_live");
}

TEST_F(WasteTest, TicketsAreValidated) {
  auto expect = [&](TicketArgs a, const char* want) {
    EXPECT_EQ(failure(l_.act(producer(), "issue_ticket", a)), want);
  };
  TicketArgs a = sample_ticket("CWTT-2026-000801");
  a.number = "bad number";
  expect(a, "invalid_argument/invalid_ticket_number");
  a = sample_ticket("");
  expect(a, "invalid_argument/invalid_ticket_number");
  a = sample_ticket("CWTT-2026-000801", 0);
  expect(a, "invalid_argument/invalid_quantity");
  a = sample_ticket("CWTT-2026-000801", kMaxQuantityKg + 1);
  expect(a, "invalid_argument/invalid_quantity");
  a = sample_ticket("CWTT-2026-000801");
  a.from_premises.clear();
  expect(a, "invalid_argument/premises_missing");
  a = sample_ticket("CWTT-2026-000801");
  a.from_premises = "line\nbreak";
  expect(a, "invalid_argument/invalid_text");
  a = sample_ticket("CWTT-2026-000801");
  a.collector = account_of(stranger());
  expect(a, "failed_precondition/not_licensed_collector");
  a = sample_ticket("CWTT-2026-000801");
  a.reception_point = account_of(collector());
  expect(a, "failed_precondition/not_reception_point");
  EXPECT_FALSE(l_.ticket("CWTT-2026-000801").has_value());
  issue("CWTT-2026-000801");
  expect(sample_ticket("CWTT-2026-000801"), "already_exists/ticket_exists");
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
