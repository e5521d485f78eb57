#include "bauhinia/contracts/drugs/module.hpp"

#include <array>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::drugs {

namespace {

using detail::fail;
using detail::TxOutcome;

// A recall writes about 4 records and emits one event per holder in one
// transaction (kMaxWritesPerCall 1024, kMaxEventsPerCall 255): 128 holders
// at most keeps it well inside both.
constexpr std::array<ParameterSpec, 1> kParameters{{
    {kMaxHoldersPerBatch, 64, 1, 128, "count",
     "Accounts that may hold units of one batch at once, so that a recall reaches every holder "
     "in one transaction (a ledger limit, not a legal one)"},
}};

CallResult dispatch(CallContext& call, StateView& state) {
  const std::string& name = call.tx().call;
  if (name == "register_product") return detail::apply_register_product(call, state);
  if (name == "create_batch") return detail::apply_create_batch(call, state);
  if (name == "transfer") return detail::apply_transfer(call, state);
  if (name == "recall") return detail::apply_recall(call, state);
  if (name == "acknowledge_recall") return detail::apply_acknowledge(call, state);
  if (name == "return_recalled") return detail::apply_return(call, state);
  return fail(TxOutcome::kInvalidArgument, "unknown_call",
              "module drugs has no call '" + name + "'");
}

}  // namespace

std::span<const ParameterSpec> DrugsModule::parameters() const {
  return kParameters;
}

CallResult DrugsModule::apply(CallContext& call, StateView& state) const {
  return dispatch(call, state);
}

core::Verdict DrugsModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

}  // namespace bauhinia::contracts::drugs
