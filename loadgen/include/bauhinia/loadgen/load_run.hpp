#pragma once
// One load run against a cluster's HTTP APIs:
//   - submitters: connections_per_node HTTP/1.1 keep-alive connections to each
//     node, each with one request in flight at a time (so at most
//     apis.size() * connections_per_node requests are in flight): one
//     transaction per POST /v1/transactions, or with `batch` up to that many
//     per POST /v1/transactions/batch (each with its own verdict, handled as
//     a single answer would be); each account's transactions always go to
//     the same node, in sequence order;
//   - the schedule: transaction n is sent no earlier than n / rate seconds
//     after the start (Pacer), or as fast as answers come back (rate 0);
//     429/503 answers and lost connections are retried after retry_delay, at
//     most max_retries times per transaction; an answer with Retry-After
//     delays its transaction's retry and rests its connection that long
//     (unless ignore_retry_after: a client that floods regardless);
//   - one block poller on apis[0]: GET /v1/blocks/{h} for each new height
//     (and /v1/accumulator/leaves when a block lists only part of its ids),
//     which marks our transactions committed when it first sees them.
// Submission stops after `duration` (or when every transaction is answered);
// the run then waits at most `timeout` for the accepted ones to commit.
//
// Single-threaded: everything runs on one Boost.Asio event loop in the
// calling thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/status.hpp"
#include "bauhinia/loadgen/api_messages.hpp"
#include "bauhinia/loadgen/report.hpp"
#include "bauhinia/loadgen/workload.hpp"

namespace bauhinia::loadgen {

inline constexpr std::size_t kMaxApis = 64;
inline constexpr std::size_t kMaxConnectionsPerNode = 256;
inline constexpr std::size_t kMaxResponseBytes = 32U << 20;

struct ApiAddress {
  std::string host;  // an IPv4 or IPv6 literal (no name lookups)
  std::uint16_t port = 0;
  std::string to_string() const;  // host:port, [v6]:port
};

// "127.0.0.1:8600" or "[::1]:8600".
core::Checked<ApiAddress> parse_api_address(std::string_view text);

struct RunOptions {
  std::vector<ApiAddress> apis;  // 1..kMaxApis; the first one is polled for blocks
  std::size_t connections_per_node = 4;
  std::uint64_t rate_per_s = 0;  // 0: as fast as accepted
  std::size_t batch = 0;         // 0: POST /v1/transactions; 1..kMaxBatchTransactions: per batch
  std::chrono::milliseconds duration{60'000};  // submission window
  std::chrono::milliseconds timeout{30'000};   // wait for commits after submission
  std::chrono::milliseconds poll_interval{20};
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds retry_delay{200};
  std::uint32_t max_retries = 50;
  bool ignore_retry_after = false;  // true: retry after retry_delay whatever the node asks
  std::uint64_t start_height = 0;   // the poller reads blocks from start_height + 1

  core::Verdict validate() const;
};

// GET /v1/status of one node (a short event loop of its own). unavailable
// when the node cannot be reached or answers with an error.
core::Result<NodeStatusInfo> fetch_status(const ApiAddress& api, std::chrono::milliseconds timeout);

// Runs the load; the report's run fields (chain, accounts, preparation) are
// the caller's to fill. invalid_argument for bad options.
core::Result<Report> run_load(const RunOptions& options,
                              const std::vector<PreparedTransaction>& transactions);

}  // namespace bauhinia::loadgen
