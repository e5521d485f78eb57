#pragma once
// A keep-alive HTTP/1.1 client connection on Boost.Beast, one request at a
// time: it connects on first use and again after the server or an error
// closed it. Every step (connect, write, read) has a deadline and the
// response body a size cap.
//
// A server may close an idle keep-alive connection at any time (the node's
// API does after its request timeout). When a request on a reused connection
// finds it closed before any byte of the answer arrived, the connection
// reconnects and sends the request once more; this is only correct because
// every request of the load generator is idempotent (GETs, and submissions,
// which the node answers alike for a duplicate).
//
// Threading: the owner's event loop only. Handlers capture `this`: the owner
// keeps the connection alive until the io_context has stopped running.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

// GCC 12 at -O3 reports a false -Wnull-dereference inside Boost.Asio 1.74
// (the same pragma as tests/node/api_test_support.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace bauhinia::loadgen {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

class HttpConnection {
 public:
  struct Answer {
    unsigned status = 0;
    std::string body;
    // Retry-After in seconds (delta-seconds form only; capped at an hour).
    std::optional<std::uint32_t> retry_after_s;
  };
  // ec set: the request failed (connect, write, read, timeout, body too
  // large); the connection is closed and the next request reconnects.
  using Handler = std::function<void(beast::error_code ec, Answer answer)>;

  HttpConnection(net::io_context& io, tcp::endpoint endpoint, std::string host_header,
                 std::chrono::milliseconds timeout, std::size_t max_body_bytes);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Starts a request; only one at a time (asserted).
  void get(std::string target, Handler handler);
  void post(std::string target, std::string content_type, std::string body, Handler handler);

  bool busy() const noexcept { return busy_; }
  // Closes the socket; an operation in flight completes with an error.
  void close();

 private:
  void start(Handler handler);
  void on_connect(beast::error_code ec);
  void write();
  void on_write(beast::error_code ec);
  void on_header(beast::error_code ec);
  void on_read(beast::error_code ec);
  // True (and reconnects) when `ec` says a reused connection was closed by
  // the server before answering and this request was not resent yet.
  bool resend_after_stale(beast::error_code ec);
  void connect();
  void complete(beast::error_code ec);

  tcp::endpoint endpoint_;
  std::string host_header_;
  std::chrono::milliseconds timeout_;
  std::size_t max_body_bytes_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Handler handler_;
  bool connected_ = false;
  bool busy_ = false;
  bool reused_ = false;  // the request went out on an already open connection
};

}  // namespace bauhinia::loadgen
