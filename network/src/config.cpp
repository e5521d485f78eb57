#include "bauhinia/network/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <set>
#include <string>

#include "bauhinia/network/handshake.hpp"

namespace bauhinia::network {

namespace {

core::Rejection invalid(std::string field, std::string what) {
  return core::reject(core::Reject::kInvalid, field + ": " + what);
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

core::Verdict NetworkConfig::validate() const {
  if (chain_id.empty()) return invalid("chain_id", "must not be empty");
  if (chain_id.size() > kMaxChainIdBytes) {
    return core::reject(core::Reject::kTooLarge,
                        "chain_id: longer than " + std::to_string(kMaxChainIdBytes) + " bytes");
  }
  if (!is_ip_address(listen_host)) {
    return core::reject(core::Reject::kBadEncoding,
                        "listen_host: '" + listen_host + "' is not a numeric IP address");
  }
  if (io_threads < 1 || io_threads > 16) return invalid("io_threads", "must be 1..16");
  if (max_peers < 1 || max_peers > kMaxPeersLimit) {
    return invalid("max_peers", "must be 1.." + std::to_string(kMaxPeersLimit));
  }
  std::set<core::ed25519::PublicKey> keys;
  for (const PeerAddress& p : peers) {
    if (!is_ip_address(p.host)) {
      return core::reject(core::Reject::kBadEncoding,
                          "peers: '" + p.host + "' is not a numeric IP address");
    }
    if (p.port == 0) return invalid("peers", "port 0 for " + p.key.to_hex());
    if (!keys.insert(p.key).second) return invalid("peers", "duplicate key " + p.key.to_hex());
  }
  const NetworkLimits& l = limits;
  if (l.max_frame_payload_bytes < 1 || l.max_frame_payload_bytes > kMaxFramePayloadLimitBytes) {
    return invalid("max_frame_payload_bytes",
                   "must be 1.." + std::to_string(kMaxFramePayloadLimitBytes));
  }
  if (l.max_connections < 1) return invalid("max_connections", "must be at least 1");
  if (l.max_pending_handshakes < 1) return invalid("max_pending_handshakes", "must be at least 1");
  if (l.max_pending_handshakes_per_address < 1) {
    return invalid("max_pending_handshakes_per_address", "must be at least 1");
  }
  if (l.connect_timeout_ms < 1 || l.handshake_timeout_ms < 1 || l.ping_interval_ms < 1 ||
      l.idle_timeout_ms < 1 || l.write_timeout_ms < 1) {
    return invalid("timeouts", "every timeout and interval must be at least 1 ms");
  }
  if (l.idle_timeout_ms <= l.ping_interval_ms) {
    return invalid("idle_timeout_ms", "must exceed ping_interval_ms");
  }
  if (l.high_queue_messages < 1 || l.low_queue_messages < 1 || l.inbound_queue_messages < 1) {
    return invalid("queues", "every queue must hold at least one message");
  }
  if (l.low_queue_bytes < l.max_frame_payload_bytes ||
      l.inbound_queue_bytes < l.max_frame_payload_bytes) {
    return invalid("queues", "low_queue_bytes and inbound_queue_bytes must hold a maximal frame");
  }
  if (l.high_queue_bytes < 1024) return invalid("high_queue_bytes", "must be at least 1024");
  if (l.reconnect_min_ms < 1 || l.reconnect_min_ms > l.reconnect_max_ms) {
    return invalid("reconnect_min_ms", "must be 1..reconnect_max_ms");
  }
  if (l.max_log_lines_per_second < 1) {
    return invalid("max_log_lines_per_second", "must be at least 1");
  }
  if (l.ban_min_ms < 1 || l.ban_min_ms > l.ban_max_ms) {
    return invalid("ban_min_ms", "must be 1..ban_max_ms");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::network
