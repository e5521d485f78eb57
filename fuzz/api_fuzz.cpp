// Fuzzes the HTTP API: raw request bytes, parsed by Boost.Beast's request
// parser with the server's own limits (ApiServerConfig: 16 KiB of header,
// 1 MiB of body), up to four pipelined requests per input as on one
// keep-alive connection, each turned into an ApiRequest as ApiServer does and
// answered by the real ApiHandler over a LedgerApiBackend: a real LevelDB
// ledger (a temporary folder) holding a small chain (four blocks of signed
// accounts.ping transactions, an epoch change, commit certificates), a real
// Mempool, and an Executor with every module of the chain (ModuleSet).
//
// Exact oracles, per request:
//  - handle() answers (it is noexcept); the status is 1xx..5xx, and a JSON
//    answer is JSON; an error (>= 400) is exactly
//    {"error": {"code": <non-empty string>, "message": <string>}};
//  - a read is deterministic: asked twice, the same answer (the backend's
//    clock is fixed);
//  - only an accepted (2xx) POST /v1/transactions or /v1/transactions/batch
//    changes the mempool, and nothing changes the ledger (its height and
//    roots are checked after every request).
// The mempool is fresh for every input, so that inputs are independent.
//
// Not covered here: the WebSocket stream (GET /v1/stream with an Upgrade is
// handed to the stream hub, not the handler: tests/node/api_stream_test.cpp)
// and the health payload routes with a payload store (this node holds none,
// so they answer that; tests/node/health_payloads_test.cpp).
//
// With BAUHINIA_FUZZ_WRITE_SEEDS=<dir> the harness writes a seed request for
// every route of docs/api/openapi.yaml, with ids of its own chain, and exits.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "api_test_support.hpp"  // tests/node: the chain's keys, pings and certificates
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/node/api_handler.hpp"
#include "bauhinia/node/api_metrics.hpp"

namespace fs = std::filesystem;
namespace apitest = bauhinia::apitest;
namespace core = bauhinia::core;
namespace chain = bauhinia::chain;
namespace contracts = bauhinia::contracts;
namespace ledger = bauhinia::ledger;
namespace mempool = bauhinia::mempool;
namespace node = bauhinia::node;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::uint64_t kGenesisMs = 1'796'000'000'000ULL;
constexpr std::uint64_t kNowMs = kGenesisMs + 60'000;  // the backend's fixed clock
constexpr std::uint64_t kExpiryMs = kNowMs + 3'600'000;
constexpr std::size_t kMaxRequestsPerInput = 4;

// The node: a LevelDB ledger with a small chain, and every module.
struct Node {
  fs::path dir;
  contracts::ModuleSet modules;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> ledger;
  node::MetricsRegistry metrics;
  std::vector<core::Hash256> tx_ids;

  Node() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir = base / ("bauhinia-fuzz-api-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    modules.register_with(executor);
    auto kv = ledger::LevelDbKvStore::open((dir / "db").string());
    BAUHINIA_ASSERT_MSG(kv.has_value(), "open LevelDB");
    ledger::GenesisSpec g;
    g.chain_id = apitest::kChainId;
    g.validators = apitest::validator_set(0);
    g.timestamp_ms = kGenesisMs;
    auto store = ledger::LedgerStore::open(std::move(kv).value(), g);
    BAUHINIA_ASSERT_MSG(store.has_value(), "open ledger");
    ledger = std::move(store).value();
    using apitest::ping;
    commit({ping(1, 0, "first", kExpiryMs), ping(2, 0, "hello", kExpiryMs)}, false);
    commit({ping(1, 1, "second", kExpiryMs)}, true);  // ends epoch 0
    commit({ping(3, 0, "new epoch", kExpiryMs), ping(2, 1, "again", kExpiryMs)}, false);
    commit({ping(1, 2, "third", kExpiryMs)}, false);
  }
  ~Node() {
    ledger.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // As tests/node/api_test_support.hpp's TestNode::commit, with fixed times.
  void commit(std::vector<chain::Transaction> txs, bool end_epoch) {
    const chain::BlockHeader parent = ledger->latest_header();
    const chain::ValidatorSet set = ledger->current_validator_set();
    const std::uint64_t height = parent.height + 1;
    std::vector<chain::IdentifiedTransaction> itxs;
    for (auto& tx : txs) itxs.push_back(chain::IdentifiedTransaction::of(std::move(tx)));
    const contracts::BlockContext ctx{apitest::kChainId, height, kGenesisMs + height * 1000,
                                      parent.accumulator_size};
    const node::LedgerVersionReader state(*ledger, parent.height);
    auto executed = executor.execute_block(ctx, itxs, state);
    BAUHINIA_ASSERT_MSG(executed.has_value() && executed->has_value(), "execute block");
    const contracts::ExecutedBlock& block = executed->value();
    ledger::BlockCommit b;
    for (std::size_t i = 0; i < itxs.size(); ++i) {
      b.transactions.push_back(itxs[i].tx.encoded());
      b.infos.push_back(block.transactions[i].info);
      std::vector<core::Hash256> accounts;
      for (const auto& a : block.transactions[i].accounts)
        accounts.push_back(core::Hash256(a.bytes));
      b.accounts.push_back(std::move(accounts));
      tx_ids.push_back(itxs[i].id);
    }
    for (const auto& [key, write] : block.writes) b.state_writes.push_back({key, write.value});
    auto roots = ledger->roots_after(b.infos, b.state_writes);
    BAUHINIA_ASSERT_MSG(roots.has_value(), "roots_after");
    chain::BlockHeader& h = b.header;
    h.epoch = set.epoch;
    h.height = height;
    h.round = height + 10;
    h.parent_hash = parent.id();
    h.timestamp_ms = ctx.timestamp_ms;
    h.proposer = apitest::validator_key(set.epoch, height % 4).public_key();
    h.transactions_root = roots->transactions_root;
    h.accumulator_root = roots->accumulator_root;
    h.accumulator_size = roots->accumulator_size;
    h.state_root = roots->state_root;
    h.validator_set_hash = set.hash();
    h.next_validator_set_hash = set.hash();
    if (end_epoch) {
      b.next_validator_set = apitest::validator_set(set.epoch + 1);
      h.next_validator_set_hash = b.next_validator_set->hash();
    }
    b.certificate = apitest::certify(h);
    auto verdict = ledger->commit_block(b);
    BAUHINIA_ASSERT_MSG(verdict.has_value() && verdict->ok(), "commit block");
  }
};

const fs::path* g_node_dir = nullptr;  // removed at exit (the node itself is never destroyed)

Node& the_node() {
  static Node* n = [] {
    Node* made = new Node();  // lives for the process (libFuzzer exits without unwinding)
    g_node_dir = new fs::path(made->dir);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(*g_node_dir, ec);
    });
    return made;
  }();
  return *n;
}

