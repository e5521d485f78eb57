#include "connection.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::network::detail {

namespace asio = boost::asio;
using boost::system::error_code;
using std::chrono::milliseconds;

namespace {

// Size of the Auth control message: type byte + Ed25519 signature.
constexpr std::size_t kAuthPayloadBytes = 1 + core::ed25519::kSignatureSize;
// Buffers grown beyond this by one large frame are released afterwards.
constexpr std::size_t kKeptBufferBytes = std::size_t{1} << 20;

LogLevel level_for(CloseReason r) {
  switch (r) {
    case CloseReason::kShutdown:
    case CloseReason::kDuplicate: return LogLevel::kDebug;
    case CloseReason::kEndOfStream:
    case CloseReason::kIoError:
    case CloseReason::kTimeout:
    case CloseReason::kRemoved: return LogLevel::kInfo;
    case CloseReason::kRefused:
    case CloseReason::kHandshakeFailed:
    case CloseReason::kProtocolViolation:
    case CloseReason::kPenalized: return LogLevel::kWarn;
  }
  return LogLevel::kWarn;
}

std::string endpoint_string(const Tcp::socket& s) {
  error_code ec;
  const Tcp::endpoint ep = s.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

std::string_view close_reason_name(CloseReason r) noexcept {
  switch (r) {
    case CloseReason::kShutdown: return "shutdown";
    case CloseReason::kEndOfStream: return "closed by peer";
    case CloseReason::kIoError: return "I/O error";
    case CloseReason::kTimeout: return "timeout";
    case CloseReason::kRefused: return "refused";
    case CloseReason::kHandshakeFailed: return "handshake failed";
    case CloseReason::kProtocolViolation: return "protocol violation";
    case CloseReason::kDuplicate: return "duplicate connection";
    case CloseReason::kRemoved: return "removed from the allowed set";
    case CloseReason::kPenalized: return "penalized";
  }
  return "unknown";
}

Connection::Connection(const ConnectionContext& ctx, Tcp::socket socket, Role role,
                       std::optional<core::ed25519::PublicKey> expected_key, std::uint64_t id)
    : ctx_(ctx),
      socket_(std::move(socket)),
      handshake_timer_(socket_.get_executor()),
      watchdog_(socket_.get_executor()),
      role_(role),
      expected_key_(expected_key),
      id_(id),
      endpoint_(endpoint_string(socket_)),
      queue_(SendQueueLimits{ctx.limits.high_queue_messages, ctx.limits.high_queue_bytes,
                             ctx.limits.low_queue_messages, ctx.limits.low_queue_bytes}) {
  BAUHINIA_ASSERT(ctx_.host != nullptr && ctx_.node_key != nullptr);
  error_code ignored;
  socket_.set_option(Tcp::no_delay(true), ignored);
}

Connection::~Connection() = default;

const core::ed25519::PublicKey& Connection::initiator_key() const noexcept {
  return role_ == Role::kInitiator ? ctx_.node_key->public_key() : peer_key_;
}

void Connection::start() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_start(); });
}

void Connection::close(CloseReason reason, std::string detail) {
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), reason, d = std::move(detail)]() mutable {
               self->do_close(reason, std::move(d));
             });
}

void Connection::retire(std::string detail) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), d = std::move(detail)]() mutable {
    self->do_retire(std::move(d));
  });
}

void Connection::resume_reading() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_resume(); });
}

SendResult Connection::send(Channel channel, std::shared_ptr<const core::Bytes> payload) {
  if (!open_for_sends_.load(std::memory_order_acquire)) return SendResult::kNotConnected;
  if (payload->size() > peer_max_payload_) return SendResult::kTooLarge;
  bool wake = false;
  switch (queue_.push(OutboundMessage{channel, std::move(payload)}, wake)) {
    case SendQueue::Push::kQueued: break;
    case SendQueue::Push::kFull: return SendResult::kQueueFull;
    case SendQueue::Push::kClosed: return SendResult::kNotConnected;
  }
  if (wake) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  return SendResult::kQueued;
}

PeerStats Connection::stats() const {
  PeerStats s;
  s.key = peer_key_;
  s.remote_endpoint = endpoint_;
  s.we_initiated = role_ == Role::kInitiator;
  const SendQueueSnapshot q = queue_.snapshot();
  s.queued_high_messages = q.high_messages;
  s.queued_high_bytes = q.high_bytes;
  s.queued_low_messages = q.low_messages;
  s.queued_low_bytes = q.low_bytes;
  s.peak_queued_bytes = q.peak_bytes;
  s.dropped_queue_full = q.dropped;
  s.frames_sent = frames_sent_.load();
  s.frames_received = frames_received_.load();
  if (const std::int64_t rtt = last_rtt_ms_.load(); rtt >= 0) {
    s.last_rtt_ms = static_cast<std::uint32_t>(rtt);
  }
  s.reading_paused = paused_.load();
  return s;
}

