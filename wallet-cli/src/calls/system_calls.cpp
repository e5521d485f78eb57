// The system module's calls a person makes (contracts/system/, docs/contracts/system.md):
// roles, and governance proposals of every kind with their approvals.
// submit_evidence is not here: validators' nodes detect equivocation and
// submit the two signed statements themselves (node/src/evidence.cpp); the
// statements are consensus messages no officer holds.

#include <algorithm>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "examples.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace sys = contracts::system;
using sys::ProposalKind;

const contracts::ModuleSet& chain_modules() {
  static const contracts::ModuleSet modules;
  return modules;
}

core::Checked<BuiltCall> build_role(const Args& args, bool grant) {
  Take take;
  sys::RoleArgs p;
  p.account = take(parse_account(args, "account"));
  p.role = take(parse_text(args, "role", sys::kMaxRoleSize));
  if (take.failed()) return take.error();
  // The module's rule for the role's name; which department may grant it is
  // judged by the node (the wallet does not know the sender's department).
  if (auto r = sys::role_grant_refusal(chain_modules(), p.role, "");
      r && r->reason != "role_of_other_department") {
    take.check(module_rule("role", *r));
  }
  if (take.failed()) return take.error();
  const std::string who(*arg_value(args, "account"));
  return BuiltCall{
      core::encode(p),
      {},
      {grant ? "grant role " + p.role + " to " + who : "revoke role " + p.role + " from " + who}};
}

// The arguments each kind of proposal takes (besides --kind and --expires).
struct KindArgs {
  ProposalKind kind;
  std::vector<std::string_view> names;
};
const std::vector<KindArgs>& kind_args() {
  static const std::vector<KindArgs> k{
      {ProposalKind::kAddValidator, {"validator-key", "name", "voting-power", "department"}},
      {ProposalKind::kRemoveValidator, {"validator-key"}},
      {ProposalKind::kRotateValidatorKey, {"old-key", "new-key"}},
      {ProposalKind::kAddDepartment, {"code", "name", "admin-key"}},
      {ProposalKind::kRetireDepartment, {"code"}},
      {ProposalKind::kRotateAdminKey, {"code", "admin-key"}},
      {ProposalKind::kSetParameter, {"parameter", "value"}},
  };
  return k;
}

// The terms of `kind` from the arguments, and their plain-words description.
core::Checked<std::pair<core::Bytes, std::string>> proposal_terms(const Args& args,
                                                                  ProposalKind kind) {
  Take take;
  std::pair<core::Bytes, std::string> out;
  switch (kind) {
    case ProposalKind::kAddValidator: {
      sys::AddValidatorTerms t;
      t.key = take(parse_validator_key(args, "validator-key"));
      t.name = take(parse_text(args, "name", chain::kMaxValidatorNameLength));
      t.voting_power = take(parse_u64(args, "voting-power", 1, 1'000'000));
      t.department = take(parse_department(args, "department"));
      out = {core::encode(t), "add validator " + t.name + " of " + t.department + " (key " +
                                  core::to_hex(t.key.bytes) + ", voting power " +
                                  std::to_string(t.voting_power) + ")"};
      break;
    }
    case ProposalKind::kRemoveValidator: {
      sys::RemoveValidatorTerms t;
      t.key = take(parse_validator_key(args, "validator-key"));
      out = {core::encode(t), "remove the validator with key " + core::to_hex(t.key.bytes)};
      break;
    }
    case ProposalKind::kRotateValidatorKey: {
      sys::RotateValidatorKeyTerms t;
      t.old_key = take(parse_validator_key(args, "old-key"));
      t.new_key = take(parse_validator_key(args, "new-key"));
      out = {core::encode(t), "replace validator key " + core::to_hex(t.old_key.bytes) + " by " +
                                  core::to_hex(t.new_key.bytes)};
      break;
    }
    case ProposalKind::kAddDepartment: {
      sys::AddDepartmentTerms t;
      t.code = take(parse_department(args, "code"));
      t.name = take(parse_text(args, "name", sys::kMaxDepartmentNameSize));
      t.admin_key = take(parse_account_key(args, "admin-key"));
      out = {core::encode(t), "add department " + t.code + " (" + t.name + ") with admin key " +
                                  core::to_hex(t.admin_key.bytes)};
      break;
    }
    case ProposalKind::kRetireDepartment: {
      sys::RetireDepartmentTerms t;
      t.code = take(parse_department(args, "code"));
      out = {core::encode(t), "retire department " + t.code + " (its admin and roles lapse)"};
      break;
    }
    case ProposalKind::kRotateAdminKey: {
      sys::RotateAdminKeyTerms t;
      t.code = take(parse_department(args, "code"));
      t.new_admin_key = take(parse_account_key(args, "admin-key"));
      out = {core::encode(t),
             "give department " + t.code + " the admin key " + core::to_hex(t.new_admin_key.bytes)};
      break;
    }
    case ProposalKind::kSetParameter: {
      sys::SetParameterTerms t;
      t.name = take(parse_text(args, "parameter", sys::kMaxParameterNameSize));
      if (take.failed()) return take.error();
      const contracts::ParameterSpec* spec = chain_modules().find_parameter(t.name);
      if (spec == nullptr) {
        return arg_error("parameter", core::Reject::kInvalid,
                         "a parameter of the chain (system parameters lists them)", t.name);
      }
      t.value = take(parse_u64(args, "value", spec->min_value, spec->max_value));
      out = {core::encode(t),
             "set " + t.name + " to " + std::to_string(t.value) + " " + std::string(spec->unit)};
      break;
    }
  }
  if (take.failed()) return take.error();
  return out;
}

