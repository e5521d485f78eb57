// bauhinia-node: the department node's command line (docs/operator-guide.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <thread>

#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/genesis_builder.hpp"
#include "bauhinia/node/key_file.hpp"
#include "bauhinia/node/keygen.hpp"
#include "bauhinia/node/runtime.hpp"
#include "bauhinia/node/storage_guard.hpp"
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
  std::vector<std::filesystem::path> peer_descriptors;
  // Which of the defaulted options the operator gave (they win over descriptor.json).
  bool name_given = false;
  bool role_given = false;
  bool p2p_given = false;
  bool api_given = false;
};

// `init` in two forms. A home made by `keygen` (node_key and descriptor.json in
// it) keeps its key and takes name, role and addresses from its descriptor;
// its role is checked against the genesis. Otherwise init creates a new node
// key (--name required). --peer-descriptors adds every other descriptor's node
// as a peer, each checked against the genesis.
int run_init(const InitOptions& o) {
  std::error_code ec;
  if (std::filesystem::exists(o.home / "config.toml", ec)) {
    return fail((o.home / "config.toml").string() + " exists; refusing to overwrite");
  }
  auto genesis = node::load_genesis(o.genesis);
  if (!genesis) return fail(genesis.error().to_string());
  const auto key_path = o.home / node::kNodeKeyFileName;
  const auto descriptor_path = o.home / node::kDescriptorFileName;
  const bool has_key = std::filesystem::exists(key_path, ec);
  std::optional<node::NodeDescriptor> own;
  if (std::filesystem::exists(descriptor_path, ec)) {
    auto d = node::load_descriptor(descriptor_path);
    if (!d) return fail(d.error().detail);
    own = std::move(d).value();
  }
  if (own && !has_key) return fail(key_path.string() + " is missing (descriptor.json is there)");
  std::optional<core::ed25519::SecretKey> key;
  if (has_key) {
    auto k = node::read_ed25519_key(key_path);
    if (!k) return fail(k.error().to_string());
    key = std::move(k).value();
    if (own && own->node_key != key->public_key()) {
      return fail(descriptor_path.string() + ": node_key does not match " + key_path.string());
    }
  } else {
    key = core::ed25519::SecretKey::generate();
  }
  if (!own && !o.name_given) return fail("--name is required (or run keygen in --home first)");
  const std::string name = o.name_given ? o.name : own->name;
  const std::string role =
      o.role_given || !own ? o.role : std::string(node::descriptor_role(own->role));
  const std::string p2p = o.p2p_given || !own ? o.p2p_listen : own->p2p.to_string();
  const std::string api = o.api_given || !own || !own->api ? o.api_listen : own->api->to_string();
  if (own) {
    node::NodeDescriptor as_configured = *own;
    as_configured.role = role == "observer" ? node::Role::kObserver : node::Role::kValidator;
    if (as_configured.role == node::Role::kObserver) as_configured.voting_power = 0;
    if (auto v = node::check_against_genesis(*genesis, as_configured); !v) {
      return fail(o.genesis.string() + ": " + v.rejection().detail);
    }
  }
  std::vector<std::string> peer_entries = o.peers;
  if (!o.peer_descriptors.empty()) {
    auto loaded = node::load_descriptors(o.peer_descriptors);
    if (!loaded) return fail(loaded.error().detail);
    auto peers = node::peers_from_descriptors(*genesis, key->public_key(), *loaded);
    if (!peers) return fail(peers.error().detail);
    for (const auto& p : *peers) {
      peer_entries.push_back(p.key.to_hex() + "@" + p.endpoint.to_string());
    }
    for (const auto& v : genesis->validators.validators) {
      const bool listed = v.key == key->public_key() ||
                          std::any_of(peers->begin(), peers->end(),
                                      [&](const node::PeerAddress& p) { return p.key == v.key; });
      if (!listed) {
        std::cerr << "warning: genesis validator " << v.name
                  << " has no descriptor among --peer-descriptors; it is not a peer of this node\n";
      }
    }
  }
  std::filesystem::create_directories(o.home, ec);
  if (ec) return fail(o.home.string() + ": " + ec.message());
  // Build the config as text and parse it, so that init validates exactly like start.
  std::string peers;
  for (const auto& p : peer_entries) peers += "\"" + p + "\", ";
  const std::string text = "[node]\nname = \"" + name + "\"\nrole = \"" + role +
                           "\"\ndata_dir = \"data\"\nkey_file = \"node_key\"\ngenesis_file = \"" +
                           std::filesystem::absolute(o.genesis).string() +
                           "\"\n[network]\nlisten = \"" + p2p + "\"\npeers = [" + peers +
                           "]\n[api]\nlisten = \"" + api + "\"\n";
  auto config = node::parse_config(text, std::filesystem::absolute(o.home));
  if (!config) return fail(config.error().detail);
  if (!has_key) {
    if (auto s = node::write_ed25519_key(config->key_file, *key); !s) return fail(s.to_string());
  }
  std::ofstream out(o.home / "config.toml");
  out << node::format_config(*config);
  if (!out) return fail((o.home / "config.toml").string() + ": cannot write");
  std::cout << "initialised " << o.home.string() << " for chain " << genesis->chain_id << " as "
            << role << " " << name << " with " << config->peers.size() << " peers\n"
            << "node key (give it to the other operators): " << key->public_key().to_hex() << "\n";
  return 0;
}