std::string Connection::describe() const {
  std::string s;
  if (authenticated_) {
    s = "peer " + peer_key_.to_hex();
  } else if (peer_max_payload_ != 0) {  // its Hello arrived
    s = "peer claiming " + peer_key_.to_hex();
  } else {
    s = "unidentified peer";
  }
  s += " at " + endpoint_ + (role_ == Role::kInitiator ? " (outbound #" : " (inbound #") +
       std::to_string(id_) + ")";
  return s;
}

// ---- handshake ---------------------------------------------------------------

void Connection::do_start() {
  if (state_ != State::kHandshake) return;  // closed before it started
  handshake_ = std::make_unique<Handshake>(
      role_, ctx_.chain_id, static_cast<std::uint32_t>(ctx_.limits.max_frame_payload_bytes),
      *ctx_.node_key);
  handshake_timer_.expires_after(milliseconds(ctx_.limits.handshake_timeout_ms));
  handshake_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->state_ != State::kHandshake) return;
    self->do_close(CloseReason::kTimeout,
                   "handshake did not complete within " +
                       std::to_string(self->ctx_.limits.handshake_timeout_ms) + " ms");
  });
  out_buf_ = hello_wire(handshake_->hello());
  asio::async_write(
      socket_, asio::buffer(out_buf_),
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_hello_sent(ec); });
}

void Connection::on_hello_sent(const error_code& ec) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "sending the hello");
  asio::async_read(
      socket_, asio::buffer(hello_length_),
      [self = shared_from_this()](const error_code& e, std::size_t) { self->on_hello_length(e); });
}

void Connection::on_hello_length(const error_code& ec) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "reading the hello");
  auto length = hello_length(hello_length_);
  if (!length)
    return do_close(CloseReason::kProtocolViolation, "bad hello: " + length.error().to_string());
  in_buf_.resize(*length);
  asio::async_read(
      socket_, asio::buffer(in_buf_),
      [self = shared_from_this()](const error_code& e, std::size_t) { self->on_hello_body(e); });
}

void Connection::on_hello_body(const error_code& ec) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "reading the hello");
  auto hello = decode_hello(in_buf_);
  if (!hello) {
    const core::Rejection& r = hello.error();
    if (r.reason == core::Reject::kBadVersion) return do_close(CloseReason::kRefused, r.detail);
    return do_close(CloseReason::kProtocolViolation, "bad hello: " + r.to_string());
  }
  if (expected_key_ && hello->static_key != *expected_key_) {
    return do_close(CloseReason::kRefused, "dialed " + expected_key_->to_hex() +
                                               " but the peer presented key " +
                                               hello->static_key.to_hex());
  }
  if (core::Verdict v = handshake_->receive_hello(*hello); !v) {
    const core::Reject r = v.rejection().reason;
    const bool refusal = r == core::Reject::kWrongPrefix || r == core::Reject::kBadVersion ||
                         r == core::Reject::kDuplicate;
    return do_close(refusal ? CloseReason::kRefused : CloseReason::kHandshakeFailed,
                    v.rejection().detail);
  }
  peer_key_ = hello->static_key;
  peer_max_payload_ =
      std::min<std::size_t>(hello->max_frame_payload_bytes, kMaxFramePayloadLimitBytes);
  if (Admission a = ctx_.host->admit(*this, peer_key_); !a.ok) {
    return do_close(a.reason, std::move(a.detail));
  }
  sealer_.emplace(handshake_->send_key());
  opener_.emplace(handshake_->receive_key());
  out_buf_.clear();
  ControlMessage auth;
  auth.type = ControlType::kAuth;
  auth.signature = handshake_->signature();
  sealer_->seal(Channel::kControl, encode_control(auth), out_buf_);
  asio::async_write(
      socket_, asio::buffer(out_buf_),
      [self = shared_from_this()](const error_code& e, std::size_t) { self->on_auth_sent(e); });
}

void Connection::on_auth_sent(const error_code& ec) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "sending the handshake signature");
  read_frame(kAuthPayloadBytes, &Connection::on_auth_frame);
}

