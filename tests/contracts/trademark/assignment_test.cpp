// Assignment (IPD's pilot), licences and security interests: recorded by a
// registrar with the owner's co-signature over the terms; partial assignment
// leaves two registrations linked both ways; the ownership chain is one query.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

const std::string kNumber = "304477102";

class AssignmentTest : public ::testing::Test {
 protected:
  void SetUp() override { ledger_.register_mark(kNumber, owner_); }

  AssignTerms whole(const Party& to) {
    AssignTerms t;
    t.number = kNumber;
    t.assignor = account_of(applicant());
    t.assignee = to;
    t.with_goodwill = true;
    t.assignment_date_ms = ledger_.now_ms - kDayMs;
    t.deed_hash = core::sha256(Bytes{'d', 'e', 'e', 'd'});
    return t;
  }
  ExecutedTransaction assign(const AssignTerms& t,
                             std::vector<const core::schnorr::SecretKey*> signers) {
    return ledger_.cosigned(registrar(), "assign", t, signers);
  }
  std::vector<HistoryRecord> history(const std::string& number) {
    std::vector<HistoryRecord> out;
    auto a = ledger_.query("history/" + number);
    EXPECT_TRUE(a.has_value());
    for (const QueryRecord& r : a->related) {
      auto h = core::decode<HistoryRecord>(*r.value);
      EXPECT_TRUE(h.has_value());
      out.push_back(*h);
    }
    return out;
  }

  Party owner_ = party(applicant(), "Kowloon Kinetic Limited", "九龍動力有限公司");
  Party to_ = party(assignee(), "Kowloon Kinetic Technology Limited", "九龍動力科技有限公司");
  Ledger ledger_;
};

TEST_F(AssignmentTest, WholeAssignmentCosignedByTheAssignorChangesTheOwner) {
  const ExecutedTransaction t = assign(whole(to_), {&applicant()});
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
  auto m = ledger_.mark(kNumber);
  EXPECT_EQ(m->owner, to_);
  // Registrar (sender), the assignor (co-signer) and the assignee are indexed.
  EXPECT_EQ(t.accounts,
            (std::vector<core::AccountId>{account_of(registrar()), account_of(applicant()),
                                          account_of(assignee())}));
  ASSERT_FALSE(t.events.empty());
  EXPECT_EQ(t.events.back().kind, "assigned");
  const auto h = history(kNumber);
  ASSERT_EQ(h.size(), 1U);
  EXPECT_EQ(h[0].kind, TransactionKind::kAssignment);
  EXPECT_EQ(h[0].from, owner_);
  EXPECT_EQ(h[0].to, to_);
  EXPECT_TRUE(h[0].with_goodwill);
  EXPECT_EQ(h[0].transaction_id, t.id);
  EXPECT_EQ(h[0].deed_hash, core::sha256(Bytes{'d', 'e', 'e', 'd'}));
  // The lists of both owners changed.
  auto old_list = ledger_.query("by_owner/" + account_of(applicant()).to_hex());
  auto new_list = ledger_.query("by_owner/" + account_of(assignee()).to_hex());
  EXPECT_TRUE(old_list->related.empty());
  ASSERT_EQ(new_list->related.size(), 1U);
  EXPECT_EQ(new_list->related[0].record_key, mark_key(kNumber));
  // The former owner can no longer assign; the new one can, without goodwill.
  EXPECT_EQ(failure(assign(whole(owner_), {&applicant()})),
            "failed_precondition/assignor_not_owner");
  AssignTerms back = whole(owner_);
  back.assignor = account_of(assignee());
  back.with_goodwill = false;
  ASSERT_EQ(assign(back, {&assignee()}).info.outcome, TxOutcome::kSuccess);
  EXPECT_FALSE(history(kNumber)[1].with_goodwill);
}

