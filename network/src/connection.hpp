#pragma once
// One TCP connection to a peer: the handshake, then encrypted frames both
// ways. Every handler runs on the connection's strand (the socket's executor),
// takes an error_code and never throws; the object is kept alive by the
// shared_ptrs its pending handlers hold.
//
// Deadlines: the whole handshake must finish within handshake_timeout_ms (and
// a connection retired by the tie-break lingers at most that long);
// afterwards a watchdog closes the connection when nothing (not even a ping)
// arrived for idle_timeout_ms while we were reading, or when one frame's write
// has been pending for write_timeout_ms. Size caps: a Hello is at most
// kMaxHelloBytes, the Auth frame exactly its size, other frames at most
// max_frame_payload_bytes; a frame is refused before anything is allocated.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/config.hpp"
#include "bauhinia/network/control.hpp"
#include "bauhinia/network/frame_cipher.hpp"
#include "bauhinia/network/handshake.hpp"
#include "bauhinia/network/peer_manager.hpp"
#include "send_queue.hpp"

namespace bauhinia::network::detail {

using Clock = std::chrono::steady_clock;
using Tcp = boost::asio::ip::tcp;

enum class CloseReason : std::uint8_t {
  kShutdown,           // this node is stopping
  kEndOfStream,        // the peer closed the connection
  kIoError,            // a socket error
  kTimeout,            // handshake, idle or write deadline
  kRefused,            // not allowed, banned, another chain or version, wrong identity
  kHandshakeFailed,    // bad signature, low-order key, ...
  kProtocolViolation,  // garbage, failed authentication, oversized frame
  kDuplicate,          // lost the one-connection-per-peer tie-break
  kRemoved,            // key removed from the allowed set
  kPenalized,          // the upper layer reported misbehaviour
};

std::string_view close_reason_name(CloseReason r) noexcept;

class Connection;

// Whether a connection may proceed, and if not why it is closed.
struct Admission {
  bool ok = true;
  CloseReason reason = CloseReason::kRefused;
  std::string detail;
  bool retire = false;  // refused as a duplicate: retire instead of closing at once
  static Admission accept() { return {}; }
  static Admission refuse(CloseReason r, std::string d) { return {false, r, std::move(d), false}; }
  static Admission duplicate(std::string d) {
    return {false, CloseReason::kDuplicate, std::move(d), true};
  }
};

// What a connection needs from the peer manager. Called on the connection's
// strand; implementations take their own lock and never call back into the
// connection synchronously.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  // After the peer's Hello: is this key allowed (and not banned)?
  virtual Admission admit(const Connection& c, const core::ed25519::PublicKey& key) = 0;
  // After the handshake: register as the peer's connection (tie-break).
  virtual Admission on_established(const std::shared_ptr<Connection>& c) = 0;
  // Exactly once per connection, after it closed.
  virtual void on_closed(const std::shared_ptr<Connection>& c, CloseReason reason,
                         const std::string& detail, bool authenticated, bool was_registered) = 0;
  // Hands a message upwards; false: full, `resume` will be called later.
  virtual bool deliver(InboundMessage& m, std::function<void()> resume) = 0;
  virtual void log(LogLevel level, std::string_view line) = 0;
};

