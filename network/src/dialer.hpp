#pragma once
// Keeps one configured peer connected: dials it when there is no established
// connection to it, and after a failure or a disconnection dials again after
// an exponential back-off with jitter (backoff.hpp). All its handlers run on
// its own strand; the peer manager tells it about connections through the
// thread-safe notifications below.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "bauhinia/network/config.hpp"

namespace bauhinia::network::detail {

using Tcp = boost::asio::ip::tcp;

struct DialPlan {
  enum Kind : std::uint8_t { kDial, kWait, kIdle } kind = kIdle;
  std::chrono::milliseconds wait{0};  // kWait
};

class DialerHost {
 public:
  virtual ~DialerHost() = default;
  // Whether to dial the peer now, later (banned, at a limit) or not at all
  // (already connected, not allowed, stopping).
  virtual DialPlan plan_dial(const core::ed25519::PublicKey& key) = 0;
  // Takes a connected socket as an outbound connection expecting `key`; false
  // when refused (limits, stopping).
  virtual bool adopt_outbound(Tcp::socket socket, const core::ed25519::PublicKey& key) = 0;
  virtual void log(LogLevel level, std::string_view line) = 0;
};

class Dialer : public std::enable_shared_from_this<Dialer> {
 public:
  // REQUIRES: peer.host is a numeric IP address (checked by NetworkConfig::validate).
  Dialer(DialerHost& host, boost::asio::io_context& ioc, PeerAddress peer,
         const NetworkLimits& limits);

  const PeerAddress& peer() const noexcept { return peer_; }

  // Thread-safe notifications (each posts to the dialer's strand).
  void start();
  void stop();
  void on_connected();       // an established connection to the peer exists
  void on_disconnected();    // no established connection to the peer remains
  void on_attempt_failed();  // our outbound connection closed before it was established
  void poke();               // the allowed set changed: re-plan if idle

 private:
  enum class State : std::uint8_t { kIdle, kWaiting, kConnecting, kHandshaking, kStopped };

  void try_dial();
  void schedule(std::chrono::milliseconds delay);
  void retry_later();
  void on_connect(const boost::system::error_code& ec);

  DialerHost& host_;
  boost::asio::io_context& ioc_;
  const PeerAddress peer_;
  const NetworkLimits limits_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  Tcp::endpoint endpoint_;

  // Strand-only.
  std::optional<Tcp::socket> socket_;
  State state_ = State::kIdle;
  bool connected_ = false;
  std::uint32_t attempts_ = 0;
  std::uint64_t timer_generation_ = 0;
};

}  // namespace bauhinia::network::detail
