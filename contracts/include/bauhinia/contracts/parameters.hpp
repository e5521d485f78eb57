#pragma once
// Chain parameters: every deadline, window and tolerance a module applies
// (an opposition period, an annual-return window, a grace period) is a
// parameter set at genesis and changed only by governance, never a constant
// in code. Each module declares its parameters (Module::parameters()) with
// the Hong Kong value as the default a genesis uses unless it overrides it;
// the values live in the system module's records (system/records.hpp) and
// modules read them at execution time with system::read_parameter().

#include <cstdint>
#include <string_view>

namespace bauhinia::contracts {

struct ParameterSpec {
  std::string_view name;  // "<module>.<name>", e.g. "trademark.opposition_period_days"
  std::uint64_t default_value = 0;
  std::uint64_t min_value = 0;  // governance refuses values outside [min, max]
  std::uint64_t max_value = 0;
  std::string_view unit;         // "days", "ms", "count", ...
  std::string_view description;  // with its source, e.g. "Trade Marks Ordinance s.44"
};

}  // namespace bauhinia::contracts
