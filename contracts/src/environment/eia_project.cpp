// The first steps of the EIA process: the proponent's project profile, the
// study brief EPD issues for it, and the versions of the EIA report.

#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

// submit_profile: any account may be a proponent; the ledger numbers the
// project (PP-NNN/YYYY) and the sender becomes its proponent.
CallResult apply_submit_profile(CallContext& call, StateView& state) {
  ProfileArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (args.title_en.empty() && args.title_zh.empty()) {
    return fail(TxOutcome::kInvalidArgument, "title_missing",
                "submit_profile: the project needs a title in English or Chinese (or both)");
  }
  if (CallResult r = check_text(call, args.title_en, "title_en"); !r.ok()) return r;
  if (CallResult r = check_text(call, args.title_zh, "title_zh"); !r.ok()) return r;
  if (args.location.empty()) {
    return fail(TxOutcome::kInvalidArgument, "location_missing",
                "submit_profile: the project's location is required");
  }
  if (CallResult r = check_text(call, args.location, "location"); !r.ok()) return r;
  if (CallResult r = require_document(call, args.profile_hash, "project profile"); !r.ok()) {
    return r;
  }
  ProjectRecord p;
  if (CallResult r = next_number(call, state, kProjectPrefix, p.number); !r.ok()) return r;
  p.title_en = args.title_en;
  p.title_zh = args.title_zh;
  p.proponent = call.sender();
  p.location = args.location;
  p.profile_hash = args.profile_hash;
  p.submitted_ms = call.block().timestamp_ms;
  p.submitted_height = call.block().height;
  p.status = ProjectStatus::kProfileSubmitted;
  p.status_changed_ms = p.submitted_ms;
  if (CallResult r = save_project(state, nullptr, p); !r.ok()) return r;
  call.emit("profile_submitted", project_key(p.number),
            core::encode(ProjectEvent{p.number, p.status, "", 0, p.profile_hash}));
  return CallResult::success();
}

// issue_study_brief: an EIA officer issues the brief (ESB-NNN/YYYY) for a profile.
CallResult apply_issue_study_brief(CallContext& call, StateView& state) {
  BriefArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  ProjectRecord p;
  if (CallResult r = load_project(state, args.project, p); !r.ok()) return r;
  if (p.status != ProjectStatus::kProfileSubmitted) {
    return illegal_project_transition(call, p, "brief_issued");
  }
  if (CallResult r = require_document(call, args.brief_hash, "study brief"); !r.ok()) return r;
  const ProjectRecord before = p;
  if (CallResult r = next_number(call, state, kBriefPrefix, p.brief_number); !r.ok()) return r;
  p.brief_hash = args.brief_hash;
  p.brief_issued_ms = call.block().timestamp_ms;
  p.status = ProjectStatus::kBriefIssued;
  p.status_changed_ms = p.brief_issued_ms;
  if (CallResult r = save_project(state, &before, p); !r.ok()) return r;
  call.mention_account(p.proponent);
  call.emit("study_brief_issued", project_key(p.number),
            core::encode(ProjectEvent{p.number, p.status, p.brief_number, 0, p.brief_hash}));
  return CallResult::success();
}

// submit_report: the proponent submits a version of the EIA report; every
// version is kept (ReportRecord 0, 1, ...). New versions are accepted until
// the public inspection window is set.
CallResult apply_submit_report(CallContext& call, StateView& state) {
  DocumentArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  ProjectRecord p;
  if (CallResult r = load_project(state, args.number, p); !r.ok()) return r;
  if (call.sender() != p.proponent) {
    return fail(TxOutcome::kUnauthorized, "not_proponent",
                "submit_report: only the proponent of " + p.number + " submits its EIA report");
  }
  if (p.status != ProjectStatus::kBriefIssued && p.status != ProjectStatus::kReportSubmitted) {
    return illegal_project_transition(call, p, "report_submitted");
  }
  if (CallResult r = require_document(call, args.document_hash, "EIA report"); !r.ok()) return r;
  if (p.reports >= kMaxReportVersions) {
    return fail(TxOutcome::kLimitExceeded, "too_many_versions",
                "submit_report: " + p.number + " already has " + std::to_string(p.reports) +
                    " report versions");
  }
  const ProjectRecord before = p;
  ReportRecord report;
  report.project = p.number;
  report.report_version = p.reports;
  report.document_hash = args.document_hash;
  report.submitted_ms = call.block().timestamp_ms;
  report.transaction_id = call.transaction_id();
  state.write(report_key(p.number, report.report_version), core::encode(report));
  p.reports += 1;
  p.status = ProjectStatus::kReportSubmitted;
  p.status_changed_ms = report.submitted_ms;
  if (CallResult r = save_project(state, &before, p); !r.ok()) return r;
  call.emit("report_submitted", project_key(p.number),
            core::encode(
                ProjectEvent{p.number, p.status, "", report.report_version, report.document_hash}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::environment::detail
