// Determinism: the same calls on two independent ledgers (own state, module
// set and executor each) give byte-identical writes, outcomes and events.

#include "bauhinia/contracts/write_set.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

// A scenario touching every call; returns a digest of each executed call.
std::vector<std::string> run(Ledger& l) {
  std::vector<std::string> out;
  auto note = [&](const ExecutedTransaction& t) {
    std::string s = core::to_hex(core::encode(t.info)) + "/" + t.reason;
    for (const Event& e : t.events) s += "/" + e.kind + ":" + core::to_hex(e.data);
    for (const auto& a : t.accounts) s += "/" + a.to_hex();
    out.push_back(std::move(s));
  };
  l.incorporate_producer();
  std::string project;
  const std::string ep = l.permitted_project(&project);
  note(l.act(officer(), "vary_permit", DocumentArgs{ep, doc(0xE2)}));
  note(l.act(proponent(), "submit_em_a",
             SubmissionArgs{ep, doc(0x51), l.now_ms - kDayMs, l.now_ms}));
  TransferTerms t{ep, account_of(proponent()), account_of(transferee()), doc(0x7A)};
  note(l.cosigned(officer(), "transfer_permit", t, {&proponent(), &transferee()}));
  note(l.act(transferee(), "surrender_permit", DocumentArgs{ep, doc(0x91)}));
  note(l.act(officer(), "cancel_permit", DocumentArgs{ep, doc(0x92)}));  // illegal now
  const std::string second = l.project_with_report();
  note(l.act(officer(), "open_inspection",
             InspectionArgs{second, l.now_ms, l.now_ms + 30 * kDayMs}));
  note(l.act(stranger(), "comment", CommentArgs{second, doc(0x31)}));
  l.advance_days(30);
  note(l.act(officer(), "decide", DecisionArgs{second, Decision::kRejected, doc(0xD2)}));
  note(l.act(producer(), "issue_ticket", sample_ticket("CWTT-1", 1000)));
  note(l.act(producer(), "issue_ticket", sample_ticket("CWTT-2", 1000)));
  note(l.act(collector(), "record_collection", CollectionArgs{"CWTT-1", "LV 4821"}));
  note(l.act(reception(), "record_receipt", ReceiptArgs{"CWTT-1", 800}));
  l.advance_days(15);
  note(l.act(stranger(), "flag_overdue", TicketNumberArgs{"CWTT-2"}));
  return out;
}

TEST(EnvironmentDeterminismTest, TwoIndependentLedgersAgreeByteForByte) {
  Ledger a;
  Ledger b;
  const auto ra = run(a);
  const auto rb = run(b);
  EXPECT_EQ(ra, rb);
  ASSERT_EQ(a.blocks.size(), b.blocks.size());
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    EXPECT_EQ(encode_write_set(a.blocks[i]), encode_write_set(b.blocks[i])) << "block " << i;
  }
  EXPECT_EQ(a.state.values(), b.state.values());
  // The scenario did what it says (so agreement is not vacuous).
  EXPECT_TRUE(a.ticket("CWTT-1")->weight_mismatch);
  EXPECT_TRUE(a.ticket("CWTT-2")->overdue);
  EXPECT_EQ(a.permit("EP-001/2026")->status, PermitStatus::kSurrendered);
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
