#include "raw_session.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "bauhinia/network/control.hpp"
#include "bauhinia/network/handshake.hpp"

namespace bauhinia::peer_harness {

namespace {

using Clock = std::chrono::steady_clock;

core::Status io_error(const std::string& what) {
  return core::Status::unavailable(what + ": errno " + std::to_string(errno));
}

}  // namespace

core::Result<std::unique_ptr<RawSession>> RawSession::open(
    const std::string& host, std::uint16_t port, const std::string& chain_id,
    std::uint32_t max_frame_payload, const core::ed25519::SecretKey& key,
    const core::ed25519::PublicKey& expected, std::chrono::milliseconds timeout) {
  std::unique_ptr<RawSession> s(new RawSession());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return core::Status::invalid_argument("not an IPv4 address: " + host);
  }
  s->fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->fd_ < 0) return io_error("socket");
  if (::connect(s->fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return io_error("connect to " + host + ":" + std::to_string(port));
  }
  network::Handshake hs(network::Role::kInitiator, chain_id, max_frame_payload, key);
  if (!s->write(hello_wire(hs.hello()))) return io_error("sending the hello");
  std::array<std::uint8_t, network::kHelloLengthBytes> prefix{};
  if (!s->read_exact(prefix.data(), prefix.size(), timeout)) {
    return core::Status::unavailable("no hello from the peer (refused?)");
  }
  auto length = network::hello_length(prefix);
  if (!length) return core::Status::corruption("hello length: " + length.error().to_string());
  core::Bytes body(*length);
  if (!s->read_exact(body.data(), body.size(), timeout)) {
    return core::Status::unavailable("hello cut short");
  }
  auto peer = network::decode_hello(body);
  if (!peer) return core::Status::corruption("hello: " + peer.error().to_string());
  if (peer->static_key != expected) return core::Status::corruption("another node answered");
  if (auto v = hs.receive_hello(*peer); !v) {
    return core::Status::corruption("hello refused: " + v.rejection().to_string());
  }
  s->peer_max_payload_ = peer->max_frame_payload_bytes;
  s->sealer_ = std::make_unique<network::FrameSealer>(hs.send_key());
  s->opener_ = std::make_unique<network::FrameOpener>(hs.receive_key());
  network::ControlMessage auth;
  auth.type = network::ControlType::kAuth;
  auth.signature = hs.signature();
  if (!s->write(s->seal(network::Channel::kControl, network::encode_control(auth)))) {
    return io_error("sending the auth frame");
  }
  auto frame = s->read_frame(timeout);
  if (!frame)
    return core::Status::unavailable("no auth frame: the peer closed (refused or banned)");
  auto control = network::decode_control(frame->payload);
  if (frame->channel != network::Channel::kControl || !control ||
      control->type != network::ControlType::kAuth) {
    return core::Status::corruption("the peer's first frame is not its auth frame");
  }
  if (auto v = hs.verify_peer_signature(control->signature); !v) {
    return core::Status::corruption("the peer's handshake signature: " + v.rejection().to_string());
  }
  return s;
}

RawSession::~RawSession() {
  if (fd_ >= 0) ::close(fd_);
}

core::Bytes RawSession::seal(network::Channel channel, core::ByteView payload) {
  core::Bytes out;
  sealer_->seal(channel, payload, out);
  return out;
}

bool RawSession::write(core::ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawSession::read_exact(std::uint8_t* out, std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t done = 0;
  while (done < n) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t got = ::recv(fd_, out + done, n - done, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;  // closed or reset
    done += static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<network::OpenedFrame> RawSession::read_frame(std::chrono::milliseconds timeout) {
  std::array<std::uint8_t, network::kFrameHeaderBytes> header{};
  if (!read_exact(header.data(), header.size(), timeout)) return std::nullopt;
  auto length = network::frame_ciphertext_length(header, network::kMaxFramePayloadLimitBytes);
  if (!length) return std::nullopt;
  in_buf_.resize(*length);
  if (!read_exact(in_buf_.data(), in_buf_.size(), timeout)) return std::nullopt;
  auto frame = opener_->open(header, in_buf_);
  if (!frame) return std::nullopt;
  return *frame;
}

bool RawSession::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::array<std::uint8_t, 4096> buf{};
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t got = ::recv(fd_, buf.data(), buf.size(), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return true;
  }
}

}  // namespace bauhinia::peer_harness
