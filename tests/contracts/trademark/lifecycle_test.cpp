// The trade mark lifecycle through the real Executor: filing, examination,
// publication and the opposition window, registration, renewal (on time and
// late), removal, restoration, revocation and invalidation, with every
// rejection path.

#include <gtest/gtest.h>

#include "bauhinia/contracts/system/records.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

const std::string kNumber = "305918274";

class LifecycleTest : public ::testing::Test {
 protected:
  Party owner_ = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  Ledger ledger_;

  ExecutedTransaction file(FileArgs args) {
    return ledger_.call(registrar(), "file", core::encode(args));
  }
  ExecutedTransaction file_sample() {
    return file(sample_filing(kNumber, owner_, ledger_.now_ms - kDayMs));
  }
};

TEST_F(LifecycleTest, FilingRecordsTheApplicationAndNamesTheApplicant) {
  const std::uint64_t filed = ledger_.now_ms - kDayMs;
  const ExecutedTransaction t = file(sample_filing(kNumber, owner_, filed));
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.detail;
  auto m = ledger_.mark(kNumber);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->status, Status::kFiled);
  EXPECT_EQ(m->owner, owner_);
  EXPECT_EQ(m->filing_date_ms, filed);
  EXPECT_EQ(m->text_zh, "港燈籠");
  EXPECT_EQ(m->classes.size(), 3U);
  EXPECT_EQ(m->expiry_ms, 0U);
  // The applicant is named in the ledger's per-account index of the transaction.
  EXPECT_EQ(t.accounts,
            (std::vector<core::AccountId>{account_of(registrar()), account_of(applicant())}));
  ASSERT_EQ(t.events.size(), 2U);  // the registrar's account_created, then filed
  EXPECT_EQ(t.events[1].module, "trademark");
  EXPECT_EQ(t.events[1].kind, "filed");
  auto ev = core::decode<FiledEvent>(t.events[1].data);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->number, kNumber);
  // A divisional number with a suffix is a valid application number too.
  EXPECT_EQ(file(sample_filing("301847179AA", owner_, filed)).info.outcome, TxOutcome::kSuccess);
}