TEST_F(AssignmentTest, MissingForgedMisdirectedOrReusedCosignaturesAreRefused) {
  const AssignTerms t = whole(to_);
  EXPECT_EQ(failure(assign(t, {})), "unauthorized/assignor_not_cosigned");
  EXPECT_EQ(failure(assign(t, {&assignee()})), "unauthorized/assignor_not_cosigned");
  EXPECT_EQ(failure(assign(t, {&applicant(), &applicant()})),
            "invalid_argument/duplicate_cosigner");

  // Forged: a flipped bit of the assignor's signature.
  {
    chain::Transaction tx = ledger_.draft(registrar(), "assign");
    AssignPayload p{t, {cosign(tx, core::encode(t), applicant())}};
    p.cosignatures[0].signature.bytes[3] ^= 0x10;
    tx.payload = core::encode(p);
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(tx, registrar()))),
              "unauthorized/bad_cosignature");
  }
  // Signed for other terms (another assignee) than those submitted.
  {
    chain::Transaction tx = ledger_.draft(registrar(), "assign");
    AssignTerms signed_terms = whole(party(stranger(), "Someone Else Ltd"));
    AssignPayload p{t, {cosign(tx, core::encode(signed_terms), applicant())}};
    tx.payload = core::encode(p);
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(tx, registrar()))),
              "unauthorized/bad_cosignature");
  }
  // A key claiming the assignor's account.
  {
    chain::Transaction tx = ledger_.draft(registrar(), "assign");
    AssignPayload p{t, {cosign(tx, core::encode(t), stranger(), account_of(applicant()))}};
    tx.payload = core::encode(p);
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(tx, registrar()))),
              "unauthorized/wrong_cosigner_key");
  }
  // A valid co-signature reused in a later transaction (another sequence).
  {
    chain::Transaction first = ledger_.draft(registrar(), "assign");
    AssignPayload p{t, {cosign(first, core::encode(t), applicant())}};
    ledger_.call(registrar(), "examine", number_payload(kNumber));  // consumes that sequence
    chain::Transaction later = ledger_.draft(registrar(), "assign");
    later.payload = core::encode(p);
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(later, registrar()))),
              "unauthorized/bad_cosignature");
  }
  // The assignor named is not the owner (and co-signs as itself).
  AssignTerms not_owner = t;
  not_owner.assignor = account_of(stranger());
  EXPECT_EQ(failure(assign(not_owner, {&stranger()})), "failed_precondition/assignor_not_owner");
  // Only a registrar records it, even with the assignor's co-signature.
  EXPECT_EQ(failure(ledger_.cosigned(applicant(), "assign", t, {&applicant()})),
            "unauthorized/not_registrar");
  // Nothing changed.
  EXPECT_EQ(ledger_.mark(kNumber)->owner, owner_);
  EXPECT_EQ(ledger_.mark(kNumber)->history_size, 0U);
}

TEST_F(AssignmentTest, AdmissionChecksTheCosignatureAsExecutionDoes) {
  const AssignTerms t = whole(to_);
  const auto good = ledger_.cosigned_tx(registrar(), "assign", t, {&applicant()});
  EXPECT_TRUE(ledger_.admit(good));
  const auto unsigned_by_owner = ledger_.cosigned_tx(registrar(), "assign", t, {&assignee()});
  const core::Verdict v = ledger_.admit(unsigned_by_owner);
  ASSERT_FALSE(v);
  EXPECT_NE(v.rejection().detail.find("assignor_not_cosigned"), std::string::npos);
  // Admission changed nothing; execution then agrees.
  EXPECT_EQ(ledger_.mark(kNumber)->owner, owner_);
  EXPECT_EQ(failure(ledger_.submit(unsigned_by_owner)), "unauthorized/assignor_not_cosigned");
}

