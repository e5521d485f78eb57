// propose / approve / withdraw / close_expired: the life of a proposal.

#include <algorithm>
#include <limits>
#include <string>

#include "bauhinia/contracts/system/lists.hpp"
#include "bauhinia/contracts/system/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system {

std::string_view proposal_kind_name(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::kAddValidator: return "add_validator";
    case ProposalKind::kRemoveValidator: return "remove_validator";
    case ProposalKind::kRotateValidatorKey: return "rotate_validator_key";
    case ProposalKind::kAddDepartment: return "add_department";
    case ProposalKind::kRetireDepartment: return "retire_department";
    case ProposalKind::kRotateAdminKey: return "rotate_admin_key";
    case ProposalKind::kSetParameter: return "set_parameter";
  }
  return "unknown";
}

std::string_view proposal_status_name(ProposalStatus status) {
  switch (status) {
    case ProposalStatus::kOpen: return "open";
    case ProposalStatus::kPassed: return "passed";
    case ProposalStatus::kWithdrawn: return "withdrawn";
    case ProposalStatus::kExpired: return "expired";
  }
  return "unknown";
}

namespace detail {

namespace {

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

// Approvals of departments that are still active.
std::uint64_t active_approvals(const StateView& state, const ProposalRecord& p) {
  std::uint64_t n = 0;
  for (const Approval& a : p.approvals) {
    auto dep = load_department(state, a.department);
    if (dep && dep->active) ++n;
  }
  return n;
}

// The proposal `id`, open, or why not.
core::Checked<ProposalRecord> load_open(const StateView& state, std::uint64_t id,
                                        CallResult& refusal) {
  auto loaded = read<ProposalRecord>(state, proposal_key(id));
  if (!loaded) {
    refusal = fail(TxOutcome::kNotFound, "unknown_proposal", "no proposal " + std::to_string(id));
    return core::reject(core::Reject::kInvalid, "");
  }
  if (!*loaded) {
    refusal = corrupt("proposal " + std::to_string(id));
    return core::reject(core::Reject::kInvalid, "");
  }
  if ((*loaded)->status != ProposalStatus::kOpen) {
    refusal = fail(TxOutcome::kFailedPrecondition, "proposal_not_open",
                   "proposal " + std::to_string(id) + " is " +
                       std::string(proposal_status_name((*loaded)->status)));
    return core::reject(core::Reject::kInvalid, "");
  }
  return std::move(**loaded);
}

bool expired(const CallContext& call, const ProposalRecord& p) {
  return call.block().timestamp_ms >= p.expiry_ms;
}

CallResult close(CallContext& call, StateView& state, ProposalRecord& p, ProposalStatus status,
                 const std::string& department, std::uint64_t approvals, std::uint64_t active) {
  p.status = status;
  p.closed_height = call.block().height;
  const Bytes key = proposal_key(p.id);
  state.write(key, core::encode(p));
  if (CallResult r = open_proposals_list().remove(state, key); !r.ok()) return r;
  const std::string kind = status == ProposalStatus::kPassed      ? "proposal_passed"
                           : status == ProposalStatus::kWithdrawn ? "proposal_withdrawn"
                                                                  : "proposal_expired";
  call.emit(kind, key, core::encode(ProposalEvent{p.id, p.kind, department, approvals, active}));
  return CallResult::success();
}

// Passes `p` if its approvals are enough now: checks and applies its terms.
CallResult settle(const ModuleSet& modules, CallContext& call, StateView& state, ProposalRecord& p,
                  const std::string& department) {
  const std::uint64_t active = active_departments(state);
  const std::uint64_t approvals = active_approvals(state, p);
  const Bytes key = proposal_key(p.id);
  if (!passes(approvals, active)) {
    state.write(key, core::encode(p));
    return CallResult::success();
  }
  if (auto refused = terms_refusal(modules, call, state, p.kind, p.terms)) return *refused;
  if (CallResult r = enact(modules, call, state, p); !r.ok()) return r;
  return close(call, state, p, ProposalStatus::kPassed, department, approvals, active);
}

}  // namespace

CallResult propose(const ModuleSet& modules, CallContext& call, StateView& state,
                   const ProposeArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("propose");
  const auto min_life = read_parameter(state, kProposalMinLifetime);
  const auto max_life = read_parameter(state, kProposalMaxLifetime);
  if (!min_life || !max_life) {
    return fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                "the proposal lifetime parameters are not set on this chain");
  }
  const std::uint64_t now = call.block().timestamp_ms;
  if (args.expiry_ms < saturating_add(now, *min_life) ||
      args.expiry_ms > saturating_add(now, *max_life)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_expiry",
                "expiry_ms must lie between the block time plus " + std::to_string(*min_life) +
                    " ms and plus " + std::to_string(*max_life) + " ms");
  }
  if (open_proposals_list().size(state) >= kMaxOpenProposals) {
    return fail(TxOutcome::kLimitExceeded, "too_many_open_proposals",
                "at most " + std::to_string(kMaxOpenProposals) + " proposals may be open");
  }
  if (auto refused = terms_refusal(modules, call, state, args.kind, args.terms)) return *refused;

  ProposalCounter counter;
  if (auto c = read<ProposalCounter>(state, proposal_counter_key())) {
    if (!*c) return corrupt("proposal counter");
    counter = **c;
  }
  counter.last_id += 1;
  state.write(proposal_counter_key(), core::encode(counter));

  ProposalRecord p;
  p.id = counter.last_id;
  p.kind = args.kind;
  p.terms = args.terms;
  p.proposer = call.sender();
  p.proposer_department = dep->code;
  p.created_height = call.block().height;
  p.created_ms = now;
  p.expiry_ms = args.expiry_ms;
  p.approvals.push_back(Approval{dep->code, call.sender(), call.block().height, now});
  const Bytes key = proposal_key(p.id);
  if (CallResult r = proposals_list().add(state, key); !r.ok()) return r;
  if (CallResult r = open_proposals_list().add(state, key); !r.ok()) return r;
  const std::uint64_t active = active_departments(state);
  call.emit("proposal_created", key,
            core::encode(ProposalEvent{p.id, p.kind, dep->code, 1, active}));
  return settle(modules, call, state, p, dep->code);
}

