#pragma once
// Admission that refuses exactly what execution would: the module's apply()
// runs over a scratch view of the state (reads see the call's own writes;
// nothing reaches the state) and its CallResult becomes the verdict, the
// message starting with the typed reason ("<reason>: <message>"). The register
// modules implement Module::check with it.

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

core::Verdict check_by_applying(const Module& module, const CallContext& call,
                                const StateView& state);

}  // namespace bauhinia::contracts