TEST_F(AssignmentTest, TermsAreValidated) {
  auto with = [&](auto change) {
    AssignTerms t = whole(to_);
    change(t);
    return failure(assign(t, {&applicant()}));
  };
  EXPECT_EQ(with([](AssignTerms& t) { t.number = "3044771"; }), "invalid_argument/number_length");
  EXPECT_EQ(with([](AssignTerms& t) { t.number = "304477103"; }), "not_found/mark_not_found");
  EXPECT_EQ(with([&](AssignTerms& t) { t.assignee = owner_; }),
            "invalid_argument/counterparty_is_owner");
  EXPECT_EQ(with([](AssignTerms& t) { t.assignee.name_en.clear(), t.assignee.name_zh.clear(); }),
            "invalid_argument/name_missing");
  EXPECT_EQ(with([&](AssignTerms& t) { t.assignment_date_ms = ledger_.now_ms + kDayMs; }),
            "invalid_argument/date_in_future");
  EXPECT_EQ(with([](AssignTerms& t) {
              t.scope = {{42, {}}};
            }),
            "invalid_argument/scope_not_in_mark");
  EXPECT_EQ(with([](AssignTerms& t) {
              t.scope = {{30, {"coffee"}}};
            }),
            "invalid_argument/scope_not_in_mark");
  EXPECT_EQ(with([](AssignTerms& t) {
              t.scope = {{46, {}}};
            }),
            "invalid_argument/class_out_of_range");
  EXPECT_EQ(with([](AssignTerms& t) {
              t.scope = {{29, {}}, {30, {}}, {43, {}}};
            }),
            "invalid_argument/scope_is_whole");
  EXPECT_EQ(failure(ledger_.call(registrar(), "assign", Bytes{0x01})),
            "invalid_argument/malformed_payload");
  // Oversized: an assignee name over 256 bytes, nine co-signatures (at most 8).
  {
    chain::Transaction tx = ledger_.draft(registrar(), "assign");
    // Written by hand: the encoder refuses oversized fields.
    core::Writer w;
    w.bytes(Bytes(kNumber.begin(), kNumber.end()));
    w.raw(core::ByteView(account_of(applicant()).bytes.data(), 32));
    w.raw(core::ByteView(account_of(assignee()).bytes.data(), 32));
    w.bytes(Bytes(kMaxNameSize + 1, 'K'));
    tx.payload = std::move(w).take();
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(tx, registrar()))),
              "limit_exceeded/field_too_large");
  }
  {
    chain::Transaction tx = ledger_.draft(registrar(), "assign");
    const AssignTerms t = whole(to_);
    core::Writer w;
    w.raw(core::encode(t));
    w.length(kMaxCosignatures + 1);
    for (std::uint32_t i = 0; i <= kMaxCosignatures; ++i) {
      w.raw(core::encode(cosign(tx, core::encode(t), key(100 + i))));
    }
    tx.payload = std::move(w).take();
    EXPECT_EQ(failure(ledger_.submit(Ledger::sign(tx, registrar()))),
              "limit_exceeded/field_too_large");
  }
  // A mark that is no longer live cannot be assigned.
  ledger_.now_ms = add_years(ledger_.mark(kNumber)->entered_ms, 3);
  ASSERT_EQ(ledger_.call(registrar(), "revoke", core::encode(GroundArgs{kNumber, Ground::kNonUse}))
                .info.outcome,
            TxOutcome::kSuccess);
  AssignTerms late = whole(to_);
  late.assignment_date_ms = ledger_.now_ms;
  EXPECT_EQ(failure(assign(late, {&applicant()})), "failed_precondition/mark_not_live");
}

