#pragma once
// Helpers for the network tests: deterministic keys, a node wrapper that
// records what it receives and logs, polling with a deadline, and RawPeer, a
// hand-driven client on a real socket that speaks the wire protocol through
// the public handshake/frame API and can then misbehave.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/network/control.hpp"
#include "bauhinia/network/frame_cipher.hpp"
#include "bauhinia/network/handshake.hpp"
#include "bauhinia/network/peer_manager.hpp"

namespace bauhinia::network::testing {

using namespace std::chrono_literals;
using core::ed25519::PublicKey;
using core::ed25519::SecretKey;

inline constexpr const char* kChain = "bauhinia-test-1";

inline SecretKey key_from(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return SecretKey::from_seed(seed);
}
inline PublicKey pub(std::uint8_t n) {
  return key_from(n).public_key();
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

// A loopback port that nothing listens on right now, chosen below the kernel's
// ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), so that no
// outgoing connection takes it as its local port (as tests/integration/
// harness.py does). For a node that must listen on the same port again after
// a restart: a port from the ephemeral range could be taken meanwhile, even by
// a peer's own dial to it (a TCP self-connect).
inline std::uint16_t free_port_below_ephemeral_range() {
  int low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low;
  const int top = std::min(low, 65536) - 1;
  const int bottom = top > 21000 ? 20000 : 1024;
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(bottom, top);
  boost::asio::io_context io;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(rng));
    boost::asio::ip::tcp::acceptor probe(io);
    boost::system::error_code ec;
    const boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    probe.open(ep.protocol(), ec);
    if (!ec) probe.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(ep, ec);
    if (!ec) return port;
  }
  ADD_FAILURE() << "no free port below the ephemeral range";
  return 0;
}

// Limits small enough for tests to see timeouts and back-offs quickly.
inline NetworkLimits test_limits() {
  NetworkLimits l;
  l.handshake_timeout_ms = 1'500;  // also how long a tie-break loser lingers
  l.connect_timeout_ms = 2'000;
  l.ping_interval_ms = 200;
  l.idle_timeout_ms = 5'000;
  l.write_timeout_ms = 10'000;
  l.reconnect_min_ms = 20;
  l.reconnect_max_ms = 400;
  l.ban_min_ms = 60'000;
  return l;
}

class LogCapture {
 public:
  LogSink sink() {
    return [this](LogLevel level, std::string_view line) {
      const std::lock_guard lock(mutex_);
      lines_.push_back(std::string(log_level_name(level)) + " " + std::string(line));
    };
  }
  // True when one line contains every fragment.
  bool contains(std::initializer_list<std::string_view> fragments) const {
    const std::lock_guard lock(mutex_);
    for (const auto& line : lines_) {
      bool all = true;
      for (auto f : fragments) all = all && line.find(f) != std::string::npos;
      if (all) return true;
    }
    return false;
  }
  std::size_t count(std::initializer_list<std::string_view> fragments) const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& line : lines_) {
      bool all = true;
      for (auto f : fragments) all = all && line.find(f) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }
  std::string dump() const {
    const std::lock_guard lock(mutex_);
    std::string s;
    for (const auto& line : lines_) s += line + "\n";
    return s;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

class Inbox {
 public:
  MessageHandler message_handler() {
    return [this](InboundMessage m) {
      const std::lock_guard lock(mutex_);
      messages_.push_back(std::move(m));
    };
  }
  PeerEventHandler event_handler() {
    return [this](const PeerEvent& e) {
      const std::lock_guard lock(mutex_);
      events_.push_back(e);
    };
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return messages_.size();
  }
  std::vector<InboundMessage> messages() const {
    const std::lock_guard lock(mutex_);
    return messages_;
  }
  std::size_t count_events(const PublicKey& peer, PeerEventKind kind) const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& e : events_) n += (e.peer == peer && e.kind == kind) ? 1 : 0;
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<InboundMessage> messages_;
  std::vector<PeerEvent> events_;
};

