#pragma once
// The explorer's HTTP server (Boost.Beast): HTTP/1.1 with keep-alive over the
// Api. Limits: kMaxConnections open connections (more are closed at once),
// request headers of 8 KiB, no request body, 15 seconds for each request, 1000
// requests a connection. Binds to the address given (127.0.0.1 by default in
// bauhinia-explorer).

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bauhinia/core/status.hpp"
#include "bauhinia/explorer/api.hpp"

namespace bauhinia::explorer {

inline constexpr std::size_t kMaxConnections = 128;

class Server {
 public:
  explicit Server(const Api& api);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens on host:port (port 0: any free port) and serves on `threads` threads.
  core::Result<bool> start(const std::string& host, std::uint16_t port, unsigned threads = 2);
  std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bauhinia::explorer
