// Bad input to the API over real sockets: malformed requests, wrong methods,
// bad hex and numbers, oversized headers and bodies, garbage bytes, slow
// clients, too many connections, invalid transactions. Each gets the right
// 4xx (or a closed connection) and changes nothing: the ledger's height and
// the mempool's size are the same afterwards, and the server keeps serving.

#include <gtest/gtest.h>

#include "api_test_support.hpp"

namespace bauhinia::apitest {
namespace {

class ApiRobustnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new ApiFixture(config()); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  static node::ApiServerConfig config() {
    node::ApiServerConfig c = ApiFixture::test_config();
    c.request_timeout_ms = 1'000;  // short, for the slow-client tests
    return c;
  }

  void SetUp() override {
    height_ = f().node().ledger().latest_height();
    mempool_size_ = f().node().mempool().size();
  }
  void TearDown() override {
    // Nothing a bad request did changed state, and the server still answers.
    EXPECT_EQ(f().node().ledger().latest_height(), height_);
    EXPECT_EQ(f().node().mempool().size(), mempool_size_);
    auto r = f().get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
  }

  ApiFixture& f() { return *fixture_; }

  // The status and error code of one request on a fresh connection.
  std::pair<unsigned, std::string> ask(const std::string& method, const std::string& target,
                                       const std::string& body = {},
                                       const std::string& content_type = {}) {
    HttpClient client(f().port());
    auto r = client.request(method, target, body, content_type);
    if (!r) return {0, "<no response>"};
    EXPECT_EQ(r->headers["content-type"], "application/json") << target;
    const json j = r->body_json();
    EXPECT_TRUE(j.is_object()) << r->body;
    return {r->status, r->error_code()};
  }

  std::pair<unsigned, std::string> submit_hex(const std::string& hex) {
    return ask("POST", "/v1/transactions", json{{"transaction_hex", hex}}.dump(),
               "application/json");
  }

  static ApiFixture* fixture_;
  std::uint64_t height_ = 0;
  std::size_t mempool_size_ = 0;
};

ApiFixture* ApiRobustnessTest::fixture_ = nullptr;

using Answer = std::pair<unsigned, std::string>;

TEST_F(ApiRobustnessTest, UnknownPaths) {
  for (const std::string target :
       {"/", "/v1", "/v1/", "/v2/status", "/v1/status/", "/v1/blocks/1/2", "/v1/accounts",
        "/v1/state/accounts", "/v1/state/accounts/00/history/x", "/V1/STATUS", "/v1//status",
        "/v1/proofs", "/v1/epochs/1", "/v1/query", "/v1/accounts/00/transactions/x", "/v1/stream/x",
        "/v1/blocks/1/transactions/x"}) {
    EXPECT_EQ(ask("GET", target), (Answer{404, "unknown_path"})) << target;
  }
}

TEST_F(ApiRobustnessTest, WrongMethods) {
  for (const std::string method : {"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW"}) {
    HttpClient client(f().port());
    auto r = client.request(method, "/v1/status");
    ASSERT_TRUE(r) << method;
    EXPECT_EQ(r->status, 405u) << method;
    EXPECT_EQ(r->headers["allow"], "GET, POST");
  }
  // A HEAD answer has no body; the server closes after it.
  HttpClient head(f().port());
  auto h = head.request("HEAD", "/v1/status");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 405u);
  EXPECT_TRUE(h->body.empty());
  EXPECT_TRUE(head.closed_by_server());
  EXPECT_EQ(ask("POST", "/v1/status"), (Answer{405, "method_not_allowed"}));
  EXPECT_EQ(ask("GET", "/v1/transactions"), (Answer{405, "method_not_allowed"}));
  EXPECT_EQ(ask("POST", "/v1/blocks/1"), (Answer{405, "method_not_allowed"}));
}

