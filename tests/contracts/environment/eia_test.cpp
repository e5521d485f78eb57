// The EIA register's process: profile → study brief → report versions →
// public inspection with comments → decision, with every rejection path.

#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

const std::string kProject = "PP-001/2026";

TEST(EiaTest, TheWholeProcessKeepsEveryVersionAndComment) {
  Ledger l;
  const auto p = l.act(proponent(), "submit_profile", sample_profile());
  ASSERT_EQ(p.info.outcome, TxOutcome::kSuccess) << p.reason << " " << p.detail;
  EXPECT_EQ(kinds(p), std::vector<std::string>{"profile_submitted"});
  auto project = l.project(kProject);
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(project->proponent, account_of(proponent()));
  EXPECT_EQ(project->status, ProjectStatus::kProfileSubmitted);
  EXPECT_EQ(project->title_zh, "青衣海濱長廊");

  // The brief is numbered ESB-001/2026; the proponent is named in the transaction.
  const auto b = l.act(officer(), "issue_study_brief", BriefArgs{kProject, doc(0xB1)});
  ASSERT_EQ(b.info.outcome, TxOutcome::kSuccess) << b.reason;
  EXPECT_EQ(b.accounts.back(), account_of(proponent()));
  EXPECT_EQ(l.project(kProject)->brief_number, "ESB-001/2026");

  // Two versions of the report, both kept.
  ASSERT_EQ(l.act(proponent(), "submit_report", DocumentArgs{kProject, doc(0xC1)}).info.outcome,
            TxOutcome::kSuccess);
  ASSERT_EQ(l.act(proponent(), "submit_report", DocumentArgs{kProject, doc(0xC2)}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(l.project(kProject)->reports, 2U);
  EXPECT_EQ(l.record<ReportRecord>(report_key(kProject, 0))->document_hash, doc(0xC1));
  EXPECT_EQ(l.record<ReportRecord>(report_key(kProject, 1))->document_hash, doc(0xC2));

  // The window starts tomorrow and lasts 30 days.
  const std::uint64_t start = l.now_ms + kDayMs;
  const std::uint64_t end = start + 30 * kDayMs;
  ASSERT_EQ(l.act(officer(), "open_inspection", InspectionArgs{kProject, start, end}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(l.project(kProject)->status, ProjectStatus::kOnInspection);
  // No new versions once on inspection.
  EXPECT_EQ(failure(l.act(proponent(), "submit_report", DocumentArgs{kProject, doc(0xC3)})),
            "failed_precondition/illegal_transition");

  // Before the window: refused. Inside: accepted (any account). At its end: refused.
  EXPECT_EQ(failure(l.act(stranger(), "comment", CommentArgs{kProject, doc(0x31)})),
            "failed_precondition/outside_window");
  l.now_ms = start;
  const auto c = l.act(stranger(), "comment", CommentArgs{kProject, doc(0x31)});
  ASSERT_EQ(c.info.outcome, TxOutcome::kSuccess) << c.reason;
  EXPECT_EQ(kinds(c), std::vector<std::string>{"comment_received"});
  ASSERT_EQ(l.act(transferee(), "comment", CommentArgs{kProject, doc(0x32)}).info.outcome,
            TxOutcome::kSuccess);
  const auto comment = l.record<CommentRecord>(comment_key(kProject, 1));
  ASSERT_TRUE(comment.has_value());
  EXPECT_EQ(comment->commenter, account_of(transferee()));
  EXPECT_EQ(comment->comment_hash, doc(0x32));

  // No decision while the window is open.
  EXPECT_EQ(failure(l.act(officer(), "decide",
                          DecisionArgs{kProject, Decision::kApprovedWithConditions, doc(0xD1)})),
            "failed_precondition/window_not_closed");
  l.now_ms = end - 1000;
  EXPECT_EQ(l.act(stranger(), "comment", CommentArgs{kProject, doc(0x33)}).info.outcome,
            TxOutcome::kSuccess);
  // The block at end - 1000 + 1000 = end: the window is closed.
  EXPECT_EQ(failure(l.act(stranger(), "comment", CommentArgs{kProject, doc(0x34)})),
            "failed_precondition/outside_window");
  EXPECT_EQ(l.project(kProject)->comments, 3U);

  const auto d = l.act(officer(), "decide",
                       DecisionArgs{kProject, Decision::kApprovedWithConditions, doc(0xD1)});
  ASSERT_EQ(d.info.outcome, TxOutcome::kSuccess) << d.reason << " " << d.detail;
  project = l.project(kProject);
  EXPECT_EQ(project->status, ProjectStatus::kApprovedWithConditions);
  EXPECT_EQ(project->decision_hash, doc(0xD1));
  // Decided once.
  EXPECT_EQ(
      failure(l.act(officer(), "decide", DecisionArgs{kProject, Decision::kRejected, doc(0xD2)})),
      "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(stranger(), "comment", CommentArgs{kProject, doc(0x35)})),
            "failed_precondition/outside_window");
}

TEST(EiaTest, OnlyTheOfficerActsForEpdAndOnlyTheProponentSubmitsReports) {
  Ledger l;
  ASSERT_EQ(l.act(proponent(), "submit_profile", sample_profile()).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.act(proponent(), "issue_study_brief", BriefArgs{kProject, doc(0xB1)})),
            "unauthorized/not_eia_officer");
  // A report before the brief: illegal.
  EXPECT_EQ(failure(l.act(proponent(), "submit_report", DocumentArgs{kProject, doc(0xC1)})),
            "failed_precondition/illegal_transition");
  ASSERT_EQ(l.act(officer(), "issue_study_brief", BriefArgs{kProject, doc(0xB1)}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.act(officer(), "issue_study_brief", BriefArgs{kProject, doc(0xB2)})),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(stranger(), "submit_report", DocumentArgs{kProject, doc(0xC1)})),
            "unauthorized/not_proponent");
  // Inspection before any report: illegal.
  EXPECT_EQ(failure(l.act(officer(), "open_inspection",
                          InspectionArgs{kProject, l.now_ms, l.now_ms + 30 * kDayMs})),
            "failed_precondition/illegal_transition");
  ASSERT_EQ(l.act(proponent(), "submit_report", DocumentArgs{kProject, doc(0xC1)}).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.act(stranger(), "open_inspection",
                          InspectionArgs{kProject, l.now_ms, l.now_ms + 30 * kDayMs})),
            "unauthorized/not_eia_officer");
  // Decision before the window is set: illegal.
  EXPECT_EQ(
      failure(l.act(officer(), "decide", DecisionArgs{kProject, Decision::kApproved, doc(0xD1)})),
      "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(stranger(), "comment", CommentArgs{kProject, doc(0x31)})),
            "failed_precondition/outside_window");
}

TEST(EiaTest, InspectionWindowsAreCheckedAgainstTheParameters) {
  Ledger l;
  const std::string n = l.project_with_report();
  const std::uint64_t now = l.now_ms;
  EXPECT_EQ(
      failure(l.act(officer(), "open_inspection", InspectionArgs{n, now - 1, now + 40 * kDayMs})),
      "invalid_argument/window_in_past");
  EXPECT_EQ(failure(l.act(officer(), "open_inspection",
                          InspectionArgs{n, l.now_ms + kDayMs, l.now_ms + kDayMs})),
            "invalid_argument/invalid_window");
  EXPECT_EQ(failure(l.act(officer(), "open_inspection",
                          InspectionArgs{n, l.now_ms, l.now_ms + 29 * kDayMs})),
            "invalid_argument/window_too_short");
  EXPECT_EQ(failure(l.act(officer(), "open_inspection",
                          InspectionArgs{n, l.now_ms, l.now_ms + 367 * kDayMs})),
            "invalid_argument/window_too_long");
  EXPECT_EQ(l.project(n)->status, ProjectStatus::kReportSubmitted);
  // start 0: the window opens with the block that sets it.
  const std::uint64_t block_time = l.now_ms;
  ASSERT_EQ(l.act(officer(), "open_inspection", InspectionArgs{n, 0, block_time + 30 * kDayMs})
                .info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(l.project(n)->inspection_start_ms, block_time);
  EXPECT_EQ(l.act(stranger(), "comment", CommentArgs{n, doc(0x31)}).info.outcome,
            TxOutcome::kSuccess);
}

TEST(EiaTest, TheMinimumWindowIsAChainParameterInMilliseconds) {
  Ledger l;
  const ModuleSet modules;  // the specs live as long as their ModuleSet
  const ParameterSpec* spec = modules.find_parameter(kInspectionMinMs);
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->default_value, 30 * kDayMs);
  const ParameterSpec* deadline = modules.find_parameter(kTicketDeadlineMs);
  ASSERT_NE(deadline, nullptr);
  EXPECT_EQ(deadline->default_value, 14 * kDayMs);
  // Exactly the minimum is accepted.
  const std::string n = l.project_with_report();
  EXPECT_EQ(failure(l.act(officer(), "open_inspection",
                          InspectionArgs{n, l.now_ms, l.now_ms + 30 * kDayMs - 1})),
            "invalid_argument/window_too_short");
  EXPECT_EQ(l.act(officer(), "open_inspection", InspectionArgs{n, l.now_ms, l.now_ms + 30 * kDayMs})
                .info.outcome,
            TxOutcome::kSuccess);
}

TEST(EiaTest, OnlyTheOfficerDecidesAndIssuesPermitsAndOnlyAfterApproval) {
  Ledger l;
  const std::string n = l.project_with_report();
  EXPECT_EQ(failure(l.act(officer(), "issue_permit", DocumentArgs{n, doc(0xE1)})),
            "failed_precondition/illegal_transition");
  ASSERT_EQ(l.act(officer(), "open_inspection", InspectionArgs{n, l.now_ms, l.now_ms + 30 * kDayMs})
                .info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.act(officer(), "issue_permit", DocumentArgs{n, doc(0xE1)})),
            "failed_precondition/illegal_transition");
  l.advance_days(30);
  EXPECT_EQ(failure(l.act(proponent(), "decide", DecisionArgs{n, Decision::kApproved, doc(0xD1)})),
            "unauthorized/not_eia_officer");
  ASSERT_EQ(
      l.act(officer(), "decide", DecisionArgs{n, Decision::kApproved, doc(0xD1)}).info.outcome,
      TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.act(proponent(), "issue_permit", DocumentArgs{n, doc(0xE1)})),
            "unauthorized/not_eia_officer");
  EXPECT_EQ(failure(l.act(officer(), "issue_permit", DocumentArgs{n, {}})),
            "invalid_argument/missing_document");
  const auto ok = l.act(officer(), "issue_permit", DocumentArgs{n, doc(0xE1)});
  ASSERT_EQ(ok.info.outcome, TxOutcome::kSuccess) << ok.reason;
  EXPECT_EQ(kinds(ok), std::vector<std::string>{"permit_issued"});
  EXPECT_EQ(l.permit("EP-001/2026")->holder, account_of(proponent()));
}

