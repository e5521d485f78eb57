#pragma once
// The peer manager: listens, dials the configured peers, authenticates every
// connection (handshake.hpp), keeps one encrypted connection per peer and
// carries (peer, channel, bytes) messages both ways (docs/network.md).
//
// Thread safety: every public member function may be called from any thread,
// including from the message handler, except stop() (not from the handler).
// Threading model: `io_threads` threads run Boost.Asio; each connection runs
// on its own strand; the upper layer's handlers run on one delivery thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/channel.hpp"
#include "bauhinia/network/config.hpp"

namespace bauhinia::network {

enum class SendResult : std::uint8_t {
  kQueued,        // will be sent in order on this peer's connection
  kNotConnected,  // no established connection to this peer
  kQueueFull,     // the peer's queue of this priority is full: the message is dropped
  kTooLarge,      // larger than the peer accepts in one frame
  kBadChannel,    // not an application channel
};

std::string_view send_result_name(SendResult r) noexcept;

struct PeerStats {
  core::ed25519::PublicKey key;
  std::string remote_endpoint;  // "ip:port"
  bool we_initiated = false;
  std::size_t queued_high_messages = 0;
  std::size_t queued_high_bytes = 0;
  std::size_t queued_low_messages = 0;
  std::size_t queued_low_bytes = 0;
  std::size_t peak_queued_bytes = 0;  // both queues together, since connected
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t dropped_queue_full = 0;
  std::optional<std::uint32_t> last_rtt_ms;  // from the latest pong
  bool reading_paused = false;               // waiting for the upper layer
};

struct NetworkStats {
  std::size_t connections = 0;  // handshaking + established
  std::size_t established = 0;
  std::size_t pending_handshakes = 0;
  std::size_t inbound_queue_messages = 0;
  std::size_t inbound_queue_bytes = 0;
  std::size_t peak_inbound_queue_bytes = 0;
  std::uint64_t gossip_dropped = 0;  // mempool-channel messages dropped: their lane was full
  std::uint64_t handshakes_completed = 0;
  std::uint64_t handshakes_failed = 0;    // timeouts, bad hellos, bad signatures, I/O
  std::uint64_t refused_not_allowed = 0;  // keys outside the allowed set
  std::uint64_t refused_banned = 0;
  std::uint64_t refused_limit = 0;        // connection / handshake limits
  std::uint64_t refused_max_peers = 0;    // a new peer beyond NetworkConfig::max_peers
  std::uint64_t protocol_violations = 0;  // garbage, failed authentication, oversized frames
  std::uint64_t duplicates_closed = 0;    // tie-break losers
  std::uint64_t penalties = 0;            // penalize() calls: the upper layer banned a peer
};

class PeerManager {
 public:
  // The node's identity key is moved in (it signs handshakes).
  PeerManager(NetworkConfig config, core::ed25519::SecretKey node_key);
  ~PeerManager();  // stop()
  PeerManager(const PeerManager&) = delete;
  PeerManager& operator=(const PeerManager&) = delete;

  // Validates the config (invalid_argument), binds and listens (io_error),
  // starts the threads and dials the peers. Call once.
  [[nodiscard]] core::Status start();
  // Closes every connection, stops dialing, joins all threads. Messages not
  // yet delivered are dropped. Idempotent.
  void stop();

  const core::ed25519::PublicKey& node_key() const noexcept;
  // The bound port (useful with listen_port 0); 0 before start().
  std::uint16_t listen_port() const noexcept;

  // Queues `payload` for `peer` on `channel`'s priority queue (thread-safe).
  SendResult send(const core::ed25519::PublicKey& peer, Channel channel, core::Bytes payload);
  // Queues `payload` for every established peer; returns how many accepted it.
  std::size_t broadcast(Channel channel, core::Bytes payload);

  // Replaces the allowed set (e.g. at an epoch change); established and
  // handshaking connections of keys no longer allowed are closed.
  void set_allowed_keys(std::vector<core::ed25519::PublicKey> keys);
  // Replaces the peers to dial; peers no longer listed are no longer dialed
  // (their connections stay if they are still allowed).
  void set_peers(std::vector<PeerAddress> peers);
  // The upper layer found this peer misbehaving (e.g. invalid signatures):
  // disconnect it and ban its key for the back-off period.
  void penalize(const core::ed25519::PublicKey& peer, std::string_view reason);

  bool is_connected(const core::ed25519::PublicKey& peer) const;
  bool is_banned(const core::ed25519::PublicKey& peer) const;
  std::vector<core::ed25519::PublicKey> connected_peers() const;
  std::optional<PeerStats> peer_stats(const core::ed25519::PublicKey& peer) const;
  NetworkStats stats() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace bauhinia::network
