#include "dialer.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <string>

#include "backoff.hpp"
#include "bauhinia/core/assert.hpp"

namespace bauhinia::network::detail {

namespace asio = boost::asio;
using boost::system::error_code;

Dialer::Dialer(DialerHost& host, asio::io_context& ioc, PeerAddress peer,
               const NetworkLimits& limits)
    : host_(host),
      ioc_(ioc),
      peer_(std::move(peer)),
      limits_(limits),
      strand_(asio::make_strand(ioc)),
      timer_(strand_) {
  error_code ec;
  const auto address = asio::ip::make_address(peer_.host, ec);
  BAUHINIA_ASSERT_MSG(!ec, "peer host must be a numeric IP address");
  endpoint_ = Tcp::endpoint(address, peer_.port);
}

void Dialer::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kIdle) self->try_dial();
  });
}

void Dialer::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->state_ = State::kStopped;
    self->timer_.cancel();
    if (self->socket_) {
      error_code ignored;
      self->socket_->close(ignored);
    }
  });
}

void Dialer::on_connected() {
  asio::post(strand_, [self = shared_from_this()] {
    self->connected_ = true;
    self->attempts_ = 0;
    if (self->state_ == State::kWaiting || self->state_ == State::kHandshaking) {
      // A pending wait is moot; an outbound attempt still handshaking resolves
      // itself (the tie-break keeps one connection).
      self->timer_.cancel();
      self->state_ = State::kIdle;
    }
  });
}

void Dialer::on_disconnected() {
  asio::post(strand_, [self = shared_from_this()] {
    self->connected_ = false;
    if (self->state_ == State::kIdle) self->retry_later();
  });
}

void Dialer::on_attempt_failed() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kHandshaking) self->state_ = State::kIdle;
    if (self->state_ == State::kIdle && !self->connected_) self->retry_later();
  });
}

void Dialer::poke() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kIdle && !self->connected_) self->try_dial();
  });
}

void Dialer::retry_later() {
  const auto delay = reconnect_delay(attempts_, limits_.reconnect_min_ms, limits_.reconnect_max_ms);
  ++attempts_;
  schedule(delay);
}

void Dialer::schedule(std::chrono::milliseconds delay) {
  state_ = State::kWaiting;
  const std::uint64_t generation = ++timer_generation_;
  timer_.expires_after(delay);
  timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
    if (ec || self->state_ != State::kWaiting || generation != self->timer_generation_) return;
    self->state_ = State::kIdle;
    self->try_dial();
  });
}

void Dialer::try_dial() {
  if (state_ == State::kStopped) return;
  const DialPlan plan = host_.plan_dial(peer_.key);
  switch (plan.kind) {
    case DialPlan::kIdle: state_ = State::kIdle; return;
    case DialPlan::kWait: schedule(plan.wait); return;
    case DialPlan::kDial: break;
  }
  state_ = State::kConnecting;
  // The socket gets its own strand, which becomes the connection's strand;
  // the connect handler is bound to the dialer's strand.
  socket_.emplace(asio::make_strand(ioc_));
  const std::uint64_t generation = ++timer_generation_;
  timer_.expires_after(std::chrono::milliseconds(limits_.connect_timeout_ms));
  timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
    if (ec || self->state_ != State::kConnecting || generation != self->timer_generation_) return;
    error_code ignored;
    if (self->socket_) self->socket_->close(ignored);  // on_connect sees operation_aborted
  });
  socket_->async_connect(
      endpoint_, asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec) {
        self->on_connect(ec);
      }));
}

void Dialer::on_connect(const error_code& ec) {
  ++timer_generation_;
  timer_.cancel();
  if (state_ != State::kConnecting) {  // stopped meanwhile
    socket_.reset();
    return;
  }
  state_ = State::kIdle;
  if (ec) {
    host_.log(LogLevel::kDebug, "dialing " + peer_.key.to_hex() + " at " + peer_.host + ":" +
                                    std::to_string(peer_.port) + " failed: " + ec.message());
    socket_.reset();
    if (!connected_) retry_later();
    return;
  }
  Tcp::socket socket = std::move(*socket_);
  socket_.reset();
  if (connected_ || host_.plan_dial(peer_.key).kind != DialPlan::kDial) {
    error_code ignored;
    socket.close(ignored);  // connected meanwhile (e.g. the peer dialed us)
    if (!connected_) retry_later();
    return;
  }
  state_ = State::kHandshaking;
  if (!host_.adopt_outbound(std::move(socket), peer_.key)) {
    state_ = State::kIdle;
    retry_later();
  }
}

}  // namespace bauhinia::network::detail
