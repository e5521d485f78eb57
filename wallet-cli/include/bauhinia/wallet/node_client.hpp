#pragma once
// A small synchronous HTTP/1.1 client of one node's JSON API (docs/api/README.md):
// the only way the wallet reaches the ledger. One connection per request,
// a deadline on the whole exchange and a bound on the answer's size.
//
// Failures are of two kinds, kept apart because the wallet's exit codes are:
//  - the exchange itself failed (unparsable address, cannot connect, timeout,
//    broken or oversized answer, a body that is not JSON): Result's Status,
//    kUnavailable, whose message names the node and the request;
//  - the node answered with an HTTP error: a Response whose `ok()` is false,
//    carrying the status and the API's stable error code and message.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "bauhinia/core/status.hpp"

namespace bauhinia::wallet {

// http://host:port (the scheme and port are optional: port 8080 by default).
struct NodeAddress {
  std::string host;
  std::string port;

  static core::Result<NodeAddress> parse(std::string_view url);
  std::string url() const { return "http://" + host + ":" + port; }
};

struct Response {
  unsigned status = 0;
  nlohmann::json body;  // the parsed JSON answer (null when the body was empty)
  // For an HTTP error answered as {"error": {"code", "message"}}: its fields
  // (the code is stable, e.g. "stale_sequence"); empty otherwise.
  std::string error_code;
  std::string error_message;

  bool ok() const { return status >= 200 && status < 300; }
};

struct NodeClientLimits {
  std::chrono::milliseconds timeout{15000};    // connect + send + the whole answer
  std::size_t max_response_bytes = 16u << 20;  // body limit of one answer
};

class NodeClient {
 public:
  explicit NodeClient(NodeAddress address, NodeClientLimits limits = {})
      : address_(std::move(address)), limits_(limits) {}

  const NodeAddress& address() const { return address_; }

  // GET `target` (e.g. "/v1/status"): the answer whatever its HTTP status.
  core::Result<Response> get(std::string_view target) const;
  // POST `body` as application/json.
  core::Result<Response> post_json(std::string_view target, const nlohmann::json& body) const;

  // The same, but an HTTP error becomes a Status too. Its message reads
  // "node http://h:p: GET /v1/x: HTTP 404 unknown_block: no block at height 9"
  // and its code is kNotFound (404), kInvalidArgument (4xx) or kUnavailable
  // (5xx, 429 and transport failures).
  core::Result<nlohmann::json> get_ok(std::string_view target) const;
  core::Result<nlohmann::json> post_ok(std::string_view target, const nlohmann::json& body) const;

  // The text of an HTTP error answer for `method target`, as above.
  std::string describe_error(std::string_view method, std::string_view target,
                             const Response& r) const;

 private:
  core::Result<Response> exchange(std::string_view method, std::string_view target,
                                  const std::string* body) const;
  core::Result<nlohmann::json> require_ok(std::string_view method, std::string_view target,
                                          core::Result<Response> r) const;

  NodeAddress address_;
  NodeClientLimits limits_;
};

}  // namespace bauhinia::wallet
