// bauhinia-peer-harness <attack> --home DIR --target KEY_OR_NAME [--source KEY_OR_NAME]
//                       [--variant V] [--set key=value]... [--timeout-ms N]
//   Joins the consortium of DIR's testnet as DIR's node (real handshake, real
//   key), runs the attack against --target and prints "RESULT ..." last.
// bauhinia-peer-harness list
//   Prints the attacks.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "harness.hpp"

using namespace bauhinia;
using namespace bauhinia::peer_harness;

int main(int argc, char** argv) {
  CLI::App app{"A misbehaving consortium peer for the integration tests"};
  std::string attack_name;
  std::filesystem::path home;
  std::string target;
  std::string source;
  std::string variant;
  std::vector<std::string> sets;
  std::uint64_t timeout_ms = 30'000;
  app.add_option("attack", attack_name, "the attack to run, or `list`")->required();
  app.add_option("--home", home, "a node home of the testnet (its node must not run)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--target", target, "the victim: node key (hex) or node name");
  app.add_option("--source", source, "an honest node to copy real data from");
  app.add_option("--variant", variant, "the attack's variant");
  app.add_option("--set", sets, "an attack parameter key=value (repeatable)");
  app.add_option("--timeout-ms", timeout_ms, "bound on each wait")
      ->check(CLI::Range(std::uint64_t{100}, std::uint64_t{600'000}));
  CLI11_PARSE(app, argc, argv);

  if (attack_name == "list") {
    for (const auto& a : attacks()) std::cout << a.name << ": " << a.help << "\n";
    return 0;
  }
  auto it = std::find_if(attacks().begin(), attacks().end(),
                         [&](const Attack& a) { return a.name == attack_name; });
  if (it == attacks().end()) {
    std::cerr << "bauhinia-peer-harness: unknown attack " << attack_name << " (try `list`)\n";
    return 64;
  }
  if (home.empty() || target.empty()) {
    std::cerr << "bauhinia-peer-harness: --home and --target are required\n";
    return 64;
  }
  auto h = Harness::open(home);
  if (!h) {
    std::cerr << "bauhinia-peer-harness: " << h.error().to_string() << "\n";
    return 64;
  }
  AttackArgs args;
  args.timeout = Millis(timeout_ms);
  args.variant = variant;
  auto t = (*h)->resolve(target);
  if (!t) {
    std::cerr << "bauhinia-peer-harness: --target: " << t.error().to_string() << "\n";
    return 64;
  }
  args.target = *t;
  if (!source.empty()) {
    auto s = (*h)->resolve(source);
    if (!s) {
      std::cerr << "bauhinia-peer-harness: --source: " << s.error().to_string() << "\n";
      return 64;
    }
    args.source = *s;
  }
  for (const auto& kv : sets) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "bauhinia-peer-harness: --set " << kv << ": expected key=value\n";
      return 64;
    }
    args.params[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (auto s = (*h)->start(); !s) {
    std::cerr << "bauhinia-peer-harness: " << s.to_string() << "\n";
    return 69;
  }
  say("joined as " + (*h)->key().to_hex().substr(0, 12) + " (" + (*h)->config().name +
      "), attack " + it->name + (variant.empty() ? "" : " variant " + variant));
  const int code = it->run(**h, args);
  (*h)->stop();
  return code;
}
