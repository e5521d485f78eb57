#include "harness.hpp"

#include <charconv>
#include <iostream>
#include <thread>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::peer_harness {

namespace {

bool is_key_hex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

std::vector<Attack>& registry() {
  static std::vector<Attack> all;
  return all;
}

}  // namespace

core::Result<std::unique_ptr<Harness>> Harness::open(const std::filesystem::path& home) {
  auto config = node::load_config(home / "config.toml");
  if (!config) return core::Status::invalid_argument(config.error().to_string());
  auto genesis = node::load_genesis(config->genesis_file);
  if (!genesis) return core::Status::invalid_argument(genesis.error().to_string());
  auto key = node::read_ed25519_key(config->key_file);
  if (!key) return key.error();
  std::unique_ptr<Harness> h(new Harness());
  h->config_ = std::move(config).value();
  h->genesis_ = std::move(genesis).value();
  h->key_ = key->public_key();

  network::NetworkConfig nc;
  nc.chain_id = h->genesis_.chain_id;
  nc.listen_host = h->config_.p2p_listen.host;
  nc.listen_port = h->config_.p2p_listen.port;
  for (const auto& p : h->config_.peers) {
    nc.peers.push_back(network::PeerAddress{p.key, p.endpoint.host, p.endpoint.port});
    nc.allowed_keys.push_back(p.key);
  }
  nc.limits.max_frame_payload_bytes = h->config_.max_frame_bytes;
  nc.log = [](network::LogLevel level, std::string_view line) {
    if (level >= network::LogLevel::kInfo) say("network " + std::string(line));
  };
  Harness* self = h.get();
  nc.on_message = [self](network::InboundMessage m) { self->on_message(std::move(m)); };
  h->peers_ = std::make_unique<network::PeerManager>(std::move(nc), std::move(key).value());
  return h;
}

Harness::~Harness() {
  stop();
}

core::Status Harness::start() {
  return peers_->start();
}

void Harness::stop() {
  if (peers_) peers_->stop();
}

core::Result<Key> Harness::resolve(const std::string& key_or_name) const {
  if (is_key_hex(key_or_name)) {
    auto k = Key::from_hex(key_or_name);
    if (!k) return core::Status::invalid_argument(key_or_name + ": " + k.error().to_string());
    return *k;
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(config_.home.parent_path(), ec)) {
    const auto file = entry.path() / "config.toml";
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    auto c = node::load_config(file);
    if (!c || c->name != key_or_name) continue;
    auto k = node::read_ed25519_key(c->key_file);
    if (!k) return k.error();
    return k->public_key();
  }
  return core::Status::not_found("no node named " + key_or_name + " beside " +
                                 config_.home.string());
}

bool Harness::wait_connected(const Key& peer, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!peers_->is_connected(peer)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(Millis(50));
  }
  return true;
}

bool Harness::wait_disconnected(const Key& peer, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (peers_->is_connected(peer)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(Millis(50));
  }
  return true;
}

network::SendResult Harness::send(const Key& peer, network::Channel channel, core::Bytes payload) {
  return peers_->send(peer, channel, std::move(payload));
}

void Harness::on_message(network::InboundMessage m) {
  std::lock_guard lock(mutex_);
  if (inbox_.size() >= kMaxQueuedMessages) inbox_.pop_front();
  inbox_.push_back(std::move(m));
  arrived_.notify_all();
}

std::optional<network::InboundMessage> Harness::receive(
    Millis timeout, const std::function<bool(const network::InboundMessage&)>& accept) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
      if (accept(*it)) {
        network::InboundMessage m = std::move(*it);
        inbox_.erase(it);
        return m;
      }
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look at what arrived with the timeout.
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
        if (accept(*it)) {
          network::InboundMessage m = std::move(*it);
          inbox_.erase(it);
          return m;
        }
      }
      return std::nullopt;
    }
  }
}

