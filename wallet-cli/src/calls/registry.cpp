#include <algorithm>

#include "bauhinia/wallet/call_spec.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "modules.hpp"

namespace bauhinia::wallet {

namespace {

// Refuses an argument the call does not have and a missing required one,
// before the call's own build() runs (so no module repeats these checks).
core::Verdict check_arg_names(const std::string& module, const std::string& call,
                              const std::vector<ArgSpec>& specs, const Args& args) {
  for (const auto& entry : args) {
    const std::string& name = entry.first;
    const bool known =
        std::any_of(specs.begin(), specs.end(), [&](const ArgSpec& a) { return a.name == name; });
    if (!known) {
      std::string names;
      for (const ArgSpec& a : specs) names += (names.empty() ? "--" : ", --") + a.name;
      return calls::arg_error(
          name, core::Reject::kInvalid,
          "not an argument of " + module + " " + call + " (its arguments: " + names + ")");
    }
  }
  for (const ArgSpec& a : specs) {
    if (a.required && args.find(a.name) == args.end()) {
      return calls::arg_error(a.name, core::Reject::kInvalid, "required: " + a.help);
    }
  }
  return core::Verdict::accept();
}

std::vector<CallSpec> gather() {
  std::vector<CallSpec> all;
  auto add = [&all](std::vector<CallSpec> specs) {
    for (auto& s : specs) all.push_back(std::move(s));
  };
  // The registration point: one line per module.
  add(calls::accounts_calls());
  add(calls::system_calls());
  add(calls::anchor_calls());
  add(calls::trademark_calls());
  add(calls::company_calls());
  add(calls::environment_calls());
  add(calls::health_calls());
  add(calls::drugs_calls());
  // Every build() first checks the argument names against the spec.
  for (CallSpec& s : all) {
    s.build = [build = std::move(s.build), args = s.args, module = s.module,
               call = s.call](const Args& given) -> core::Checked<BuiltCall> {
      if (core::Verdict v = check_arg_names(module, call, args, given); !v) return v.rejection();
      return build(given);
    };
  }
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