node::LedgerApiBackendOptions backend_options() {
  node::LedgerApiBackendOptions o;
  o.node_name = "fuzz";
  o.now_ms = [] { return kNowMs; };
  o.runtime_status = [] { return node::RuntimeStatus{20, false, 3}; };
  return o;
}

struct LedgerFingerprint {
  std::uint64_t height = 0;
  core::Hash256 block, state_root, accumulator_root;
  friend bool operator==(const LedgerFingerprint&, const LedgerFingerprint&) = default;
};

LedgerFingerprint fingerprint(const ledger::LedgerStore& l) {
  const chain::BlockHeader h = l.latest_header();
  return {h.height, h.id(), h.state_root, h.accumulator_root};
}

bool same(const node::ApiResponse& a, const node::ApiResponse& b) {
  return a.status == b.status && a.content_type == b.content_type && a.body == b.body &&
         a.headers == b.headers;
}

void check_shape(const node::ApiResponse& r) {
  BAUHINIA_ASSERT_MSG(r.status >= 100 && r.status <= 599, "status out of range");
  BAUHINIA_ASSERT(!r.content_type.empty());
  if (!r.content_type.starts_with("application/json")) {
    BAUHINIA_ASSERT_MSG(r.status < 400, "an error that is not JSON");
    return;
  }
  const json j = json::parse(r.body, nullptr, false);
  BAUHINIA_ASSERT_MSG(!j.is_discarded(), "a JSON answer that does not parse");
  if (r.status >= 400) {
    BAUHINIA_ASSERT_MSG(j.is_object() && j.size() == 1 && j.contains("error") &&
                            j["error"].is_object() && j["error"].size() == 2 &&
                            j["error"].contains("code") && j["error"]["code"].is_string() &&
                            !j["error"]["code"].get<std::string>().empty() &&
                            j["error"].contains("message") && j["error"]["message"].is_string(),
                        "an error answer not of the documented shape");
  }
}

bool admits(const node::ApiRequest& r) {
  const std::string_view path = std::string_view(r.target).substr(0, r.target.find('?'));
  return r.method == "POST" && (path == "/v1/transactions" || path == "/v1/transactions/batch");
}

void write_seeds(const fs::path& out);

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Node& n = the_node();
  if (const char* out = std::getenv("BAUHINIA_FUZZ_WRITE_SEEDS")) {
    write_seeds(out);
    std::exit(0);
  }
  (void)n;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Node& n = the_node();
  mempool::MempoolConfig mc;
  mc.chain_id = apitest::kChainId;
  mempool::Mempool pool(mc, node::ledger_account_lookup(*n.ledger));
  node::LedgerApiBackend backend(*n.ledger, pool, n.executor, backend_options());
  const node::ApiServerConfig server;  // the server's default limits
  const node::ApiHandler handler(backend, n.metrics, server.limits);
  const LedgerFingerprint ledger_before = fingerprint(*n.ledger);

  boost::beast::flat_buffer buffer;
  buffer.commit(boost::asio::buffer_copy(buffer.prepare(size), boost::asio::buffer(data, size)));
  for (std::size_t i = 0; i < kMaxRequestsPerInput && buffer.size() > 0; ++i) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(server.max_header_bytes));
    parser.body_limit(server.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec || !parser.is_done()) break;  // the server answers 4xx or waits, without the handler
    http::request<http::string_body> req = parser.release();
    node::ApiRequest request;  // as ApiSession::on_request builds it
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.content_type = std::string(req[http::field::content_type]);
    request.body = std::move(req.body());

    const mempool::MempoolStats pool_before = pool.stats();
    const node::ApiResponse response = handler.handle(request);
    check_shape(response);
    const mempool::MempoolStats pool_after = pool.stats();
    const bool accepted = admits(request) && response.status >= 200 && response.status < 300;
    if (!accepted) {
      BAUHINIA_ASSERT_MSG(pool_after.count == pool_before.count &&
                              pool_after.bytes == pool_before.bytes &&
                              pool_after.admitted == pool_before.admitted,
                          "a refused or read-only request changed the mempool");
    }
    if (!admits(request)) {
      BAUHINIA_ASSERT_MSG(same(handler.handle(request), response),
                          "the same read answered differently");
    }
    BAUHINIA_ASSERT_MSG(fingerprint(*n.ledger) == ledger_before, "a request changed the ledger");
  }
  return 0;
}

