// POST /v1/transactions/dry-run judges a transaction at the backend's clock
// (ApiBackend::now_ms), the clock submissions are judged by, not at a wall
// clock of its own. Found by fuzz_api (issue 15 item 1): with the backend's
// clock fixed, the same dry run answered differently twice (its block time
// was read from std::chrono::system_clock on every request), and a dry run
// could pass a transaction that the same node's submission refuses as expired.

#include <gtest/gtest.h>

#include "api_test_support.hpp"
#include "bauhinia/node/api_handler.hpp"
#include "bauhinia/node/api_metrics.hpp"

namespace bauhinia::apitest {
namespace {

json dry_run(const node::ApiHandler& handler, const chain::Transaction& tx) {
  node::ApiRequest r;
  r.method = "POST";
  r.target = "/v1/transactions/dry-run";
  r.content_type = "application/json";
  r.body = json{{"transaction_hex", core::to_hex(tx.encoded())}}.dump();
  const node::ApiResponse a = handler.handle(r);
  EXPECT_EQ(a.status, 200U) << a.body;
  const node::ApiResponse b = handler.handle(r);
  EXPECT_EQ(a.body, b.body) << "the same dry run answered differently";
  return json::parse(a.body);
}

TEST(ApiDryRunClock, TheDryRunJudgesExpiryAtTheBackendsClock) {
  TestNode n;
  n.build_chain();
  const std::uint64_t expiry = now_ms() + 600'000;  // valid by the wall clock
  const chain::Transaction tx = ping(9, 0, "dry", expiry);

  std::uint64_t clock = expiry + 1;  // the backend's clock: past the expiry
  node::LedgerApiBackendOptions o;
  o.now_ms = [&clock] { return clock; };
  node::LedgerApiBackend backend(n.ledger(), n.mempool(), n.executor(), o);
  const node::MetricsRegistry metrics;
  const node::ApiHandler handler(backend, metrics);

  const json late = dry_run(handler, tx);
  EXPECT_EQ(late["would_commit"], false) << late.dump();
  EXPECT_EQ(late["envelope_error"], "expired") << late.dump();
  // A submission at that clock is refused as well: the two agree.
  const node::SubmitResult submitted = backend.submit(tx.encoded());
  EXPECT_FALSE(submitted.ok());
  EXPECT_EQ(n.mempool().size(), 0U);

  clock = expiry - 60'000;  // before the expiry: it would commit
  const json early = dry_run(handler, tx);
  EXPECT_EQ(early["would_commit"], true) << early.dump();
  EXPECT_EQ(early["outcome"], "success") << early.dump();
  EXPECT_EQ(n.mempool().size(), 0U);  // a dry run admits nothing
}

}  // namespace
}  // namespace bauhinia::apitest
