// Environmental permits: issue after approval, vary, transfer (co-signed by
// both holders), surrender, cancel; EM&A submissions while in force.

#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

TransferTerms transfer_terms(const std::string& permit) {
  TransferTerms t;
  t.permit = permit;
  t.from = account_of(proponent());
  t.to = account_of(transferee());
  t.document_hash = doc(0x7A);
  return t;
}

TEST(PermitTest, IssuedOnceAfterApprovalAndHistoryKeepsEveryVersion) {
  Ledger l;
  std::string project;
  const std::string ep = l.permitted_project(&project);
  EXPECT_EQ(ep, "EP-001/2026");
  auto permit = l.permit(ep);
  ASSERT_TRUE(permit.has_value());
  EXPECT_EQ(permit->holder, account_of(proponent()));
  EXPECT_EQ(permit->status, PermitStatus::kInForce);
  EXPECT_EQ(l.project(project)->permit, ep);
  EXPECT_EQ(failure(l.act(officer(), "issue_permit", DocumentArgs{project, doc(0xE2)})),
            "already_exists/permit_exists");

  EXPECT_EQ(failure(l.act(proponent(), "vary_permit", DocumentArgs{ep, doc(0xE2)})),
            "unauthorized/not_eia_officer");
  const auto v = l.act(officer(), "vary_permit", DocumentArgs{ep, doc(0xE2)});
  ASSERT_EQ(v.info.outcome, TxOutcome::kSuccess) << v.reason;
  EXPECT_EQ(kinds(v), std::vector<std::string>{"permit_varied"});
  permit = l.permit(ep);
  EXPECT_EQ(permit->permit_version, 1U);
  EXPECT_EQ(permit->document_hash, doc(0xE2));
  EXPECT_EQ(permit->history, 2U);
  EXPECT_EQ(l.record<PermitHistoryRecord>(permit_history_key(ep, 0))->document_hash, doc(0xE1));
  EXPECT_EQ(l.record<PermitHistoryRecord>(permit_history_key(ep, 1))->act, PermitAct::kVaried);
}

TEST(PermitTest, ATransferNeedsTheOfficerAndBothCosignatures) {
  Ledger l;
  const std::string ep = l.permitted_project();
  const TransferTerms t = transfer_terms(ep);
  EXPECT_EQ(failure(l.cosigned(proponent(), "transfer_permit", t, {&proponent(), &transferee()})),
            "unauthorized/not_eia_officer");
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", t, {&proponent()})),
            "unauthorized/transferee_not_cosigned");
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", t, {&transferee()})),
            "unauthorized/holder_not_cosigned");
  // A co-signature by the wrong key for the named signer.
  {
    chain::Transaction tx = l.draft(officer(), "transfer_permit");
    const Bytes terms = core::encode(t);
    TransferPayload p{t, {cosign(tx, terms, proponent()), cosign(tx, terms, stranger())}};
    p.cosignatures[1].signer = account_of(transferee());
    tx.payload = core::encode(p);
    EXPECT_EQ(l.submit(Ledger::sign(std::move(tx), officer())).info.outcome,
              TxOutcome::kUnauthorized);
  }
  TransferTerms wrong = t;
  wrong.from = account_of(stranger());
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", wrong, {&stranger(), &transferee()})),
            "failed_precondition/transferor_not_holder");
  wrong = t;
  wrong.to = wrong.from;
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", wrong, {&proponent()})),
            "invalid_argument/invalid_transferee");
  EXPECT_EQ(l.permit(ep)->holder, account_of(proponent()));

  const auto ok_tx = l.cosigned_tx(officer(), "transfer_permit", t, {&proponent(), &transferee()});
  const auto ok = l.submit(ok_tx);
  ASSERT_EQ(ok.info.outcome, TxOutcome::kSuccess) << ok.reason << " " << ok.detail;
  EXPECT_EQ(l.permit(ep)->holder, account_of(transferee()));
  const auto h = l.record<PermitHistoryRecord>(permit_history_key(ep, 1));
  EXPECT_EQ(h->act, PermitAct::kTransferred);
  EXPECT_EQ(h->holder_before, account_of(proponent()));
  EXPECT_EQ(h->holder_after, account_of(transferee()));
  // The old holder no longer submits EM&A data; the new one does.
  SubmissionArgs s{ep, doc(0x51), l.now_ms - 30 * kDayMs, l.now_ms};
  EXPECT_EQ(failure(l.act(proponent(), "submit_em_a", s)), "unauthorized/not_holder");
  EXPECT_EQ(l.act(transferee(), "submit_em_a", s).info.outcome, TxOutcome::kSuccess);
  // Replaying the transfer transaction: its sequence number is spent.
  EXPECT_EQ(l.envelope_error(ok_tx), EnvelopeError::kStaleSequence);
  EXPECT_FALSE(l.admit(ok_tx).ok());
  // A transfer back needs fresh co-signatures of both.
  TransferTerms back = t;
  back.from = t.to;
  back.to = t.from;
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", back, {&proponent()})),
            "unauthorized/holder_not_cosigned");
}

