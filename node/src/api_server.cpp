// ApiServer: the Boost.Beast transport of the API. One Session per
// connection, on its own strand; requests are parsed with size limits and a
// deadline, handed to ApiHandler, and answered in order.

#include "bauhinia/node/api_server.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "api_stream.hpp"
#include "api_stream_session.hpp"

// GCC 12 at -O3 reports a false -Wnull-dereference inside Boost.Asio 1.74
// (scheduler::compensating_work_started, inlined into our handlers).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace bauhinia::node {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// Refused connections (over max_connections) being answered at once; beyond
// this they are closed without an answer.
constexpr std::size_t kMaxRefusalsInFlight = 64;
// After an error answer the server stops reading requests but drains what the
// client still sends, for at most this long and this much, so that closing
// does not reset the connection before the client has read the answer.
constexpr std::chrono::milliseconds kDrainTime{1000};
constexpr std::size_t kDrainBytes = 4U << 20;
// Status codes counted individually in the metrics (100..599).
constexpr std::size_t kStatusSlots = 600;

std::chrono::milliseconds ms(std::uint32_t v) {
  return std::chrono::milliseconds(v);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

ApiServerConfig ApiServerConfig::from_node_config(const NodeConfig& config) {
  ApiServerConfig c;
  c.listen_host = config.api_listen.host;
  c.listen_port = config.api_listen.port;
  c.max_body_bytes = config.api_max_body_bytes;
  c.max_connections = config.api_max_connections;
  c.stream.max_subscribers = config.api_stream_max_subscribers;
  c.stream.max_subscribers_per_address = config.api_stream_max_per_address;
  c.stream.max_queue_wait_ms = config.api_stream_max_queue_wait_ms;
  return c;
}

core::Verdict ApiServerConfig::validate() const {
  const auto bad = [](std::string what) {
    return core::reject(core::Reject::kInvalid, std::move(what));
  };
  boost::system::error_code ec;
  net::ip::make_address(listen_host, ec);
  if (ec) return bad("api listen host '" + listen_host + "' is not an IP address");
  if (max_connections < 1 || max_connections > 65536) return bad("api max_connections: 1..65536");
  if (max_header_bytes < 1024 || max_header_bytes > (1U << 20)) {
    return bad("api max_header_bytes: 1 KiB..1 MiB");
  }
  if (max_body_bytes < 1024 || max_body_bytes > (64U << 20)) {
    return bad("api max_body_bytes: 1 KiB..64 MiB");
  }
  for (std::uint32_t t : {request_timeout_ms, write_timeout_ms}) {
    if (t < 10 || t > 600'000) return bad("api timeouts: 10 ms..10 min");
  }
  if (max_requests_per_connection < 1) return bad("api max_requests_per_connection: at least 1");
  if (limits.max_page < 1 || limits.max_target_bytes < 64) return bad("api limits too small");
  if (limits.max_batch_transactions < 1 || limits.max_stream_filters < 1) {
    return bad("api limits too small");
  }
  const ApiStreamLimits& st = stream;
  if (st.max_subscribers < 1 || st.max_subscribers > 65536 || st.max_subscribers_per_address < 1) {
    return bad("api stream subscribers: 1..65536, at least 1 per address");
  }
  if (st.max_queue_messages < 1 || st.max_queue_bytes < 4096 || st.max_queue_bytes > (256U << 20)) {
    return bad("api stream queue: at least 1 message, 4 KiB..256 MiB");
  }
  for (std::uint32_t t :
       {st.max_queue_wait_ms, st.handshake_timeout_ms, st.idle_timeout_ms, st.poll_interval_ms}) {
    if (t < 10 || t > 600'000) return bad("api stream timeouts: 10 ms..10 min");
  }
  if (st.max_incoming_message_bytes < 125 || st.socket_send_buffer_bytes < 4096) {
    return bad("api stream message and socket buffer limits too small");
  }
  return core::Verdict::accept();
}

class ApiSession;

struct ApiServer::Shared : std::enable_shared_from_this<ApiServer::Shared> {
  Shared(net::io_context& io_context, ApiServerConfig c, ApiBackend& b)
      : io(io_context),
        config(std::move(c)),
        backend(b),
        handler(b, metrics, config.limits),
        hub(std::make_shared<api_stream::StreamHub>(b, config.limits, config.stream)),
        acceptor(net::make_strand(io_context)) {}

  void accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);
  void count_response(unsigned status) {
    if (status < kStatusSlots) responses[status].fetch_add(1, std::memory_order_relaxed);
  }

  net::io_context& io;
  const ApiServerConfig config;
  ApiBackend& backend;
  MetricsRegistry metrics;
  ApiHandler handler;
  std::shared_ptr<api_stream::StreamHub> hub;  // the WebSocket streams
  tcp::acceptor acceptor;                      // used on its own strand only
  std::uint16_t port = 0;

  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> refusals_in_flight{0};
  std::atomic<std::uint64_t> refused{0};
  std::array<std::atomic<std::uint64_t>, kStatusSlots> responses{};

  std::mutex sessions_mutex;
  std::map<std::uint64_t, std::weak_ptr<ApiSession>> sessions;  // guarded by sessions_mutex
  std::uint64_t next_session = 0;                               // guarded by sessions_mutex
};

// One client connection. Every member is used on the session's strand only.
class ApiSession : public std::enable_shared_from_this<ApiSession> {
 public:
  ApiSession(tcp::socket socket, std::shared_ptr<ApiServer::Shared> shared, bool refuse)
      : stream_(std::move(socket)),
        executor_(stream_.get_executor()),
        shared_(std::move(shared)),
        buffer_(shared_->config.max_header_bytes + 64 * 1024),
        refuse_(refuse) {}

  ~ApiSession() {
    if (refuse_) {
      shared_->refusals_in_flight.fetch_sub(1);
      return;
    }
    shared_->connections.fetch_sub(1);
    std::lock_guard lock(shared_->sessions_mutex);
    shared_->sessions.erase(id_);
  }

  void set_id(std::uint64_t id) { id_ = id; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->refuse_) {
        self->answer(api_error(503, "too_many_connections",
                               "the server has reached its connection limit; try again later"),
                     11, false);
      } else {
        self->read_header();
      }
    });
  }

  // Closes the connection (from stop()).
  void close() {
    net::post(executor_, [self = shared_from_this()] {
      if (self->handed_over_) return;  // the stream's now (closed by its hub)
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  const ApiServerConfig& config() const { return shared_->config; }

  void read_header() {
    if (shared_->stopped.load()) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config().max_header_bytes));
    parser_->body_limit(config().max_body_bytes);
    // One deadline for the whole request, from the moment we wait for it.
    stream_.expires_after(ms(config().request_timeout_ms));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& req = parser_->get();
    const auto expect_field = req[http::field::expect];
    const std::string_view expect(expect_field.data(), expect_field.size());
    if (!expect.empty()) {
      if (!iequals(expect, "100-continue")) {
        return answer(api_error(417, "expectation_failed", "only 'Expect: 100-continue'"), 11,
                      false);
      }
      // The client waits for this before it sends the body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](beast::error_code wec, std::size_t) {
                                if (wec) return self->close_now();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_read_error(beast::error_code ec) {
    const unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    if (ec == http::error::body_limit) {
      return answer(api_error(413, "body_too_large",
                              "the body is larger than " + std::to_string(config().max_body_bytes) +
                                  " bytes"),
                    version, false);
    }
    if (ec == http::error::header_limit ||
        (ec == http::error::buffer_overflow && !parser_->is_header_done())) {
      return answer(api_error(431, "header_too_large",
                              "the request header is larger than " +
                                  std::to_string(config().max_header_bytes) + " bytes"),
                    version, false);
    }
    if (ec == http::error::buffer_overflow) {
      return answer(api_error(413, "body_too_large", "the request is too large"), version, false);
    }
    // A malformed request (but not the end of the stream between requests).
    if (ec.category() == beast::http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return answer(api_error(400, "bad_request", "malformed HTTP request: " + ec.message()),
                    version, false);
    }
    // The client went away, timed out (the stream closed the socket), or the
    // server is stopping.
    close_now();
  }

  void on_request(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    http::request<http::string_body> req = parser_->release();
    parser_.reset();
    ApiRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.content_type = std::string(req[http::field::content_type]);
    request.body = std::move(req.body());
    if (beast::websocket::is_upgrade(req) && api_stream::is_stream_target(request.target)) {
      return upgrade(std::move(req), request);
    }
    ++served_;
    bool keep_alive = req.keep_alive() && served_ < config().max_requests_per_connection &&
                      !shared_->stopped.load();
    ApiResponse response = shared_->handler.handle(request);
    if (req.method() == http::verb::head) {
      // (Refused with a 405.) A HEAD response has no body; closing keeps the
      // framing unambiguous for any client.
      response.body.clear();
      keep_alive = false;
    }
    if (response.await_durable) {
      // An accepted submission: answered once the node's journal holds it
      // (the journal's writer thread calls back; the answer goes out on this
      // connection's strand). No read is pending meanwhile, so the request
      // timer does not run.
      auto await = std::move(response.await_durable);
      response.await_durable = nullptr;
      const unsigned version = req.version();
      await([self = shared_from_this(), response = std::move(response), version,
             keep_alive](core::Status s) mutable {
        net::post(self->executor_, [self, response = std::move(response), version, keep_alive,
                                    s = std::move(s)]() mutable {
          if (!s) {
            const std::string why = "the transaction was admitted but could not be made " +
                                    std::string("durable (") + s.to_string() + "); submit it again";
            response = api_error(503, "journal_unavailable", why);
            response.headers.emplace_back("Retry-After", "1");
          }
          self->answer(std::move(response), version, keep_alive);
        });
      });
      return;
    }
    answer(std::move(response), req.version(), keep_alive);
  }

  // GET /v1/stream with an Upgrade: checked and admitted by the hub, then the
  // connection is the stream's (this session ends), or refused with an answer.
  void upgrade(http::request<http::string_body> req, const ApiRequest& request) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    const std::string address = ec ? std::string("unknown") : remote.address().to_string();
    auto admitted = shared_->hub->admit(request, address);
    if (!admitted) return answer(std::move(admitted).error(), req.version(), false);
    shared_->count_response(101);
    handed_over_ = true;
    api_stream::start_stream(shared_->hub, std::move(stream_), std::move(req),
                             std::move(admitted->first), std::move(admitted->second));
  }

  // Writes `response`; then reads the next request, or closes.
  void answer(ApiResponse response, unsigned version, bool keep_alive) {
    shared_->count_response(response.status);
    response_.emplace(static_cast<http::status>(response.status), version);
    response_->set(http::field::server, "bauhinia-node");
    response_->set(http::field::content_type, response.content_type);
    response_->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) response_->set(name, value);
    response_->keep_alive(keep_alive);
    response_->body() = std::move(response.body);
    response_->prepare_payload();
    stream_.expires_after(ms(config().write_timeout_ms));
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        self->response_.reset();
                        if (ec) return self->close_now();
                        if (keep_alive) return self->read_header();
                        self->finish();
                      });
  }

  // After the last answer: no more requests; drain what the client still
  // sends (bounded) so that the close does not reset the answer away.
  void finish() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || refuse_) return close_now();
    stream_.expires_after(kDrainTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainBytes) return self->close_now();
                              self->drain();
                            });
  }

  void close_now() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  const beast::tcp_stream::executor_type executor_;  // the connection's strand
  bool handed_over_ = false;                         // stream_ moved to a stream session
  std::shared_ptr<ApiServer::Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
  std::uint32_t served_ = 0;
  std::uint64_t id_ = 0;
  const bool refuse_;
};