int run_keygen(const node::KeygenOptions& o) {
  auto r = node::generate_node_keys(o);
  if (!r) return fail(r.error().to_string());
  // Standard output is the descriptor alone (keygen ... > ipd.json works); the
  // summary goes to standard error.
  std::cerr << "created in " << o.home.string() << ":\n"
            << "  " << r->node_key_file.filename().string()
            << "  Ed25519 node key (secret, mode 0600; it never leaves this host)\n";
  if (r->admin_key_file) {
    std::cerr << "  " << r->admin_key_file->filename().string()
              << "  BIP-340 admin key of department " << r->descriptor.department_code
              << " (secret, mode 0600; move it to the department administrator, off this "
                 "host)\n";
  }
  std::cerr << "  " << r->descriptor_file.filename().string()
            << "  public descriptor: send it to the consortium coordinator\n"
            << node::descriptor_role(r->descriptor.role) << " " << r->descriptor.name
            << ", node key " << r->descriptor.node_key.to_hex() << "\n";
  std::cout << node::descriptor_to_json(r->descriptor);
  return 0;
}

struct GenesisOptions {
  std::string chain_id;
  std::filesystem::path out;
  std::uint64_t timestamp_ms = 0;  // 0: now
  std::vector<std::filesystem::path> descriptors;
};