core::Checked<BuiltCall> build_propose(const Args& args) {
  Take take;
  sys::ProposeArgs p;
  p.kind = take(parse_enum(args, "kind", sys::kLastProposalKind, sys::proposal_kind_name));
  const auto expires = take(parse_date_ms(args, "expires"));
  if (take.failed()) return take.error();
  // Open until the end of that Hong Kong date.
  p.expiry_ms = expires + 86'400'000ULL - 1;
  // Arguments of another kind are refused, not ignored.
  const auto& names = std::find_if(kind_args().begin(), kind_args().end(), [&](const KindArgs& k) {
                        return k.kind == p.kind;
                      })->names;
  for (const auto& [name, value] : args) {
    if (name == "kind" || name == "expires") continue;
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return arg_error(
          name, core::Reject::kInvalid,
          "not used by a " + std::string(sys::proposal_kind_name(p.kind)) + " proposal");
    }
  }
  auto terms = proposal_terms(args, p.kind);
  if (!terms) return std::move(terms).error();
  p.terms = std::move(terms->first);
  return BuiltCall{core::encode(p),
                   {},
                   {"propose: " + terms->second, "open for approval until the end of " +
                                                     std::string(*arg_value(args, "expires")) +
                                                     " (Hong Kong time)"}};
}

core::Checked<BuiltCall> build_proposal_act(const Args& args, std::string_view verb) {
  Take take;
  sys::ProposalIdArgs p;
  p.id = take(parse_u64(args, "id", 1));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p), {}, {std::string(verb) + " proposal " + std::to_string(p.id)}};
}

std::vector<ArgSpec> propose_args() {
  return {
      {"kind",
       "add_validator, remove_validator, rotate_validator_key, add_department, "
       "retire_department, rotate_admin_key or set_parameter"},
      {"expires", "YYYY-MM-DD: the proposal can pass until the end of this Hong Kong date"},
      {"validator-key", "add/remove_validator: the node's Ed25519 consensus key, 64 hex", false},
      {"name", "add_validator: the validator's name (1-64 bytes); add_department: its name", false},
      {"voting-power", "add_validator: its voting power, 1 to 1000000", false},
      {"department", "add_validator: the department that runs the node", false},
      {"old-key", "rotate_validator_key: the validator's current key, 64 hex", false},
      {"new-key", "rotate_validator_key: its new key, 64 hex", false},
      {"code", "add/retire_department, rotate_admin_key: the department code", false},
      {"admin-key", "add_department, rotate_admin_key: the admin's BIP-340 key, 64 hex", false},
      {"parameter", "set_parameter: the parameter's name, e.g. trademark.term_years", false},
      {"value", "set_parameter: its new value, within the parameter's range", false},
  };
}

const ArgSpec kProposalId{"id", "the proposal's id (system proposals lists them)"};

}  // namespace

std::vector<CallSpec> system_calls() {
  const std::vector<ArgSpec> role_args{{"account", "the account (hk1... address)"},
                                       {"role", "<module>.<name>, e.g. trademark.registrar"}};
  return {
      CallSpec{"system", "grant_role",
               "a department admin grants one of its department's roles to an account",
               "bauhinia-wallet system grant-role --account " + std::string(examples::kOfficer) +
                   " --role trademark.registrar",
               role_args, [](const Args& a) { return build_role(a, true); }},
      CallSpec{"system", "revoke_role", "the department admin that granted a role revokes it",
               "bauhinia-wallet system revoke-role --account " + std::string(examples::kOfficer) +
                   " --role trademark.registrar",
               role_args, [](const Args& a) { return build_role(a, false); }},
      CallSpec{"system", "propose",
               "a department admin proposes a validator, department, admin key or parameter "
               "change for the other departments' approval",
               "bauhinia-wallet system propose --kind set_parameter --parameter "
               "trademark.opposition_period_days --value 92 --expires 2026-12-31",
               propose_args(), build_propose},
      CallSpec{"system",
               "approve",
               "the admin of another active department approves a proposal",
               "bauhinia-wallet system approve --id 3",
               {kProposalId},
               [](const Args& a) { return build_proposal_act(a, "approve"); }},
      CallSpec{"system",
               "withdraw",
               "the proposer withdraws its open proposal",
               "bauhinia-wallet system withdraw --id 3",
               {kProposalId},
               [](const Args& a) { return build_proposal_act(a, "withdraw"); }},
      CallSpec{"system",
               "close_expired",
               "any department admin closes an expired open proposal",
               "bauhinia-wallet system close-expired --id 3",
               {kProposalId},
               [](const Args& a) { return build_proposal_act(a, "close expired"); }},
  };
}

}  // namespace bauhinia::wallet::calls
