// bauhinia-node: the department node's command line (docs/operator-guide.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>

#include <cstdio>
#include <iostream>
#include <thread>

#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/key_file.hpp"
#include "bauhinia/node/runtime.hpp"
#include "bauhinia/node/testnet.hpp"

namespace {

using namespace bauhinia;

int fail(const std::string& message) {
  std::cerr << "bauhinia-node: " << message << "\n";
  return 1;
}

int run_testnet(const node::TestnetOptions& o) {
  auto nodes = node::generate_testnet(o);
  if (!nodes) return fail(nodes.error().to_string());
  std::cout << "wrote a consortium of " << o.validators << " validators and " << o.observers
            << " observers to " << o.out.string() << "\n";
  for (const auto& n : *nodes) {
    std::cout << "  " << (n.validator ? "validator " : "observer  ") << n.name << "  "
              << n.home.string() << "/config.toml\n";
  }
  std::cout << "department admin keys: " << (o.out / "keys").string() << "\n";
  return 0;
}

struct InitOptions {
  std::filesystem::path home;
  std::string name;
  std::string role = "validator";
  std::filesystem::path genesis;
  std::string p2p_listen = "127.0.0.1:26600";
  std::string api_listen = "127.0.0.1:8600";
  std::vector<std::string> peers;
};

int run_init(const InitOptions& o) {
  std::error_code ec;
  if (std::filesystem::exists(o.home / "config.toml", ec)) {
    return fail((o.home / "config.toml").string() + " exists; refusing to overwrite");
  }
  auto genesis = node::load_genesis(o.genesis);
  if (!genesis) return fail(genesis.error().to_string());
  std::filesystem::create_directories(o.home, ec);
  if (ec) return fail(o.home.string() + ": " + ec.message());
  // Build the config as text and parse it, so that init validates exactly like start.
  std::string peers;
  for (const auto& p : o.peers) peers += "\"" + p + "\", ";
  const std::string text = "[node]\nname = \"" + o.name + "\"\nrole = \"" + o.role +
                           "\"\ndata_dir = \"data\"\nkey_file = \"node_key\"\ngenesis_file = \"" +
                           std::filesystem::absolute(o.genesis).string() +
                           "\"\n[network]\nlisten = \"" + o.p2p_listen + "\"\npeers = [" + peers +
                           "]\n[api]\nlisten = \"" + o.api_listen + "\"\n";
  auto config = node::parse_config(text, std::filesystem::absolute(o.home));
  if (!config) return fail(config.error().detail);
  const auto key = core::ed25519::SecretKey::generate();
  if (auto s = node::write_ed25519_key(config->key_file, key); !s) return fail(s.to_string());
  std::ofstream out(o.home / "config.toml");
  out << node::format_config(*config);
  if (!out) return fail((o.home / "config.toml").string() + ": cannot write");
  std::cout << "initialised " << o.home.string() << " for chain " << genesis->chain_id << "\n"
            << "node key (give it to the other operators): " << key.public_key().to_hex() << "\n";
  return 0;
}

int run_show_key(const std::filesystem::path& home) {
  auto config = node::load_config(home / "config.toml");
  if (!config) return fail(config.error().detail);
  auto key = node::read_ed25519_key(config->key_file);
  if (!key) return fail(key.error().to_string());
  std::cout << key->public_key().to_hex() << "\n";
  return 0;
}

int run_start(const std::filesystem::path& home) {
  auto config = node::load_config(home / "config.toml");
  if (!config) return fail(config.error().detail);
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + config->name + "] %v");
  // SIGINT/SIGTERM: a clean stop. Block them here so that every thread
  // inherits the mask and sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto runtime = node::NodeRuntime::open(*config);
  if (!runtime) return fail(runtime.error().to_string());
  if (auto s = (*runtime)->start(); !s) return fail(s.to_string());
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    (*runtime)->stop();
  });
  const core::Status result = (*runtime)->wait();
  (*runtime)->stop();
  // Wake the signal thread if the node stopped on its own.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!result) return fail(result.to_string());
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Bauhinia Ledger department node"};
  app.require_subcommand(1);

  node::TestnetOptions testnet;
  auto* t = app.add_subcommand("testnet", "write the files of a local consortium on loopback");
  t->add_option("--validators", testnet.validators, "number of validators (1..100)")
      ->check(CLI::Range(1, 100));
  t->add_option("--observers", testnet.observers, "number of observers (0..16)")
      ->check(CLI::Range(0, 16));
  t->add_option("--out", testnet.out, "folder to create")->required();
  t->add_option("--chain-id", testnet.chain_id, "chain id");
  t->add_option("--p2p-base-port", testnet.p2p_base_port, "node i listens on base + i");
  t->add_option("--api-base-port", testnet.api_base_port, "node i serves its API on base + i");

  InitOptions init;
  auto* i = app.add_subcommand("init", "create a node's home folder: key and config");
  i->add_option("--home", init.home, "the node's folder")->required();
  i->add_option("--name", init.name, "node name, e.g. IPD")->required();
  i->add_option("--genesis", init.genesis, "the consortium's genesis.json")
      ->required()
      ->check(CLI::ExistingFile);
  i->add_option("--role", init.role, "validator or observer");
  i->add_option("--p2p-listen", init.p2p_listen, "peer-to-peer address (ip:port)");
  i->add_option("--api-listen", init.api_listen, "HTTP API address (ip:port)");
  i->add_option("--peer", init.peers, "a peer as <node key hex>@ip:port (repeatable)");

  std::filesystem::path show_home;
  auto* s = app.add_subcommand("show-key", "print the node's public key");
  s->add_option("--home", show_home, "the node's folder")->required();

  std::filesystem::path start_home;
  auto* st = app.add_subcommand("start", "run the node until SIGINT or SIGTERM");
  st->add_option("--home", start_home, "the node's folder (with config.toml)")->required();

  CLI11_PARSE(app, argc, argv);
  if (st->parsed()) return run_start(start_home);
  if (t->parsed()) return run_testnet(testnet);
  if (i->parsed()) return run_init(init);
  if (s->parsed()) return run_show_key(show_home);
  return 1;
}
