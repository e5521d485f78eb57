// The load run's options and its behaviour when no node answers (real
// sockets on loopback, a port with no listener). Runs against a cluster are
// scripts/bench-cluster.sh's job.
#include "bauhinia/loadgen/load_run.hpp"
#include "bauhinia/loadgen/pacer.hpp"

#include <gtest/gtest.h>

// GCC 12 at -O3: a false -Wnull-dereference inside Boost.Asio 1.74.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace bauhinia::loadgen {
namespace {

using std::chrono::milliseconds;

// A loopback port nobody listens on, held for the object's lifetime: bound
// but not listening, so a connection to it is refused, and no other socket
// (not even the client's own, as its local port: a TCP self-connect) can
// take it meanwhile, as it could once released.
class ClosedPort {
 public:
  ClosedPort() : socket_(io_) {
    const boost::asio::ip::tcp::endpoint any(boost::asio::ip::make_address("127.0.0.1"), 0);
    socket_.open(any.protocol());
    socket_.bind(any);
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

RunOptions options_for(std::uint16_t port) {
  RunOptions o;
  o.apis.push_back(ApiAddress{"127.0.0.1", port});
  o.connections_per_node = 2;
  o.duration = milliseconds(2'000);
  o.timeout = milliseconds(200);
  o.poll_interval = milliseconds(10);
  o.request_timeout = milliseconds(500);
  o.retry_delay = milliseconds(10);
  o.max_retries = 2;
  return o;
}

TEST(RunOptions, Validation) {
  RunOptions o = options_for(8600);
  EXPECT_TRUE(o.validate());
  o.apis.clear();
  EXPECT_FALSE(o.validate());
  o = options_for(8600);
  o.connections_per_node = 0;
  EXPECT_FALSE(o.validate());
  o = options_for(8600);
  o.rate_per_s = kMaxRatePerSecond + 1;
  EXPECT_FALSE(o.validate());
  o = options_for(8600);
  o.duration = milliseconds(0);
  EXPECT_FALSE(o.validate());
  o = options_for(8600);
  o.request_timeout = milliseconds(5);
  EXPECT_FALSE(o.validate());
  o = options_for(8600);
  o.batch = kMaxBatchTransactions;
  EXPECT_TRUE(o.validate());
  o.batch = kMaxBatchTransactions + 1;
  EXPECT_FALSE(o.validate());
}

TEST(FetchStatus, UnreachableNodeIsUnavailable) {
  const ClosedPort closed;
  const ApiAddress api{"127.0.0.1", closed.port()};
  auto status = fetch_status(api, milliseconds(1'000));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), core::StatusCode::kUnavailable);
}

TEST(RunLoad, NothingCommitsWhenNoNodeAnswers) {
  WorkloadOptions w;
  w.chain_id = "bauhinia-bench-test-1";
  w.transactions = 5;
  w.accounts = 5;
  w.expiry_ms = 1'900'000'000'000;
  w.key_seed = 1;
  auto txs = prepare_workload(w);
  ASSERT_TRUE(txs);
  const ClosedPort closed;
  RunOptions o = options_for(closed.port());
  // Far longer than the run needs: it must end as soon as every transaction
  // is given up, not run its whole duration.
  o.duration = milliseconds(20'000);
  auto report = run_load(o, *txs);
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->submitted, 5U);
  EXPECT_EQ(report->accepted, 0U);
  EXPECT_EQ(report->committed, 0U);
  // Every transaction tried 1 + max_retries times, then given up.
  EXPECT_EQ(report->rejected, 5U);
  EXPECT_EQ(report->requests, 15U);
  EXPECT_EQ(report->retries, 10U);
  EXPECT_GE(report->transport_errors, 15U);
  EXPECT_GT(report->poll_errors, 0U);
  EXPECT_FALSE(report->timed_out);  // nothing was accepted, so nothing was awaited
  EXPECT_EQ(report->connections, 2U);
  EXPECT_LT(report->elapsed_s, 10.0);  // ends once every transaction is answered or given up
}

TEST(RunLoad, BatchesAreRetriedWholeWhenNoNodeAnswers) {
  WorkloadOptions w;
  w.chain_id = "bauhinia-bench-test-1";
  w.transactions = 7;
  w.accounts = 7;
  w.expiry_ms = 1'900'000'000'000;
  w.key_seed = 1;
  auto txs = prepare_workload(w);
  ASSERT_TRUE(txs);
  const ClosedPort closed;
  RunOptions o = options_for(closed.port());
  o.duration = milliseconds(20'000);
  o.connections_per_node = 1;
  o.batch = 4;  // batches of 4 and 3
  auto report = run_load(o, *txs);
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->batch, 4U);
  EXPECT_EQ(report->submitted, 7U);
  EXPECT_EQ(report->accepted, 0U);
  EXPECT_EQ(report->rejected, 7U);
  // Every transaction tried 1 + max_retries times, at most 4 per request.
  EXPECT_EQ(report->retries, 14U);
  EXPECT_GE(report->requests, 6U);
  EXPECT_LE(report->requests, 21U);
  EXPECT_EQ(report->transport_errors, report->requests);
  EXPECT_LT(report->elapsed_s, 10.0);
}

TEST(RunLoad, RefusesBadInput) {
  const std::vector<PreparedTransaction> none;
  EXPECT_FALSE(run_load(options_for(8600), none));
  RunOptions o = options_for(8600);
  o.apis[0].host = "not-an-ip";
  std::vector<PreparedTransaction> one(1);
  auto r = run_load(o, one);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bauhinia::loadgen
