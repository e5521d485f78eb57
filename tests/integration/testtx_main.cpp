// bauhinia-testtx: signs transactions of the contract modules for the integration
// tests and the demo (tests/integration/README.md). Real BIP-340 keys and the
// real transaction envelope; the nodes verify every signature.
//
//   bauhinia-testtx keygen --out FILE
//       writes a new BIP-340 secret key (mode 0600) and prints its account
//   bauhinia-testtx account --key FILE
//       prints {"account_id": hex, "public_key": hex, "address": bech32m}
//   bauhinia-testtx ping --key FILE (--genesis FILE | --chain-id ID)
//                        --sequence N [--count K] [--memo TEXT] [--ttl-ms T]
//       prints K lines "<transaction id hex> <transaction hex>", sequences
//       N..N+K-1; with K > 1 each memo ends in " #<sequence>"
//   bauhinia-testtx propose --key FILE (--genesis FILE | --chain-id ID) --sequence N
//                           --expiry-ms T --kind KIND [terms]
//       a system.propose transaction (docs/contracts/system.md). KIND and terms:
//         add-validator --node-key HEX --name NAME --power P --department CODE
//         remove-validator --node-key HEX
//         rotate-validator-key --node-key OLD --new-node-key NEW
//         add-department --code CODE --department-name NAME --admin-key HEX
//         retire-department --code CODE
//         rotate-admin-key --code CODE --admin-key HEX
//         set-parameter --parameter NAME --value V
//   bauhinia-testtx approve|withdraw|close-expired --key FILE (--genesis FILE |
//                           --chain-id ID) --sequence N --id PROPOSAL
//       a system.approve / withdraw / close_expired transaction
//   bauhinia-testtx demo-records --keys DIR --genesis FILE --stage S [--sequence NAME=N]...
//       the demo's sample registers, stage S (demo/demo_records.hpp): lines
//       "<id hex> <transaction hex> <department> <description>"; stage 0 creates the
//       demo's keys in DIR and prints "<key name> <account id hex>" for each
//   bauhinia-testtx health-* ...
//       health module transactions and payload API bodies (testtx_health.hpp)
#include <CLI/CLI.hpp>

#include <charconv>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/key_file.hpp"
#include "demo/demo_records.hpp"
#include "testtx_health.hpp"