TEST(EiaTest, ARejectionIsFinalAndGetsNoPermit) {
  Ledger l;
  const std::string n = l.project_with_report();
  ASSERT_EQ(l.act(officer(), "open_inspection", InspectionArgs{n, l.now_ms, l.now_ms + 30 * kDayMs})
                .info.outcome,
            TxOutcome::kSuccess);
  l.advance_days(30);
  EXPECT_EQ(failure(l.act(officer(), "decide", DecisionArgs{n, Decision::kRejected, {}})),
            "invalid_argument/missing_document");
  ASSERT_EQ(
      l.act(officer(), "decide", DecisionArgs{n, Decision::kRejected, doc(0xD9)}).info.outcome,
      TxOutcome::kSuccess);
  EXPECT_EQ(l.project(n)->status, ProjectStatus::kRejected);
  EXPECT_EQ(failure(l.act(officer(), "issue_permit", DocumentArgs{n, doc(0xE1)})),
            "failed_precondition/illegal_transition");
  EXPECT_EQ(failure(l.act(proponent(), "submit_report", DocumentArgs{n, doc(0xC9)})),
            "failed_precondition/illegal_transition");
}

TEST(EiaTest, ProfilesAreValidatedAndNumberedInOrder) {
  Ledger l;
  ProfileArgs a = sample_profile();
  a.title_en.clear();
  a.title_zh.clear();
  EXPECT_EQ(failure(l.act(proponent(), "submit_profile", a)), "invalid_argument/title_missing");
  a = sample_profile();
  a.title_en = "Bad\x01title";
  EXPECT_EQ(failure(l.act(proponent(), "submit_profile", a)), "invalid_argument/invalid_text");
  a = sample_profile();
  a.title_zh = "\xff\xfe";  // the decoder refuses strings that are not UTF-8
  EXPECT_EQ(failure(l.act(proponent(), "submit_profile", a)), "invalid_argument/malformed_payload");
  a = sample_profile();
  a.location.clear();
  EXPECT_EQ(failure(l.act(proponent(), "submit_profile", a)), "invalid_argument/location_missing");
  a = sample_profile();
  a.profile_hash = {};
  EXPECT_EQ(failure(l.act(proponent(), "submit_profile", a)), "invalid_argument/missing_document");
  // Nothing was numbered by the failures.
  EXPECT_FALSE(l.project("PP-001/2026").has_value());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(l.act(stranger(), "submit_profile", sample_profile()).info.outcome,
              TxOutcome::kSuccess);
  }
  EXPECT_EQ(l.project("PP-003/2026")->proponent, account_of(stranger()));
  // A project number that is not one.
  for (const char* bad : {"PP-1/2026", "PP-0001/2026", "PP-000/2026", "XX-001/2026", "PP-001/97",
                          "PP-001-2026", ""}) {
    EXPECT_EQ(failure(l.act(officer(), "issue_study_brief", BriefArgs{bad, doc(0xB1)})),
              "invalid_argument/invalid_number")
        << bad;
  }
  EXPECT_EQ(failure(l.act(officer(), "issue_study_brief", BriefArgs{"PP-099/2026", doc(0xB1)})),
            "not_found/project_not_found");
}

TEST(EiaTest, ReportVersionsAreBounded) {
  Ledger l;
  const std::string n = l.project_with_report();  // version 0
  for (std::uint32_t i = 1; i < kMaxReportVersions; ++i) {
    ASSERT_EQ(
        l.act(proponent(), "submit_report", DocumentArgs{n, doc(static_cast<std::uint8_t>(i))})
            .info.outcome,
        TxOutcome::kSuccess);
  }
  EXPECT_EQ(failure(l.act(proponent(), "submit_report", DocumentArgs{n, doc(0xFF)})),
            "limit_exceeded/too_many_versions");
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