TEST_F(LifecycleTest, FilingRejectsBadInputAndChangesNothing) {
  const std::uint64_t filed = ledger_.now_ms - kDayMs;
  auto with = [&](auto change) {
    FileArgs a = sample_filing(kNumber, owner_, filed);
    change(a);
    return failure(file(a));
  };
  EXPECT_EQ(with([](FileArgs& a) { a.number = "30591827"; }), "invalid_argument/number_length");
  EXPECT_EQ(with([](FileArgs& a) { a.number = "3059182745"; }), "invalid_argument/number_length");
  EXPECT_EQ(with([](FileArgs& a) { a.number = "205918274"; }), "invalid_argument/number_prefix");
  EXPECT_EQ(with([](FileArgs& a) { a.number = "30591827x"; }), "invalid_argument/number_digits");
  EXPECT_EQ(with([](FileArgs& a) { a.number = "305918274Ab"; }), "invalid_argument/number_suffix");
  EXPECT_EQ(with([](FileArgs& a) { a.number = "305918274A1"; }), "invalid_argument/number_suffix");
  EXPECT_EQ(with([](FileArgs& a) { a.text_en.clear(), a.text_zh.clear(); }),
            "invalid_argument/mark_text_missing");
  // Invalid UTF-8 does not even decode.
  EXPECT_EQ(with([](FileArgs& a) { a.text_zh = "\xE6\xB8"; }),
            "invalid_argument/malformed_payload");
  EXPECT_EQ(with([](FileArgs& a) { a.text_en = "A\nB"; }), "invalid_argument/invalid_text");
  EXPECT_EQ(with([](FileArgs& a) { a.classes.clear(); }), "invalid_argument/classes_missing");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[0].nice_class = 0; }),
            "invalid_argument/class_out_of_range");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[2].nice_class = 46; }),
            "invalid_argument/class_out_of_range");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[1].nice_class = 29; }),
            "invalid_argument/classes_not_increasing");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[1].items.clear(); }),
            "invalid_argument/goods_missing");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[1].items.push_back("tea"); }),
            "invalid_argument/duplicate_item");
  EXPECT_EQ(with([](FileArgs& a) { a.classes[1].items.push_back(""); }),
            "invalid_argument/invalid_text");
  EXPECT_EQ(with([&](FileArgs& a) { a.filing_date_ms = ledger_.now_ms + kDayMs; }),
            "invalid_argument/filing_date_in_future");
  EXPECT_EQ(with([](FileArgs& a) { a.applicant.name_en.clear(), a.applicant.name_zh.clear(); }),
            "invalid_argument/name_missing");
  EXPECT_EQ(with([](FileArgs& a) { a.applicant.cr_number = "12-34"; }),
            "invalid_argument/invalid_cr_number");
  // Oversized: the specification as a whole (each item within its own limit).
  EXPECT_EQ(with([](FileArgs& a) {
              a.classes.clear();
              for (std::uint8_t c = 1; c <= 3; ++c) {
                ClassSpec s{c, {}};
                for (int i = 0; i < 30; ++i)
                  s.items.push_back(std::string(250, 'a' + i % 26) + std::to_string(i));
                a.classes.push_back(s);
              }
            }),
            "limit_exceeded/specification_too_large");
  // Oversized fields beyond the decoder's limits, written by hand.
  {
    FileArgs a = sample_filing(kNumber, owner_, filed);
    a.text_en = std::string(kMaxMarkTextSize + 1, 'A');
    core::Writer w;
    w.bytes(Bytes(a.number.begin(), a.number.end()));
    w.bytes(Bytes(a.text_en.begin(), a.text_en.end()));
    EXPECT_EQ(failure(ledger_.call(registrar(), "file", std::move(w).take())),
              "limit_exceeded/field_too_large");
  }
  {
    core::Writer w;
    w.bytes(Bytes(kMaxNumberSize + 1, '3'));
    EXPECT_EQ(failure(ledger_.call(registrar(), "file", std::move(w).take())),
              "limit_exceeded/field_too_large");
  }
  EXPECT_EQ(failure(ledger_.call(registrar(), "file", Bytes{1, 2, 3})),
            "invalid_argument/malformed_payload");
  Bytes trailing = core::encode(sample_filing(kNumber, owner_, filed));
  trailing.push_back(0);
  EXPECT_EQ(failure(ledger_.call(registrar(), "file", trailing)),
            "invalid_argument/malformed_payload");
  EXPECT_EQ(failure(ledger_.call(registrar(), "no_such_call", {})),
            "invalid_argument/unknown_call");
  // Nothing was written by any of these.
  EXPECT_FALSE(ledger_.mark(kNumber).has_value());
  // Only a registrar files.
  EXPECT_EQ(failure(ledger_.call(applicant(), "file",
                                 core::encode(sample_filing(kNumber, owner_, filed)))),
            "unauthorized/not_registrar");
  EXPECT_EQ(failure(ledger_.call(ipd_admin(), "file",
                                 core::encode(sample_filing(kNumber, owner_, filed)))),
            "unauthorized/not_registrar");
  // A second filing of the same number.
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(file_sample()), "already_exists/mark_exists");
}

