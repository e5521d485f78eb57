#include "bauhinia/node/config.hpp"

#include <arpa/inet.h>

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "bauhinia/consensus/types.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/ledger/ledger_store_records.hpp"
#include "bauhinia/network/frame_cipher.hpp"

namespace bauhinia::node {

namespace {

using core::Reject;
using core::reject;

constexpr std::size_t kMaxConfigBytes = 1U << 20;
constexpr std::size_t kMaxPeers = 256;

// Block and message sizes (docs/network.md, "Sizes of blocks and messages").
// A config within these ranges can only make blocks that every layer can
// encode, store, send and sync:
//   max_block_transactions <= the payload's wire limit (execution),
//   max_block_bytes        <= the payload limit of consensus messages,
//   max_frame_bytes        >= max_block_bytes + kMaxBlockOverheadBytes (the
//                             largest message carrying one block), so every
//                             block can be received, served and synced by
//                             nodes that share the consortium's [consensus]
//                             settings (they must: see the operator guide),
//                          and >= kMinFrameBytes, the floor that lets a gossip
//                             batch of frame / 2 bytes plus one largest
//                             transaction travel in one frame.
constexpr std::uint64_t kMaxBlockTransactionsLimit = execution::kMaxBlockTransactions;
constexpr std::uint64_t kMinBlockBytes = 1024;
constexpr std::uint64_t kMaxBlockBytesLimit = consensus::kMaxPayloadBytes;
constexpr std::uint64_t kMinFrameBytes = 384U << 10;
constexpr std::uint64_t kMaxFrameBytes = 64U << 20;
constexpr std::uint64_t kMaxGossipBatchTransactions = 10000;
static_assert(execution::kMaxBlockTransactions <= ledger::kMaxBlockTransactions);
static_assert(chain::kMaxTransactionSize <= ledger::kMaxTransactionBytes);
static_assert(execution::max_transaction_in_payload(consensus::kMaxPayloadBytes) >=
              chain::kMaxTransactionSize);
static_assert(kMaxFrameBytes <= network::kMaxFramePayloadLimitBytes);
// Gossip batches travel as block payloads of at most frame / 2 bytes of
// transactions (plus one oversized transaction alone), prefixes included.
static_assert(kMaxGossipBatchTransactions <= execution::kMaxBlockTransactions);
static_assert(kMinFrameBytes / 2 + chain::kMaxTransactionSize +
                  execution::payload_size(kMaxGossipBatchTransactions,
                                          3 * kMaxGossipBatchTransactions) <=
              kMinFrameBytes);

// Collects the first error with the field's dotted name.
class Fields {
 public:
  explicit Fields(const toml::table& root) : root_(root) {}

  const toml::table* section(const char* name, bool required) {
    const toml::node* n = root_.get(name);
    if (n == nullptr) {
      if (required) fail(name, "section is missing");
      return nullptr;
    }
    if (!n->is_table()) {
      fail(name, "must be a table ([" + std::string(name) + "])");
      return nullptr;
    }
    return n->as_table();
  }

  std::optional<std::string> string(const toml::table* t, const char* sec, const char* key,
                                    bool required, std::size_t max_len = 4096) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (n == nullptr) {
      if (required) fail(sec, key, "is required");
      return std::nullopt;
    }
    if (!n->is_string()) {
      fail(sec, key, "must be a string");
      return std::nullopt;
    }
    std::string v = n->as_string()->get();
    if (v.size() > max_len) {
      fail(sec, key, "is longer than " + std::to_string(max_len) + " characters");
      return std::nullopt;
    }
    return v;
  }

  template <class U>
  void integer(const toml::table* t, const char* sec, const char* key, U& out, std::uint64_t min,
               std::uint64_t max, const std::string& why = {}) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (n == nullptr) return;  // keep the default
    if (!n->is_integer()) {
      fail(sec, key, "must be an integer");
      return;
    }
    const std::int64_t v = n->as_integer()->get();
    if (v < 0 || static_cast<std::uint64_t>(v) < min || static_cast<std::uint64_t>(v) > max) {
      fail(sec, key,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(v) + why);
      return;
    }
    out = static_cast<U>(v);
  }

  // Every key of the table must be one of `known`.
  void only(const toml::table* t, const char* sec, std::initializer_list<const char*> known) {
    if (t == nullptr) return;
    for (const auto& [k, v] : *t) {
      bool found = false;
      for (const char* name : known) found = found || k.str() == name;
      if (!found) fail(sec, std::string(k.str()).c_str(), "is not a known field");
    }
  }

