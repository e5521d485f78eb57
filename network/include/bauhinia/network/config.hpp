#pragma once
// Configuration of a PeerManager: who we are allowed to talk to, where to
// listen and dial, and a limit on everything that comes from outside
// (docs/network.md, "Limits").

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/channel.hpp"
#include "bauhinia/network/frame_cipher.hpp"
#include "bauhinia/network/log.hpp"

namespace bauhinia::network {

// A peer this node dials: its identity and a numeric IP address (v4 or v6).
struct PeerAddress {
  core::ed25519::PublicKey key;
  std::string host;
  std::uint16_t port = 0;
};

inline constexpr std::size_t kDefaultMaxPeers = 128;  // = the default max_connections
inline constexpr std::size_t kMaxPeersLimit = 4096;

struct NetworkLimits {
  // Largest payload of one frame this node accepts (announced in the Hello;
  // a sender never sends a peer more than the peer announced).
  std::size_t max_frame_payload_bytes = kDefaultMaxFramePayloadBytes;
  std::size_t max_connections = 128;  // handshaking + established
  // Inbound connections still handshaking: beyond either bound a new one is
  // closed at accept. Per address: an IPv4 address, or an IPv6 /64. Outbound
  // handshakes do not count (at most one dial per configured peer at a time),
  // so strangers holding these slots never stop the node's own dials.
  std::size_t max_pending_handshakes = 16;
  std::size_t max_pending_handshakes_per_address = 4;
  std::uint32_t connect_timeout_ms = 5'000;
  std::uint32_t handshake_timeout_ms = 5'000;
  std::uint32_t ping_interval_ms = 5'000;
  std::uint32_t idle_timeout_ms = 20'000;   // nothing received for this long: close
  std::uint32_t write_timeout_ms = 30'000;  // one frame's write stalled this long: close
  // Per-peer send queues; a send that would exceed a bound is refused.
  std::size_t high_queue_messages = 1'024;
  std::size_t high_queue_bytes = std::size_t{32} << 20;
  std::size_t low_queue_messages = 256;
  std::size_t low_queue_bytes = std::size_t{64} << 20;
  // Messages received but not yet taken by the upper layer (all peers); when
  // full, connections stop reading their sockets until it drains.
  std::size_t inbound_queue_messages = 4'096;
  std::size_t inbound_queue_bytes = std::size_t{64} << 20;
  // Reconnect back-off: min * 2^attempts capped at max, times a random factor in [0.5, 1].
  std::uint32_t reconnect_min_ms = 250;
  std::uint32_t reconnect_max_ms = 30'000;
  // Ban of a misbehaving peer: min, doubled for every repeat offence, capped at max.
  std::uint32_t ban_min_ms = 60'000;
  std::uint32_t ban_max_ms = 3'600'000;
  // Log lines per second (peers and strangers can cause log lines; beyond
  // this they are counted and reported as suppressed).
  std::uint32_t max_log_lines_per_second = 200;
};

// A message from a peer, for the upper layer.
struct InboundMessage {
  core::ed25519::PublicKey peer;
  Channel channel = Channel::kConsensus;
  core::Bytes payload;
};

enum class PeerEventKind : std::uint8_t { kConnected, kDisconnected };

struct PeerEvent {
  core::ed25519::PublicKey peer;
  PeerEventKind kind = PeerEventKind::kConnected;
};

// Called on the network's delivery thread (one thread, in order of arrival
// per peer); must not throw and must not call PeerManager::stop().
using MessageHandler = std::function<void(InboundMessage message)>;
using PeerEventHandler = std::function<void(const PeerEvent& event)>;

struct NetworkConfig {
  std::string chain_id;  // 1..kMaxChainIdBytes bytes; peers on another chain are refused
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 0;   // 0: an ephemeral port (see PeerManager::listen_port)
  std::vector<PeerAddress> peers;  // dialed and kept connected
  std::vector<core::ed25519::PublicKey> allowed_keys;  // validators and observers
  // The most peers (distinct keys) connected at once, inbound and outbound
  // together, 1..kMaxPeersLimit. Outbound dials in progress hold a place; an
  // inbound connection beyond it is refused (logged); a configured peer is
  // dialed again once a place frees. limits.max_connections still caps the
  // sockets (handshaking + established), so the lower of the two binds.
  std::size_t max_peers = kDefaultMaxPeers;
  NetworkLimits limits;
  std::size_t io_threads = 1;  // 1..16
  LogSink log;                 // empty: stderr_log_sink(kInfo)
  MessageHandler on_message;   // empty: messages are dropped
  PeerEventHandler on_peer_event;

  // Checks ranges and consistency (kInvalid / kTooLarge / kBadEncoding with
  // the offending field named).
  core::Verdict validate() const;
};

}  // namespace bauhinia::network
