#include "bauhinia/loadgen/http_connection.hpp"

#include <utility>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/loadgen/api_messages.hpp"

namespace bauhinia::loadgen {

HttpConnection::HttpConnection(net::io_context& io, tcp::endpoint endpoint, std::string host_header,
                               std::chrono::milliseconds timeout, std::size_t max_body_bytes)
    : endpoint_(std::move(endpoint)),
      host_header_(std::move(host_header)),
      timeout_(timeout),
      max_body_bytes_(max_body_bytes),
      stream_(io) {}

void HttpConnection::get(std::string target, Handler handler) {
  request_ = {};
  request_.method(http::verb::get);
  request_.target(target);
  start(std::move(handler));
}

void HttpConnection::post(std::string target, std::string content_type, std::string body,
                          Handler handler) {
  request_ = {};
  request_.method(http::verb::post);
  request_.target(target);
  request_.set(http::field::content_type, content_type);
  request_.body() = std::move(body);
  start(std::move(handler));
}

void HttpConnection::start(Handler handler) {
  BAUHINIA_ASSERT_MSG(!busy_, "one request at a time per connection");
  busy_ = true;
  handler_ = std::move(handler);
  request_.version(11);
  request_.keep_alive(true);
  request_.set(http::field::host, host_header_);
  request_.set(http::field::user_agent, "bauhinia-bench");
  request_.prepare_payload();
  reused_ = connected_;
  if (connected_) {
    write();
    return;
  }
  connect();
}

void HttpConnection::connect() {
  stream_.expires_after(timeout_);
  stream_.async_connect(endpoint_, [this](beast::error_code ec) { on_connect(ec); });
}

bool HttpConnection::resend_after_stale(beast::error_code ec) {
  if (!reused_) return false;
  const bool closed_by_server = ec == http::error::end_of_stream || ec == net::error::eof ||
                                ec == net::error::connection_reset || ec == net::error::broken_pipe;
  if (!closed_by_server) return false;
  reused_ = false;  // once per request
  close();
  connect();
  return true;
}

void HttpConnection::on_connect(beast::error_code ec) {
  if (ec) return complete(ec);
  connected_ = true;
  buffer_.clear();
  beast::error_code ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
  write();
}

void HttpConnection::write() {
  stream_.expires_after(timeout_);
  http::async_write(stream_, request_, [this](beast::error_code ec, std::size_t) { on_write(ec); });
}

void HttpConnection::on_write(beast::error_code ec) {
  if (ec && resend_after_stale(ec)) return;
  if (ec) return complete(ec);
  parser_.emplace();
  parser_->body_limit(max_body_bytes_);
  stream_.expires_after(timeout_);
  // The header first: Beast 1.74's eager parse (http::async_read) skips the
  // Content-Length check against body_limit when body bytes arrive together
  // with the header; reading the header alone keeps the check.
  http::async_read_header(stream_, buffer_, *parser_,
                          [this](beast::error_code e, std::size_t) { on_header(e); });
}

void HttpConnection::on_header(beast::error_code ec) {
  // end_of_stream: closed before any byte of the answer (a partial answer is
  // another error and is not resent).
  if (ec && resend_after_stale(ec)) return;
  if (ec) return complete(ec);
  http::async_read(stream_, buffer_, *parser_,
                   [this](beast::error_code e, std::size_t) { on_read(e); });
}

void HttpConnection::on_read(beast::error_code ec) {
  if (ec) return complete(ec);
  if (!parser_->keep_alive()) {
    // The server closes after this answer (e.g. its per-connection limit).
    close();
  }
  complete({});
}

void HttpConnection::complete(beast::error_code ec) {
  Answer answer;
  if (ec) {
    close();
  } else {
    auto response = parser_->release();
    answer.status = response.result_int();
    const auto retry_after = response[http::field::retry_after];
    answer.retry_after_s =
        parse_retry_after(std::string_view(retry_after.data(), retry_after.size()));
    answer.body = std::move(response.body());
  }
  parser_.reset();
  busy_ = false;
  // The handler may start the next request on this connection.
  Handler handler = std::move(handler_);
  handler_ = nullptr;
  handler(ec, std::move(answer));
}

void HttpConnection::close() {
  if (!connected_ && !stream_.socket().is_open()) return;
  connected_ = false;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  buffer_.clear();
}

}  // namespace bauhinia::loadgen