  void fail(const char* sec, const char* key, const std::string& what) {
    fail(std::string(sec) + "." + key, what);
  }
  void fail(const std::string& field, const std::string& what) {
    if (!error_) error_ = field + " " + what;
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  const toml::table& root_;
  std::optional<std::string> error_;
};

std::filesystem::path anchored(const std::filesystem::path& home, const std::string& p) {
  std::filesystem::path path(p);
  return path.is_absolute() ? path : home / path;
}

}  // namespace

std::size_t max_transaction_bytes(const NodeConfig& config) {
  return std::min(chain::kMaxTransactionSize,
                  execution::max_transaction_in_payload(config.max_block_bytes));
}

std::string Endpoint::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

core::Checked<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint e;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return reject(Reject::kBadEncoding, "expected [ipv6]:port, got '" + std::string(text) + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return reject(Reject::kBadEncoding, "expected host:port, got '" + std::string(text) + "'");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned char buf[16];
  const std::string h(host);
  if (inet_pton(AF_INET, h.c_str(), buf) != 1 && inet_pton(AF_INET6, h.c_str(), buf) != 1) {
    return reject(Reject::kBadEncoding,
                  "'" + h + "' is not an IP address (names are not looked up)");
  }
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535) {
    return reject(Reject::kOutOfRange, "port must be 1..65535, got '" + std::string(port) + "'");
  }
  e.host = h;
  e.port = static_cast<std::uint16_t>(value);
  return e;
}