TEST_F(LifecycleTest, StatusesFollowOnlyTheLegalTransitions) {
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  // Out of order: accept, publish or register a filed mark.
  for (const char* call :
       {"accept", "publish", "register", "oppose", "renew", "remove", "restore"}) {
    const ExecutedTransaction t = ledger_.act(call, kNumber);
    EXPECT_EQ(failure(t), "failed_precondition/illegal_transition") << call;
    EXPECT_NE(t.detail.find("from filed"), std::string::npos) << t.detail;
  }
  EXPECT_EQ(failure(ledger_.call(registrar(), "revoke",
                                 core::encode(GroundArgs{kNumber, Ground::kNonUse}))),
            "failed_precondition/illegal_transition");
  // A registrar's act by anyone else.
  EXPECT_EQ(failure(ledger_.call(applicant(), "examine", number_payload(kNumber))),
            "unauthorized/not_registrar");
  EXPECT_EQ(failure(ledger_.act("examine", "305918275")), "not_found/mark_not_found");
  EXPECT_EQ(failure(ledger_.act("examine", "30591827")), "invalid_argument/number_length");

  const ExecutedTransaction ex = ledger_.act("examine", kNumber);
  ASSERT_EQ(ex.info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(ex.events.size(), 1U);
  auto ev = core::decode<StatusChangedEvent>(ex.events[0].data);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->from, Status::kFiled);
  EXPECT_EQ(ev->to, Status::kExamination);
  EXPECT_EQ(failure(ledger_.act("examine", kNumber)), "failed_precondition/illegal_transition");
  ASSERT_EQ(ledger_.act("accept", kNumber).info.outcome, TxOutcome::kSuccess);
  const ExecutedTransaction illegal =
      ledger_.call(registrar(), "refuse", core::encode(GroundArgs{kNumber, Ground::kAbsolute}));
  EXPECT_EQ(failure(illegal), "failed_precondition/illegal_transition");
  EXPECT_NE(illegal.detail.find("from accepted to refused"), std::string::npos) << illegal.detail;

  const std::uint64_t published = ledger_.now_ms;
  ASSERT_EQ(ledger_.act("publish", kNumber).info.outcome, TxOutcome::kSuccess);
  auto m = ledger_.mark(kNumber);
  EXPECT_EQ(m->status, Status::kPublished);
  EXPECT_EQ(m->opposition_deadline_ms, published + 92 * kDayMs);
  // Registration waits for the opposition window to close, by block time.
  ledger_.now_ms = m->opposition_deadline_ms - 1;
  EXPECT_EQ(failure(ledger_.act("register", kNumber)),
            "failed_precondition/opposition_window_open");
  ledger_.now_ms = m->opposition_deadline_ms;
  EXPECT_EQ(failure(ledger_.act("oppose", kNumber)),
            "failed_precondition/opposition_window_closed");
  EXPECT_EQ(failure(ledger_.act("extend_opposition", kNumber)),
            "failed_precondition/opposition_window_closed");
  const ExecutedTransaction reg = ledger_.act("register", kNumber);
  ASSERT_EQ(reg.info.outcome, TxOutcome::kSuccess) << reg.detail;
  m = ledger_.mark(kNumber);
  EXPECT_EQ(m->status, Status::kRegistered);
  EXPECT_EQ(m->registration_date_ms, m->filing_date_ms);  // dates back to filing
  EXPECT_EQ(m->expiry_ms, add_years(m->filing_date_ms, 10));
  EXPECT_EQ(hong_kong_date(m->expiry_ms).year, hong_kong_date(m->filing_date_ms).year + 10);
  EXPECT_EQ(failure(ledger_.act("register", kNumber)), "failed_precondition/illegal_transition");
  // Withdrawal ends with registration.
  EXPECT_EQ(failure(ledger_.call(applicant(), "withdraw", number_payload(kNumber))),
            "failed_precondition/illegal_transition");
}

TEST_F(LifecycleTest, OppositionExtendsOnceAndEndsInRegistrationOrRefusal) {
  for (const std::string n : {"305918274", "305918275"}) {
    ASSERT_EQ(file(sample_filing(n, owner_, ledger_.now_ms - kDayMs)).info.outcome,
              TxOutcome::kSuccess);
    for (const char* step : {"examine", "accept", "publish"}) {
      ASSERT_EQ(ledger_.act(step, n).info.outcome, TxOutcome::kSuccess);
    }
  }
  const std::uint64_t deadline = ledger_.mark(kNumber)->opposition_deadline_ms;
  ASSERT_EQ(ledger_.act("oppose", "305918275").info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(ledger_.act("extend_opposition", "305918275")),
            "failed_precondition/illegal_transition");
  ASSERT_EQ(ledger_.act("extend_opposition", kNumber).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark(kNumber)->opposition_deadline_ms, deadline + 62 * kDayMs);
  EXPECT_EQ(failure(ledger_.act("extend_opposition", kNumber)),
            "failed_precondition/already_extended");
  // The extended window is still open after the original deadline.
  ledger_.now_ms = deadline + kDayMs;
  EXPECT_EQ(failure(ledger_.act("register", kNumber)),
            "failed_precondition/opposition_window_open");
  ASSERT_EQ(ledger_.act("oppose", kNumber).info.outcome, TxOutcome::kSuccess);
  // Opposition decided: one registered, one refused (only with an applicable ground).
  ASSERT_EQ(ledger_.act("register", kNumber).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(ledger_.call(registrar(), "refuse",
                                 core::encode(GroundArgs{"305918275", Ground::kNonUse}))),
            "invalid_argument/ground_not_applicable");
  ASSERT_EQ(ledger_
                .call(registrar(), "refuse",
                      core::encode(GroundArgs{"305918275", Ground::kOppositionUpheld}))
                .info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark("305918275")->status, Status::kRefused);
  EXPECT_EQ(ledger_.mark("305918275")->ground, Ground::kOppositionUpheld);
  // A refused application is final.
  EXPECT_EQ(failure(ledger_.act("register", "305918275")),
            "failed_precondition/illegal_transition");
}

