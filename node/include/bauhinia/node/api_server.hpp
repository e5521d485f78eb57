#pragma once
// The node's HTTP/JSON API server (Boost.Beast, HTTP/1.1, docs/api/README.md).
//
// It runs on an io_context the runtime owns and runs on as many threads as it
// likes; each connection is served on its own strand, one request at a time
// (keep-alive and pipelining are supported; responses go out in order).
// Limits on everything a client controls:
//   - connections: beyond max_connections a new connection gets a 503 and is
//     closed;
//   - request size: header beyond max_header_bytes -> 431, body beyond
//     max_body_bytes -> 413 (the connection is closed after either);
//   - time: each request must arrive completely within request_timeout_ms of
//     the connection opening or the previous response (slow clients are
//     disconnected); a response must be written within write_timeout_ms;
//   - requests per connection: after max_requests_per_connection the server
//     answers with "Connection: close".
// Unparsable HTTP gets a 400 and the connection is closed. Every response is
// counted by status code in the metrics.
//
// Lifetime: stop() closes the listener and every connection; handlers already
// queued on the io_context still run afterwards, so the backend must outlive
// the io_context's run (join its threads, or destroy it, before the backend).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "bauhinia/core/status.hpp"
#include "bauhinia/node/api_backend.hpp"
#include "bauhinia/node/api_handler.hpp"
#include "bauhinia/node/api_metrics.hpp"
#include "bauhinia/node/config.hpp"

namespace boost::asio {
class io_context;
}

namespace bauhinia::node {

// The WebSocket stream (GET /v1/stream, docs/api/README.md "Streaming").
// Each subscriber's outgoing queue is bounded in messages and bytes; the
// stream reads from the ledger only when its queue has room, so a slow
// consumer never makes the node hold more. A consumer whose oldest queued
// message waited longer than max_queue_wait_ms is cut off with a close frame
// saying why and where to resume.
struct ApiStreamLimits {
  std::size_t max_subscribers = 256;             // streams open at once
  std::size_t max_subscribers_per_address = 16;  // per client IP address
  std::size_t max_queue_messages = 256;
  std::size_t max_queue_bytes = 4U << 20;
  std::uint32_t max_queue_wait_ms = 10'000;
  std::uint32_t handshake_timeout_ms = 10'000;  // opening and closing handshakes
  std::uint32_t idle_timeout_ms = 60'000;       // pinged at half; closed when silent
  std::size_t max_incoming_message_bytes = 1024;
  std::size_t socket_send_buffer_bytes = 64 * 1024;  // SO_SNDBUF of a stream's socket
  std::uint32_t poll_interval_ms = 200;  // new blocks are also seen without a notification
};

struct ApiServerConfig {
  std::string listen_host = "127.0.0.1";  // an IPv4 or IPv6 literal
  std::uint16_t listen_port = 0;          // 0: an ephemeral port (see ApiServer::port)
  std::size_t max_connections = 256;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1U << 20;
  std::uint32_t request_timeout_ms = 15'000;
  std::uint32_t write_timeout_ms = 15'000;
  std::uint32_t max_requests_per_connection = 10'000;
  ApiLimits limits;
  ApiStreamLimits stream;

  // The [api] section of a node's configuration.
  static ApiServerConfig from_node_config(const NodeConfig& config);
  // Ranges: 1..65536 connections, header 1 KiB..1 MiB, body 1 KiB..64 MiB,
  // timeouts 10 ms..10 min, at least one request per connection.
  core::Verdict validate() const;
};

class ApiServer {
 public:
  // `io` and `backend` must outlive the server (see Lifetime above).
  ApiServer(boost::asio::io_context& io, ApiServerConfig config, ApiBackend& backend);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Validates the configuration, binds and starts accepting. invalid_argument
  // for a bad configuration, io_error when the address cannot be bound.
  core::Status start();
  // Stops accepting and closes every connection. Idempotent.
  void stop();

  // Wakes the streams: blocks up to `height` are committed. Thread-safe and
  // cheap; optional (streams also poll the ledger), it only cuts latency.
  void notify_committed(std::uint64_t height);

  // The bound port (after start()).
  std::uint16_t port() const noexcept;
  std::size_t open_connections() const noexcept;
  std::size_t open_streams() const noexcept;
  // The metrics served at /metrics; the runtime may add its own.
  MetricsRegistry& metrics() noexcept;

 private:
  friend class ApiSession;
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace bauhinia::node
