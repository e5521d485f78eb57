// Fuzzes the p2p connection (network/src/connection.cpp): the real
// Connection object, on a real TCP socket of 127.0.0.1, reads a peer's byte
// stream that the fuzzer controls, through the handshake state machine and
// the encrypted frames. The other end is driven here, with the protocol's own
// Handshake and frame cipher where a step must be genuine. Selector % 4:
//
//   0: the fuzzer's bytes are the peer's first message (its Hello and what
//      follows);
//   1: a genuine Hello, then the fuzzer's bytes where the Auth frame belongs;
//   2: a complete genuine handshake, then the fuzzer's bytes cut into frames
//      (channel byte, u16 LE length, payload) that are sealed with the real
//      session key: every control message and channel the node may receive;
//   3: a complete genuine handshake, then the fuzzer's bytes as raw frame
//      bytes (lengths, tampered ciphertexts).
// (selector / 4) % 2 chooses whether the Connection opened the TCP connection.
//
// Exact oracles: the connection is closed, exactly once, when the peer's
// stream ends or is refused; without a genuine Auth frame (0, 1) nothing is
// ever authenticated, established or delivered; with raw bytes after the
// handshake (3) nothing is delivered (no frame can be forged); with sealed
// frames (2) exactly the application frames before the first invalid one are
// delivered, in order and unchanged, the close reason is a protocol violation
// exactly when an invalid frame was sent (else the end of the stream), and
// everything the node wrote authenticates under its session key: its Auth,
// then pongs answering our pings, in order (and its own pings). The
// Connection object is freed once closed (no handler keeps it alive).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/network/control.hpp"
#include "bauhinia/network/frame_cipher.hpp"
#include "bauhinia/network/handshake.hpp"
#include "connection.hpp"  // network/src: the Connection under test

namespace asio = boost::asio;
namespace core = bauhinia::core;
namespace net = bauhinia::network;
namespace detail = bauhinia::network::detail;
using Tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kChain = "bauhinia-fuzz-1";
constexpr std::size_t kMaxPayload = 4096;  // announced by the node under test

core::ed25519::SecretKey key_of(std::uint8_t n) {
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed.fill(n);
  return core::ed25519::SecretKey::from_seed(seed);
}

struct Host final : detail::ConnectionHost {
  core::ed25519::PublicKey allowed;
  int admitted = 0;
  int established = 0;
  int closed = 0;
  detail::CloseReason reason = detail::CloseReason::kShutdown;
  bool authenticated = false;
  std::vector<std::pair<net::Channel, core::Bytes>> delivered;

  detail::Admission admit(const detail::Connection&, const core::ed25519::PublicKey& key) override {
    ++admitted;
    if (key != allowed)
      return detail::Admission::refuse(detail::CloseReason::kRefused, "not allowed");
    return detail::Admission::accept();
  }
  detail::Admission on_established(const std::shared_ptr<detail::Connection>&) override {
    ++established;
    return detail::Admission::accept();
  }
  void on_closed(const std::shared_ptr<detail::Connection>&, detail::CloseReason r,
                 const std::string& detail_text, bool auth, bool) override {
    ++closed;
    reason = r;
    authenticated = auth;
    BAUHINIA_ASSERT(!detail_text.empty());
  }
  bool deliver(net::InboundMessage& m, std::function<void()>) override {
    BAUHINIA_ASSERT(m.peer == allowed);
    delivered.emplace_back(m.channel, std::move(m.payload));
    return true;
  }
  void log(net::LogLevel, std::string_view line) override { BAUHINIA_ASSERT(!line.empty()); }
};

struct World {
  asio::io_context io;
  Tcp::acceptor acceptor{io, Tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  core::ed25519::SecretKey node_key = key_of(1);
  core::ed25519::SecretKey peer_key = key_of(2);
  detail::ConnectionContext ctx;
  std::uint64_t next_id = 0;

  World() {
    ctx.node_key = &node_key;
    ctx.chain_id = std::string(kChain);
    ctx.limits.max_frame_payload_bytes = kMaxPayload;
    // Generous deadlines: the oracles must not depend on how busy the machine
    // is (a starved fuzzer could otherwise see a handshake or idle timeout).
    ctx.limits.handshake_timeout_ms = 120'000;
    ctx.limits.idle_timeout_ms = 120'000;
    ctx.limits.write_timeout_ms = 120'000;
    ctx.limits.ping_interval_ms = 60'000;
  }

  // Runs the event loop until `done` or the deadline.
  bool pump(const std::function<bool()>& done, std::chrono::milliseconds limit = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (io.stopped()) io.restart();
      io.run_one_for(5ms);
    }
    return true;
  }
};