TEST_F(LifecycleTest, RefusalAndWithdrawalOfApplications) {
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(file(sample_filing("305918276", owner_, ledger_.now_ms - kDayMs)).info.outcome,
            TxOutcome::kSuccess);
  // Opposition upheld needs an opposition.
  EXPECT_EQ(failure(ledger_.call(registrar(), "refuse",
                                 core::encode(GroundArgs{kNumber, Ground::kOppositionUpheld}))),
            "invalid_argument/ground_not_applicable");
  ASSERT_EQ(
      ledger_.call(registrar(), "refuse", core::encode(GroundArgs{kNumber, Ground::kRelative}))
          .info.outcome,
      TxOutcome::kSuccess);
  // Only the applicant withdraws (not the registrar, not a stranger).
  EXPECT_EQ(failure(ledger_.call(stranger(), "withdraw", number_payload("305918276"))),
            "unauthorized/not_applicant");
  EXPECT_EQ(failure(ledger_.call(registrar(), "withdraw", number_payload("305918276"))),
            "unauthorized/not_applicant");
  const ExecutedTransaction w = ledger_.call(applicant(), "withdraw", number_payload("305918276"));
  ASSERT_EQ(w.info.outcome, TxOutcome::kSuccess) << w.detail;
  EXPECT_EQ(ledger_.mark("305918276")->status, Status::kWithdrawn);
  EXPECT_EQ(failure(ledger_.call(applicant(), "withdraw", number_payload("305918276"))),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(ledger_.call(applicant(), "withdraw", number_payload(kNumber))),
            "failed_precondition/illegal_transition");
}

TEST_F(LifecycleTest, RenewalOnlyInItsWindowLateWithinGraceThenRemovalAndRestoration) {
  ledger_.register_mark(kNumber, owner_);
  const std::uint64_t expiry = ledger_.mark(kNumber)->expiry_ms;
  // Too early: one day before the 184-day window opens.
  ledger_.now_ms = expiry - 185 * kDayMs;
  EXPECT_EQ(failure(ledger_.act("renew", kNumber)), "failed_precondition/renewal_not_open");
  EXPECT_EQ(failure(ledger_.act("remove", kNumber)), "failed_precondition/grace_not_over");
  ledger_.now_ms = expiry - 184 * kDayMs;
  const ExecutedTransaction on_time = ledger_.act("renew", kNumber);
  ASSERT_EQ(on_time.info.outcome, TxOutcome::kSuccess) << on_time.detail;
  auto m = ledger_.mark(kNumber);
  EXPECT_EQ(m->expiry_ms, add_years(expiry, 10));
  EXPECT_FALSE(m->last_renewal_late);
  EXPECT_EQ(m->renewals, 1U);
  // Renewing again at once: the next window is ten years away.
  EXPECT_EQ(failure(ledger_.act("renew", kNumber)), "failed_precondition/renewal_not_open");

  // Late renewal within the grace after the new expiry.
  const std::uint64_t second = m->expiry_ms;
  ledger_.now_ms = second + 10 * kDayMs;
  ASSERT_EQ(ledger_.act("renew", kNumber).info.outcome, TxOutcome::kSuccess);
  m = ledger_.mark(kNumber);
  EXPECT_TRUE(m->last_renewal_late);
  EXPECT_EQ(m->expiry_ms, add_years(second, 10));

  // After the grace: no renewal, only removal.
  const std::uint64_t third = m->expiry_ms;
  ledger_.now_ms = third + 184 * kDayMs - 1;
  EXPECT_EQ(failure(ledger_.act("remove", kNumber)), "failed_precondition/grace_not_over");
  ledger_.now_ms = third + 184 * kDayMs;
  EXPECT_EQ(failure(ledger_.act("renew", kNumber)), "failed_precondition/renewal_window_closed");
  EXPECT_EQ(failure(ledger_.call(applicant(), "remove", number_payload(kNumber))),
            "unauthorized/not_registrar");
  ASSERT_EQ(ledger_.act("remove", kNumber).info.outcome, TxOutcome::kSuccess);
  m = ledger_.mark(kNumber);
  EXPECT_EQ(m->status, Status::kRemoved);
  const std::uint64_t removed = m->removed_ms;
  EXPECT_EQ(failure(ledger_.act("renew", kNumber)), "failed_precondition/illegal_transition");

  // Restoration within its window, with the missed renewal.
  ledger_.now_ms = removed + 184 * kDayMs - 1;
  ASSERT_EQ(ledger_.act("restore", kNumber).info.outcome, TxOutcome::kSuccess);
  m = ledger_.mark(kNumber);
  EXPECT_EQ(m->status, Status::kRegistered);
  EXPECT_EQ(m->expiry_ms, add_years(third, 10));
  EXPECT_EQ(failure(ledger_.act("restore", kNumber)), "failed_precondition/illegal_transition");
}