consensus::Vote vote_for(const consensus::Proposal& p, const std::string& chain_id,
                         const core::ed25519::SecretKey& key) {
  consensus::Vote v;
  v.vote_data.epoch = p.header.epoch;
  v.vote_data.round = p.header.round;
  v.vote_data.block_id = p.header.id();
  v.vote_data.height = p.header.height;
  v.vote_data.parent_round = p.qc.round();
  v.vote_data.parent_id = p.qc.block_id();
  v.ledger_info.chain_id = chain_id;
  v.ledger_info.epoch = p.header.epoch;
  v.ledger_info.round = p.header.round;
  if (!p.qc.is_epoch_root() && p.header.round == p.qc.round() + 1) {
    v.ledger_info.commit_block = p.qc.block_id();
    v.ledger_info.commit_height = p.qc.vote_data.height;
  }
  v.ledger_info.consensus_data_hash = v.vote_data.hash();
  v.author = key.public_key();
  v.signature = key.sign(v.ledger_info.signing_hash().view());
  return v;
}

core::Bytes sync_frame(node::SyncKind kind, const core::Bytes& body) {
  core::Bytes out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<std::uint8_t>(kind));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

network::SendResult Harness::send_sync_request(const Key& peer,
                                               const node::LedgerSyncRequest& req) {
  return send(peer, network::Channel::kSync,
              sync_frame(node::SyncKind::kRequest, core::encode(req)));
}

network::SendResult Harness::send_sync_response(const Key& peer,
                                                const node::LedgerSyncResponse& resp) {
  return send(peer, network::Channel::kSync,
              sync_frame(node::SyncKind::kResponse, core::encode(resp)));
}

core::Result<node::LedgerSyncResponse> Harness::fetch_blocks(const Key& peer,
                                                             std::uint64_t after_height,
                                                             std::uint32_t max_blocks,
                                                             Millis timeout) {
  if (auto r = send_sync_request(peer, node::LedgerSyncRequest{after_height, max_blocks});
      r != network::SendResult::kQueued) {
    return core::Status::unavailable("sync request not sent: " +
                                     std::string(network::send_result_name(r)));
  }
  auto m = receive(timeout, [&](const network::InboundMessage& in) {
    return in.peer == peer && in.channel == network::Channel::kSync && !in.payload.empty() &&
           in.payload[0] == static_cast<std::uint8_t>(node::SyncKind::kResponse);
  });
  if (!m) return core::Status::unavailable("no sync response from " + peer.to_hex());
  auto resp = core::decode<node::LedgerSyncResponse>(core::ByteView(m->payload).subspan(1));
  if (!resp) return core::Status::corruption("sync response: " + resp.error().to_string());
  return std::move(resp).value();
}

core::Result<std::uint64_t> AttackArgs::number(const std::string& name,
                                               std::uint64_t fallback) const {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  std::uint64_t v = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return core::Status::invalid_argument("--set " + name + "=" + s + ": not a number");
  }
  return v;
}

const std::vector<Attack>& attacks() {
  return registry();
}

bool register_attack(Attack attack) {
  registry().push_back(std::move(attack));
  return true;
}

void say(const std::string& line) {
  std::cout << "harness: " << line << std::endl;
}

int result(int code, const std::string& word, const std::string& detail) {
  std::cout << "RESULT " << word << (detail.empty() ? "" : " ") << detail << std::endl;
  return code;
}

std::variant<node::LedgerSyncResponse, int> fetch_committed_run(Harness& h, const AttackArgs& a) {
  if (!a.source) return result(64, "usage", "--source (an honest node) is required");
  auto after = a.number("after_height", 0);
  auto max_blocks = a.number("max_blocks", node::kMaxSyncBlocksPerResponse);
  if (!after || !max_blocks) return result(64, "usage", "bad --set value");
  if (!h.wait_connected(*a.source, a.timeout)) return result(2, "no-source", "not connected");
  auto resp = h.fetch_blocks(*a.source, *after, static_cast<std::uint32_t>(*max_blocks), a.timeout);
  if (!resp) return result(2, "no-blocks", resp.error().to_string());
  if (resp->blocks.empty() || !resp->commit_qc) {
    return result(2, "no-blocks",
                  "the source has no committed block after " + std::to_string(*after));
  }
  return std::move(resp).value();
}

int send_and_judge(Harness& h, const AttackArgs& a, const node::LedgerSyncResponse& resp,
                   const std::string& what) {
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "no-target", "not connected");
  if (auto r = h.send_sync_response(a.target, resp); r != network::SendResult::kQueued) {
    return result(2, "not-sent", std::string(network::send_result_name(r)));
  }
  say("sent the " + what + " sync response");
  if (h.wait_disconnected(a.target, a.timeout)) return result(0, "penalized");
  return result(0, "not-penalized");
}

}  // namespace bauhinia::peer_harness
