#pragma once
// The HTTP API's routes (docs/api/openapi.yaml), independent of the transport:
// one request in, one response out. ApiServer feeds it requests parsed from
// its sockets; tests and tools may call it directly.
//
// Contract: handle() never throws and never crashes on any input; the only
// request that changes state is a valid POST /v1/transactions (through
// ApiBackend::submit). Bad input is a 4xx with a JSON error
//   {"error": {"code": "<reason>", "message": "..."}}
// and a local failure (I/O, corruption) a 5xx of the same shape.
//
// Thread safety: handle() may run on several threads at once (the backend and
// the registry are thread-safe).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/node/api_backend.hpp"
#include "bauhinia/node/api_metrics.hpp"

namespace bauhinia::node {

// Page sizes and input lengths the routes accept.
struct ApiLimits {
  std::size_t max_target_bytes = 4096;           // path and query string
  std::size_t max_page = 1000;                   // accumulator leaves, history entries
  std::size_t max_block_transaction_ids = 1000;  // ids listed with a block
  std::size_t max_batch_transactions = 256;      // POST /v1/transactions/batch
  std::size_t max_stream_filters = 16;           // modules + record keys of one stream
};

// One entry of the route table: the method and the path template exactly as
// docs/api/openapi.yaml writes it ("/v1/blocks/{height}"). Each path has one
// method.
struct ApiRouteInfo {
  std::string method;
  std::string path;
};

struct ApiRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // origin form: /path[?query]
  std::string content_type;
  std::string body;
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Allow
  // When set (an accepted submission), the server sends this response only
  // after calling await_durable(done) and done(ok) was called; done(error)
  // sends a 503 instead (ApiBackend::when_durable). handle()'s direct
  // callers may call it themselves.
  std::function<void(std::function<void(core::Status)>)> await_durable;
};

// The JSON error response {"error": {"code": code, "message": message}}.
ApiResponse api_error(unsigned status, std::string_view code, std::string_view message);

class ApiHandler {
 public:
  // `backend` and `metrics` must outlive the handler.
  ApiHandler(ApiBackend& backend, const MetricsRegistry& metrics, ApiLimits limits = {});

  ApiResponse handle(const ApiRequest& request) const noexcept;
  const ApiLimits& limits() const noexcept { return limits_; }
  ApiBackend& backend() const noexcept { return *backend_; }

  // Every route handle() serves, from the table it dispatches with.
  static std::vector<ApiRouteInfo> routes();

 private:
  ApiResponse route(const ApiRequest& request) const;

  ApiBackend* backend_;
  const MetricsRegistry* metrics_;
  ApiLimits limits_;
};

}  // namespace bauhinia::node