void Connection::on_auth_frame(OpenedFrame frame) {
  if (frame.channel != Channel::kControl) {
    return do_close(CloseReason::kProtocolViolation, "first frame is not the handshake signature");
  }
  auto control = decode_control(frame.payload);
  if (!control || control->type != ControlType::kAuth) {
    return do_close(CloseReason::kProtocolViolation, "first frame is not the handshake signature");
  }
  if (core::Verdict v = handshake_->verify_peer_signature(control->signature); !v) {
    return do_close(CloseReason::kHandshakeFailed, v.rejection().detail);
  }
  authenticated_ = true;
  handshake_timer_.cancel();
  handshake_.reset();  // zeroes the ephemeral secret and the handshake's key copies
  state_ = State::kEstablished;
  const auto now = Clock::now();
  last_received_ = now;
  last_ping_sent_ = now;
  open_for_sends_.store(true, std::memory_order_release);
  Admission a = ctx_.host->on_established(shared_from_this());
  if (!a.ok && !a.retire) return do_close(a.reason, std::move(a.detail));
  registered_ = a.ok;
  if (a.ok) ctx_.host->log(LogLevel::kInfo, describe() + ": connected");
  arm_watchdog();
  read_next();
  if (a.retire) do_retire(std::move(a.detail));
}

// ---- frames ------------------------------------------------------------------

void Connection::read_frame(std::size_t max_payload, FrameHandler next) {
  asio::async_read(
      socket_, asio::buffer(frame_header_),
      [self = shared_from_this(), max_payload, next](const error_code& ec, std::size_t) {
        self->on_frame_header(ec, max_payload, next);
      });
}

void Connection::on_frame_header(const error_code& ec, std::size_t max_payload, FrameHandler next) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "reading a frame");
  auto length = frame_ciphertext_length(frame_header_, max_payload);
  if (!length) return do_close(CloseReason::kProtocolViolation, length.error().to_string());
  if (in_buf_.capacity() > kKeptBufferBytes && *length <= kKeptBufferBytes) in_buf_ = core::Bytes();
  in_buf_.resize(*length);
  asio::async_read(socket_, asio::buffer(in_buf_),
                   [self = shared_from_this(), next](const error_code& e, std::size_t) {
                     self->on_frame_body(e, next);
                   });
}

void Connection::on_frame_body(const error_code& ec, FrameHandler next) {
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "reading a frame");
  auto frame = opener_->open(frame_header_, in_buf_);
  if (!frame) return do_close(CloseReason::kProtocolViolation, frame.error().to_string());
  last_received_ = Clock::now();
  frames_received_.fetch_add(1, std::memory_order_relaxed);
  (this->*next)(*frame);
}

void Connection::read_next() {
  read_frame(ctx_.limits.max_frame_payload_bytes, &Connection::on_app_frame);
}

void Connection::on_app_frame(OpenedFrame frame) {
  if (frame.channel == Channel::kControl) {
    handle_control(frame.payload);
    if (state_ == State::kEstablished) read_next();
    return;
  }
  InboundMessage m;
  m.peer = peer_key_;
  m.channel = frame.channel;
  m.payload.assign(frame.payload.begin(), frame.payload.end());
  auto resume = [weak = weak_from_this()] {
    if (auto c = weak.lock()) c->resume_reading();
  };
  if (ctx_.host->deliver(m, resume)) {
    read_next();
    return;
  }
  pending_ = std::move(m);
  paused_.store(true);
}

void Connection::do_resume() {
  if (state_ != State::kEstablished || !pending_) return;
  auto resume = [weak = weak_from_this()] {
    if (auto c = weak.lock()) c->resume_reading();
  };
  if (!ctx_.host->deliver(*pending_, resume)) return;  // still full: registered again
  pending_.reset();
  paused_.store(false);
  last_received_ = Clock::now();  // we were not reading: restart the idle clock
  read_next();
}

void Connection::handle_control(std::span<const std::uint8_t> payload) {
  auto m = decode_control(payload);
  if (!m)
    return do_close(CloseReason::kProtocolViolation,
                    "bad control message: " + m.error().to_string());
  switch (m->type) {
    case ControlType::kPing: {
      ControlMessage pong;
      pong.type = ControlType::kPong;
      pong.nonce = m->nonce;
      push_control(pong);
      return;
    }
    case ControlType::kPong:
      if (m->nonce == ping_nonce_) {
        const auto rtt = std::chrono::duration_cast<milliseconds>(Clock::now() - last_ping_sent_);
        last_rtt_ms_.store(rtt.count());
      }
      return;
    case ControlType::kAuth:
      return do_close(CloseReason::kProtocolViolation, "handshake signature after the handshake");
  }
}

