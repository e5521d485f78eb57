#pragma once
// The explorer's HTTP client for a node's API: a lightclient::Fetch over plain
// HTTP/1.1 GET, one connection per request, under one deadline, with the
// answer bounded (lightclient::kMaxAnswerBytes).

#include <chrono>
#include <string>
#include <string_view>

#include "bauhinia/core/status.hpp"
#include "bauhinia/lightclient/fetch.hpp"

namespace bauhinia::explorer {

struct NodeUrl {
  std::string host;
  std::string port;
  std::string url() const { return "http://" + host + ":" + port; }
  // "http://host:port" (or "host:port"); https, paths and user info are refused.
  static core::Checked<NodeUrl> parse(std::string_view text);
};

lightclient::Fetch http_fetch(NodeUrl node,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace bauhinia::explorer
