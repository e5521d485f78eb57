#pragma once
// `bauhinia-node testnet`: the files of a local consortium on loopback — one
// home folder per node (config.toml, node_key), a shared genesis.json, and the
// departments' first admin keys (keys/<CODE>-admin.key), all secret files 0600.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bauhinia/core/status.hpp"

namespace bauhinia::node {

struct TestnetOptions {
  std::size_t validators = 4;  // 1..100
  std::size_t observers = 0;   // 0..16
  std::filesystem::path out;   // must not exist, or be an empty folder
  std::string chain_id = "bauhinia-local-1";
  std::string host = "127.0.0.1";
  std::uint16_t p2p_base_port = 26600;  // node i listens on base + i
  std::uint16_t api_base_port = 8600;   // node i serves its API on base + i
  std::uint64_t timestamp_ms = 0;       // genesis time; 0: now
};

struct TestnetNode {
  std::string name;  // IPD, CR, DH, EPD, OGCIO, V6, ..., OBS1, ...
  std::filesystem::path home;
  bool validator = true;
};

// Writes everything or reports what failed (an existing non-empty `out` is refused).
core::Result<std::vector<TestnetNode>> generate_testnet(const TestnetOptions& options);

}  // namespace bauhinia::node