core::Checked<NodeConfig> parse_config(std::string_view toml_text,
                                       const std::filesystem::path& home) {
  if (toml_text.size() > kMaxConfigBytes) {
    return reject(Reject::kTooLarge, "config is larger than 1 MiB");
  }
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << "line " << e.source().begin.line << ", column " << e.source().begin.column;
    return reject(Reject::kBadEncoding, "config is not valid TOML (" + where.str() +
                                            "): " + std::string(e.description()));
  }

  NodeConfig c;
  c.home = home;
  Fields f(root);
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (key != "node" && key != "network" && key != "api" && key != "consensus" &&
        key != "mempool" && key != "sync" && key != "log" && key != "health" && key != "ledger") {
      f.fail(key, "is not a known section");
    }
  }

  const toml::table* node = f.section("node", true);
  f.only(node, "node", {"name", "role", "data_dir", "key_file", "genesis_file"});
  if (auto v = f.string(node, "node", "name", true, 64)) {
    if (v->empty()) f.fail("node", "name", "must not be empty");
    c.name = *v;
  }
  if (auto v = f.string(node, "node", "role", true)) {
    if (*v == "validator") {
      c.role = Role::kValidator;
    } else if (*v == "observer") {
      c.role = Role::kObserver;
    } else {
      f.fail("node", "role", "must be \"validator\" or \"observer\", got \"" + *v + "\"");
    }
  }
  if (auto v = f.string(node, "node", "data_dir", true)) c.data_dir = anchored(home, *v);
  if (auto v = f.string(node, "node", "key_file", true)) c.key_file = anchored(home, *v);
  if (auto v = f.string(node, "node", "genesis_file", true)) c.genesis_file = anchored(home, *v);

  const toml::table* net = f.section("network", true);
  f.only(net, "network", {"listen", "peers", "max_frame_bytes", "max_peers"});
  if (auto v = f.string(net, "network", "listen", true)) {
    auto e = parse_endpoint(*v);
    if (e) {
      c.p2p_listen = *e;
    } else {
      f.fail("network", "listen", e.error().detail);
    }
  }
  if (const toml::node* peers = net ? net->get("peers") : nullptr) {
    if (!peers->is_array()) {
      f.fail("network", "peers", "must be an array of \"<node key hex>@host:port\" strings");
    } else if (peers->as_array()->size() > kMaxPeers) {
      f.fail("network", "peers", "has more than " + std::to_string(kMaxPeers) + " entries");
    } else {
      std::size_t i = 0;
      std::set<core::ed25519::PublicKey> seen;
      for (const auto& p : *peers->as_array()) {
        const std::string field = "peers[" + std::to_string(i++) + "]";
        if (!p.is_string()) {
          f.fail("network", field.c_str(), "must be a string");
          continue;
        }
        const std::string s = p.as_string()->get();
        const auto at = s.find('@');
        if (at == std::string::npos) {
          f.fail("network", field.c_str(),
                 "must be \"<node key hex>@host:port\", got \"" + s + "\"");
          continue;
        }
        auto key = core::ed25519::PublicKey::from_hex(s.substr(0, at));
        if (!key) {
          f.fail("network", field.c_str(), "has a bad node key: " + key.error().detail);
          continue;
        }
        auto ep = parse_endpoint(s.substr(at + 1));
        if (!ep) {
          f.fail("network", field.c_str(), ep.error().detail);
          continue;
        }
        if (!seen.insert(*key).second) {
          f.fail("network", field.c_str(), "repeats a node key");
          continue;
        }
        c.peers.push_back(PeerAddress{*key, *ep});
      }
    }
  }
  f.integer(net, "network", "max_frame_bytes", c.max_frame_bytes, kMinFrameBytes, kMaxFrameBytes,
            " (a gossip batch of half a frame plus one largest transaction of " +
                std::to_string(chain::kMaxTransactionSize) + " bytes must fit in a frame)");
  f.integer(net, "network", "max_peers", c.max_peers, 1, 1024);

  const toml::table* api = f.section("api", true);
  f.only(api, "api",
         {"listen", "max_body_bytes", "max_connections", "admission_rate", "admission_burst",
          "max_backlog", "stream_max_subscribers", "stream_max_per_address",
          "stream_max_queue_wait_ms"});
  if (auto v = f.string(api, "api", "listen", true)) {
    auto e = parse_endpoint(*v);
    if (e) {
      c.api_listen = *e;
    } else {
      f.fail("api", "listen", e.error().detail);
    }
  }
  f.integer(api, "api", "max_body_bytes", c.api_max_body_bytes, 1024, 16U << 20);
  f.integer(api, "api", "max_connections", c.api_max_connections, 1, 65536);
  f.integer(api, "api", "admission_rate", c.api_admission_rate, 0, 1000000);
  f.integer(api, "api", "admission_burst", c.api_admission_burst, 1, 1000000);
  f.integer(api, "api", "max_backlog", c.api_max_backlog, 0, 10000000);
  f.integer(api, "api", "stream_max_subscribers", c.api_stream_max_subscribers, 1, 65536);
  f.integer(api, "api", "stream_max_per_address", c.api_stream_max_per_address, 1, 65536);
  f.integer(api, "api", "stream_max_queue_wait_ms", c.api_stream_max_queue_wait_ms, 100, 600000);

  const toml::table* cons = f.section("consensus", false);
  f.only(cons, "consensus",
         {"round_timeout_ms", "max_round_timeout_ms", "idle_block_interval_ms", "leader_election",
          "max_block_transactions", "max_block_bytes", "proposal_delay_ms",
          "block_execution_budget_ms"});
  f.integer(cons, "consensus", "round_timeout_ms", c.round_timeout_ms, 50, 600000);
  f.integer(cons, "consensus", "max_round_timeout_ms", c.max_round_timeout_ms, 50, 3600000);
  f.integer(cons, "consensus", "idle_block_interval_ms", c.idle_block_interval_ms, 0, 3600000);
  if (auto v = f.string(cons, "consensus", "leader_election", false, 32)) {
    if (*v != "round_robin" && *v != "reputation") {
      f.fail("consensus", "leader_election",
             "must be \"round_robin\" or \"reputation\", got \"" + *v + "\"");
    } else {
      c.leader_election = *v;
    }
  }
  f.integer(cons, "consensus", "max_block_transactions", c.max_block_transactions, 1,
            kMaxBlockTransactionsLimit,
            " (the most transactions a block payload may carry on the wire)");
  f.integer(cons, "consensus", "max_block_bytes", c.max_block_bytes, kMinBlockBytes,
            kMaxBlockBytesLimit,
            " (the largest block payload consensus carries, kMaxPayloadBytes)");
  f.integer(cons, "consensus", "proposal_delay_ms", c.proposal_delay_ms, 0, 1000);
  f.integer(cons, "consensus", "block_execution_budget_ms", c.block_execution_budget_ms, 0,
            60000);
  if (c.max_round_timeout_ms < c.round_timeout_ms) {
    f.fail("consensus", "max_round_timeout_ms", "must be at least round_timeout_ms");
  }
  // A frame holds the largest message carrying one of the consortium's blocks.
  if (std::uint64_t{c.max_frame_bytes} <
      std::uint64_t{c.max_block_bytes} + consensus::kMaxBlockOverheadBytes) {
    f.fail(
        "network", "max_frame_bytes",
        "must hold the largest message carrying one block: consensus.max_block_bytes (" +
            std::to_string(c.max_block_bytes) + ") plus " +
            std::to_string(consensus::kMaxBlockOverheadBytes) +
            " bytes of header and certificates = " +
            std::to_string(std::uint64_t{c.max_block_bytes} + consensus::kMaxBlockOverheadBytes) +
            ", got " + std::to_string(c.max_frame_bytes));
  }

  const toml::table* mem = f.section("mempool", false);
  f.only(mem, "mempool",
         {"max_transactions", "max_bytes", "max_per_account", "gossip_interval_ms",
          "gossip_max_transactions", "gossip_queue_transactions"});
  f.integer(mem, "mempool", "max_transactions", c.mempool_max_transactions, 1, 10000000);
  f.integer(mem, "mempool", "max_bytes", c.mempool_max_bytes, 1U << 20, 1ULL << 36);
  f.integer(mem, "mempool", "max_per_account", c.mempool_max_per_account, 1, 100000);
  f.integer(mem, "mempool", "gossip_interval_ms", c.gossip_interval_ms, 1, 1000);
  f.integer(mem, "mempool", "gossip_max_transactions", c.gossip_max_transactions, 1,
            kMaxGossipBatchTransactions);
  f.integer(mem, "mempool", "gossip_queue_transactions", c.gossip_queue_transactions, 1, 1000000);
  if (c.gossip_queue_transactions < c.gossip_max_transactions) {
    f.fail("mempool", "gossip_queue_transactions", "must be at least gossip_max_transactions");
  }

  const toml::table* led = f.section("ledger", false);
  f.only(led, "ledger", {"state_prune_window", "state_prune_slice_nodes"});
  f.integer(led, "ledger", "state_prune_window", c.state_prune_window, 0, 1'000'000'000'000);
  if (c.state_prune_window != 0 && c.state_prune_window < kMinStatePruneWindow) {
    f.fail("ledger", "state_prune_window",
           "must be 0 (archive: keep every version) or at least " +
               std::to_string(kMinStatePruneWindow) + ", got " +
               std::to_string(c.state_prune_window));
  }
  f.integer(led, "ledger", "state_prune_slice_nodes", c.state_prune_slice_nodes, 1, 100000);

  const toml::table* sync = f.section("sync", false);
  f.only(sync, "sync", {"serve_requests_per_second", "serve_burst", "request_timeout_ms"});
  f.integer(sync, "sync", "serve_requests_per_second", c.sync_serve_requests_per_second, 1, 1000);
  f.integer(sync, "sync", "serve_burst", c.sync_serve_burst, 1, 10000);
  f.integer(sync, "sync", "request_timeout_ms", c.sync_request_timeout_ms, 500, 600000);

  const toml::table* log = f.section("log", false);
  f.only(log, "log", {"level"});
  if (auto v = f.string(log, "log", "level", false)) {
    static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "error", "off"};
    if (kLevels.count(*v) == 0) {
      f.fail("log", "level", "must be one of trace, debug, info, warn, error, off");
    } else {
      c.log_level = *v;
    }
  }

  const toml::table* health = f.section("health", false);
  f.only(health, "health", {"payload_dir", "key_dir", "max_payload_bytes", "request_window_ms"});
  if (health != nullptr) {
    if (auto v = f.string(health, "health", "payload_dir", true)) {
      c.health_payload_dir = anchored(home, *v);
      c.health_key_dir = anchored(home, *v + "-keys");
    }
    if (auto v = f.string(health, "health", "key_dir", false))
      c.health_key_dir = anchored(home, *v);
    if (!c.health_payload_dir.empty() &&
        c.health_payload_dir.lexically_normal() == c.health_key_dir.lexically_normal()) {
      f.fail("health", "key_dir", "must not be the payload folder");
    }
    f.integer(health, "health", "max_payload_bytes", c.health_max_payload_bytes, 1, 1U << 20);
    f.integer(health, "health", "request_window_ms", c.health_request_window_ms, 1000, 3600000);
    if (2ULL * c.health_max_payload_bytes + 4096 > c.api_max_body_bytes) {
      f.fail("health", "max_payload_bytes",
             "must fit twice (hex) with 4096 bytes to spare in api.max_body_bytes");
    }
  }

  if (f.error()) return reject(Reject::kInvalid, *f.error());
  return c;
}

