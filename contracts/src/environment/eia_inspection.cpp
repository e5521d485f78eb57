// Public inspection of the EIA report and the decision: an EIA officer sets
// the window [start, end); anyone comments inside it (the comment's hash);
// the decision comes only once the window has closed.

#include "bauhinia/contracts/environment/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

namespace {
constexpr std::uint32_t kMaxComments = 1'000'000;

std::string duration(std::uint64_t ms) {
  if (ms % kDayMs == 0) return std::to_string(ms / kDayMs) + " days";
  return std::to_string(ms) + " ms";
}
}  // namespace

CallResult apply_open_inspection(CallContext& call, StateView& state) {
  InspectionArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  ProjectRecord p;
  if (CallResult r = load_project(state, args.project, p); !r.ok()) return r;
  if (p.status != ProjectStatus::kReportSubmitted) {
    return illegal_project_transition(call, p, "on_inspection");
  }
  // start 0: the window opens with this block.
  const std::uint64_t start = args.start_ms == 0 ? call.block().timestamp_ms : args.start_ms;
  if (start < call.block().timestamp_ms) {
    return fail(TxOutcome::kInvalidArgument, "window_in_past",
                "open_inspection: the window may not start before the block's time");
  }
  if (args.end_ms <= start) {
    return fail(TxOutcome::kInvalidArgument, "invalid_window",
                "open_inspection: the window ends after it starts");
  }
  std::uint64_t min_length = 0;
  if (CallResult r = read_param(state, kInspectionMinMs, min_length); !r.ok()) return r;
  const std::uint64_t length = args.end_ms - start;
  if (length < min_length) {
    return fail(TxOutcome::kInvalidArgument, "window_too_short",
                "open_inspection: the public inspection lasts at least " + duration(min_length));
  }
  if (length > kMaxWindowMs) {
    return fail(TxOutcome::kInvalidArgument, "window_too_long",
                "open_inspection: a window lasts at most " + duration(kMaxWindowMs));
  }
  const ProjectRecord before = p;
  p.inspection_start_ms = start;
  p.inspection_end_ms = args.end_ms;
  p.status = ProjectStatus::kOnInspection;
  p.status_changed_ms = call.block().timestamp_ms;
  if (CallResult r = save_project(state, &before, p); !r.ok()) return r;
  call.mention_account(p.proponent);
  call.emit("inspection_opened", project_key(p.number),
            core::encode(ProjectEvent{p.number, p.status, "", p.reports - 1, {}}));
  return CallResult::success();
}

// comment: any account, only while the window is open (start <= t < end).
CallResult apply_comment(CallContext& call, StateView& state) {
  CommentArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  ProjectRecord p;
  if (CallResult r = load_project(state, args.project, p); !r.ok()) return r;
  const std::uint64_t now = call.block().timestamp_ms;
  if (p.status != ProjectStatus::kOnInspection) {
    return fail(TxOutcome::kFailedPrecondition, "outside_window",
                "comment: " + p.number + " is not on public inspection (" +
                    std::string(project_status_name(p.status)) + ")");
  }
  if (now < p.inspection_start_ms || now >= p.inspection_end_ms) {
    return fail(TxOutcome::kFailedPrecondition, "outside_window",
                "comment: the inspection window of " + p.number + " is [" +
                    std::to_string(p.inspection_start_ms) + ", " +
                    std::to_string(p.inspection_end_ms) + ") ms; the block's time is " +
                    std::to_string(now));
  }
  if (CallResult r = require_document(call, args.comment_hash, "comment"); !r.ok()) return r;
  if (p.comments >= kMaxComments) {
    return fail(TxOutcome::kLimitExceeded, "too_many_comments",
                "comment: " + p.number + " has reached its limit of comments");
  }
  const ProjectRecord before = p;
  CommentRecord c;
  c.project = p.number;
  c.index = p.comments;
  c.commenter = call.sender();
  c.comment_hash = args.comment_hash;
  c.received_ms = now;
  state.write(comment_key(p.number, c.index), core::encode(c));
  p.comments += 1;
  if (CallResult r = save_project(state, &before, p); !r.ok()) return r;
  call.emit("comment_received", project_key(p.number),
            core::encode(ProjectEvent{p.number, p.status, "", c.index, c.comment_hash}));
  return CallResult::success();
}

// decide: an EIA officer approves (with or without conditions) or rejects,
// after the inspection window has closed.
CallResult apply_decide(CallContext& call, StateView& state) {
  DecisionArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  ProjectRecord p;
  if (CallResult r = load_project(state, args.project, p); !r.ok()) return r;
  ProjectStatus to = ProjectStatus::kApproved;
  if (args.decision == Decision::kApprovedWithConditions) {
    to = ProjectStatus::kApprovedWithConditions;
  } else if (args.decision == Decision::kRejected) {
    to = ProjectStatus::kRejected;
  }
  if (p.status != ProjectStatus::kOnInspection) {
    return illegal_project_transition(call, p, project_status_name(to));
  }
  const std::uint64_t now = call.block().timestamp_ms;
  if (now < p.inspection_end_ms) {
    return fail(TxOutcome::kFailedPrecondition, "window_not_closed",
                "decide: the inspection window of " + p.number + " closes at " +
                    std::to_string(p.inspection_end_ms) + " ms");
  }
  if (CallResult r = require_document(call, args.document_hash, "decision"); !r.ok()) return r;
  const ProjectRecord before = p;
  p.status = to;
  p.status_changed_ms = now;
  p.decision_hash = args.document_hash;
  p.decided_ms = now;
  if (CallResult r = save_project(state, &before, p); !r.ok()) return r;
  call.mention_account(p.proponent);
  call.emit("decided", project_key(p.number),
            core::encode(ProjectEvent{p.number, p.status, "", 0, p.decision_hash}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::environment::detail