// Immutable settings shared by the connections of one peer manager.
struct ConnectionContext {
  ConnectionHost* host = nullptr;
  const core::ed25519::SecretKey* node_key = nullptr;
  std::string chain_id;
  NetworkLimits limits;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket` is open and its executor is this connection's strand.
  // `expected_key`: the identity we dialed (outbound only).
  Connection(const ConnectionContext& ctx, Tcp::socket socket, Role role,
             std::optional<core::ed25519::PublicKey> expected_key, std::uint64_t id);
  ~Connection();

  // Thread-safe entry points.
  void start();
  void close(CloseReason reason, std::string detail);
  // Lost the tie-break to another connection with the same peer: take no more
  // sends, keep reading (the peer may not have switched yet, so nothing it
  // sends here is lost), and close after the linger period (the handshake
  // timeout) unless the peer closes it first.
  void retire(std::string detail);
  SendResult send(Channel channel, std::shared_ptr<const core::Bytes> payload);
  void resume_reading();

  // Immutable after construction.
  std::uint64_t id() const noexcept { return id_; }
  Role role() const noexcept { return role_; }
  const std::string& endpoint() const noexcept { return endpoint_; }
  const std::optional<core::ed25519::PublicKey>& expected_key() const noexcept {
    return expected_key_;
  }
  // Set on the strand before host->on_established(); read afterwards by
  // threads that synchronise through the host's lock.
  const core::ed25519::PublicKey& peer_key() const noexcept { return peer_key_; }
  // Who opened this TCP connection, by key (for the tie-break).
  const core::ed25519::PublicKey& initiator_key() const noexcept;
  PeerStats stats() const;

 private:
  enum class State : std::uint8_t { kHandshake, kEstablished, kClosed };
  using FrameHandler = void (Connection::*)(OpenedFrame frame);

  void do_start();
  void on_hello_sent(const boost::system::error_code& ec);
  void on_hello_length(const boost::system::error_code& ec);
  void on_hello_body(const boost::system::error_code& ec);
  void on_auth_sent(const boost::system::error_code& ec);
  void on_auth_frame(OpenedFrame frame);
  void on_app_frame(OpenedFrame frame);
  void read_frame(std::size_t max_payload, FrameHandler next);
  void on_frame_header(const boost::system::error_code& ec, std::size_t max_payload,
                       FrameHandler next);
  void on_frame_body(const boost::system::error_code& ec, FrameHandler next);
  void handle_control(std::span<const std::uint8_t> payload);
  void read_next();
  void do_resume();
  void arm_watchdog();
  void on_watchdog(const boost::system::error_code& ec);
  void write_next();
  void on_written(const boost::system::error_code& ec);
  void push_control(const ControlMessage& m);
  void fail_io(const boost::system::error_code& ec, std::string_view during);
  void do_close(CloseReason reason, std::string detail);
  void do_retire(std::string detail);
  std::string describe() const;

  ConnectionContext ctx_;
  Tcp::socket socket_;
  boost::asio::steady_timer handshake_timer_;
  boost::asio::steady_timer watchdog_;
  const Role role_;
  const std::optional<core::ed25519::PublicKey> expected_key_;
  const std::uint64_t id_;
  std::string endpoint_;

  // Strand-only state.
  State state_ = State::kHandshake;
  bool authenticated_ = false;
  bool registered_ = false;  // accepted by host->on_established()
  bool retired_ = false;     // lingering after losing the tie-break
  std::unique_ptr<Handshake> handshake_;
  std::optional<FrameSealer> sealer_;
  std::optional<FrameOpener> opener_;
  std::array<std::uint8_t, kHelloLengthBytes> hello_length_{};
  std::array<std::uint8_t, kFrameHeaderBytes> frame_header_{};
  core::Bytes in_buf_;
  core::Bytes out_buf_;
  bool writing_ = false;
  Clock::time_point write_started_{};
  Clock::time_point last_received_{};
  Clock::time_point last_ping_sent_{};
  std::uint64_t ping_nonce_ = 0;
  std::optional<InboundMessage> pending_;  // waiting for room in the delivery queue

  // Written on the strand before registration, then read-only.
  core::ed25519::PublicKey peer_key_;
  std::size_t peer_max_payload_ = 0;

  // Thread-safe.
  SendQueue queue_;
  std::atomic<bool> open_for_sends_{false};
  std::atomic<bool> paused_{false};
  std::atomic<std::uint64_t> frames_sent_{0};
  std::atomic<std::uint64_t> frames_received_{0};
  std::atomic<std::int64_t> last_rtt_ms_{-1};
};

}  // namespace bauhinia::network::detail