// A PeerManager with its inbox and log.
struct TestNode {
  TestNode(std::uint8_t seed, std::vector<PublicKey> allowed, std::vector<PeerAddress> peers = {},
           NetworkLimits limits = test_limits(), std::uint16_t port = 0, std::string chain = kChain,
           std::size_t io_threads = 1) {
    NetworkConfig c;
    c.chain_id = std::move(chain);
    c.listen_host = "127.0.0.1";
    c.listen_port = port;
    c.peers = std::move(peers);
    c.allowed_keys = std::move(allowed);
    c.limits = limits;
    c.io_threads = io_threads;
    c.log = log.sink();
    c.on_message = inbox.message_handler();
    c.on_peer_event = inbox.event_handler();
    key = pub(seed);
    manager = std::make_unique<PeerManager>(std::move(c), key_from(seed));
    const core::Status s = manager->start();
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  ~TestNode() {
    if (manager) manager->stop();
  }
  PeerAddress address() const { return PeerAddress{key, "127.0.0.1", manager->listen_port()}; }

  PublicKey key;
  LogCapture log;  // declared before manager: outlives it
  Inbox inbox;
  std::unique_ptr<PeerManager> manager;
};

inline core::Bytes bytes_of(std::string_view s) {
  return core::Bytes(s.begin(), s.end());
}

// A client on a real socket, driven by hand.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) : socket_(ioc_) {
    boost::system::error_code ec;
    socket_.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  bool write(core::ByteView bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  // Exactly n bytes, or nothing on timeout / close.
  std::optional<core::Bytes> read_exact(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    core::Bytes buf(n);
    boost::system::error_code result = boost::asio::error::would_block;
    boost::asio::async_read(socket_, boost::asio::buffer(buf),
                            [&](const boost::system::error_code& ec, std::size_t) { result = ec; });
    run(timeout, result);
    if (result) return std::nullopt;
    return buf;
  }

  // True when the other side closed the connection within the timeout
  // (whatever it sent before is read and discarded).
  bool closed_by_peer(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<std::uint8_t, 4096> buf{};
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code result = boost::asio::error::would_block;
      socket_.async_read_some(boost::asio::buffer(buf), [&](const boost::system::error_code& ec,
                                                            std::size_t) { result = ec; });
      run(std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                std::chrono::steady_clock::now()),
          result);
      if (result == boost::asio::error::would_block ||
          result == boost::asio::error::operation_aborted) {
        return false;
      }
      if (result) return true;  // eof or reset
    }
    return false;
  }

  // Runs the protocol's handshake as the initiator. Returns false if the node
  // closed or refused it. `hello_override` replaces our Hello on the wire.
  bool handshake(const SecretKey& key, std::string_view chain = kChain,
                 std::optional<Hello> hello_override = std::nullopt,
                 bool corrupt_signature = false) {
    hs_ = std::make_unique<Handshake>(Role::kInitiator, chain, 1 << 20, key);
    if (!write(hello_wire(hello_override ? *hello_override : hs_->hello()))) return false;
    auto len = read_exact(kHelloLengthBytes);
    if (!len) return false;
    auto n = hello_length(std::span<const std::uint8_t, 2>(len->data(), 2));
    if (!n) return false;
    auto body = read_exact(*n);
    if (!body) return false;
    auto hello = decode_hello(*body);
    if (!hello) return false;
    if (!hs_->receive_hello(*hello)) return false;
    sealer_.emplace(hs_->send_key());
    opener_.emplace(hs_->receive_key());
    ControlMessage auth;
    auth.type = ControlType::kAuth;
    auth.signature = hs_->signature();
    if (corrupt_signature) auth.signature.bytes[5] ^= 0x01;
    core::Bytes frame;
    sealer_->seal(Channel::kControl, encode_control(auth), frame);
    if (!write(frame)) return false;
    auto opened = read_frame();
    if (!opened) return false;
    auto control = decode_control(opened->second);
    if (!control || control->type != ControlType::kAuth) return false;
    return hs_->verify_peer_signature(control->signature).ok();
  }

  // A whole sealed frame for the established session.
  core::Bytes seal(Channel channel, core::ByteView payload) {
    core::Bytes frame;
    sealer_->seal(channel, payload, frame);
    return frame;
  }

  // Reads and opens one frame: (channel, payload).
  std::optional<std::pair<Channel, core::Bytes>> read_frame(
      std::chrono::milliseconds timeout = 5s) {
    auto header = read_exact(kFrameHeaderBytes, timeout);
    if (!header) return std::nullopt;
    std::array<std::uint8_t, kFrameHeaderBytes> h{};
    std::copy(header->begin(), header->end(), h.begin());
    auto length = frame_ciphertext_length(h, kMaxFramePayloadLimitBytes);
    if (!length) return std::nullopt;
    auto body = read_exact(*length, timeout);
    if (!body) return std::nullopt;
    auto frame = opener_->open(h, *body);
    if (!frame) return std::nullopt;
    return std::pair{frame->channel, core::Bytes(frame->payload.begin(), frame->payload.end())};
  }

 private:
  void run(std::chrono::milliseconds timeout, boost::system::error_code& result) {
    ioc_.restart();
    ioc_.run_for(timeout);
    if (result == boost::asio::error::would_block) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      ioc_.restart();
      ioc_.run();
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<Handshake> hs_;
  std::optional<FrameSealer> sealer_;
  std::optional<FrameOpener> opener_;
};

}  // namespace bauhinia::network::testing