void ApiServer::Shared::accept() {
  // The pending accept keeps the shared state alive until stop() closes the
  // acceptor; every session holds it too.
  acceptor.async_accept(net::make_strand(io),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                          self->on_accept(ec, std::move(socket));
                        });
}

void ApiServer::Shared::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open() || stopped.load()) return;
  // Other accept errors (e.g. too many open files) are transient: keep going.
  if (!ec) {
    if (connections.load() >= config.max_connections) {
      refused.fetch_add(1);
      if (refusals_in_flight.fetch_add(1) >= kMaxRefusalsInFlight) {
        refusals_in_flight.fetch_sub(1);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<ApiSession>(std::move(socket), shared_from_this(), true)->start();
      }
    } else {
      connections.fetch_add(1);
      auto session = std::make_shared<ApiSession>(std::move(socket), shared_from_this(), false);
      {
        std::lock_guard lock(sessions_mutex);
        const std::uint64_t id = next_session++;
        session->set_id(id);
        sessions.emplace(id, session);
      }
      session->start();
    }
  }
  accept();
}

ApiServer::ApiServer(net::io_context& io, ApiServerConfig config, ApiBackend& backend)
    : shared_(std::make_shared<Shared>(io, std::move(config), backend)) {
  Shared* s = shared_.get();
  MetricsRegistry& m = shared_->metrics;
  (void)m.add(MetricType::kCounter, "bauhinia_api_requests_total",
              "API responses sent, by HTTP status code", [s] {
                std::vector<MetricSample> out;
                for (std::size_t code = 100; code < kStatusSlots; ++code) {
                  const std::uint64_t n = s->responses[code].load(std::memory_order_relaxed);
                  if (n != 0) {
                    out.push_back({{{"code", std::to_string(code)}}, static_cast<double>(n)});
                  }
                }
                return out;
              });
  (void)m.add_value(MetricType::kGauge, "bauhinia_api_connections", "Open API connections",
                    [s] { return static_cast<double>(s->connections.load()); });
  (void)m.add_value(MetricType::kCounter, "bauhinia_api_connections_refused_total",
                    "API connections refused at the connection limit",
                    [s] { return static_cast<double>(s->refused.load()); });
  (void)m.add_value(MetricType::kGauge, "bauhinia_api_streams", "Open WebSocket streams",
                    [s] { return static_cast<double>(s->hub->open()); });
  (void)m.add_value(MetricType::kCounter, "bauhinia_api_streams_cut_off_total",
                    "WebSocket streams closed as slow consumers",
                    [s] { return static_cast<double>(s->hub->cut_off.load()); });
  (void)m.add_value(MetricType::kGauge, "bauhinia_api_streams_queued_bytes",
                    "Bytes waiting in the WebSocket streams' outgoing queues",
                    [s] { return static_cast<double>(s->hub->queued_bytes.load()); });
  (void)m.add_value(MetricType::kGauge, "bauhinia_ledger_height",
                    "Height of the latest committed block",
                    [s] { return static_cast<double>(s->backend.ledger().latest_height()); });
  (void)m.add_value(
      MetricType::kCounter, "bauhinia_transactions_committed_total",
      "Transactions committed (the accumulator's size)",
      [s] { return static_cast<double>(s->backend.ledger().latest_header().accumulator_size); });
  (void)m.add_value(MetricType::kGauge, "bauhinia_ledger_epoch", "Epoch of the next block", [s] {
    return static_cast<double>(s->backend.ledger().current_validator_set().epoch);
  });
  (void)m.add_value(MetricType::kGauge, "bauhinia_mempool_transactions",
                    "Transactions waiting in the mempool",
                    [s] { return static_cast<double>(s->backend.status().mempool_size); });
}