namespace {

using namespace bauhinia;

// Bounds on what one invocation produces.
constexpr std::uint64_t kMaxCount = 100000;
constexpr std::uint64_t kMaxTtlMs = 24ULL * 3600 * 1000;

int fail(const std::string& message) {
  std::cerr << "bauhinia-testtx: " << message << "\n";
  return 1;
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::string account_json(const core::schnorr::PublicKey& key) {
  const core::AccountId id = core::account_id_of(key);
  return "{\"account_id\": \"" + id.to_hex() + "\", \"public_key\": \"" + key.to_hex() +
         "\", \"address\": \"" + core::encode_address(core::kTestnetAddressPrefix, id) + "\"}";
}

int run_keygen(const std::filesystem::path& out) {
  const auto key = core::schnorr::SecretKey::generate();
  if (auto s = node::write_schnorr_key(out, key); !s) return fail(s.to_string());
  std::cout << account_json(key.public_key()) << "\n";
  return 0;
}

int run_account(const std::filesystem::path& key_file) {
  auto key = node::read_schnorr_key(key_file);
  if (!key) return fail(key.error().to_string());
  std::cout << account_json(key->public_key()) << "\n";
  return 0;
}

struct PingOptions {
  std::filesystem::path key_file;
  std::filesystem::path genesis;
  std::string chain_id;
  std::uint64_t sequence = 0;
  std::uint64_t count = 1;
  std::string memo = "ping";
  std::uint64_t ttl_ms = 10 * 60 * 1000;
};

int run_ping(const PingOptions& o) {
  std::string chain_id = o.chain_id;
  if (!o.genesis.empty()) {
    auto genesis = node::load_genesis(o.genesis);
    if (!genesis) return fail(genesis.error().to_string());
    chain_id = genesis->chain_id;
  }
  if (chain_id.empty()) return fail("give --genesis or --chain-id");
  auto key = node::read_schnorr_key(o.key_file);
  if (!key) return fail(key.error().to_string());

  chain::Transaction tx;
  tx.chain_id = chain_id;
  tx.public_key = key->public_key();
  tx.sender = core::account_id_of(tx.public_key);
  tx.expiry_ms = now_ms() + o.ttl_ms;
  tx.module = std::string(contracts::accounts::kModuleName);
  tx.call = "ping";
  for (std::uint64_t i = 0; i < o.count; ++i) {
    tx.sequence = o.sequence + i;
    std::string memo = o.memo;
    if (o.count > 1) memo += " #" + std::to_string(tx.sequence);
    if (memo.size() > contracts::accounts::kMaxMemoSize) {
      return fail("memo is longer than " + std::to_string(contracts::accounts::kMaxMemoSize) +
                  " bytes");
    }
    contracts::accounts::PingArgs args{core::Bytes(memo.begin(), memo.end())};
    tx.payload = core::encode(args);
    tx.sign(*key);
    if (auto v = tx.validate(); !v)
      return fail("built an invalid transaction: " + v.rejection().to_string());
    std::cout << tx.id().to_hex() << " " << core::to_hex(tx.encoded()) << "\n";
  }
  std::cout.flush();
  return std::cout ? 0 : fail("cannot write to stdout");
}

struct SystemOptions {
  std::filesystem::path key_file;
  std::filesystem::path genesis;
  std::string chain_id;
  std::uint64_t sequence = 0;
  std::uint64_t ttl_ms = 10 * 60 * 1000;
  // propose
  std::uint64_t expiry_ms = 0;
  std::string kind;
  std::string node_key, new_node_key, name, department, code, department_name, admin_key, parameter;
  std::uint64_t power = 1;
  std::uint64_t value = 0;
  // approve / withdraw / close-expired
  std::uint64_t id = 0;
};

core::Checked<core::Bytes> proposal_payload(const SystemOptions& o) {
  using namespace contracts::system;  // NOLINT(google-build-using-namespace)
  ProposeArgs args;
  args.expiry_ms = o.expiry_ms;
  auto node = [](const std::string& hex) { return core::ed25519::PublicKey::from_hex(hex); };
  auto admin = [](const std::string& hex) { return core::schnorr::PublicKey::from_hex(hex); };
  if (o.kind == "add-validator") {
    auto k = node(o.node_key);
    if (!k) return std::move(k).error();
    args.kind = ProposalKind::kAddValidator;
    args.terms = core::encode(AddValidatorTerms{*k, o.name, o.power, o.department});
  } else if (o.kind == "remove-validator") {
    auto k = node(o.node_key);
    if (!k) return std::move(k).error();
    args.kind = ProposalKind::kRemoveValidator;
    args.terms = core::encode(RemoveValidatorTerms{*k});
  } else if (o.kind == "rotate-validator-key") {
    auto old_key = node(o.node_key);
    auto new_key = node(o.new_node_key);
    if (!old_key) return std::move(old_key).error();
    if (!new_key) return std::move(new_key).error();
    args.kind = ProposalKind::kRotateValidatorKey;
    args.terms = core::encode(RotateValidatorKeyTerms{*old_key, *new_key});
  } else if (o.kind == "add-department") {
    auto k = admin(o.admin_key);
    if (!k) return std::move(k).error();
    args.kind = ProposalKind::kAddDepartment;
    args.terms = core::encode(AddDepartmentTerms{o.code, o.department_name, *k});
  } else if (o.kind == "retire-department") {
    args.kind = ProposalKind::kRetireDepartment;
    args.terms = core::encode(RetireDepartmentTerms{o.code});
  } else if (o.kind == "rotate-admin-key") {
    auto k = admin(o.admin_key);
    if (!k) return std::move(k).error();
    args.kind = ProposalKind::kRotateAdminKey;
    args.terms = core::encode(RotateAdminKeyTerms{o.code, *k});
  } else if (o.kind == "set-parameter") {
    args.kind = ProposalKind::kSetParameter;
    args.terms = core::encode(SetParameterTerms{o.parameter, o.value});
  } else {
    return core::reject(core::Reject::kInvalid, "unknown --kind '" + o.kind + "'");
  }
  return core::encode(args);
}

int run_system(const std::string& call, const SystemOptions& o) {
  std::string chain_id = o.chain_id;
  if (!o.genesis.empty()) {
    auto genesis = node::load_genesis(o.genesis);
    if (!genesis) return fail(genesis.error().to_string());
    chain_id = genesis->chain_id;
  }
  if (chain_id.empty()) return fail("give --genesis or --chain-id");
  auto key = node::read_schnorr_key(o.key_file);
  if (!key) return fail(key.error().to_string());
  chain::Transaction tx;
  tx.chain_id = chain_id;
  tx.public_key = key->public_key();
  tx.sender = core::account_id_of(tx.public_key);
  tx.sequence = o.sequence;
  tx.expiry_ms = now_ms() + o.ttl_ms;
  tx.module = "system";
  tx.call = call;
  if (call == "propose") {
    auto payload = proposal_payload(o);
    if (!payload) return fail(payload.error().to_string());
    tx.payload = std::move(*payload);
  } else {
    tx.payload = core::encode(contracts::system::ProposalIdArgs{o.id});
  }
  tx.sign(*key);
  if (auto v = tx.validate(); !v)
    return fail("built an invalid transaction: " + v.rejection().to_string());
  std::cout << tx.id().to_hex() << " " << core::to_hex(tx.encoded()) << "\n";
  std::cout.flush();
  return std::cout ? 0 : fail("cannot write to stdout");
}

CLI::App* add_system_command(CLI::App& app, const std::string& name, const std::string& help,
                             SystemOptions& o) {
  auto* c = app.add_subcommand(name, help);
  c->add_option("--key", o.key_file, "BIP-340 key file of the department admin")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--genesis", o.genesis, "genesis.json (for the chain id)")
      ->check(CLI::ExistingFile);
  c->add_option("--chain-id", o.chain_id, "chain id (instead of --genesis)");
  c->add_option("--sequence", o.sequence, "the sender's sequence number")->required();
  c->add_option("--ttl-ms", o.ttl_ms, "transaction expiry: now + this")
      ->check(CLI::Range(std::uint64_t{1000}, kMaxTtlMs));
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Signs accounts- and system-module transactions for tests and the demo"};
  app.require_subcommand(1);

  std::filesystem::path keygen_out;
  auto* keygen = app.add_subcommand("keygen", "write a new BIP-340 key file (0600)");
  keygen->add_option("--out", keygen_out, "file to create")->required();

  std::filesystem::path account_key;
  auto* account = app.add_subcommand("account", "print a key's account id, key and address");
  account->add_option("--key", account_key, "BIP-340 key file")
      ->required()
      ->check(CLI::ExistingFile);

  PingOptions ping;
  auto* p = app.add_subcommand("ping", "print signed accounts.ping transactions, one a line");
  p->add_option("--key", ping.key_file, "BIP-340 key file of the sender")
      ->required()
      ->check(CLI::ExistingFile);
  p->add_option("--genesis", ping.genesis, "genesis.json (for the chain id)")
      ->check(CLI::ExistingFile);
  p->add_option("--chain-id", ping.chain_id, "chain id (instead of --genesis)");
  p->add_option("--sequence", ping.sequence, "the first sequence number")->required();
  p->add_option("--count", ping.count, "how many transactions")
      ->check(CLI::Range(std::uint64_t{1}, kMaxCount));
  p->add_option("--memo", ping.memo, "memo text (at most 256 bytes)");
  p->add_option("--ttl-ms", ping.ttl_ms, "expiry: now + this")
      ->check(CLI::Range(std::uint64_t{1000}, kMaxTtlMs));

  SystemOptions sys;
  auto* propose = add_system_command(app, "propose", "print a signed system.propose", sys);
  propose->add_option("--expiry-ms", sys.expiry_ms, "the proposal's expiry (Unix ms)")->required();
  propose->add_option("--kind", sys.kind, "add-validator, remove-validator, ...")->required();
  propose->add_option("--node-key", sys.node_key, "validator Ed25519 key (hex)");
  propose->add_option("--new-node-key", sys.new_node_key, "rotate-validator-key: the new key");
  propose->add_option("--name", sys.name, "add-validator: the validator's name");
  propose->add_option("--power", sys.power, "add-validator: voting power");
  propose->add_option("--department", sys.department, "add-validator: its department");
  propose->add_option("--code", sys.code, "department code");
  propose->add_option("--department-name", sys.department_name, "add-department: name");
  propose->add_option("--admin-key", sys.admin_key, "BIP-340 admin key (hex)");
  propose->add_option("--parameter", sys.parameter, "set-parameter: the name");
  propose->add_option("--value", sys.value, "set-parameter: the value");
  std::vector<std::pair<CLI::App*, std::string>> by_id;
  for (const auto& [command, call] : {std::pair<std::string, std::string>{"approve", "approve"},
                                      {"withdraw", "withdraw"},
                                      {"close-expired", "close_expired"}}) {
    auto* c = add_system_command(app, command, "print a signed system." + call, sys);
    c->add_option("--id", sys.id, "the proposal id")->required();
    by_id.emplace_back(c, call);
  }

  demo::DemoOptions demo_options;
  std::filesystem::path demo_genesis;
  std::vector<std::string> demo_sequences;
  auto* demo_cmd = app.add_subcommand(
      "demo-records", "print one stage of the demo's sample registers (tests/integration/demo/)");
  demo_cmd->add_option("--keys", demo_options.keys, "the demo's key folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  demo_cmd->add_option("--genesis", demo_genesis, "genesis.json (for the chain id)")
      ->required()
      ->check(CLI::ExistingFile);
  demo_cmd
      ->add_option("--stage", demo_options.stage,
                   "1.." + std::to_string(demo::kStages) +
                       "; 0 creates the demo's keys and prints 'name account_id' for each")
      ->required()
      ->check(CLI::Range(0, demo::kStages));
  demo_cmd->add_option("--sequence", demo_sequences, "NAME=N: the next sequence of key NAME");
  demo_cmd->add_option("--private-out", demo_options.private_out,
                       "append the stage's private values (never on chain) to this file");

  const testtx::HealthCommands health(app);  // health-* (testtx_health.hpp)
  CLI11_PARSE(app, argc, argv);
  if (auto rc = health.run_if_parsed()) return *rc;
  if (demo_cmd->parsed()) {
    auto genesis = node::load_genesis(demo_genesis);
    if (!genesis) return fail(genesis.error().to_string());
    demo_options.chain_id = genesis->chain_id;
    demo_options.now_ms = now_ms();
    for (const std::string& item : demo_sequences) {
      const auto eq = item.find('=');
      std::uint64_t n = 0;
      const char* end = item.data() + item.size();
      if (eq == std::string::npos || eq == 0 ||
          std::from_chars(item.data() + eq + 1, end, n).ptr != end || eq + 1 == item.size()) {
        return fail("--sequence takes NAME=N, got '" + item.substr(0, 64) + "'");
      }
      demo_options.sequences[item.substr(0, eq)] = n;
    }
    return demo::run_demo_records(demo_options);
  }
  if (propose->parsed()) return run_system("propose", sys);
  for (const auto& [c, call] : by_id) {
    if (c->parsed()) return run_system(call, sys);
  }
  if (keygen->parsed()) return run_keygen(keygen_out);
  if (account->parsed()) return run_account(account_key);
  if (p->parsed()) return run_ping(ping);
  return 1;
}
