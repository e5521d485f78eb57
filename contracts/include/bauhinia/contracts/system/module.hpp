#pragma once
// The system module (docs/contracts/system.md): roles, governance proposals
// (validators, departments, admin keys, chain parameters) and equivocation
// evidence. Calls:
//   grant_role(RoleArgs)            revoke_role(RoleArgs)          department admins
//   propose(ProposeArgs)            approve / withdraw / close_expired(ProposalIdArgs)
//   submit_evidence(SubmitEvidenceArgs)                             any account
// Queries: see query().

#include <span>
#include <string_view>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/records.hpp"

namespace bauhinia::contracts::system {

// Chain parameters of the module.
inline constexpr std::string_view kProposalMaxLifetime = "system.proposal_max_lifetime_ms";
inline constexpr std::string_view kProposalMinLifetime = "system.proposal_min_lifetime_ms";

class SystemModule final : public Module {
 public:
  // `modules` is the set this module belongs to (its roles' modules and its
  // parameters); it must outlive the module and be complete before any call.
  explicit SystemModule(const ModuleSet& modules) : modules_(&modules) {}

  std::string_view name() const override { return kModuleName; }
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // department/<code>, departments[/page], role/<account hex>/<role>,
  // roles/<account hex>[/page], role_holders/<code>[/page], parameter/<name>,
  // parameters[/page], validators, validators/<epoch>, proposal/<id>,
  // proposals[/page], proposals/open[/page], evidence[/page],
  // evidence/<validator key hex>[/page],
  // evidence/<validator key hex>/<epoch>/<round>/<vote|proposal>.
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;

 private:
  const ModuleSet* modules_;
};

}  // namespace bauhinia::contracts::system