TEST_F(AssignmentTest, PartialAssignmentLeavesTwoLinkedRegistrations) {
  AssignTerms t = whole(to_);
  t.scope = {{30, {"mooncakes"}}, {43, {}}};  // one item of class 30, all of class 43
  t.with_goodwill = false;
  const ExecutedTransaction r = assign(t, {&applicant()});
  ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  const std::string child_number = kNumber + "AA";
  auto original = ledger_.mark(kNumber);
  auto child = ledger_.mark(child_number);
  ASSERT_TRUE(child.has_value());
  // The original keeps the rest; the new registration has what moved.
  EXPECT_EQ(original->owner, owner_);
  EXPECT_EQ(original->classes, (std::vector<ClassSpec>{{29, {"preserved fruits", "dried meat"}},
                                                       {30, {"tea", "rice crackers"}}}));
  EXPECT_EQ(child->owner, to_);
  EXPECT_EQ(child->classes, (std::vector<ClassSpec>{{30, {"mooncakes"}},
                                                    {43, {"restaurant services", "catering"}}}));
  // Same mark, dates and status.
  EXPECT_EQ(child->status, Status::kRegistered);
  EXPECT_EQ(child->text_en, original->text_en);
  EXPECT_EQ(child->filing_date_ms, original->filing_date_ms);
  EXPECT_EQ(child->expiry_ms, original->expiry_ms);
  // Both link.
  EXPECT_EQ(child->parent, kNumber);
  EXPECT_EQ(original->children, std::vector<std::string>{child_number});
  const auto ho = history(kNumber);
  const auto hc = history(child_number);
  ASSERT_EQ(ho.size(), 1U);
  ASSERT_EQ(hc.size(), 1U);
  EXPECT_EQ(ho[0].kind, TransactionKind::kPartialAssignment);
  EXPECT_EQ(ho[0].related, child_number);
  EXPECT_FALSE(ho[0].with_goodwill);
  EXPECT_EQ(ho[0].scope, child->classes);
  EXPECT_EQ(hc[0].kind, TransactionKind::kSplitFrom);
  EXPECT_EQ(hc[0].related, kNumber);
  EXPECT_EQ(hc[0].related_index, 0U);
  EXPECT_EQ(hc[0].transaction_id, r.id);
  EXPECT_EQ(r.events.back().kind, "partially_assigned");

  // The new registration lives its own life: renewed, listed under its owner.
  auto listed = ledger_.query("by_owner/" + account_of(assignee()).to_hex());
  ASSERT_EQ(listed->related.size(), 1U);
  EXPECT_EQ(listed->related[0].record_key, mark_key(child_number));
  auto registered = ledger_.query("by_status/registered");
  EXPECT_EQ(registered->related.size(), 2U);

  // A further split of the new registration takes the family's next suffix,
  // and its ownership chain runs back to the root.
  AssignTerms again;
  again.number = child_number;
  again.assignor = account_of(assignee());
  again.assignee = party(third(), "Tsuen Wan Trading Company", "荃灣貿易公司");
  again.scope = {{43, {"catering"}}};
  again.assignment_date_ms = ledger_.now_ms;
  ASSERT_EQ(ledger_.cosigned(registrar(), "assign", again, {&assignee()}).info.outcome,
            TxOutcome::kSuccess);
  const std::string grandchild = kNumber + "AB";
  ASSERT_TRUE(ledger_.mark(grandchild).has_value());
  EXPECT_EQ(ledger_.mark(grandchild)->parent, child_number);
  // The original then changes hands as a whole: not part of the others' chains.
  ASSERT_EQ(assign(whole(party(stranger(), "Later Owner Ltd")), {&applicant()}).info.outcome,
            TxOutcome::kSuccess);

  auto chain = ledger_.query("ownership/" + grandchild);
  ASSERT_TRUE(chain.has_value());
  EXPECT_EQ(chain->record_key, mark_key(grandchild));
  std::vector<Bytes> keys;
  for (const QueryRecord& q : chain->related) keys.push_back(q.record_key);
  EXPECT_EQ(keys, (std::vector<Bytes>{mark_key(kNumber), history_key(kNumber, 0),
                                      mark_key(child_number), history_key(child_number, 0),
                                      history_key(child_number, 1), history_key(grandchild, 0)}));
  EXPECT_FALSE(chain->next_page.has_value());
  // The root's own chain: its two assignments.
  auto root = ledger_.query("ownership/" + kNumber);
  ASSERT_EQ(root->related.size(), 2U);
  EXPECT_EQ(root->related[1].record_key, history_key(kNumber, 1));
}

