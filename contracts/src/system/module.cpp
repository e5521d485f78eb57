// SystemModule: decoding of calls, admission (check) and dispatch (apply).

#include "bauhinia/contracts/system/module.hpp"

#include <string>
#include <utility>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system {

namespace {

using chain::TxOutcome;
using detail::fail;

constexpr std::uint64_t kDayMs = 24ULL * 3'600'000ULL;

constexpr ParameterSpec kParameters[] = {
    {kProposalMaxLifetime, 30 * kDayMs, kDayMs, 365 * kDayMs, "ms",
     "Longest time a governance proposal stays open for approval: 30 days, a month of the "
     "consortium's working calendar (consortium agreement; no statute)."},
    {kProposalMinLifetime, 3'600'000, 60'000, 7 * kDayMs, "ms",
     "Shortest time a governance proposal stays open, so that every department admin can see "
     "it before it can pass: 1 hour."},
};

template <class T>
core::Checked<T> decode_args(const chain::Transaction& tx) {
  return core::decode<T>(tx.payload);
}

CallResult malformed(const chain::Transaction& tx, const core::Rejection& r) {
  if (r.reason == core::Reject::kTooLarge) {
    return fail(TxOutcome::kLimitExceeded, "field_too_large",
                "system/" + tx.call + ": " + r.to_string());
  }
  return fail(TxOutcome::kInvalidArgument, "malformed_payload",
              "system/" + tx.call + ": " + r.to_string());
}

template <class T, class F>
CallResult with_args(const chain::Transaction& tx, F f) {
  auto args = decode_args<T>(tx);
  if (!args) return malformed(tx, args.error());
  return f(*args);
}

}  // namespace

CallResult SystemModule::apply(CallContext& call, StateView& state) const {
  const chain::Transaction& tx = call.tx();
  const ModuleSet& modules = *modules_;
  if (tx.call == "grant_role") {
    return with_args<RoleArgs>(
        tx, [&](const RoleArgs& a) { return detail::grant_role(modules, call, state, a); });
  }
  if (tx.call == "revoke_role") {
    return with_args<RoleArgs>(
        tx, [&](const RoleArgs& a) { return detail::revoke_role(call, state, a); });
  }
  if (tx.call == "propose") {
    return with_args<ProposeArgs>(
        tx, [&](const ProposeArgs& a) { return detail::propose(modules, call, state, a); });
  }
  if (tx.call == "approve") {
    return with_args<ProposalIdArgs>(
        tx, [&](const ProposalIdArgs& a) { return detail::approve(modules, call, state, a); });
  }
  if (tx.call == "withdraw") {
    return with_args<ProposalIdArgs>(
        tx, [&](const ProposalIdArgs& a) { return detail::withdraw(call, state, a); });
  }
  if (tx.call == "close_expired") {
    return with_args<ProposalIdArgs>(
        tx, [&](const ProposalIdArgs& a) { return detail::close_expired(call, state, a); });
  }
  if (tx.call == "submit_evidence") {
    return with_args<SubmitEvidenceArgs>(
        tx, [&](const SubmitEvidenceArgs& a) { return detail::submit_evidence(call, state, a); });
  }
  return fail(TxOutcome::kInvalidArgument, "unknown_call",
              "module system has no call '" + tx.call +
                  "' (calls: grant_role, revoke_role, propose, approve, withdraw, "
                  "close_expired, submit_evidence)");
}

core::Verdict SystemModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

std::span<const ParameterSpec> SystemModule::parameters() const {
  return kParameters;
}

}  // namespace bauhinia::contracts::system
