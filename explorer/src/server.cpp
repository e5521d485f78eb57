#include "bauhinia/explorer/server.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace bauhinia::explorer {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kRequestTime = std::chrono::seconds(15);
constexpr unsigned kMaxRequestsPerConnection = 1000;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const Api& api, std::atomic<std::size_t>& open)
      : stream_(std::move(socket)), api_(api), open_(open) {}
  ~Connection() { --open_; }

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(0);
    stream_.expires_after(kRequestTime);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return close();
    const auto& req = parser_->get();
    HttpResponse r =
        api_.handle(std::string_view(req.method_string().data(), req.method_string().size()),
                    std::string_view(req.target().data(), req.target().size()));
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), req.version());
    res->set(http::field::server, "bauhinia-explorer");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : r.headers) res->set(k, v);
    ++served_;
    res->keep_alive(req.keep_alive() && served_ < kMaxRequestsPerConnection);
    const bool head = req.method() == http::verb::head;
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (head) res->body().clear();
    response_ = res;
    stream_.expires_after(kRequestTime);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code e, std::size_t) {
                        if (e || !res->keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  const Api& api_;
  std::atomic<std::size_t>& open_;
  unsigned served_ = 0;
};

}  // namespace

struct Server::Impl {
  explicit Impl(const Api& a) : api(a), acceptor(io) {}
  const Api& api;
  net::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> open{0};

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted) return;
      if (!ec) {
        if (open.load() >= kMaxConnections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          ++open;
          std::make_shared<Connection>(std::move(socket), api, open)->start();
        }
      }
      accept();
    });
  }
};

Server::Server(const Api& api) : impl_(std::make_unique<Impl>(api)) {}

Server::~Server() {
  stop();
}

core::Result<bool> Server::start(const std::string& host, std::uint16_t port, unsigned threads) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return core::Status::invalid_argument("listen address '" + host + "': " + ec.message());
  const tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Status::unavailable("cannot listen on " + host + ":" + std::to_string(port) +
                                     ": " + ec.message());
  }
  impl_->accept();
  for (unsigned i = 0; i < std::max(1U, threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return true;
}

std::uint16_t Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void Server::stop() {
  if (!impl_) return;
  net::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
}

}  // namespace bauhinia::explorer