int run_genesis(const GenesisOptions& o) {
  std::error_code ec;
  if (std::filesystem::symlink_status(o.out, ec).type() != std::filesystem::file_type::not_found) {
    return fail(o.out.string() + " exists; refusing to overwrite a genesis");
  }
  auto loaded = node::load_descriptors(o.descriptors);
  if (!loaded) return fail(loaded.error().detail);
  const std::uint64_t timestamp_ms =
      o.timestamp_ms != 0
          ? o.timestamp_ms
          : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  auto built = node::build_genesis(o.chain_id, timestamp_ms, std::move(loaded).value());
  if (!built) return fail(built.error().detail);
  auto id = node::genesis_block_id(built->genesis);
  if (!id) return fail(id.error().to_string());
  const std::string text = node::genesis_to_json(built->genesis);
  if (auto s = node::write_new_file(o.out, text); !s) return fail(s.to_string());
  const core::Hash256 file_hash =
      core::sha256(core::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  for (const auto& w : built->warnings) std::cerr << "warning: " << w << "\n";
  const auto& g = built->genesis;
  const std::size_t observers = built->nodes.size() - g.validators.validators.size();
  std::cout << "wrote " << o.out.string() << ": chain " << g.chain_id << ", timestamp_ms "
            << g.timestamp_ms << ", " << g.validators.validators.size() << " validators, "
            << observers << (observers == 1 ? " observer, " : " observers, ")
            << g.departments.size() << " departments\n";
  for (const auto& [source, d] : built->nodes) {
    std::cout << "  " << std::left << std::setw(9) << node::descriptor_role(d.role) << " "
              << std::setw(16) << d.name << " " << std::setw(6) << d.department_code << " power "
              << d.voting_power << "  " << d.node_key.to_hex() << "  " << d.p2p.to_string() << "\n";
  }
  for (const auto& d : g.departments) {
    std::cout << "  department " << std::left << std::setw(6) << d.code << " admin "
              << d.admin_key.to_hex() << "  " << d.name << "\n";
  }
  std::cout << "genesis_id " << id->to_hex() << "\n"
            << "sha256 " << file_hash.to_hex() << "\n";
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

// A storage fault: the error, what to do, and its own exit code
// (storage_guard.hpp; docs/operator-guide.md, "Storage faults and recovery").
int fail_storage(node::StorageFault fault, const std::string& message,
                 const std::filesystem::path& home) {
  std::cerr << "bauhinia-node: " << message << "\n"
            << "bauhinia-node: what to do: " << node::remedy(fault, home) << "\n";
  return node::exit_code(fault);
}

// A write past RLIMIT_FSIZE must fail with EFBIG (a storage fault the node
// handles), not kill the process with SIGXFSZ half-way through a write.
void ignore_file_size_signal() {
  std::signal(SIGXFSZ, SIG_IGN);
}

int run_recover(const std::filesystem::path& home) {
  ignore_file_size_signal();
  auto config = node::load_config(home / "config.toml");
  if (!config) return fail(config.error().detail);
  node::StorageFault fault = node::StorageFault::kNone;
  auto r = node::recover_ledger(*config, &fault);
  if (!r) {
    if (fault != node::StorageFault::kNone) {
      return fail_storage(fault, "recover refused: " + r.error().message(), home);
    }
    return fail("recover refused: " + r.error().to_string());
  }
  if (r->safety) {
    std::cout << "kept the safety state: epoch " << r->safety->epoch << ", last voted round "
              << r->safety->last_voted_round << ", highest timeout round "
              << r->safety->highest_timeout_round << "\n";
  } else {
    std::cout << "no safety state to keep (observer)\n";
  }
  if (r->moved_ledger) {
    std::cout << "moved the ledger to " << r->moved_ledger->string()
              << " (delete it once the node has resynced)\n";
  } else {
    std::cout << "no ledger database to move\n";
  }
  std::cout << "keys kept; `bauhinia-node start --home " << home.string()
            << "` now resyncs the chain from the peers, verifying every block\n";
  return 0;
}

int run_start(const std::filesystem::path& home) {
  ignore_file_size_signal();
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
  node::StorageFault fault = node::StorageFault::kNone;
  auto runtime = node::NodeRuntime::open(*config, &fault);
  if (!runtime) {
    if (fault != node::StorageFault::kNone) {
      spdlog::critical("refusing to start: {}", runtime.error().message());
      return fail_storage(fault, "refusing to start: " + runtime.error().message(), home);
    }
    return fail(runtime.error().to_string());
  }
  if (auto s = (*runtime)->start(); !s) return fail(s.to_string());
  // Set before the node wakes its own signal thread, so that only a signal
  // from outside is logged as one (an operator must not blame an outside stop).
  std::atomic<bool> stopped_on_its_own{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (!stopped_on_its_own.load()) {
      spdlog::info("received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    (*runtime)->stop();
  });
  const core::Status result = (*runtime)->wait();
  (*runtime)->stop();
  // Wake the signal thread if the node stopped on its own.
  stopped_on_its_own = true;
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!result) {
    if (const auto f = (*runtime)->storage_fault(); f != node::StorageFault::kNone) {
      return fail_storage(f, "stopped: " + result.message(), home);
    }
    return fail(result.to_string());
  }
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
  auto* init_name = i->add_option("--name", init.name,
                                  "node name, e.g. IPD (default: from the home's descriptor.json)");
  i->add_option("--genesis", init.genesis, "the consortium's genesis.json")
      ->required()
      ->check(CLI::ExistingFile);
  auto* init_role = i->add_option("--role", init.role, "validator or observer");
  auto* init_p2p = i->add_option("--p2p-listen", init.p2p_listen, "peer-to-peer address (ip:port)");
  auto* init_api = i->add_option("--api-listen", init.api_listen, "HTTP API address (ip:port)");
  i->add_option("--peer", init.peers, "a peer as <node key hex>@ip:port (repeatable)");
  i->add_option("--peer-descriptors", init.peer_descriptors,
                "the consortium's descriptor files: every node but this one becomes a peer")
      ->check(CLI::ExistingFile);

  node::KeygenOptions keygen;
  std::string keygen_role = "validator";
  bool keygen_no_admin = false;
  auto* k = app.add_subcommand("keygen",
                               "create a node's keys and its public descriptor (genesis ceremony)");
  k->add_option("--home", keygen.home, "the node's folder")->required();
  k->add_option("--department", keygen.department_code, "department code, e.g. IPD")->required();
  k->add_option("--department-name", keygen.department_name,
                "department name (default for IPD, CR, DH, EPD, OGCIO)");
  k->add_option("--role", keygen_role, "validator or observer")
      ->check(CLI::IsMember({"validator", "observer"}));
  k->add_option("--name", keygen.name, "node name (default: the department code)");
  k->add_option("--p2p", keygen.p2p, "peer-to-peer address the other nodes dial (ip:port)");
  k->add_option("--api", keygen.api, "HTTP API address (ip:port)");
  k->add_option("--voting-power", keygen.voting_power, "a validator's voting power (default 1)");
  auto* k_pub = k->add_option("--admin-pubkey", keygen.admin_public_key_hex,
                              "the department's existing admin public key (no key created)");
  auto* k_none = k->add_flag("--no-admin-key", keygen_no_admin,
                             "no admin key: another descriptor of the department carries it");
  k_pub->excludes(k_none);

  GenesisOptions gen;
  auto* g = app.add_subcommand("genesis", "build genesis.json from the nodes' descriptors");
  g->add_option("--chain-id", gen.chain_id, "the consortium's chain id")->required();
  g->add_option("--out", gen.out, "genesis file to create")->required();
  g->add_option("--timestamp-ms", gen.timestamp_ms, "genesis time (default: now)");
  g->add_option("descriptors", gen.descriptors, "descriptor files (one per node)")
      ->required()
      ->check(CLI::ExistingFile);

  std::filesystem::path show_home;
  auto* s = app.add_subcommand("show-key", "print the node's public key");
  s->add_option("--home", show_home, "the node's folder")->required();

  std::filesystem::path start_home;
  auto* st = app.add_subcommand("start", "run the node until SIGINT or SIGTERM");
  st->add_option("--home", start_home, "the node's folder (with config.toml)")->required();

  std::filesystem::path recover_home;
  auto* rc = app.add_subcommand(
      "recover",
      "after a storage fault: keep the keys and safety state, move the ledger aside; the next "
      "start resyncs from the peers (the node must be stopped)");
  rc->add_option("--home", recover_home, "the node's folder (with config.toml)")->required();

  CLI11_PARSE(app, argc, argv);
  if (rc->parsed()) return run_recover(recover_home);
  if (st->parsed()) return run_start(start_home);
  if (t->parsed()) return run_testnet(testnet);
  if (i->parsed()) {
    init.name_given = init_name->count() > 0;
    init.role_given = init_role->count() > 0;
    init.p2p_given = init_p2p->count() > 0;
    init.api_given = init_api->count() > 0;
    return run_init(init);
  }
  if (k->parsed()) {
    keygen.role = keygen_role == "observer" ? node::Role::kObserver : node::Role::kValidator;
    if (k_pub->count() > 0) keygen.admin = node::AdminKeyChoice::kPublicKey;
    if (keygen_no_admin) keygen.admin = node::AdminKeyChoice::kNone;
    return run_keygen(keygen);
  }
  if (g->parsed()) return run_genesis(gen);
  if (s->parsed()) return run_show_key(show_home);
  return 1;
}