TEST_F(LifecycleTest, RestorationAfterItsWindowIsRefused) {
  ledger_.register_mark(kNumber, owner_);
  const std::uint64_t expiry = ledger_.mark(kNumber)->expiry_ms;
  ledger_.now_ms = expiry + 200 * kDayMs;
  ASSERT_EQ(ledger_.act("remove", kNumber).info.outcome, TxOutcome::kSuccess);
  ledger_.now_ms += 184 * kDayMs;
  EXPECT_EQ(failure(ledger_.act("restore", kNumber)),
            "failed_precondition/restoration_window_closed");
  EXPECT_EQ(ledger_.mark(kNumber)->status, Status::kRemoved);
}

TEST_F(LifecycleTest, RevocationForNonUseOnlyAfterThreeYearsAndInvalidation) {
  ledger_.register_mark(kNumber, owner_);
  ledger_.register_mark("305918275", owner_);
  const std::uint64_t entered = ledger_.mark(kNumber)->entered_ms;
  auto revoke = [&](const std::string& n, Ground g) {
    return ledger_.call(registrar(), "revoke", core::encode(GroundArgs{n, g}));
  };
  ledger_.now_ms = add_years(entered, 3) - 1;
  EXPECT_EQ(failure(revoke(kNumber, Ground::kNonUse)),
            "failed_precondition/non_use_period_not_over");
  EXPECT_EQ(failure(revoke(kNumber, Ground::kAbsolute)), "invalid_argument/ground_not_applicable");
  EXPECT_EQ(failure(ledger_.call(applicant(), "revoke",
                                 core::encode(GroundArgs{kNumber, Ground::kNonUse}))),
            "unauthorized/not_registrar");
  ledger_.now_ms = add_years(entered, 3) + kDayMs;
  ASSERT_EQ(revoke(kNumber, Ground::kNonUse).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark(kNumber)->status, Status::kRevoked);
  EXPECT_EQ(failure(revoke(kNumber, Ground::kMisleading)),
            "failed_precondition/illegal_transition");

  EXPECT_EQ(failure(ledger_.call(registrar(), "invalidate",
                                 core::encode(GroundArgs{"305918275", Ground::kNonUse}))),
            "invalid_argument/ground_not_applicable");
  ASSERT_EQ(
      ledger_
          .call(registrar(), "invalidate", core::encode(GroundArgs{"305918275", Ground::kBadFaith}))
          .info.outcome,
      TxOutcome::kSuccess);
  EXPECT_EQ(ledger_.mark("305918275")->status, Status::kInvalidated);
  // An unknown ground tag does not decode.
  Bytes bad = core::encode(GroundArgs{"305918275", Ground::kMisleading});
  bad.back() = 0x40;
  EXPECT_EQ(failure(ledger_.call(registrar(), "invalidate", bad)),
            "invalid_argument/malformed_payload");
}

