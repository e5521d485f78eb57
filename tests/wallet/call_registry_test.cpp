#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/wallet/call_spec.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

// Every registered call is named like its module's call and fully described,
// and no call is registered twice.
TEST(CallRegistry, EveryCallIsUniqueAndDescribed) {
  std::set<std::string> seen;
  for (const CallSpec& s : all_calls()) {
    EXPECT_TRUE(seen.insert(s.module + "/" + s.call).second) << s.module << " " << s.call;
    EXPECT_FALSE(s.summary.empty()) << s.call;
    EXPECT_NE(s.example.find("bauhinia-wallet " + s.module), std::string::npos) << s.call;
    EXPECT_TRUE(static_cast<bool>(s.build)) << s.call;
    EXPECT_EQ(find_call(s.module, s.call), &s);
  }
  EXPECT_EQ(find_call("no_such_module", "call"), nullptr);
}

// Each example is a complete command line of its own call: it names the
// module and the call with dashes, gives only declared arguments and every
// required one, and builds a described payload.
TEST(CallRegistry, EveryExampleIsAValidCommandLine) {
  const std::regex arg_name("[a-z][a-z0-9-]*");
  const std::regex call_name("[a-z][a-z0-9_]*");
  for (const CallSpec& s : all_calls()) {
    SCOPED_TRACE(s.module + " " + s.call);
    EXPECT_TRUE(std::regex_match(s.call, call_name));
    const testing::Example e = testing::parse_example(s.example);
    std::string command = s.call;
    std::replace(command.begin(), command.end(), '_', '-');
    EXPECT_EQ(e.program, "bauhinia-wallet");
    EXPECT_EQ(e.module, s.module);
    EXPECT_EQ(e.command, command);
    std::set<std::string> names;
    for (const ArgSpec& a : s.args) {
      EXPECT_TRUE(std::regex_match(a.name, arg_name)) << a.name;
      EXPECT_TRUE(names.insert(a.name).second) << "argument declared twice: " << a.name;
      EXPECT_FALSE(a.help.empty()) << a.name;
      if (a.required) {
        EXPECT_TRUE(e.args.count(a.name)) << "example lacks --" << a.name;
      }
      if (a.flag) {
        EXPECT_FALSE(a.required) << a.name;
      }
    }
    for (const auto& [name, value] : e.args) {
      EXPECT_TRUE(names.count(name)) << "example gives undeclared --" << name;
    }
    auto built = s.build(e.args);
    ASSERT_TRUE(built.has_value()) << built.error().to_string();
    EXPECT_FALSE(built->payload.empty() && s.call != "ping");
    EXPECT_FALSE(built->description.empty());
    for (const std::string& line : built->description) EXPECT_FALSE(line.empty());
    // build() is pure: the same arguments, the same payload.
    EXPECT_EQ(s.build(e.args)->payload, built->payload);
  }
}

// Every module of the chain has its commands (a module whose calls no person
// makes would be listed here with the reason), and every command of a module
// that lists its calls is one of them.
TEST(CallRegistry, EveryModuleOfTheChainHasItsCommands) {
  const contracts::ModuleSet modules;
  const std::set<std::string> without_user_calls{};
  for (const auto& m : modules.modules()) {
    const std::string name(m->name());
    if (without_user_calls.count(name)) continue;
    bool any = false;
    for (const CallSpec& s : all_calls()) any = any || s.module == name;
    EXPECT_TRUE(any) << "module " << name << " has no wallet commands";
  }
  for (const CallSpec& s : all_calls()) {
    EXPECT_NE(modules.find(s.module), nullptr) << "no module " << s.module << " on the chain";
  }
  std::set<std::string> trademark;
  for (const CallSpec& s : all_calls()) {
    if (s.module == "trademark") trademark.insert(s.call);
  }
  const std::set<std::string> calls(contracts::trademark::kCalls.begin(),
                                    contracts::trademark::kCalls.end());
  EXPECT_EQ(trademark, calls);
}

// No call's argument takes a name the wallet's own options use on every call
// command (the command line would be ambiguous).
TEST(CallRegistry, NoArgumentShadowsAWalletOption) {
  const std::set<std::string> reserved{
      "key",     "cosign-key", "sequence", "out",    "chain-id", "expires-in", "dry-run",
      "no-wait", "json",       "node",     "config", "keystore", "help",       "passphrase-file"};
  for (const CallSpec& s : all_calls()) {
    for (const ArgSpec& a : s.args) {
      EXPECT_FALSE(reserved.count(a.name)) << s.module << " " << s.call << " --" << a.name;
    }
  }
}

// Unknown and missing arguments are refused before a call's own parsing.
TEST(CallRegistry, UnknownAndMissingArgumentsAreRefused) {
  for (const CallSpec& s : all_calls()) {
    SCOPED_TRACE(s.module + " " + s.call);
    Args args = testing::parse_example(s.example).args;
    args["no-such-argument"] = "1";
    auto r = s.build(args);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(
        r.error().detail.find("--no-such-argument: not an argument of " + s.module + " " + s.call),
        std::string::npos)
        << r.error().detail;
    for (const ArgSpec& a : s.args) {
      if (!a.required) continue;
      Args missing = testing::parse_example(s.example).args;
      missing.erase(a.name);
      auto m = s.build(missing);
      ASSERT_FALSE(m.has_value()) << a.name;
      EXPECT_EQ(m.error().detail.rfind("--" + a.name + ": required", 0), 0U) << m.error().detail;
    }
  }
}

}  // namespace
}  // namespace bauhinia::wallet
