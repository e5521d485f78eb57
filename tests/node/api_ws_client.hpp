#pragma once
// A WebSocket client for the API stream tests (Boost.Beast over a real
// socket), every operation with a deadline. It can bind to another loopback
// address (127.0.0.x: another "client address" for the per-address limit),
// shrink its receive buffer (a slow consumer fills the server's queue
// sooner), and drop its connection without a close frame (a killed client).

#include <chrono>
#include <optional>
#include <string>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <nlohmann/json.hpp>

namespace bauhinia::apitest {

struct WsClientOptions {
  std::string bind_address = "127.0.0.1";
  int receive_buffer = 0;  // 0: the system's default
};

class WsClient {
 public:
  explicit WsClient(std::uint16_t port, WsClientOptions options = {}) : port_(port), ws_(io_) {
    namespace net = boost::asio;
    auto& socket = boost::beast::get_lowest_layer(ws_).socket();
    boost::system::error_code ec;
    socket.open(net::ip::tcp::v4(), ec);
    if (options.receive_buffer > 0) {
      socket.set_option(net::socket_base::receive_buffer_size(options.receive_buffer), ec);
    }
    socket.bind(net::ip::tcp::endpoint(net::ip::make_address(options.bind_address), 0), ec);
    socket.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    connected_ = !ec;
  }

  // The opening handshake: true when upgraded; else refused_status() and
  // refused_body() hold the server's HTTP answer.
  bool open(const std::string& target, std::chrono::milliseconds timeout = kTimeout) {
    if (!connected_) return false;
    bool done = false;
    boost::system::error_code result;
    ws_.async_handshake(refusal_, "127.0.0.1", target, [&](boost::system::error_code ec) {
      result = ec;
      done = true;
    });
    if (!run(done, timeout)) return false;
    return !result;
  }
  unsigned refused_status() const { return refusal_.result_int(); }
  std::string refused_body() const { return refusal_.body(); }
  std::string refused_code() const {
    const auto j = nlohmann::json::parse(refusal_.body(), nullptr, false);
    if (!j.is_object() || !j.contains("error")) return "<no error>";
    return j["error"].value("code", "<no code>");
  }

  // The next message, or nullopt on a timeout, an error or the server's
  // close (then closed() and close_reason()).
  std::optional<std::string> read(std::chrono::milliseconds timeout = kTimeout) {
    bool done = false;
    boost::system::error_code result;
    ws_.async_read(buffer_, [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (!run(done, timeout)) return std::nullopt;
    if (result) {
      closed_ = true;
      closed_cleanly_ = result == boost::beast::websocket::error::closed;
      return std::nullopt;
    }
    std::string text = boost::beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return text;
  }
  std::optional<nlohmann::json> read_json(std::chrono::milliseconds timeout = kTimeout) {
    auto text = read(timeout);
    if (!text) return std::nullopt;
    return nlohmann::json::parse(*text, nullptr, false);
  }

  bool send(const std::string& text, std::chrono::milliseconds timeout = kTimeout) {
    bool done = false;
    boost::system::error_code result;
    ws_.async_write(boost::asio::buffer(text), [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    return run(done, timeout) && !result;
  }

  // Drops the TCP connection without a close frame (a killed client).
  void kill() {
    boost::system::error_code ec;
    boost::beast::get_lowest_layer(ws_).socket().close(ec);
  }

  bool closed() const { return closed_; }
  // True when the server closed with a close frame (its reason below).
  bool closed_cleanly() const { return closed_cleanly_; }
  std::string close_reason() const { return std::string(ws_.reason().reason.c_str()); }
  unsigned close_code() const { return static_cast<unsigned>(ws_.reason().code); }

  static constexpr std::chrono::milliseconds kTimeout{20'000};

 private:
  bool run(bool& done, std::chrono::milliseconds timeout) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) io_.run_one_until(deadline);
    if (!done) {
      boost::system::error_code ec;
      boost::beast::get_lowest_layer(ws_).socket().cancel(ec);
      io_.restart();
      io_.run();
      return false;
    }
    return true;
  }

  std::uint16_t port_;
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::websocket::response_type refusal_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
  bool closed_ = false;
  bool closed_cleanly_ = false;
};

}  // namespace bauhinia::apitest