void Connection::push_control(const ControlMessage& m) {
  bool wake = false;
  // A full high-priority queue drops the ping/pong: the watchdog notices a
  // connection that stopped moving.
  if (queue_.push(OutboundMessage{Channel::kControl,
                                  std::make_shared<const core::Bytes>(encode_control(m))},
                  wake) == SendQueue::Push::kQueued &&
      wake) {
    write_next();
  }
}

void Connection::write_next() {
  if (state_ != State::kEstablished || writing_) return;
  std::optional<OutboundMessage> m = queue_.pop();
  if (!m) return;
  if (out_buf_.capacity() > kKeptBufferBytes && m->payload->size() <= kKeptBufferBytes) {
    out_buf_ = core::Bytes();
  }
  out_buf_.clear();
  sealer_->seal(m->channel, *m->payload, out_buf_);
  writing_ = true;
  write_started_ = Clock::now();
  asio::async_write(
      socket_, asio::buffer(out_buf_),
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_written(ec); });
}

void Connection::on_written(const error_code& ec) {
  writing_ = false;
  if (state_ == State::kClosed) return;
  if (ec) return fail_io(ec, "writing a frame");
  frames_sent_.fetch_add(1, std::memory_order_relaxed);
  write_next();
}

// ---- deadlines and closing ---------------------------------------------------

void Connection::arm_watchdog() {
  const std::uint32_t tick_ms = std::max<std::uint32_t>(
      5, std::min({ctx_.limits.ping_interval_ms, ctx_.limits.idle_timeout_ms / 2,
                   ctx_.limits.write_timeout_ms / 2}));
  watchdog_.expires_after(milliseconds(tick_ms));
  watchdog_.async_wait(
      [self = shared_from_this()](const error_code& ec) { self->on_watchdog(ec); });
}

void Connection::on_watchdog(const error_code& ec) {
  if (ec || state_ != State::kEstablished) return;
  const auto now = Clock::now();
  if (!paused_.load() && now - last_received_ > milliseconds(ctx_.limits.idle_timeout_ms)) {
    return do_close(CloseReason::kTimeout,
                    "nothing received for " + std::to_string(ctx_.limits.idle_timeout_ms) + " ms");
  }
  if (writing_ && now - write_started_ > milliseconds(ctx_.limits.write_timeout_ms)) {
    return do_close(
        CloseReason::kTimeout,
        "a frame write stalled for " + std::to_string(ctx_.limits.write_timeout_ms) + " ms");
  }
  if (now - last_ping_sent_ >= milliseconds(ctx_.limits.ping_interval_ms)) {
    last_ping_sent_ = now;
    ControlMessage ping;
    ping.type = ControlType::kPing;
    ping.nonce = ++ping_nonce_;
    push_control(ping);
  }
  arm_watchdog();
}

void Connection::fail_io(const error_code& ec, std::string_view during) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset) {
    return do_close(CloseReason::kEndOfStream,
                    "peer closed the connection while " + std::string(during));
  }
  do_close(CloseReason::kIoError, std::string(during) + ": " + ec.message());
}

void Connection::do_retire(std::string detail) {
  if (state_ != State::kEstablished || retired_) return;
  retired_ = true;
  registered_ = false;
  open_for_sends_.store(false, std::memory_order_release);
  ctx_.host->log(LogLevel::kDebug, describe() + ": retired (" + detail + ")");
  handshake_timer_.expires_after(milliseconds(ctx_.limits.handshake_timeout_ms));
  handshake_timer_.async_wait(
      [self = shared_from_this(), d = std::move(detail)](const error_code& ec) mutable {
        if (ec || self->state_ != State::kEstablished) return;
        self->do_close(CloseReason::kDuplicate, std::move(d));
      });
}

void Connection::do_close(CloseReason reason, std::string detail) {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  open_for_sends_.store(false, std::memory_order_release);
  error_code ignored;
  socket_.shutdown(Tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  handshake_timer_.cancel();
  watchdog_.cancel();
  queue_.close();
  pending_.reset();
  paused_.store(false);
  ctx_.host->log(level_for(reason), describe() + ": closed (" +
                                        std::string(close_reason_name(reason)) + "): " + detail);
  handshake_.reset();
  ctx_.host->on_closed(shared_from_this(), reason, detail, authenticated_, registered_);
}

}  // namespace bauhinia::network::detail