ApiServer::~ApiServer() {
  stop();
}

core::Status ApiServer::start() {
  if (shared_->acceptor.is_open() || shared_->stopped.load()) {
    return core::Status::invalid_argument("api server already started or stopped");
  }
  if (core::Verdict v = shared_->config.validate(); !v) {
    return core::Status::invalid_argument(v.rejection().detail);
  }
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(shared_->config.listen_host, ec);
  if (ec) return core::Status::invalid_argument("api listen host: " + ec.message());
  const tcp::endpoint endpoint(address, shared_->config.listen_port);
  tcp::acceptor& acceptor = shared_->acceptor;
  const auto fail = [&](const char* what) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return core::Status::io_error(std::string("api ") + what + " " +
                                  endpoint.address().to_string() + ":" +
                                  std::to_string(endpoint.port()) + ": " + ec.message());
  };
  // Not yet shared with any handler: safe to set up from this thread.
  if (acceptor.open(endpoint.protocol(), ec); ec) return fail("open");
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return fail("option");
  if (acceptor.bind(endpoint, ec); ec) return fail("bind");
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return fail("listen");
  shared_->port = acceptor.local_endpoint(ec).port();
  if (ec) return fail("local endpoint");
  net::dispatch(acceptor.get_executor(), [s = shared_] { s->accept(); });
  return core::Status::ok();
}

void ApiServer::stop() {
  if (shared_->stopped.exchange(true)) return;
  net::post(shared_->acceptor.get_executor(), [s = shared_] {
    beast::error_code ec;
    s->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<ApiSession>> open;
  {
    std::lock_guard lock(shared_->sessions_mutex);
    for (auto& [id, weak] : shared_->sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) session->close();
  shared_->hub->stop_all();
}

void ApiServer::notify_committed(std::uint64_t /*height*/) {
  shared_->hub->wake_all();
}

std::size_t ApiServer::open_streams() const noexcept {
  return shared_->hub->open();
}

std::uint16_t ApiServer::port() const noexcept {
  return shared_->port;
}

std::size_t ApiServer::open_connections() const noexcept {
  return shared_->connections.load();
}

MetricsRegistry& ApiServer::metrics() noexcept {
  return shared_->metrics;
}

}  // namespace bauhinia::node
