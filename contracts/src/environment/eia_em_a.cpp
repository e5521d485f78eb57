// submit_em_a: the permit holder's environmental monitoring and audit (EM&A)
// submissions over the project's life, only while the permit is in force.

#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

CallResult apply_submit_em_a(CallContext& call, StateView& state) {
  SubmissionArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  PermitRecord permit;
  if (CallResult r = load_permit(state, args.permit, permit); !r.ok()) return r;
  if (call.sender() != permit.holder) {
    return fail(TxOutcome::kUnauthorized, "not_holder",
                "submit_em_a: only the holder of " + permit.number + " submits its EM&A data");
  }
  if (permit.status != PermitStatus::kInForce) {
    return fail(TxOutcome::kFailedPrecondition, "permit_not_in_force",
                "submit_em_a: permit " + permit.number + " is " +
                    std::string(permit_status_name(permit.status)));
  }
  if (CallResult r = require_document(call, args.document_hash, "EM&A report"); !r.ok()) return r;
  if (args.period_start_ms >= args.period_end_ms) {
    return fail(TxOutcome::kInvalidArgument, "invalid_period",
                "submit_em_a: the monitoring period ends after it starts");
  }
  if (args.period_end_ms > call.block().timestamp_ms) {
    return fail(TxOutcome::kInvalidArgument, "period_in_future",
                "submit_em_a: the monitoring period ends after the block's time");
  }
  if (permit.submissions == UINT32_MAX) {
    return fail(TxOutcome::kLimitExceeded, "too_many_submissions",
                "submit_em_a: permit " + permit.number + " has no room for more submissions");
  }
  const PermitRecord before = permit;
  SubmissionRecord s;
  s.permit = permit.number;
  s.index = permit.submissions;
  s.submitted_by = call.sender();
  s.document_hash = args.document_hash;
  s.period_start_ms = args.period_start_ms;
  s.period_end_ms = args.period_end_ms;
  s.submitted_ms = call.block().timestamp_ms;
  state.write(submission_key(permit.number, s.index), core::encode(s));
  permit.submissions += 1;
  if (CallResult r = save_permit(state, &before, permit); !r.ok()) return r;
  call.emit("em_a_submitted", permit_key(permit.number),
            core::encode(PermitEvent{permit.number, s.index, permit.holder, s.document_hash}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::environment::detail
