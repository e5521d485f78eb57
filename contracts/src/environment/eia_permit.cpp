// Environmental permits: issued after an approval, then varied, transferred
// (co-signed by the holder and the transferee), surrendered by the holder or
// cancelled by EPD. Every act is a PermitHistoryRecord with its document.
//
//   from \ act   vary       transfer   surrender    cancel
//   in_force     in_force   in_force   surrendered  cancelled
//   surrendered  —          —          —            —
//   cancelled    —          —          —            —

#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

namespace {

std::string_view event_of(PermitAct act) {
  switch (act) {
    case PermitAct::kIssued: return "permit_issued";
    case PermitAct::kVaried: return "permit_varied";
    case PermitAct::kTransferred: return "permit_transferred";
    case PermitAct::kSurrendered: return "permit_surrendered";
    case PermitAct::kCancelled: break;
  }
  return "permit_cancelled";
}

// Appends the act to the permit's history, saves the permit and emits the event.
CallResult record_act(CallContext& call, StateView& state, const PermitRecord* before,
                      PermitRecord& permit, PermitAct act, const core::AccountId& holder_before,
                      const core::Hash256& document) {
  PermitHistoryRecord h;
  h.permit = permit.number;
  h.index = permit.history;
  h.act = act;
  h.permit_version = permit.permit_version;
  h.holder_before = holder_before;
  h.holder_after = permit.holder;
  h.document_hash = document;
  h.entry_ms = call.block().timestamp_ms;
  h.height = call.block().height;
  h.transaction_id = call.transaction_id();
  state.write(permit_history_key(permit.number, h.index), core::encode(h));
  permit.history += 1;
  if (CallResult r = save_permit(state, before, permit); !r.ok()) return r;
  call.mention_account(permit.holder);
  call.emit(std::string(event_of(act)), permit_key(permit.number),
            core::encode(PermitEvent{permit.number, h.index, permit.holder, document}));
  return CallResult::success();
}

// Decodes DocumentArgs naming a permit and loads it, in force.
CallResult load_in_force(CallContext& call, const StateView& state, DocumentArgs& args,
                         PermitRecord& permit, std::string_view to) {
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = load_permit(state, args.number, permit); !r.ok()) return r;
  if (permit.status != PermitStatus::kInForce) return illegal_permit_transition(call, permit, to);
  return CallResult::success();
}

}  // namespace

// issue_permit (number: the project): an EIA officer, once the report is approved.
CallResult apply_issue_permit(CallContext& call, StateView& state) {
  DocumentArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  ProjectRecord project;
  if (CallResult r = load_project(state, args.number, project); !r.ok()) return r;
  if (!is_approved(project.status)) {
    return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
                "issue_permit: project " + project.number + " is " +
                    std::string(project_status_name(project.status)) +
                    "; a permit follows an approval");
  }
  if (!project.permit.empty()) {
    return fail(
        TxOutcome::kAlreadyExists, "permit_exists",
        "issue_permit: project " + project.number + " already has permit " + project.permit);
  }
  if (CallResult r = require_document(call, args.document_hash, "permit"); !r.ok()) return r;
  PermitRecord permit;
  if (CallResult r = next_number(call, state, kPermitPrefix, permit.number); !r.ok()) return r;
  permit.project = project.number;
  permit.holder = project.proponent;
  permit.status = PermitStatus::kInForce;
  permit.document_hash = args.document_hash;
  permit.issued_ms = call.block().timestamp_ms;
  permit.status_changed_ms = permit.issued_ms;
  const ProjectRecord before = project;
  project.permit = permit.number;
  if (CallResult r = save_project(state, &before, project); !r.ok()) return r;
  return record_act(call, state, nullptr, permit, PermitAct::kIssued, core::AccountId{},
                    args.document_hash);
}

