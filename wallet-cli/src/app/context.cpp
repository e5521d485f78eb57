#include "bauhinia/wallet/context.hpp"

#include <toml++/toml.h>
#include <cstdlib>
#include <ostream>
#include <system_error>

namespace bauhinia::wallet {

namespace {

constexpr std::uintmax_t kMaxConfigBytes = 64 * 1024;

std::filesystem::path home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? std::filesystem::path(home) : std::filesystem::path(".");
}

}  // namespace

std::filesystem::path default_keystore_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const std::filesystem::path base =
      xdg && *xdg ? std::filesystem::path(xdg) : home_dir() / ".local" / "share";
  return base / "bauhinia" / "wallet" / "keys";
}

core::Status load_config(GlobalOptions& o) {
  bool named = !o.config_file.empty();
  if (!named) {
    if (const char* env = std::getenv("BAUHINIA_WALLET_CONFIG"); env && *env) {
      o.config_file = env;
      named = true;
    } else {
      const char* xdg = std::getenv("XDG_CONFIG_HOME");
      const std::filesystem::path base =
          xdg && *xdg ? std::filesystem::path(xdg) : home_dir() / ".config";
      o.config_file = base / "bauhinia" / "wallet.toml";
    }
  }
  std::error_code ec;
  const bool exists = std::filesystem::is_regular_file(o.config_file, ec);
  if (!exists) {
    if (named) {
      return core::Status::invalid_argument("config file " + o.config_file.string() +
                                            " does not exist or is not a file");
    }
  } else {
    const auto size = std::filesystem::file_size(o.config_file, ec);
    if (ec || size > kMaxConfigBytes) {
      return core::Status::invalid_argument("config file " + o.config_file.string() +
                                            ": unreadable or larger than 64 KiB");
    }
    toml::table t;
    try {
      t = toml::parse_file(o.config_file.string());
    } catch (const toml::parse_error& e) {
      return core::Status::invalid_argument("config file " + o.config_file.string() + ": " +
                                            std::string(e.description()));
    }
    for (const auto& [key, value] : t) {
      const std::string_view k = key.str();
      if (k != "node" && k != "keystore" && k != "chain_id" && k != "address_prefix") {
        return core::Status::invalid_argument(
            "config file " + o.config_file.string() + ": unknown key '" + std::string(k) +
            "' (known: node, keystore, chain_id, address_prefix)");
      }
      if (!value.is_string()) {
        return core::Status::invalid_argument("config file " + o.config_file.string() + ": '" +
                                              std::string(k) + "' must be a string");
      }
    }
    auto fill = [&t](std::string_view key, auto& field) {
      if (!field.empty()) return;  // the command line wins
      if (auto v = t[key].value<std::string>()) field = *v;
    };
    fill("node", o.node_url);
    fill("chain_id", o.chain_id);
    fill("address_prefix", o.address_prefix);
    if (o.keystore_dir.empty()) {
      if (auto v = t["keystore"].value<std::string>()) o.keystore_dir = *v;
    }
  }
  if (o.keystore_dir.empty()) o.keystore_dir = default_keystore_dir();
  if (o.address_prefix.empty()) o.address_prefix = "hktest";
  return core::Status::ok();
}

core::Result<NodeClient> Context::node() const {
  if (options.node_url.empty()) {
    return core::Status::invalid_argument(
        "no node address: give --node http://HOST:PORT or set `node` in the config file " +
        options.config_file.string());
  }
  auto address = NodeAddress::parse(options.node_url);
  if (!address) return std::move(address).error();
  return NodeClient(std::move(*address));
}

int Context::fail(int code, const std::string& message) const {
  *err << "bauhinia-wallet: " << message << "\n";
  return code;
}

int Context::fail(const core::Status& status) const {
  switch (status.code()) {
    case core::StatusCode::kUnavailable:
    case core::StatusCode::kInternal: return fail(kExitNodeFailure, status.message());
    default: return fail(kExitBadInput, status.message());
  }
}

void Context::print_json(const nlohmann::json& j) const {
  *out << j.dump(2) << "\n";
}

}  // namespace bauhinia::wallet
