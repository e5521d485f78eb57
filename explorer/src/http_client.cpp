#include "bauhinia/explorer/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

namespace bauhinia::explorer {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using core::Reject;
using core::reject;

core::Checked<NodeUrl> NodeUrl::parse(std::string_view text) {
  const std::string shown(text.substr(0, 100));
  if (text.size() > 1024) return reject(Reject::kTooLarge, "node address is too long");
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    return reject(Reject::kInvalid, "node '" + shown + "': only http:// is supported");
  }
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with('/')) rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (rest.empty() || colon == std::string_view::npos ||
      rest.find_first_of("/?#@ \t[]") != std::string_view::npos) {
    return reject(Reject::kInvalid, "node '" + shown + "' is not of the form http://host:port");
  }
  NodeUrl u{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
  unsigned port = 0;
  const char* end = u.port.data() + u.port.size();
  if (u.host.empty() || u.port.empty() || u.port.size() > 5 ||
      std::from_chars(u.port.data(), end, port).ptr != end || port == 0 || port > 65535) {
    return reject(Reject::kInvalid, "node '" + shown + "': a host and a port 1..65535 expected");
  }
  return u;
}

namespace {

core::Expected<lightclient::NodeAnswer, lightclient::FetchError> get(
    const NodeUrl& node, const std::string& target, std::chrono::milliseconds timeout) {
  using lightclient::FetchError;
  if (target.size() > lightclient::kMaxTargetBytes || target.empty() || target[0] != '/') {
    return FetchError{"request target refused: " + target.substr(0, 100)};
  }
  net::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, node.host + ":" + node.port);
  request.set(http::field::user_agent, "bauhinia-explorer");
  request.keep_alive(false);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(lightclient::kMaxAnswerBytes);
  parser.header_limit(16 * 1024);
  std::optional<beast::error_code> failure;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  tcp::resolver resolver(io);
  resolver.async_resolve(node.host, node.port, [&](beast::error_code ec, auto results) {
    if (ec) return failure.emplace(ec), void();
    stream.expires_at(deadline);
    stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) return failure.emplace(ec2), void();
      http::async_write(stream, request, [&](beast::error_code ec3, std::size_t) {
        if (ec3) return failure.emplace(ec3), void();
        // The header first: a Content-Length over the limit is refused before
        // any of the body is read.
        http::async_read_header(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
          if (ec4) return failure.emplace(ec4), void();
          const auto length = parser.content_length();
          if (length && *length > lightclient::kMaxAnswerBytes) {
            return failure.emplace(http::error::body_limit), void();
          }
          http::async_read(stream, buffer, parser, [&](beast::error_code ec5, std::size_t) {
            if (ec5) failure.emplace(ec5);
          });
        });
      });
    });
  });
  io.run_for(timeout + std::chrono::seconds(1));
  const std::string what = node.url() + target.substr(0, 200);
  if (!io.stopped()) return FetchError{"GET " + what + ": no answer in time"};
  if (failure) return FetchError{"GET " + what + ": " + failure->message()};
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  auto response = parser.release();
  if (response.body().size() > lightclient::kMaxAnswerBytes) {
    return FetchError{"GET " + what + ": an answer over the limit"};
  }
  return lightclient::NodeAnswer{response.result_int(), std::move(response.body())};
}

}  // namespace

lightclient::Fetch http_fetch(NodeUrl node, std::chrono::milliseconds timeout) {
  return [node = std::move(node), timeout](const std::string& target) {
    return get(node, target, timeout);
  };
}

}  // namespace bauhinia::explorer
