#include "bauhinia/node/testnet.hpp"

#include <chrono>
#include <fstream>

#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::node {

namespace {

core::Status write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) return core::Status::io_error(path.string() + ": cannot write");
  return core::Status::ok();
}

std::string node_name(std::size_t i, bool validator) {
  if (!validator) return "OBS" + std::to_string(i + 1);
  if (i < std::size(kPilotDepartments)) return kPilotDepartments[i].code;
  return "V" + std::to_string(i + 1);
}

}  // namespace

core::Result<std::vector<TestnetNode>> generate_testnet(const TestnetOptions& o) {
  if (o.validators < 1 || o.validators > 100) {
    return core::Status::invalid_argument("--validators must be 1..100");
  }
  if (o.observers > 16) return core::Status::invalid_argument("--observers must be 0..16");
  const std::size_t total = o.validators + o.observers;
  if (static_cast<std::size_t>(o.p2p_base_port) + total > 65535 ||
      static_cast<std::size_t>(o.api_base_port) + total > 65535) {
    return core::Status::invalid_argument("ports beyond 65535");
  }
  std::error_code ec;
  if (std::filesystem::exists(o.out, ec) && !std::filesystem::is_empty(o.out, ec)) {
    return core::Status::invalid_argument(o.out.string() + " exists and is not empty");
  }
  std::filesystem::create_directories(o.out / "keys", ec);
  if (ec) return core::Status::io_error(o.out.string() + ": " + ec.message());

  Genesis genesis;
  genesis.chain_id = o.chain_id;
  genesis.timestamp_ms =
      o.timestamp_ms != 0
          ? o.timestamp_ms
          : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  genesis.validators.epoch = 0;

  std::vector<TestnetNode> nodes;
  std::vector<core::ed25519::PublicKey> node_keys;
  for (std::size_t i = 0; i < total; ++i) {
    const bool validator = i < o.validators;
    TestnetNode n{node_name(validator ? i : i - o.validators, validator), o.out / "", validator};
    n.home = o.out / n.name;
    std::filesystem::create_directories(n.home, ec);
    if (ec) return core::Status::io_error(n.home.string() + ": " + ec.message());
    const auto key = core::ed25519::SecretKey::generate();
    if (auto s = write_ed25519_key(n.home / "node_key", key); !s) return s;
    node_keys.push_back(key.public_key());
    if (validator) {
      genesis.validators.validators.push_back(chain::ValidatorInfo{key.public_key(), 1, n.name});
    }
    nodes.push_back(std::move(n));
  }
  for (const auto& d : kPilotDepartments) {
    const auto admin = core::schnorr::SecretKey::generate();
    const auto path = o.out / "keys" / (std::string(d.code) + "-admin.key");
    if (auto s = write_schnorr_key(path, admin); !s) return s;
    genesis.departments.push_back(Department{d.code, d.name, admin.public_key()});
  }
  if (auto v = genesis.validate(); !v) {
    return core::Status::internal("generated genesis is invalid: " + v.rejection().to_string());
  }
  if (auto s = write_text(o.out / "genesis.json", genesis_to_json(genesis)); !s) return s;

  for (std::size_t i = 0; i < total; ++i) {
    NodeConfig c;
    c.name = nodes[i].name;
    c.role = nodes[i].validator ? Role::kValidator : Role::kObserver;
    c.home = nodes[i].home;
    c.data_dir = c.home / "data";
    c.key_file = c.home / "node_key";
    c.genesis_file = o.out / "genesis.json";
    c.p2p_listen = Endpoint{o.host, static_cast<std::uint16_t>(o.p2p_base_port + i)};
    c.api_listen = Endpoint{o.host, static_cast<std::uint16_t>(o.api_base_port + i)};
    for (std::size_t j = 0; j < total; ++j) {
      if (j == i) continue;
      c.peers.push_back(PeerAddress{
          node_keys[j], Endpoint{o.host, static_cast<std::uint16_t>(o.p2p_base_port + j)}});
    }
    if (auto s = write_text(c.home / "config.toml", format_config(c)); !s) return s;
  }
  return nodes;
}

}  // namespace bauhinia::node
