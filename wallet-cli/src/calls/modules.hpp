#pragma once
// The call specs of each module (one function per module, one file each in
// this folder), gathered by registry.cpp.

#include <vector>

#include "bauhinia/wallet/call_spec.hpp"

namespace bauhinia::wallet::calls {

// One line per module (keep the order of registry.cpp).
std::vector<CallSpec> accounts_calls();
std::vector<CallSpec> system_calls();
std::vector<CallSpec> anchor_calls();
std::vector<CallSpec> trademark_calls();
std::vector<CallSpec> company_calls();
std::vector<CallSpec> environment_calls();
std::vector<CallSpec> health_calls();
std::vector<CallSpec> drugs_calls();

}  // namespace bauhinia::wallet::calls