core::Checked<NodeConfig> load_config(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return reject(Reject::kInvalid, path.string() + ": cannot read: " + ec.message());
  if (size > kMaxConfigBytes)
    return reject(Reject::kTooLarge, path.string() + ": larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return reject(Reject::kInvalid, path.string() + ": read failed");
  }
  auto parsed = parse_config(text, path.parent_path());
  if (!parsed) {
    return reject(parsed.error().reason, path.string() + ": " + parsed.error().detail);
  }
  return parsed;
}

std::string format_config(const NodeConfig& c) {
  auto rel = [&](const std::filesystem::path& p) {
    return std::filesystem::relative(p, c.home).string();
  };
  auto q = [](const std::string& s) { return "\"" + s + "\""; };
  std::ostringstream o;
  o << "# Bauhinia Ledger node configuration (docs/operator-guide.md).\n"
    << "# Relative paths are relative to this file's folder.\n\n"
    << "[node]\n"
    << "name = " << q(c.name) << "\n"
    << "role = " << q(c.role == Role::kValidator ? "validator" : "observer") << "\n"
    << "data_dir = " << q(rel(c.data_dir)) << "\n"
    << "key_file = " << q(rel(c.key_file)) << "\n"
    << "genesis_file = " << q(rel(c.genesis_file)) << "\n\n"
    << "[network]\n"
    << "listen = " << q(c.p2p_listen.to_string()) << "\n"
    << "peers = [\n";
  for (const auto& p : c.peers)
    o << "  " << q(p.key.to_hex() + "@" + p.endpoint.to_string()) << ",\n";
  o << "]\n"
    << "max_frame_bytes = " << c.max_frame_bytes << "\n"
    << "max_peers = " << c.max_peers << "\n\n"
    << "[api]\n"
    << "listen = " << q(c.api_listen.to_string()) << "\n"
    << "max_body_bytes = " << c.api_max_body_bytes << "\n"
    << "max_connections = " << c.api_max_connections << "\n"
    << "admission_rate = " << c.api_admission_rate << "\n"
    << "admission_burst = " << c.api_admission_burst << "\n"
    << "max_backlog = " << c.api_max_backlog << "\n"
    << "stream_max_subscribers = " << c.api_stream_max_subscribers << "\n"
    << "stream_max_per_address = " << c.api_stream_max_per_address << "\n"
    << "stream_max_queue_wait_ms = " << c.api_stream_max_queue_wait_ms << "\n\n"
    << "[consensus]\n"
    << "round_timeout_ms = " << c.round_timeout_ms << "\n"
    << "leader_election = \"" << c.leader_election << "\"\n"
    << "max_round_timeout_ms = " << c.max_round_timeout_ms << "\n"
    << "idle_block_interval_ms = " << c.idle_block_interval_ms << "\n"
    << "max_block_transactions = " << c.max_block_transactions << "\n"
    << "max_block_bytes = " << c.max_block_bytes << "\n"
    << "proposal_delay_ms = " << c.proposal_delay_ms << "\n"
    << "block_execution_budget_ms = " << c.block_execution_budget_ms << "\n\n"
    << "[mempool]\n"
    << "max_transactions = " << c.mempool_max_transactions << "\n"
    << "max_bytes = " << c.mempool_max_bytes << "\n"
    << "max_per_account = " << c.mempool_max_per_account << "\n"
    << "gossip_interval_ms = " << c.gossip_interval_ms << "\n"
    << "gossip_max_transactions = " << c.gossip_max_transactions << "\n"
    << "gossip_queue_transactions = " << c.gossip_queue_transactions << "\n\n"
    << (c.state_prune_window == 0
            ? std::string()
            : "[ledger]\nstate_prune_window = " + std::to_string(c.state_prune_window) +
                  "\nstate_prune_slice_nodes = " + std::to_string(c.state_prune_slice_nodes) +
                  "\n\n")
    << "[sync]\n"
    << "serve_requests_per_second = " << c.sync_serve_requests_per_second << "\n"
    << "serve_burst = " << c.sync_serve_burst << "\n"
    << "request_timeout_ms = " << c.sync_request_timeout_ms << "\n\n"
    << "[log]\n"
    << "level = " << q(c.log_level) << "\n";
  if (!c.health_payload_dir.empty()) {
    o << "\n[health]\n"
      << "payload_dir = " << q(rel(c.health_payload_dir)) << "\n"
      << "key_dir = " << q(rel(c.health_key_dir)) << "\n"
      << "max_payload_bytes = " << c.health_max_payload_bytes << "\n"
      << "request_window_ms = " << c.health_request_window_ms << "\n";
  }
  return o.str();
}

}  // namespace bauhinia::node
