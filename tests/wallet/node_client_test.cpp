// The wallet's HTTP client against a hostile or broken "node": a local TCP
// server that answers each connection with canned bytes (or nothing).
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "bauhinia/wallet/node_client.hpp"

namespace bauhinia::wallet {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Serves one connection: reads the request head, then writes `answer`
// (unless `silent`), then closes.
class OneShotServer {
 public:
  explicit OneShotServer(std::string answer, bool silent = false)
      : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
        answer_(std::move(answer)),
        silent_(silent) {
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket s(io_);
      acceptor_.accept(s, ec);
      if (ec) return;
      net::streambuf buf;
      net::read_until(s, buf, "\r\n\r\n", ec);
      if (silent_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      } else {
        net::write(s, net::buffer(answer_), ec);
      }
      s.shutdown(tcp::socket::shutdown_both, ec);
    });
  }
  ~OneShotServer() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  NodeAddress address() const {
    return NodeAddress{"127.0.0.1", std::to_string(acceptor_.local_endpoint().port())};
  }

 private:
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::string answer_;
  bool silent_;
  std::thread thread_;
};

std::string http(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST(NodeClient, ReadsJsonAndApiErrors) {
  {
    OneShotServer server(http(200, R"({"chain_id":"c","height":7})"));
    const NodeClient client(server.address());
    auto r = client.get_ok("/v1/status");
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    EXPECT_EQ((*r)["height"], 7);
  }
  {
    OneShotServer server(
        http(404, R"({"error":{"code":"unknown_block","message":"no block at height 9"}})"));
    const NodeClient client(server.address());
    auto raw = client.get("/v1/blocks/9");
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->status, 404u);
    EXPECT_EQ(raw->error_code, "unknown_block");
  }
  {
    OneShotServer server(
        http(404, R"({"error":{"code":"unknown_block","message":"no block at height 9"}})"));
    const NodeClient client(server.address());
    auto r = client.get_ok("/v1/blocks/9");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::StatusCode::kNotFound);
    const std::string& m = r.error().message();
    EXPECT_NE(m.find("127.0.0.1:"), std::string::npos) << m;
    EXPECT_NE(m.find("HTTP 404 unknown_block: no block at height 9"), std::string::npos) << m;
  }
  {
    OneShotServer server(http(503, R"({"error":{"code":"mempool_full","message":"later"}})"));
    auto r = NodeClient(server.address()).post_ok("/v1/transactions", {{"transaction_hex", "00"}});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::StatusCode::kUnavailable);
  }
}

TEST(NodeClient, HostileAnswersAreRefused) {
  {
    OneShotServer server(http(200, "this is not json"));
    auto r = NodeClient(server.address()).get("/v1/status");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message().find("not JSON"), std::string::npos) << r.error().message();
  }
  {
    OneShotServer server(http(200, std::string(100000, '[') + std::string(100000, ']')));
    auto r = NodeClient(server.address()).get("/v1/status");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message().find("nested"), std::string::npos) << r.error().message();
  }
  {
    // A Content-Length over the limit: refused before the body is read.
    OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n{");
    NodeClientLimits limits;
    limits.max_response_bytes = 4096;
    auto r = NodeClient(server.address(), limits).get("/v1/status");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message().find("larger than 4096"), std::string::npos)
        << r.error().message();
  }
  {
    OneShotServer server("garbage\r\n\r\n");
    EXPECT_FALSE(NodeClient(server.address()).get("/v1/status").has_value());
  }
  {
    OneShotServer server("", /*silent=*/true);
    NodeClientLimits limits;
    limits.timeout = std::chrono::milliseconds(300);
    const auto start = std::chrono::steady_clock::now();
    auto r = NodeClient(server.address(), limits).get("/v1/status");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::StatusCode::kUnavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  }
}

TEST(NodeClient, Addresses) {
  auto a = NodeAddress::parse("http://127.0.0.1:8600/");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, "8600");
  EXPECT_EQ(NodeAddress::parse("node.example")->port, "8080");
  EXPECT_EQ(NodeAddress::parse("[::1]:9000")->host, "::1");
  for (const char* bad :
       {"", "https://x:1", "http://", "x:0", "x:65536", "x:abc", "x/y", "u@x:1", "[::1", "x:1?q"}) {
    EXPECT_FALSE(NodeAddress::parse(bad).has_value()) << bad;
  }
  EXPECT_FALSE(NodeAddress::parse(std::string(3000, 'a')).has_value());
}

TEST(NodeClient, JsonDepth) {
  EXPECT_FALSE(json_too_deep(R"({"a":[1,{"b":"[[[[["}]})", 3));
  EXPECT_TRUE(json_too_deep("[[[[", 3));
  EXPECT_FALSE(json_too_deep(R"(["\"[[[[[["])", 1));
}

}  // namespace
}  // namespace bauhinia::wallet