TEST_F(LifecycleTest, DeadlinesAreChainParametersNotConstants) {
  // A chain whose genesis sets a 30-day opposition period and a 5-year term.
  GenesisInput in = genesis_input();
  in.parameters[std::string(kOppositionPeriodDays)] = 30;
  in.parameters[std::string(kTermYears)] = 5;
  const ModuleSet modules;
  auto writes = genesis_writes(modules, in);
  ASSERT_TRUE(writes.has_value());
  ledger_.state = MemoryState();
  ledger_.state.apply(*writes);
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  for (const char* step : {"examine", "accept", "publish"}) {
    ASSERT_EQ(ledger_.act(step, kNumber).info.outcome, TxOutcome::kSuccess);
  }
  auto m = ledger_.mark(kNumber);
  EXPECT_EQ(m->opposition_deadline_ms, m->published_ms + 30 * kDayMs);
  ledger_.now_ms = m->opposition_deadline_ms;
  ASSERT_EQ(ledger_.act("register", kNumber).info.outcome, TxOutcome::kSuccess);
  m = ledger_.mark(kNumber);
  EXPECT_EQ(m->expiry_ms, add_years(m->filing_date_ms, 5));
  // Every parameter the module declares is a chain parameter with its HK default.
  for (const ParameterSpec& p : TrademarkModule().parameters()) {
    EXPECT_NE(modules.find_parameter(p.name), nullptr) << p.name;
  }
}

TEST_F(LifecycleTest, AdmissionRefusesWhatExecutionWouldRefuseWithTheSameReason) {
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  const auto bad =
      Ledger::sign(ledger_.draft(registrar(), "publish", number_payload(kNumber)), registrar());
  const core::Verdict v = ledger_.admit(bad);
  ASSERT_FALSE(v);
  EXPECT_NE(v.rejection().detail.find("illegal_transition"), std::string::npos);
  const auto good =
      Ledger::sign(ledger_.draft(registrar(), "examine", number_payload(kNumber)), registrar());
  EXPECT_TRUE(ledger_.admit(good));
  // Admission wrote nothing.
  EXPECT_EQ(ledger_.mark(kNumber)->status, Status::kFiled);
  const auto stranger_call =
      Ledger::sign(ledger_.draft(stranger(), "examine", number_payload(kNumber)), stranger());
  const core::Verdict u = ledger_.admit(stranger_call);
  ASSERT_FALSE(u);
  EXPECT_NE(u.rejection().detail.find("not_registrar"), std::string::npos);
}

TEST_F(LifecycleTest, OnlyAnAccountHoldingTheRegistrarRoleActs) {
  ASSERT_EQ(file_sample().info.outcome, TxOutcome::kSuccess);
  // Neither IPD's admin (who grants the role), nor the applicant, nor an account with a
  // role of another module.
  for (const auto* k : {&ipd_admin(), &applicant(), &third(), &cr_registrar()}) {
    EXPECT_EQ(failure(ledger_.call(*k, "examine", number_payload(kNumber))),
              "unauthorized/not_registrar");
  }
  EXPECT_EQ(failure(ledger_.act("examine", kNumber)), "success/");
}

TEST_F(LifecycleTest, AReplayedTransactionIsRefusedByItsSequence) {
  const auto tx = Ledger::sign(
      ledger_.draft(registrar(), "file",
                    core::encode(sample_filing(kNumber, owner_, ledger_.now_ms - kDayMs))),
      registrar());
  ASSERT_EQ(ledger_.submit(tx).info.outcome, TxOutcome::kSuccess);
  const BlockContext ctx{kChain, ledger_.height + 1, ledger_.now_ms, ledger_.version};
  Executor executor;
  const ModuleSet modules;
  modules.register_with(executor);
  auto r =
      executor.execute_block(ctx, std::vector<chain::IdentifiedTransaction>{tx}, ledger_.state);
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->has_value());
  EXPECT_EQ(r->error().why.error, EnvelopeError::kStaleSequence);
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