TEST_F(ApiRobustnessTest, BadNumbersAndRanges) {
  for (const std::string target :
       {"/v1/blocks/abc", "/v1/blocks/-1", "/v1/blocks/01", "/v1/blocks/1.0", "/v1/blocks/0x10",
        "/v1/blocks/%2D1", "/v1/blocks/99999999999999999999", "/v1/blocks/18446744073709551616",
        "/v1/accumulator/leaves?from=x", "/v1/accumulator/leaves?count=", "/v1/validators?epoch=+1",
        "/v1/proofs/consistency?from=1&to=1e3"}) {
    EXPECT_EQ(ask("GET", target), (Answer{400, "bad_encoding"})) << target;
  }
  // Path segments are percent-decoded (RFC 3986): %31 is "1".
  EXPECT_EQ(ask("GET", "/v1/blocks/%31").first, 200U);
  EXPECT_EQ(ask("GET", "/v1/blocks/%3"), (Answer{400, "bad_target"}));
  EXPECT_EQ(ask("GET", "/v1/blocks/5"), (Answer{404, "unknown_block"}));
  EXPECT_EQ(ask("GET", "/v1/blocks/18446744073709551615"), (Answer{404, "unknown_block"}));
  EXPECT_EQ(ask("GET", "/v1/accumulator/leaves?from=7"), (Answer{404, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/accumulator/leaves?count=0"), (Answer{400, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/accumulator/leaves?count=1001"), (Answer{400, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/proofs/consistency"), (Answer{400, "missing_parameter"}));
  EXPECT_EQ(ask("GET", "/v1/proofs/consistency?from=0"), (Answer{400, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/proofs/consistency?from=4&to=3"), (Answer{400, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/proofs/consistency?from=1&to=7"), (Answer{404, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/validators?epoch=2"), (Answer{404, "unknown_epoch"}));
  EXPECT_EQ(ask("GET", "/v1/epochs/proof?from=9"), (Answer{404, "unknown_epoch"}));
  const std::string key = core::to_hex(contracts::accounts::account_record_key(account_of(1)));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/" + key + "?height=5"), (Answer{404, "unknown_block"}));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/" + key + "/history?limit=0"),
            (Answer{400, "out_of_range"}));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/" + key + "/history?limit=100000"),
            (Answer{400, "out_of_range"}));
}

TEST_F(ApiRobustnessTest, BadQueryParameters) {
  EXPECT_EQ(ask("GET", "/v1/status?x=1"), (Answer{400, "unknown_parameter"}));
  EXPECT_EQ(ask("GET", "/v1/blocks/1?height=1"), (Answer{400, "unknown_parameter"}));
  EXPECT_EQ(ask("GET", "/v1/accumulator/leaves?from=1&from=2"), (Answer{400, "bad_target"}));
  EXPECT_EQ(ask("GET", "/v1/accumulator/leaves?FROM=1"), (Answer{400, "bad_target"}));
  EXPECT_EQ(ask("GET", "/v1/validators?a&b&c&d&e&f&g&h&i"), (Answer{400, "bad_target"}));
}

TEST_F(ApiRobustnessTest, BadHexAndIds) {
  const std::string id = ping(1, 0, "first", f().node().expiry_ms()).id().to_hex();
  for (const std::string& target : std::vector<std::string>{
           "/v1/transactions/xyz", "/v1/transactions/" + id.substr(2),
           "/v1/transactions/" + id + "00", "/v1/transactions/" + id.substr(1) + "g",
           "/v1/proofs/transaction/nothex"}) {
    EXPECT_EQ(ask("GET", target), (Answer{400, "bad_hex"})) << target;
  }
  const std::string unknown(64, 'a');
  EXPECT_EQ(ask("GET", "/v1/transactions/" + unknown), (Answer{404, "unknown_transaction"}));
  EXPECT_EQ(ask("GET", "/v1/proofs/transaction/" + unknown), (Answer{404, "unknown_transaction"}));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/zz"), (Answer{400, "bad_hex"}));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/abc"), (Answer{400, "bad_hex"}));
  EXPECT_EQ(ask("GET", "/v1/state/Accounts/00"), (Answer{400, "bad_encoding"}));
  EXPECT_EQ(ask("GET", "/v1/state/" + std::string(65, 'm') + "/00"), (Answer{400, "too_large"}));
  EXPECT_EQ(ask("GET", "/v1/state/accounts/" + std::string(2050, '0')), (Answer{400, "too_large"}));
  EXPECT_EQ(ask("GET", "/v1/query/accounts/account/1234"), (Answer{400, "bad_encoding"}));
}

TEST_F(ApiRobustnessTest, LongTargetsAndInvalidUtf8) {
  EXPECT_EQ(ask("GET", "/v1/state/accounts/" + std::string(4100, '0')),
            (Answer{414, "uri_too_long"}));
  // Bytes that are not UTF-8 in the target come back escaped in valid JSON.
  HttpClient client(f().port());
  ASSERT_TRUE(client.send_raw("GET /v1/\xff\xfe/\xc3 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
  EXPECT_EQ(r->error_code(), "unknown_path");  // the message holds U+FFFD for the bad bytes
}

TEST_F(ApiRobustnessTest, MalformedSubmissions) {
  const std::string tx_url = "/v1/transactions";
  EXPECT_EQ(ask("POST", tx_url, "{", "application/json"), (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, "", "application/json"), (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, "[1,2]", "application/json"), (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, "{}", "application/json"), (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, R"({"transaction_hex": 5})", "application/json"),
            (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, R"({"transaction_hex": "00", "x": 1})", "application/json"),
            (Answer{400, "bad_json"}));
  EXPECT_EQ(
      ask("POST", tx_url, std::string(1000, '[') + std::string(1000, ']'), "application/json"),
      (Answer{400, "bad_json"}));
  EXPECT_EQ(ask("POST", tx_url, R"({"transaction_hex": {"a": {"b": {"c": {"d": 1}}}}})",
                "application/json"),
            (Answer{400, "bad_json"}));
  EXPECT_EQ(submit_hex("zz"), (Answer{400, "bad_hex"}));
  EXPECT_EQ(submit_hex("abc"), (Answer{400, "bad_hex"}));
  EXPECT_EQ(ask("POST", tx_url, "00", "text/plain"), (Answer{415, "unsupported_media_type"}));
  EXPECT_EQ(ask("POST", tx_url, "00"), (Answer{415, "unsupported_media_type"}));
  EXPECT_EQ(ask("POST", tx_url + "?x=1", "{}", "application/json"),
            (Answer{400, "unknown_parameter"}));
}

TEST_F(ApiRobustnessTest, RejectedTransactionsCarryTheMempoolReason) {
  const std::uint64_t expiry = now_ms() + 600'000;
  EXPECT_EQ(submit_hex(""), (Answer{422, "malformed"}));
  EXPECT_EQ(submit_hex("0102030405"), (Answer{422, "malformed"}));
  // Trailing bytes after a valid envelope.
  const core::Bytes good = ping(20, 0, "x", expiry).encoded();
  EXPECT_EQ(submit_hex(core::to_hex(good) + "00"), (Answer{422, "malformed"}));

  chain::Transaction bad_sig = ping(20, 0, "x", expiry);
  bad_sig.signature.bytes[5] ^= 1;
  EXPECT_EQ(submit_hex(core::to_hex(bad_sig.encoded())), (Answer{422, "bad_signature"}));

  chain::Transaction wrong_chain = ping(20, 0, "x", expiry);
  wrong_chain.chain_id = "another-chain";
  wrong_chain.sign(user_key(20));
  EXPECT_EQ(submit_hex(core::to_hex(wrong_chain.encoded())), (Answer{422, "wrong_chain"}));

  EXPECT_EQ(submit_hex(core::to_hex(ping(20, 0, "x", now_ms() - 1000).encoded())),
            (Answer{422, "expired"}));
  // User 1's sequences 0..2 are committed.
  EXPECT_EQ(submit_hex(core::to_hex(ping(1, 1, "replay", expiry).encoded())),
            (Answer{422, "stale_sequence"}));
  // Signed by another key than the account's.
  chain::Transaction wrong_key = ping(1, 3, "x", expiry);
  wrong_key.public_key = user_key(21).public_key();
  wrong_key.sign(user_key(21));
  EXPECT_EQ(submit_hex(core::to_hex(wrong_key.encoded())), (Answer{422, "wrong_key"}));
}

TEST_F(ApiRobustnessTest, OversizedBodyIs413) {
  // Declared too large: refused on the header, before the body is read.
  HttpClient client(f().port());
  ASSERT_TRUE(client.send_raw(
      "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
      "Content-Length: 100000000\r\n\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
  EXPECT_EQ(r->error_code(), "body_too_large");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(client.closed_by_server());

  // Actually sent, one byte over the limit.
  const std::string body(64 * 1024 + 1, 'a');
  EXPECT_EQ(ask("POST", "/v1/transactions", body, "application/octet-stream"),
            (Answer{413, "body_too_large"}));

  // Chunked, growing past the limit.
  HttpClient chunked(f().port());
  ASSERT_TRUE(chunked.send_raw(
      "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"));
  std::string chunks;
  for (int i = 0; i < 20; ++i) chunks += "1000\r\n" + std::string(0x1000, 'b') + "\r\n";
  (void)chunked.send_raw(chunks);
  auto c = chunked.read_response();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, 413u);
}

TEST_F(ApiRobustnessTest, ExpectContinue) {
  const chain::Transaction tx = ping(30, 0, "continue", now_ms() + 600'000);
  const core::Bytes bytes = tx.encoded();
  HttpClient client(f().port());
  ASSERT_TRUE(client.send_raw(
      "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(bytes.size()) + "\r\n\r\n"));
  auto cont = client.read_response();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100u);
  // Not sent: the body, so nothing is admitted (the mempool check in TearDown).
  // Over the limit: 413 without waiting for the body.
  HttpClient big(f().port());
  ASSERT_TRUE(big.send_raw(
      "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
      "Expect: 100-continue\r\nContent-Length: 1000000\r\n\r\n"));
  auto r = big.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
}

TEST_F(ApiRobustnessTest, OversizedHeaderIs431) {
  HttpClient client(f().port());
  ASSERT_TRUE(client.send_raw(
      "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10 * 1024, 'h') + "\r\n\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431u);
  EXPECT_EQ(r->error_code(), "header_too_large");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ApiRobustnessTest, GarbageBytesGet400AndClose) {
  for (const std::string& garbage : std::vector<std::string>{
           std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),  // a TLS hello
           std::string("GARBAGE\r\n\r\n"), std::string("GET\r\n\r\n"),
           std::string("GET /v1/status HTTP/9.9\r\n\r\n"),
           std::string("GET /v1/status HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
           std::string("GET /v1/status HTTP/1.1\r\nBad Header\r\n\r\n"),
           std::string("\0\0\0\0\r\n\r\n", 8)}) {
    HttpClient client(f().port());
    ASSERT_TRUE(client.send_raw(garbage));
    auto r = client.read_response();
    ASSERT_TRUE(r) << core::to_hex(core::as_bytes(garbage));
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(r->error_code(), "bad_request");
    EXPECT_FALSE(r->keep_alive);
    EXPECT_TRUE(client.closed_by_server());
  }
}

TEST_F(ApiRobustnessTest, SlowClientIsDisconnected) {
  // Half a request line, then nothing: closed after the request deadline.
  HttpClient slow(f().port());
  ASSERT_TRUE(slow.send_raw("GET /v1/sta"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.closed_by_server(std::chrono::milliseconds(10'000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(800));

  // Dripping one byte every 100 ms does not extend the deadline: the request
  // deadline (1 s) is for the whole request, not per byte. The request is long
  // enough that dripping it takes ~20 s, so a server that reset its deadline on
  // every byte would still be reading when the drip stops at 8 s (and fail).
  HttpClient drip(f().port());
  const std::string request =
      "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(200, 'a') + "\r\n\r\n";
  const auto drip_start = std::chrono::steady_clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < request.size() - 1 && !closed; ++i) {
    if (std::chrono::steady_clock::now() - drip_start > std::chrono::milliseconds(8'000)) break;
    // A failed write, or EOF seen while waiting 100 ms for the next byte.
    closed = !drip.send_raw(request.substr(i, 1)) ||
             drip.closed_by_server(std::chrono::milliseconds(100));
  }
  const auto drip_time = std::chrono::steady_clock::now() - drip_start;
  EXPECT_TRUE(closed) << "still open after dripping for "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(drip_time).count()
                      << " ms: the deadline was extended by each byte";
  EXPECT_LT(drip_time, std::chrono::milliseconds(6'000));

  // An idle keep-alive connection is closed too.
  HttpClient idle(f().port());
  ASSERT_TRUE(idle.request("GET", "/healthz"));
  EXPECT_TRUE(idle.closed_by_server(std::chrono::milliseconds(10'000)));
}

TEST(ApiConnectionLimit, RefusesBeyondTheLimitWith503) {
  node::ApiServerConfig config = ApiFixture::test_config();
  config.max_connections = 2;
  ApiFixture f(config);
  HttpClient a(f.port());
  std::optional<HttpClient> b(std::in_place, f.port());
  ASSERT_TRUE(a.request("GET", "/healthz"));
  ASSERT_TRUE(b->request("GET", "/healthz"));
  EXPECT_EQ(f.server().open_connections(), 2u);
  HttpClient c(f.port());
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_EQ(r->error_code(), "too_many_connections");
  EXPECT_TRUE(c.closed_by_server());
  // The first two still work; once one leaves, a new client gets in.
  auto again = a.request("GET", "/v1/status");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200u);
  b.reset();
  bool admitted = false;
  for (int i = 0; i < 500 && !admitted; ++i) {  // up to 10 s: the server sees the close
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    admitted = f.server().open_connections() < 2;
  }
  ASSERT_TRUE(admitted);
  HttpClient d(f.port());
  auto ok = d.request("GET", "/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200u);
  auto metrics = d.request("GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("bauhinia_api_connections_refused_total 1\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("bauhinia_api_requests_total{code=\"503\"} 1\n"), std::string::npos);
}

TEST(ApiServerConfigTest, ValidatesAndStartsOnce) {
  node::ApiServerConfig c;
  EXPECT_TRUE(c.validate().ok());
  c.listen_host = "localhost";  // names are not resolved
  EXPECT_FALSE(c.validate().ok());
  c = {};
  c.max_connections = 0;
  EXPECT_FALSE(c.validate().ok());
  c = {};
  c.max_body_bytes = 10;
  EXPECT_FALSE(c.validate().ok());

  // A port already in use is an io_error, not a crash.
  ApiFixture f;
  node::ApiServerConfig taken = ApiFixture::test_config();
  taken.listen_port = f.port();
  net::io_context io;
  TestNode other;
  node::LedgerApiBackend backend(other.ledger(), other.mempool(), other.executor());
  node::ApiServer server(io, taken, backend);
  const core::Status s = server.start();
  EXPECT_EQ(s.code(), core::StatusCode::kIoError) << s.to_string();
  node::ApiServer twice(io, ApiFixture::test_config(), backend);
  ASSERT_TRUE(twice.start().is_ok());
  EXPECT_EQ(twice.start().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bauhinia::apitest
