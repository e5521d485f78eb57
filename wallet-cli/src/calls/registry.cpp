#include <algorithm>

#include "bauhinia/wallet/call_spec.hpp"
#include "modules.hpp"

namespace bauhinia::wallet {

namespace {

std::vector<CallSpec> gather() {
  std::vector<CallSpec> all;
  auto add = [&all](std::vector<CallSpec> specs) {
    for (auto& s : specs) all.push_back(std::move(s));
  };
  // The registration point: one line per module.
  (void)add;
  return all;
}

std::string normalised(std::string_view call) {
  std::string s(call);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

}  // namespace

const std::vector<CallSpec>& all_calls() {
  static const std::vector<CallSpec> calls = gather();
  return calls;
}

const CallSpec* find_call(std::string_view module, std::string_view call) {
  const std::string name = normalised(call);
  for (const CallSpec& s : all_calls()) {
    if (s.module == module && s.call == name) return &s;
  }
  return nullptr;
}

}  // namespace bauhinia::wallet
