// bauhinia-bench: the load generator. Signs every accounts.ping transaction
// before the measured window (the signing time is reported apart), submits
// them to one or more nodes' HTTP APIs at a target rate (one per request, or
// --batch N per POST /v1/transactions/batch),
// watches blocks for their commits and reports throughput and latency
// (docs/performance.md, "Cluster throughput").
//
// Exit status: 0 when at least one transaction committed (with --expect-all:
// when every prepared transaction was accepted and committed), 1 otherwise,
// 2 for bad arguments or an unreachable node.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bauhinia/loadgen/load_run.hpp"
#include "bauhinia/loadgen/pacer.hpp"
#include "bauhinia/loadgen/workload.hpp"

namespace {

using namespace bauhinia;
using std::chrono::milliseconds;

constexpr int kExitNotAllCommitted = 1;  // nothing committed, or not all with --expect-all
constexpr int kExitSetup = 2;

int fail(const std::string& message) {
  std::cerr << "bauhinia-bench: " << message << "\n";
  return kExitSetup;
}

milliseconds ms_of_seconds(double s) {
  return milliseconds(static_cast<std::int64_t>(s * 1000.0));
}

std::uint64_t unix_now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bauhinia-bench: load generator for a Bauhinia Ledger cluster"};
  std::vector<std::string> api_texts;
  loadgen::WorkloadOptions workload;
  loadgen::RunOptions run;
  double duration_s = 60;
  double timeout_s = 30;
  double expiry_s = 3600;
  std::uint64_t key_seed = 0;
  std::uint32_t poll_ms = 20;
  std::uint32_t request_timeout_ms = 10'000;
  std::uint32_t retry_ms = 200;
  bool json = false;
  bool expect_all = false;
  workload.threads = std::max(1U, std::min(64U, std::thread::hardware_concurrency()));

