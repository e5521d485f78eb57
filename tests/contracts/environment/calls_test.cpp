// Every call refuses a malformed payload, an oversized field and trailing
// bytes with a typed reason and changes nothing; unknown calls are refused;
// admission (check) refuses exactly what execution would.

#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

TEST(EnvironmentCallsTest, MalformedPayloadsAreRefusedByEveryCall) {
  Ledger l;
  l.incorporate_producer();
  for (std::string_view call : kCalls) {
    for (const Bytes& payload : {Bytes{}, Bytes{0xFF}, Bytes(7, 0x01)}) {
      const std::size_t before = l.state.size();
      const auto r = l.call(officer(), std::string(call), payload);
      EXPECT_EQ(r.info.outcome, TxOutcome::kInvalidArgument) << call;
      EXPECT_EQ(r.reason, "malformed_payload") << call << " " << r.detail;
      EXPECT_TRUE(kinds(r).empty());
      // Only the sender's sequence moved (the accounts module's record).
      EXPECT_LE(l.state.size(), before + 1) << call;
    }
  }
  // Trailing bytes after a valid payload.
  Bytes p = core::encode(TicketNumberArgs{"CWTT-1"});
  p.push_back(0);
  EXPECT_EQ(failure(l.call(stranger(), "flag_overdue", p)), "invalid_argument/malformed_payload");
  // A field beyond its limit (encoded by hand: the encoder asserts limits).
  Bytes big{0x81, 0x04};  // length 513 as a varint
  big.insert(big.end(), kMaxTitleSize + 1, 'x');
  EXPECT_EQ(failure(l.call(proponent(), "submit_profile", big)), "limit_exceeded/field_too_large");
  // A waste type outside the list.
  Bytes t = core::encode(sample_ticket("CWTT-9"));
  const Bytes number = core::encode(TicketNumberArgs{"CWTT-9"});
  const Bytes cr = core::encode(TicketNumberArgs{"3298741"});
  t[number.size() + cr.size()] = static_cast<std::uint8_t>(kLastWasteType) + 1;
  EXPECT_EQ(failure(l.call(producer(), "issue_ticket", t)), "invalid_argument/malformed_payload");
  EXPECT_EQ(failure(l.call(officer(), "no_such_call", {})), "invalid_argument/unknown_call");
}

TEST(EnvironmentCallsTest, AdmissionRefusesWhatExecutionWould) {
  Ledger l;
  ASSERT_EQ(l.act(proponent(), "submit_profile", sample_profile()).info.outcome,
            TxOutcome::kSuccess);
  const auto bad = Ledger::sign(
      l.draft(stranger(), "issue_study_brief", core::encode(BriefArgs{"PP-001/2026", doc(1)})),
      stranger());
  const core::Verdict v = l.admit(bad);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.rejection().to_string().find("not_eia_officer"), std::string::npos)
      << v.rejection().to_string();
  const auto good = Ledger::sign(
      l.draft(officer(), "issue_study_brief", core::encode(BriefArgs{"PP-001/2026", doc(1)})),
      officer());
  EXPECT_TRUE(l.admit(good).ok());
  // Admission wrote nothing: the brief is not issued yet.
  EXPECT_EQ(l.project("PP-001/2026")->status, ProjectStatus::kProfileSubmitted);
  EXPECT_EQ(l.submit(good).info.outcome, TxOutcome::kSuccess);
}

TEST(EnvironmentCallsTest, NumbersRestartEachHongKongYear) {
  // 2026-12-31 23:59:59 Hong Kong time, then a block in 2027.
  Ledger l(1'798'732'799'000ULL);
  ASSERT_EQ(l.act(proponent(), "submit_profile", sample_profile()).info.outcome,
            TxOutcome::kSuccess);
  ASSERT_EQ(l.act(proponent(), "submit_profile", sample_profile()).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_TRUE(l.project("PP-001/2026").has_value());
  EXPECT_TRUE(l.project("PP-001/2027").has_value());
  EXPECT_FALSE(l.project("PP-002/2026").has_value());
}

TEST(EnvironmentCallsTest, TheNumberFormatIsEpdStyle) {
  EXPECT_EQ(format_number("PP", 1, 2026), "PP-001/2026");
  EXPECT_EQ(format_number("ESB", 1234, 2026), "ESB-1234/2026");
  EXPECT_TRUE(valid_number("EP-099/1998", "EP"));
  EXPECT_TRUE(valid_number("PP-99999/2026", "PP"));
  EXPECT_FALSE(valid_number("PP-100000/2026", "PP"));
  EXPECT_FALSE(valid_number("PP-099/1997", "PP"));
  EXPECT_FALSE(valid_number("PP-0099/2026", "PP"));
  EXPECT_FALSE(valid_number("EP-001/2026", "ESB"));
  EXPECT_FALSE(valid_number("ESB-001/2026", "EP"));
  EXPECT_FALSE(valid_number("PP-001/2026x", "PP"));
  EXPECT_TRUE(valid_ticket_number("CWTT-2026-000101"));
  EXPECT_FALSE(valid_ticket_number(std::string(kMaxTicketNumberSize + 1, 'A')));
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