CallResult approve(const ModuleSet& modules, CallContext& call, StateView& state,
                   const ProposalIdArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("approve");
  CallResult refusal;
  auto p = load_open(state, args.id, refusal);
  if (!p) return refusal;
  if (expired(call, *p)) {
    return fail(TxOutcome::kFailedPrecondition, "proposal_expired",
                "proposal " + std::to_string(p->id) + " expired at " +
                    std::to_string(p->expiry_ms) + " ms");
  }
  if (std::any_of(p->approvals.begin(), p->approvals.end(),
                  [&](const Approval& a) { return a.department == dep->code; })) {
    return fail(TxOutcome::kAlreadyExists, "already_approved",
                dep->code + " has already approved proposal " + std::to_string(p->id));
  }
  p->approvals.push_back(
      Approval{dep->code, call.sender(), call.block().height, call.block().timestamp_ms});
  call.emit("proposal_approved", proposal_key(p->id),
            core::encode(ProposalEvent{p->id, p->kind, dep->code, active_approvals(state, *p),
                                       active_departments(state)}));
  return settle(modules, call, state, *p, dep->code);
}

CallResult withdraw(CallContext& call, StateView& state, const ProposalIdArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("withdraw");
  CallResult refusal;
  auto p = load_open(state, args.id, refusal);
  if (!p) return refusal;
  if (p->proposer_department != dep->code) {
    return fail(TxOutcome::kUnauthorized, "not_proposer",
                "proposal " + std::to_string(p->id) + " was made by " + p->proposer_department +
                    "; only its admin withdraws it");
  }
  return close(call, state, *p, ProposalStatus::kWithdrawn, dep->code, active_approvals(state, *p),
               active_departments(state));
}

CallResult close_expired(CallContext& call, StateView& state, const ProposalIdArgs& args) {
  auto dep = sender_department(state, call.sender());
  if (!dep) return not_admin("close_expired");
  CallResult refusal;
  auto p = load_open(state, args.id, refusal);
  if (!p) return refusal;
  if (!expired(call, *p)) {
    return fail(TxOutcome::kFailedPrecondition, "proposal_not_expired",
                "proposal " + std::to_string(p->id) + " is open until " +
                    std::to_string(p->expiry_ms) + " ms");
  }
  return close(call, state, *p, ProposalStatus::kExpired, dep->code, active_approvals(state, *p),
               active_departments(state));
}

}  // namespace detail

}  // namespace bauhinia::contracts::system