TEST(PermitTest, SurrenderAndCancelEndThePermitAndOnlyLegalTransitionsPass) {
  Ledger l;
  const std::string ep = l.permitted_project();
  EXPECT_EQ(failure(l.act(stranger(), "surrender_permit", DocumentArgs{ep, doc(0x91)})),
            "unauthorized/not_holder");
  ASSERT_EQ(l.act(proponent(), "surrender_permit", DocumentArgs{ep, doc(0x91)}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(l.permit(ep)->status, PermitStatus::kSurrendered);
  for (const char* call : {"vary_permit", "cancel_permit"}) {
    EXPECT_EQ(failure(l.act(officer(), call, DocumentArgs{ep, doc(0x92)})),
              "failed_precondition/illegal_transition")
        << call;
  }
  EXPECT_EQ(failure(l.act(proponent(), "surrender_permit", DocumentArgs{ep, doc(0x93)})),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.cosigned(officer(), "transfer_permit", transfer_terms(ep),
                               {&proponent(), &transferee()})),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(proponent(), "submit_em_a",
                          SubmissionArgs{ep, doc(0x51), l.now_ms - kDayMs, l.now_ms})),
            "failed_precondition/permit_not_in_force");

  const std::string ep2 = l.permitted_project();
  EXPECT_EQ(failure(l.act(proponent(), "cancel_permit", DocumentArgs{ep2, doc(0x94)})),
            "unauthorized/not_eia_officer");
  ASSERT_EQ(l.act(officer(), "cancel_permit", DocumentArgs{ep2, doc(0x94)}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(l.permit(ep2)->status, PermitStatus::kCancelled);
  EXPECT_EQ(failure(l.act(proponent(), "surrender_permit", DocumentArgs{ep2, doc(0x95)})),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(officer(), "cancel_permit", DocumentArgs{"EP-009/2026", doc(0x95)})),
            "not_found/permit_not_found");
  EXPECT_EQ(failure(l.act(officer(), "cancel_permit", DocumentArgs{"PP-001/2026", doc(0x95)})),
            "invalid_argument/invalid_number");
}

TEST(PermitTest, EmASubmissionsAreCheckedAndKept) {
  Ledger l;
  const std::string ep = l.permitted_project();
  const std::uint64_t now = l.now_ms;
  EXPECT_EQ(failure(l.act(proponent(), "submit_em_a", SubmissionArgs{ep, {}, now - kDayMs, now})),
            "invalid_argument/missing_document");
  EXPECT_EQ(failure(l.act(proponent(), "submit_em_a", SubmissionArgs{ep, doc(0x51), now, now})),
            "invalid_argument/invalid_period");
  EXPECT_EQ(failure(l.act(proponent(), "submit_em_a",
                          SubmissionArgs{ep, doc(0x51), now, now + 10 * kDayMs})),
            "invalid_argument/period_in_future");
  for (std::uint8_t m = 0; m < 3; ++m) {
    const std::uint64_t end = l.now_ms;
    ASSERT_EQ(
        l.act(proponent(), "submit_em_a",
              SubmissionArgs{ep, doc(static_cast<std::uint8_t>(0x60 + m)), end - 30 * kDayMs, end})
            .info.outcome,
        TxOutcome::kSuccess);
  }
  EXPECT_EQ(l.permit(ep)->submissions, 3U);
  const auto s = l.record<SubmissionRecord>(submission_key(ep, 2));
  EXPECT_EQ(s->document_hash, doc(0x62));
  EXPECT_EQ(s->submitted_by, account_of(proponent()));
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