  app.add_option("--api", api_texts,
                 "a node's API address ip:port (repeatable); the first one is polled for blocks")
      ->required();
  app.add_option("--transactions,-n", workload.transactions, "transactions to sign and send")
      ->check(CLI::Range(std::size_t{1}, loadgen::kMaxTransactions));
  app.add_option("--accounts", workload.accounts, "sending accounts (transaction k: account k % A)")
      ->check(CLI::Range(std::size_t{1}, loadgen::kMaxAccounts));
  app.add_option("--max-per-account", workload.max_per_account,
                 "refuse loads needing more sequences per account (mempool limit)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  app.add_option("--rate", run.rate_per_s, "target submissions per second (0: as fast as accepted)")
      ->check(CLI::Range(std::uint64_t{0}, loadgen::kMaxRatePerSecond));
  app.add_option("--duration", duration_s, "seconds of submission at most")
      ->check(CLI::Range(0.001, 86'400.0));
  app.add_option("--timeout", timeout_s, "seconds to wait for commits after submission")
      ->check(CLI::Range(0.0, 86'400.0));
  app.add_option("--batch", run.batch,
                 "submit up to N transactions per POST /v1/transactions/batch (0: one per "
                 "POST /v1/transactions)")
      ->check(CLI::Range(std::size_t{0}, loadgen::kMaxBatchTransactions));
  app.add_option("--connections", run.connections_per_node,
                 "keep-alive connections per node (one request in flight each)")
      ->check(CLI::Range(std::size_t{1}, loadgen::kMaxConnectionsPerNode));
  app.add_option("--poll-ms", poll_ms, "block poll interval when no new block")
      ->check(CLI::Range(1U, 60'000U));
  app.add_option("--request-timeout-ms", request_timeout_ms, "deadline of one HTTP request")
      ->check(CLI::Range(10U, 600'000U));
  app.add_option("--retry-ms", retry_ms, "delay before resubmitting after 429/503 or an error")
      ->check(CLI::Range(1U, 600'000U));
  app.add_option("--max-retries", run.max_retries, "resubmissions per transaction at most")
      ->check(CLI::Range(0U, 1'000'000U));
  app.add_flag("--ignore-retry-after", run.ignore_retry_after,
               "resubmit after --retry-ms even when the node asks to wait longer (a flood)");
  app.add_option("--memo-bytes", workload.memo_bytes, "ping memo length")
      ->check(CLI::Range(std::size_t{0}, std::size_t{256}));
  app.add_option("--expiry", expiry_s, "transactions expire this many seconds after signing")
      ->check(CLI::Range(1.0, 7'200.0));
  auto* seed_opt = app.add_option(
      "--key-seed", key_seed, "derive account keys from this seed (default: fresh random keys)");
  app.add_option("--sign-threads", workload.threads, "threads signing the transactions")
      ->check(CLI::Range(1U, 64U));
  app.add_flag("--json", json, "print the report as JSON");
  app.add_flag("--expect-all", expect_all,
               "exit 1 unless every transaction was accepted and committed (tests)");
  CLI11_PARSE(app, argc, argv);

  for (const std::string& text : api_texts) {
    auto address = loadgen::parse_api_address(text);
    if (!address) return fail("--api " + text + ": " + address.error().detail);
    run.apis.push_back(std::move(address).value());
  }
  run.duration = ms_of_seconds(duration_s);
  run.timeout = ms_of_seconds(timeout_s);
  run.poll_interval = milliseconds(poll_ms);
  run.request_timeout = milliseconds(request_timeout_ms);
  run.retry_delay = milliseconds(retry_ms);
  if (auto v = run.validate(); !v) return fail(v.rejection().detail);

  // Every node must serve the same chain.
  std::string chain_id;
  for (const auto& api : run.apis) {
    auto status = loadgen::fetch_status(api, run.request_timeout);
    if (!status) return fail(status.error().to_string());
    if (chain_id.empty()) chain_id = status->chain_id;
    if (status->chain_id != chain_id) {
      return fail(api.to_string() + " serves chain " + status->chain_id + ", not " + chain_id);
    }
  }

  workload.chain_id = chain_id;
  workload.expiry_ms = unix_now_ms() + static_cast<std::uint64_t>(expiry_s * 1000.0);
  if (seed_opt->count() > 0) workload.key_seed = key_seed;
  if (auto v = loadgen::validate(workload); !v) return fail(v.rejection().detail);
  std::cerr << "bauhinia-bench: signing " << workload.transactions << " pings from "
            << std::min(workload.accounts, workload.transactions) << " accounts on "
            << workload.threads << " threads...\n";
  const auto sign_start = std::chrono::steady_clock::now();
  auto txs = loadgen::prepare_workload(workload);
  if (!txs) return fail(txs.error().detail);
  const double prepare_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sign_start).count();

  // Blocks committed while signing are not ours: start after them.
  auto status = loadgen::fetch_status(run.apis.front(), run.request_timeout);
  if (!status) return fail(status.error().to_string());
  run.start_height = status->height;
  std::cerr << "bauhinia-bench: signed in " << prepare_s << " s; submitting to " << run.apis.size()
            << " nodes from height " << run.start_height << "...\n";

  const std::clock_t cpu_start = std::clock();
  auto report = loadgen::run_load(run, *txs);
  const std::clock_t cpu_end = std::clock();
  if (!report) return fail(report.error().to_string());
  report->chain_id = chain_id;
  report->start_round = status->round;
  if (auto after = loadgen::fetch_status(run.apis.front(), run.request_timeout)) {
    report->end_round = after->round;
  }
  report->accounts = std::min(workload.accounts, workload.transactions);
  report->prepared = txs->size();
  report->prepare_s = prepare_s;
  report->run_cpu_s = static_cast<double>(cpu_end - cpu_start) / CLOCKS_PER_SEC;
  std::cout << (json ? loadgen::format_json(*report) : loadgen::format_text(*report));
  if (expect_all) {
    const bool all = report->accepted == txs->size() && report->committed == txs->size();
    if (!all) std::cerr << "bauhinia-bench: not every transaction was accepted and committed\n";
    return all ? 0 : kExitNotAllCommitted;
  }
  return report->committed > 0 ? 0 : kExitNotAllCommitted;
}
