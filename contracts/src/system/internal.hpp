#pragma once
// Shared by the system module's source files (not installed).

#include <optional>
#include <string>
#include <utility>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/evidence.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"

namespace bauhinia::contracts::system::detail {

using chain::TxOutcome;

inline CallResult fail(TxOutcome outcome, std::string reason, std::string detail) {
  return CallResult::failure(outcome, std::move(reason), std::move(detail));
}

inline CallResult corrupt(const std::string& what) {
  return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
              "stored " + what + " does not decode");
}

// A record of this module: nullopt when absent, a rejection when it does not decode.
template <class T>
std::optional<core::Checked<T>> read(const StateView& state, const Bytes& key) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return std::nullopt;
  return core::decode<T>(*bytes);
}

// The sender's active department, or not_admin.
core::Checked<DepartmentRecord> sender_department(const StateView& state,
                                                  const core::AccountId& sender);
CallResult not_admin(std::string_view call);

// Active departments (count).
std::uint64_t active_departments(const StateView& state);

CallResult grant_role(const ModuleSet& modules, CallContext& call, StateView& state,
                      const RoleArgs& args);
CallResult revoke_role(CallContext& call, StateView& state, const RoleArgs& args);

CallResult propose(const ModuleSet& modules, CallContext& call, StateView& state,
                   const ProposeArgs& args);
CallResult approve(const ModuleSet& modules, CallContext& call, StateView& state,
                   const ProposalIdArgs& args);
CallResult withdraw(CallContext& call, StateView& state, const ProposalIdArgs& args);
CallResult close_expired(CallContext& call, StateView& state, const ProposalIdArgs& args);

// Whether the terms of a proposal could take effect at this state (propose
// checks it early; enact checks it again when the proposal passes).
std::optional<CallResult> terms_refusal(const ModuleSet& modules, const CallContext& call,
                                        const StateView& state, ProposalKind kind,
                                        const Bytes& terms);
// Applies a passed proposal's terms (after terms_refusal found nothing).
CallResult enact(const ModuleSet& modules, CallContext& call, StateView& state,
                 const ProposalRecord& proposal);

CallResult submit_evidence(CallContext& call, StateView& state, const SubmitEvidenceArgs& args);

}  // namespace bauhinia::contracts::system::detail