World& world() {
  static World* w = new World();
  return *w;
}

// The peer's side of the socket pair.
struct Peer {
  World& w;
  Tcp::socket socket;
  core::Bytes received;  // everything the node wrote
  bool eof = false;

  explicit Peer(World& world) : w(world), socket(world.io) {}

  std::optional<core::Bytes> read_exact(std::size_t n) {
    core::Bytes buf(n);
    bool done = false;
    boost::system::error_code result;
    asio::async_read(socket, asio::buffer(buf),
                     [&](const boost::system::error_code& ec, std::size_t) {
                       result = ec;
                       done = true;
                     });
    if (!w.pump([&] { return done; })) {
      socket.cancel();
      w.pump([&] { return done; });
      return std::nullopt;
    }
    if (result) return std::nullopt;
    return buf;
  }

  void write(core::ByteView bytes) {
    bool done = false;
    asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()),
                      [&](const boost::system::error_code&, std::size_t) { done = true; });
    w.pump([&] { return done; });
    if (!done) {
      socket.cancel();
      w.pump([&] { return done; });
    }
  }

  // Reads the node's Hello: it always sends one first.
  net::Hello read_hello() {
    auto len = read_exact(net::kHelloLengthBytes);
    BAUHINIA_ASSERT_MSG(len.has_value(), "the node sent no hello");
    auto n = net::hello_length(std::span<const std::uint8_t, 2>(len->data(), 2));
    BAUHINIA_ASSERT(n.has_value());
    auto body = read_exact(*n);
    BAUHINIA_ASSERT(body.has_value());
    auto hello = net::decode_hello(*body);
    BAUHINIA_ASSERT_MSG(hello.has_value(), "the node's hello does not decode");
    return *hello;
  }

  // Reads whatever the node writes until it closes.
  void drain() {
    std::array<std::uint8_t, 4096> buf{};
    while (!eof) {
      bool done = false;
      boost::system::error_code result;
      std::size_t got = 0;
      socket.async_read_some(asio::buffer(buf),
                             [&](const boost::system::error_code& ec, std::size_t k) {
                               result = ec;
                               got = k;
                               done = true;
                             });
      if (!w.pump([&] { return done; })) {
        socket.cancel();
        w.pump([&] { return done; });
      }
      received.insert(received.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
      if (result) eof = true;
    }
  }
};

// A frame the harness seals, and what the node must do with it.
struct PlannedFrame {
  std::uint8_t channel = 0;
  core::Bytes payload;
};

std::vector<PlannedFrame> cut_frames(core::ByteView in) {
  std::vector<PlannedFrame> frames;
  std::size_t i = 0;
  while (i + 3 <= in.size()) {
    PlannedFrame f;
    f.channel = in[i] % 6;  // 5 is not a channel
    std::size_t len =
        static_cast<std::size_t>(in[i + 1]) | (static_cast<std::size_t>(in[i + 2]) << 8);
    i += 3;
    if (len > kMaxPayload + 1) len = kMaxPayload + 1;  // one byte too many: refused
    const std::size_t avail = std::min(len, in.size() - i);
    f.payload.assign(in.begin() + static_cast<std::ptrdiff_t>(i),
                     in.begin() + static_cast<std::ptrdiff_t>(i + avail));
    // A short tail is padded, so the frame has its announced length.
    f.payload.resize(len, 0);
    i += avail;
    frames.push_back(std::move(f));
  }
  return frames;
}

void write_seed(const std::string& dir, const std::string& name, std::uint8_t selector,
                core::ByteView body) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(body.data()), static_cast<std::streamsize>(body.size()));
}

