#include "bauhinia/wallet/node_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

namespace bauhinia::wallet {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kMaxUrlSize = 2048;
constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;

bool valid_port(std::string_view p) {
  unsigned v = 0;
  const auto* end = p.data() + p.size();
  return !p.empty() && p.size() <= 5 && std::from_chars(p.data(), end, v).ptr == end && v > 0 &&
         v <= 65535;
}

}  // namespace

core::Result<NodeAddress> NodeAddress::parse(std::string_view url) {
  const std::string shown(url.substr(0, 128));
  if (url.size() > kMaxUrlSize) return core::Status::invalid_argument("node address is too long");
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    return core::Status::invalid_argument(
        "node address '" + shown +
        "': https is not supported; run the wallet against the node's plain HTTP API (or a local "
        "TLS-terminating proxy)");
  }
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ \t") != std::string_view::npos) {
    return core::Status::invalid_argument("node address '" + shown +
                                          "' is not of the form http://host:port");
  }
  NodeAddress a;
  if (rest.front() == '[') {  // [ipv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return core::Status::invalid_argument("node address '" + shown + "': unclosed '['");
    }
    a.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return core::Status::invalid_argument("node address '" + shown + "': expected ':port'");
    }
    a.port = rest.empty() ? "8080" : std::string(rest.substr(1));
  } else {
    const auto colon = rest.rfind(':');
    a.host = std::string(rest.substr(0, colon));
    a.port = colon == std::string_view::npos ? "8080" : std::string(rest.substr(colon + 1));
  }
  if (a.host.empty())
    return core::Status::invalid_argument("node address '" + shown + "': no host");
  if (!valid_port(a.port)) {
    return core::Status::invalid_argument("node address '" + shown + "': port must be 1..65535");
  }
  return a;
}

core::Result<Response> NodeClient::exchange(std::string_view method, std::string_view target,
                                            const std::string* body) const {
  const std::string what =
      "node " + address_.url() + ": " + std::string(method) + " " + std::string(target);
  net::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> request;
  request.method(body ? http::verb::post : http::verb::get);
  request.target(std::string(target));
  request.version(11);
  request.keep_alive(false);
  request.set(http::field::host, address_.host + ":" + address_.port);
  request.set(http::field::user_agent, "bauhinia-wallet");
  request.set(http::field::accept, "application/json");
  if (body) {
    request.set(http::field::content_type, "application/json");
    request.body() = *body;
  }
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(limits_.max_response_bytes);
  parser.header_limit(kMaxHeaderBytes);
  std::optional<beast::error_code> failure;
  const char* step = "resolve";

  // The whole exchange runs under one deadline: each step re-arms the
  // stream's timer with what is left of it.
  const auto deadline = std::chrono::steady_clock::now() + limits_.timeout;
  auto arm = [&] { stream.expires_at(deadline); };
  tcp::resolver resolver(io);
  resolver.async_resolve(
      address_.host, address_.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return failure.emplace(ec), void();
        step = "connect";
        arm();
        stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
          if (ec2) return failure.emplace(ec2), void();
          step = "send";
          http::async_write(stream, request, [&](beast::error_code ec3, std::size_t) {
            if (ec3) return failure.emplace(ec3), void();
            step = "read the answer";
            // The header first, so the body limit is checked against
            // Content-Length before the body is read (loadgen/http_connection.cpp).
            http::async_read_header(
                stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
                  if (ec4) return failure.emplace(ec4), void();
                  http::async_read(stream, buffer, parser, [&](beast::error_code ec5, std::size_t) {
                    if (ec5) failure.emplace(ec5);
                  });
                });
          });
        });
      });
  // Resolution has no timer of its own: bound the whole loop as well.
  io.run_for(limits_.timeout + std::chrono::seconds(1));
  if (!io.stopped()) {
    io.stop();
    return core::Status::unavailable(what + ": no answer within " +
                                     std::to_string(limits_.timeout.count()) + " ms");
  }
  if (failure) {
    std::string why = failure->message();
    if (*failure == beast::error::timeout) {
      why = "timed out after " + std::to_string(limits_.timeout.count()) + " ms";
    } else if (*failure == http::error::body_limit) {
      why = "the answer is larger than " + std::to_string(limits_.max_response_bytes) + " bytes";
    }
    return core::Status::unavailable(what + ": cannot " + step + ": " + why);
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto response = parser.release();
  Response r;
  r.status = response.result_int();
  const std::string& text = response.body();
  if (!text.empty()) {
    r.body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (r.body.is_discarded()) {
      return core::Status::unavailable(what + ": HTTP " + std::to_string(r.status) +
                                       " with a body that is not JSON");
    }
  }
  if (!r.ok() && r.body.is_object()) {
    const auto e = r.body.find("error");
    if (e != r.body.end() && e->is_object()) {
      if (auto c = e->find("code"); c != e->end() && c->is_string()) r.error_code = *c;
      if (auto m = e->find("message"); m != e->end() && m->is_string()) r.error_message = *m;
    }
  }
  return r;
}

core::Result<Response> NodeClient::get(std::string_view target) const {
  return exchange("GET", target, nullptr);
}

core::Result<Response> NodeClient::post_json(std::string_view target,
                                             const nlohmann::json& body) const {
  const std::string text = body.dump();
  return exchange("POST", target, &text);
}

std::string NodeClient::describe_error(std::string_view method, std::string_view target,
                                       const Response& r) const {
  std::string s = "node " + address_.url() + ": " + std::string(method) + " " +
                  std::string(target) + ": HTTP " + std::to_string(r.status);
  if (!r.error_code.empty()) s += " " + r.error_code;
  if (!r.error_message.empty()) s += ": " + r.error_message;
  return s;
}

core::Result<nlohmann::json> NodeClient::require_ok(std::string_view method,
                                                    std::string_view target,
                                                    core::Result<Response> r) const {
  if (!r) return std::move(r).error();
  if (r->ok()) return std::move(r->body);
  std::string text = describe_error(method, target, *r);
  if (r->status == 404) return core::Status::not_found(std::move(text));
  if (r->status >= 500 || r->status == 429) return core::Status::unavailable(std::move(text));
  return core::Status::invalid_argument(std::move(text));
}

core::Result<nlohmann::json> NodeClient::get_ok(std::string_view target) const {
  return require_ok("GET", target, get(target));
}

core::Result<nlohmann::json> NodeClient::post_ok(std::string_view target,
                                                 const nlohmann::json& body) const {
  return require_ok("POST", target, post_json(target, body));
}

}  // namespace bauhinia::wallet