TEST_F(AssignmentTest, DivisionalNumbersSkipNumbersAlreadyOnTheRegister) {
  // IPD already issued 304477102AA to a divisional application.
  ASSERT_EQ(ledger_
                .call(registrar(), "file",
                      core::encode(sample_filing(kNumber + "AA", owner_, ledger_.now_ms)))
                .info.outcome,
            TxOutcome::kSuccess);
  AssignTerms t = whole(to_);
  t.scope = {{29, {}}};
  ASSERT_EQ(assign(t, {&applicant()}).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark(kNumber)->children, std::vector<std::string>{kNumber + "AB"});
  EXPECT_EQ(ledger_.mark(kNumber + "AB")->owner, to_);
}

TEST_F(AssignmentTest, LicencesAndSecurityInterestsAreRecordedWithTheOwnersCosignature) {
  LicenceTerms l;
  l.number = kNumber;
  l.licensor = account_of(applicant());
  l.licensee = party(third(), "Sham Shui Po Bakery Limited", "深水埗餅家有限公司");
  l.exclusive = true;
  l.scope = {{30, {"mooncakes"}}};
  l.start_ms = ledger_.now_ms;
  l.end_ms = add_years(ledger_.now_ms, 3);
  l.deed_hash = core::sha256(Bytes{'l'});
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_licence", l, {&third()})),
            "unauthorized/owner_not_cosigned");
  LicenceTerms backwards = l;
  backwards.end_ms = l.start_ms;
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_licence", backwards, {&applicant()})),
            "invalid_argument/invalid_term");
  LicenceTerms wrong = l;
  wrong.licensor = account_of(stranger());
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_licence", wrong, {&stranger()})),
            "failed_precondition/grantor_not_owner");
  EXPECT_EQ(failure(ledger_.cosigned(stranger(), "record_licence", l, {&applicant()})),
            "unauthorized/not_registrar");
  const ExecutedTransaction lt = ledger_.cosigned(registrar(), "record_licence", l, {&applicant()});
  ASSERT_EQ(lt.info.outcome, TxOutcome::kSuccess) << lt.detail;
  EXPECT_EQ(lt.events.back().kind, "licence_recorded");

  SecurityTerms s;
  s.number = kNumber;
  s.chargor = account_of(applicant());
  s.holder = party(stranger(), "Victoria Harbour Bank Limited", "維港銀行有限公司");
  s.effective_ms = ledger_.now_ms;
  s.deed_hash = core::sha256(Bytes{'s'});
  EXPECT_EQ(failure(ledger_.cosigned(registrar(), "record_security_interest", s, {})),
            "unauthorized/owner_not_cosigned");
  const ExecutedTransaction st =
      ledger_.cosigned(registrar(), "record_security_interest", s, {&applicant()});
  ASSERT_EQ(st.info.outcome, TxOutcome::kSuccess) << st.detail;

  const auto h = history(kNumber);
  ASSERT_EQ(h.size(), 2U);
  EXPECT_EQ(h[0].kind, TransactionKind::kLicence);
  EXPECT_TRUE(h[0].exclusive);
  EXPECT_EQ(h[0].end_ms, l.end_ms);
  EXPECT_EQ(h[0].scope, (std::vector<ClassSpec>{{30, {"mooncakes"}}}));
  EXPECT_EQ(h[1].kind, TransactionKind::kSecurityInterest);
  EXPECT_EQ(h[1].to, s.holder);
  // Neither changes the owner, and neither is part of the chain of title.
  EXPECT_EQ(ledger_.mark(kNumber)->owner, owner_);
  EXPECT_TRUE(ledger_.query("ownership/" + kNumber)->related.empty());
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