core::Bytes frame_plan(std::uint8_t channel, core::ByteView payload) {
  core::Bytes b = {channel, static_cast<std::uint8_t>(payload.size() & 0xFF),
                   static_cast<std::uint8_t>(payload.size() >> 8)};
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// Genuine first messages and frame plans for every mode.
void write_seeds(const std::string& dir) {
  World& w = world();
  const net::Handshake peer(net::Role::kInitiator, kChain, kMaxPayload, w.peer_key);
  const core::Bytes hello = net::hello_wire(peer.hello());
  write_seed(dir, "hello", 0, hello);
  write_seed(dir, "hello-dialed", 4, hello);
  core::Bytes stranger = net::hello_wire(
      net::Handshake(net::Role::kInitiator, kChain, kMaxPayload, w.node_key).hello());
  write_seed(dir, "hello-own-key", 0, stranger);
  write_seed(dir, "http-request", 0, core::as_bytes(std::string_view("GET / HTTP/1.1\r\n\r\n")));
  write_seed(dir, "auth-garbage", 1, core::Bytes(85, 0x41));
  net::ControlMessage ping;
  ping.type = net::ControlType::kPing;
  ping.nonce = 7;
  net::ControlMessage pong = ping;
  pong.type = net::ControlType::kPong;
  core::Bytes plan;
  for (const auto& part : {frame_plan(1, core::as_bytes(std::string_view("proposal"))),
                           frame_plan(0, net::encode_control(ping)),
                           frame_plan(2, core::as_bytes(std::string_view("tx"))),
                           frame_plan(0, net::encode_control(pong)),
                           frame_plan(3, core::Bytes(300, 0x33)), frame_plan(1, {})}) {
    plan.insert(plan.end(), part.begin(), part.end());
  }
  write_seed(dir, "frames", 2, plan);
  write_seed(dir, "frames-dialed", 6, plan);
  net::ControlMessage auth;
  auth.type = net::ControlType::kAuth;
  write_seed(dir, "frames-auth-again", 2, frame_plan(0, net::encode_control(auth)));
  write_seed(dir, "frames-bad-channel", 2, frame_plan(5, core::Bytes(3, 1)));
  write_seed(dir, "raw-frame", 3, core::Bytes{40, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
  write_seed(dir, "raw-huge-length", 3, core::Bytes{0xFF, 0xFF, 0xFF, 0x7F});
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* out = std::getenv("BAUHINIA_FUZZ_WRITE_SEEDS")) {
    write_seeds(out);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& w = world();
  Host host;
  host.allowed = w.peer_key.public_key();
  w.ctx.host = &host;
  const int mode = data[0] % 4;
  const bool node_dials = (data[0] / 4) % 2 == 1;
  const core::ByteView input(data + 1, size - 1);

  Peer peer(w);
  Tcp::socket node_socket(w.io);
  {
    // libFuzzer's timeout alarm (SIGALRM) can interrupt a blocking connect or
    // accept; the connection then completes in the background, so a connect is
    // retried until the socket reports it connected.
    for (int attempt = 0;; ++attempt) {
      boost::system::error_code ec;
      peer.socket.connect(w.acceptor.local_endpoint(), ec);
      if (!ec || ec == boost::asio::error::already_connected) break;
      BAUHINIA_ASSERT_MSG(
          (ec == boost::asio::error::interrupted || ec == boost::asio::error::already_started) &&
              attempt < 10000,
          "connect to the harness's own acceptor failed");
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    for (int attempt = 0;; ++attempt) {
      boost::system::error_code ec;
      w.acceptor.accept(node_socket, ec);
      if (!ec) break;
      BAUHINIA_ASSERT_MSG(ec == boost::asio::error::interrupted && attempt < 10000,
                          "accept on the harness's own acceptor failed");
    }
  }
  const net::Role node_role = node_dials ? net::Role::kInitiator : net::Role::kResponder;
  auto conn = std::make_shared<detail::Connection>(
      w.ctx, std::move(node_socket), node_role,
      node_dials ? std::optional(host.allowed) : std::nullopt, ++w.next_id);
  std::weak_ptr<detail::Connection> weak = conn;
  conn->start();

  bool expect_violation = false;
  std::vector<std::pair<net::Channel, core::Bytes>> expected;
  std::vector<std::uint64_t> pings;
  std::optional<net::FrameOpener> node_frames;  // what the node sealed for us
  std::optional<net::Handshake> handshake;

  const net::Hello node_hello = peer.read_hello();
  BAUHINIA_ASSERT(node_hello.static_key == w.node_key.public_key());
  if (mode == 0) {
    peer.write(input);
  } else {
    const net::Role peer_role = node_dials ? net::Role::kResponder : net::Role::kInitiator;
    handshake.emplace(peer_role, kChain, static_cast<std::uint32_t>(kMaxPayload), w.peer_key);
    BAUHINIA_ASSERT(handshake->receive_hello(node_hello).ok());
    peer.write(net::hello_wire(handshake->hello()));
    net::FrameSealer sealer(handshake->send_key());
    node_frames.emplace(handshake->receive_key());
    if (mode == 1) {
      peer.write(input);
    } else {
      net::ControlMessage auth;
      auth.type = net::ControlType::kAuth;
      auth.signature = handshake->signature();
      core::Bytes out;
      sealer.seal(net::Channel::kControl, net::encode_control(auth), out);
      if (mode == 3) {
        out.insert(out.end(), input.begin(), input.end());
      } else {
        for (PlannedFrame& f : cut_frames(input)) {
          sealer.seal(static_cast<net::Channel>(f.channel), f.payload, out);
          if (f.payload.size() > kMaxPayload || f.channel > 4) {
            expect_violation = true;
            break;
          }
          if (f.channel == 0) {
            auto m = net::decode_control(f.payload);
            if (!m || m->type == net::ControlType::kAuth) {
              expect_violation = true;
              break;
            }
            if (m->type == net::ControlType::kPing) pings.push_back(m->nonce);
            continue;
          }
          expected.emplace_back(static_cast<net::Channel>(f.channel), std::move(f.payload));
        }
      }
      peer.write(out);
    }
  }
  boost::system::error_code ignored;
  peer.socket.shutdown(Tcp::socket::shutdown_send, ignored);
  BAUHINIA_ASSERT_MSG(w.pump([&] { return host.closed > 0; }, 120s),
                      "the connection stays open after the peer's stream ended");
  peer.drain();
  peer.socket.close(ignored);
  conn.reset();
  w.pump([&] { return weak.expired(); }, 60s);
  BAUHINIA_ASSERT_MSG(weak.expired(), "a closed connection is kept alive");
  BAUHINIA_ASSERT_MSG(host.closed == 1, "closed more than once");

  if (mode <= 1) {
    BAUHINIA_ASSERT_MSG(!host.authenticated && host.established == 0 && host.delivered.empty(),
                        "authenticated without a genuine Auth frame");
    return 0;
  }
  BAUHINIA_ASSERT_MSG(host.established == 1 && host.authenticated,
                      "a genuine handshake was not accepted");
  if (mode == 3) {
    BAUHINIA_ASSERT_MSG(host.delivered.empty(), "a forged frame was delivered");
    BAUHINIA_ASSERT(host.reason == detail::CloseReason::kProtocolViolation ||
                    host.reason == detail::CloseReason::kEndOfStream);
  } else {
    BAUHINIA_ASSERT_MSG(host.delivered == expected,
                        "the delivered messages are not exactly the frames sent");
    BAUHINIA_ASSERT_MSG(
        (host.reason == detail::CloseReason::kProtocolViolation) == expect_violation,
        "closed for a reason other than the frames sent");
  }
  // Everything the node sent authenticates: its Auth, then pongs in order.
  core::ByteView rest(peer.received);
  std::size_t pong = 0;
  bool first = true;
  while (rest.size() >= net::kFrameHeaderBytes) {
    std::array<std::uint8_t, net::kFrameHeaderBytes> header{};
    std::copy_n(rest.begin(), header.size(), header.begin());
    auto len = net::frame_ciphertext_length(header, kMaxPayload);
    BAUHINIA_ASSERT(len.has_value());
    if (rest.size() < net::kFrameHeaderBytes + *len) break;  // cut by the close
    core::Bytes body(rest.begin() + net::kFrameHeaderBytes,
                     rest.begin() + static_cast<std::ptrdiff_t>(net::kFrameHeaderBytes + *len));
    rest = rest.subspan(net::kFrameHeaderBytes + *len);
    auto frame = node_frames->open(header, body);
    BAUHINIA_ASSERT_MSG(frame.has_value(), "the node sent a frame that does not authenticate");
    BAUHINIA_ASSERT(frame->channel == net::Channel::kControl);
    auto m = net::decode_control(frame->payload);
    BAUHINIA_ASSERT(m.has_value());
    if (first) {
      BAUHINIA_ASSERT(m->type == net::ControlType::kAuth);
      BAUHINIA_ASSERT(handshake->verify_peer_signature(m->signature).ok());
      first = false;
      continue;
    }
    if (m->type == net::ControlType::kPing) continue;  // the node's keep-alive
    BAUHINIA_ASSERT(m->type == net::ControlType::kPong);
    BAUHINIA_ASSERT_MSG(pong < pings.size() && pings[pong] == m->nonce,
                        "a pong that answers no ping, or out of order");
    ++pong;
  }
  return 0;
}