namespace {

void write_seeds(const fs::path& out) {
  Node& n = the_node();
  fs::create_directories(out);
  int count = 0;
  auto seed = [&](std::string_view method, const std::string& target, const std::string& body = "",
                  const std::string& extra_headers = "") {
    std::string req =
        std::string(method) + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
    if (!body.empty() || method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    req += "\r\n" + body;
    std::ofstream(out / ("request-" + std::to_string(++count)), std::ios::binary) << req;
  };
  const std::string tx = n.tx_ids.front().to_hex();
  const std::string account = apitest::account_of(1).to_hex();
  const std::string account_key =
      core::to_hex(contracts::accounts::account_record_key(apitest::account_of(1)));
  const std::string fresh =
      core::to_hex(apitest::ping(4, 0, "fresh", kExpiryMs).encoded());  // admissible
  const std::string stale =
      core::to_hex(apitest::ping(1, 0, "first", kExpiryMs).encoded());  // committed already

  seed("GET", "/healthz");
  seed("GET", "/metrics");
  seed("GET", "/v1/status");
  seed("GET", "/v1/ledger-info");
  seed("POST", "/v1/transactions", json{{"transaction_hex", fresh}}.dump());
  seed("POST", "/v1/transactions", json{{"transaction_hex", stale}}.dump());
  seed("POST", "/v1/transactions/dry-run", json{{"transaction_hex", fresh}}.dump());
  seed("POST", "/v1/transactions/batch", json{{"transactions_hex", {fresh, stale}}}.dump());
  seed("GET", "/v1/transactions/" + tx);
  seed("GET", "/v1/blocks/2");
  seed("GET", "/v1/blocks/3?with_transactions=true");
  seed("GET", "/v1/blocks?from=4&limit=2&order=desc");
  seed("GET", "/v1/blocks?from=0&limit=3&order=asc");
  seed("GET", "/v1/blocks/3/transactions?from=0&limit=2");
  seed("GET", "/v1/accumulator/leaves?from=1&limit=2");
  seed("GET", "/v1/accumulator/leaves?count=3");
  seed("GET", "/v1/proofs/transaction/" + tx);
  seed("GET", "/v1/proofs/transaction/" + tx + "?height=4");
  seed("GET", "/v1/proofs/consistency?from=1&to=5");
  seed("GET", "/v1/state/accounts/" + account_key);
  seed("GET", "/v1/state/accounts/" + account_key + "?height=2");
  seed("GET", "/v1/state/accounts/" + account_key + "/history?from=0&limit=2");
  seed("GET", "/v1/validators?epoch=1");
  seed("GET", "/v1/epochs/proof?from=0");
  seed("GET", "/v1/epochs?from=0&limit=5");
  seed("GET", "/v1/query/accounts/account/" + account);
  seed("GET", "/v1/query/trademark/mark/305918274");
  seed("GET", "/v1/accounts/" + account + "/transactions?from=0&limit=2");
  seed("POST", "/v1/health/payloads",
       json{{"record_id", tx},
            {"issuer", account},
            {"timestamp_ms", kNowMs},
            {"salt", tx},
            {"payload_hex", "00"},
            {"signature", std::string(128, '0')}}
           .dump());
  seed("POST", "/v1/health/payloads/" + tx + "/release",
       json{{"access_id", tx},
            {"provider", account},
            {"timestamp_ms", kNowMs},
            {"signature", std::string(128, '0')}}
           .dump());
  seed("GET", "/v1/stream?from=1&module=accounts&kinds=blocks,events");
  // Pipelined requests on one connection, and a few malformed ones.
  std::string two = "GET /v1/status HTTP/1.1\r\nHost: a\r\n\r\nGET /v1/blocks/1 HTTP/1.1\r\n\r\n";
  std::ofstream(out / "request-pipelined", std::ios::binary) << two;
  seed("DELETE", "/v1/status");
  seed("GET", "/v1/blocks/%31?x=1");
  seed("POST", "/v1/transactions", "{\"transaction_hex\": 1}");
}

}  // namespace