CallResult apply_vary_permit(CallContext& call, StateView& state) {
  DocumentArgs args;
  PermitRecord permit;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  if (CallResult r = load_in_force(call, state, args, permit, "varied"); !r.ok()) return r;
  if (CallResult r = require_document(call, args.document_hash, "varied permit"); !r.ok()) {
    return r;
  }
  const PermitRecord before = permit;
  permit.permit_version += 1;
  permit.document_hash = args.document_hash;
  return record_act(call, state, &before, permit, PermitAct::kVaried, permit.holder,
                    args.document_hash);
}

CallResult apply_transfer_permit(CallContext& call, StateView& state) {
  TransferPayload p;
  if (CallResult r = decode_args(call.tx(), p); !r.ok()) return r;
  const TransferTerms& t = p.terms;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  PermitRecord permit;
  if (CallResult r = load_permit(state, t.permit, permit); !r.ok()) return r;
  if (permit.status != PermitStatus::kInForce) {
    return illegal_permit_transition(call, permit, "transferred");
  }
  if (t.from != permit.holder) {
    return fail(TxOutcome::kFailedPrecondition, "transferor_not_holder",
                "transfer_permit: 'from' is not the holder of " + permit.number);
  }
  if (t.to == t.from || t.to == core::AccountId{}) {
    return fail(TxOutcome::kInvalidArgument, "invalid_transferee",
                "transfer_permit: the transferee is the holder itself or the zero account");
  }
  if (CallResult r = require_document(call, t.document_hash, "transfer"); !r.ok()) return r;
  if (CallResult r = check_cosignatures(call, state, core::encode(t), p.cosignatures); !r.ok()) {
    return r;
  }
  if (!cosigned_by(p.cosignatures, t.from)) {
    return fail(TxOutcome::kUnauthorized, "holder_not_cosigned",
                "transfer_permit: the holder of " + permit.number + " has not co-signed");
  }
  if (!cosigned_by(p.cosignatures, t.to)) {
    return fail(TxOutcome::kUnauthorized, "transferee_not_cosigned",
                "transfer_permit: the transferee has not co-signed");
  }
  const PermitRecord before = permit;
  permit.holder = t.to;
  permit.status_changed_ms = call.block().timestamp_ms;
  mention_cosigners(call, p.cosignatures);
  return record_act(call, state, &before, permit, PermitAct::kTransferred, before.holder,
                    t.document_hash);
}

// surrender_permit: the holder gives the permit up.
CallResult apply_surrender_permit(CallContext& call, StateView& state) {
  DocumentArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  PermitRecord permit;
  if (CallResult r = load_permit(state, args.number, permit); !r.ok()) return r;
  if (call.sender() != permit.holder) {
    return fail(TxOutcome::kUnauthorized, "not_holder",
                "surrender_permit: only the holder of " + permit.number + " surrenders it");
  }
  if (permit.status != PermitStatus::kInForce) {
    return illegal_permit_transition(call, permit, "surrendered");
  }
  if (CallResult r = require_document(call, args.document_hash, "surrender"); !r.ok()) return r;
  const PermitRecord before = permit;
  permit.status = PermitStatus::kSurrendered;
  permit.status_changed_ms = call.block().timestamp_ms;
  return record_act(call, state, &before, permit, PermitAct::kSurrendered, permit.holder,
                    args.document_hash);
}

CallResult apply_cancel_permit(CallContext& call, StateView& state) {
  DocumentArgs args;
  PermitRecord permit;
  if (CallResult r = require_officer(call, state); !r.ok()) return r;
  if (CallResult r = load_in_force(call, state, args, permit, "cancelled"); !r.ok()) return r;
  if (CallResult r = require_document(call, args.document_hash, "cancellation"); !r.ok()) {
    return r;
  }
  const PermitRecord before = permit;
  permit.status = PermitStatus::kCancelled;
  permit.status_changed_ms = call.block().timestamp_ms;
  return record_act(call, state, &before, permit, PermitAct::kCancelled, permit.holder,
                    args.document_hash);
}

}  // namespace bauhinia::contracts::environment::detail
