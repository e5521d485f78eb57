// Governance in the workload: the department admins change the validator set
// through the system module, as a consortium would (docs/contracts/system.md):
// one admin proposes to add a standby validator or to remove one, the others
// approve, each in a transaction of its own; the approval that brings more
// than two thirds of the departments passes the proposal, the block that
// carries it writes the next epoch's set and ends the epoch (execution::Pipeline),
// and the cluster goes on in the new epoch.
//
// Every leader offers the admins' next transactions, derived from its
// committed state alone: the next step of the plan while no proposal is open
// (proposed by the admin of department step % 5), else an approval by each
// department that has not approved the open proposal yet. An admin's
// transaction is a function of its action and sequence number, so leaders
// with the same committed state offer the same bytes, and one already on the
// parent's branch (among the pending ids) is not offered again.

#include <algorithm>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "simulation_impl.hpp"

namespace bauhinia::sim::detail {
namespace {

namespace system = contracts::system;

template <class T>
std::optional<T> read_system(const contracts::StateReader& state, const core::Bytes& record_key) {
  auto key = chain::state_key(system::kModuleName, record_key);
  BAUHINIA_ASSERT(key.has_value());
  auto bytes = state.read(*key);
  BAUHINIA_ASSERT_MSG(bytes.has_value(), "memory store read");
  if (!*bytes) return std::nullopt;
  auto decoded = core::decode<T>(**bytes);
  BAUHINIA_ASSERT_MSG(decoded.has_value(), "a system record the module wrote decodes");
  return std::move(*decoded);
}

}  // namespace

void Simulation::plan_governance() {
  // Alternately add a standby validator and remove one, keeping every set a
  // valid one for the run: at least 4 validators and, unless the run is
  // unsafe on purpose, Byzantine ones at most f = (n - 1) / 3 of it.
  if (config_.governance == 0) return;
  Prng plan = prng_.fork(5);
  const std::uint32_t n = config_.validators;
  std::vector<std::uint32_t> members(n);
  for (std::uint32_t v = 0; v < n; ++v) members[v] = v;
  for (std::uint32_t i = 0; i < config_.governance; ++i) {
    if (i % 2 == 1) {
      std::vector<std::uint32_t> removable;
      for (std::uint32_t m : members) {
        const std::size_t left = members.size() - 1;
        std::size_t byzantine = 0;
        for (std::uint32_t o : members) {
          if (o != m && roles_[o] != Behaviour::kHonest) ++byzantine;
        }
        if (left >= 4 && (config_.allow_unsafe || 3 * byzantine < left)) removable.push_back(m);
      }
      if (!removable.empty()) {
        const std::uint32_t gone = removable[plan.below(removable.size())];
        std::erase(members, gone);
        governance_plan_.push_back(GovernanceStep{false, gone});
        continue;
      }
    }
    const auto standby = static_cast<std::uint32_t>(roles_.size());
    roles_.push_back(Behaviour::kHonest);
    members.push_back(standby);
    governance_plan_.push_back(GovernanceStep{true, standby});
  }
}

std::vector<chain::IdentifiedTransaction> Simulation::governance_candidates(
    Node& node, std::span<const core::Hash256> pending) {
  const contracts::StateReader& state = node.ledger->committed_state();
  // The proposals so far: how many passed, and the open one.
  const auto counter = read_system<system::ProposalCounter>(state, system::proposal_counter_key());
  const std::uint64_t last_id = counter ? counter->last_id : 0;
  std::size_t passed = 0;
  std::optional<system::ProposalRecord> open;
  for (std::uint64_t id = 1; id <= last_id; ++id) {
    auto p = read_system<system::ProposalRecord>(state, system::proposal_key(id));
    if (!p) continue;
    if (p->status == system::ProposalStatus::kPassed) ++passed;
    if (p->status == system::ProposalStatus::kOpen) open = std::move(p);
  }
  // The transaction of department d's admin for `call`, unless already on the branch.
  std::vector<chain::IdentifiedTransaction> out;
  auto offer = [&](std::size_t d, std::string_view call, core::Bytes args) {
    const core::schnorr::SecretKey& key = admin_keys_[d];
    auto account = contracts::accounts::load_account(state, core::account_id_of(key.public_key()));
    BAUHINIA_ASSERT_MSG(account.has_value(), "memory store read");
    const std::uint64_t sequence = *account ? (*account)->next_sequence : 0;
    auto tx = signed_transaction(kChainId, key, sequence, kTransactionExpiryMs, system::kModuleName,
                                 call, std::move(args));
    if (std::find(pending.begin(), pending.end(), tx.id) == pending.end()) {
      out.push_back(std::move(tx));
    }
  };
  if (open) {
    for (std::size_t d = 0; d < kDepartments; ++d) {
      const bool approved = std::any_of(
          open->approvals.begin(), open->approvals.end(),
          [&](const system::Approval& a) { return a.department == kDepartmentCodes[d]; });
      if (!approved) offer(d, "approve", core::encode(system::ProposalIdArgs{open->id}));
    }
    return out;
  }
  if (passed >= governance_plan_.size()) return out;
  const GovernanceStep& step = governance_plan_[passed];
  const std::size_t d = passed % kDepartments;
  system::ProposeArgs args;
  args.expiry_ms = kProposalExpiryMs;
  if (step.add) {
    system::AddValidatorTerms terms;
    terms.key = keys_[step.validator];
    terms.name = "v" + std::to_string(step.validator);
    terms.voting_power = 1;
    terms.department = kDepartmentCodes[d];
    args.kind = system::ProposalKind::kAddValidator;
    args.terms = core::encode(terms);
  } else {
    args.kind = system::ProposalKind::kRemoveValidator;
    args.terms = core::encode(system::RemoveValidatorTerms{keys_[step.validator]});
  }
  offer(d, "propose", core::encode(args));
  return out;
}

}  // namespace bauhinia::sim::detail
