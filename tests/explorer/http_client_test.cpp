// The explorer's HTTP client against hostile nodes on a real socket: one that
// never answers (the deadline ends it), one that answers more than the
// answer limit, one that answers garbage; and node addresses it refuses.

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <thread>

#include "bauhinia/explorer/http_client.hpp"

namespace bauhinia::explorer {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A one-connection server on 127.0.0.1 that reads the request and then
// writes `reply` (and, with `hold`, keeps the connection open without a word).
class RawServer {
 public:
  RawServer(std::string reply, bool hold) : acceptor_(io_, tcp::endpoint(tcp::v4(), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, reply = std::move(reply), hold] {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      net::streambuf request;
      net::read_until(socket, request, "\r\n\r\n", ec);
      if (hold) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        return;
      }
      net::write(socket, net::buffer(reply), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    });
  }
  ~RawServer() { thread_.join(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

lightclient::Fetch fetch_of(const RawServer& s, std::chrono::milliseconds timeout) {
  return http_fetch(*NodeUrl::parse(s.url()), timeout);
}

TEST(HttpClientTest, ReadsAnAnswer) {
  RawServer s("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false);
  auto answer = fetch_of(s, std::chrono::seconds(5))("/v1/status");
  ASSERT_TRUE(answer.has_value()) << answer.error().message;
  EXPECT_EQ(answer->status, 200U);
  EXPECT_EQ(answer->body, "{}");
}

TEST(HttpClientTest, ANodeThatNeverAnswersTimesOut) {
  RawServer s("", true);
  const auto start = std::chrono::steady_clock::now();
  auto answer = fetch_of(s, std::chrono::milliseconds(300))("/v1/status");
  EXPECT_FALSE(answer.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
}

TEST(HttpClientTest, AnAnswerOverTheLimitIsRefused) {
  const std::size_t size = lightclient::kMaxAnswerBytes + 1;
  RawServer s("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
                  std::string(size, 'x'),
              false);
  auto answer = fetch_of(s, std::chrono::seconds(10))("/v1/status");
  EXPECT_FALSE(answer.has_value());
}

TEST(HttpClientTest, AChunkedAnswerOverTheLimitIsRefused) {
  const std::string chunk(1U << 20, 'y');
  std::string reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 17; ++i) reply += "100000\r\n" + chunk + "\r\n";
  reply += "0\r\n\r\n";
  RawServer s(reply, false);
  auto answer = fetch_of(s, std::chrono::seconds(10))("/v1/status");
  EXPECT_FALSE(answer.has_value()) << answer->body.size();
}

TEST(HttpClientTest, GarbageIsNoAnswer) {
  RawServer s("SMTP ready\r\n\r\n", false);
  auto answer = fetch_of(s, std::chrono::seconds(5))("/v1/status");
  EXPECT_FALSE(answer.has_value());
}

TEST(HttpClientTest, RefusesNodeAddressesAndTargetsItCannotUse) {
  EXPECT_TRUE(NodeUrl::parse("http://127.0.0.1:8080").has_value());
  EXPECT_EQ(NodeUrl::parse("127.0.0.1:8080/")->url(), "http://127.0.0.1:8080");
  for (const char* bad :
       {"https://127.0.0.1:8080", "http://127.0.0.1", "http://:80", "http://h:0", "http://h:65536",
        "http://h:80/path", "http://u@h:80", "http://h:8x", ""}) {
    EXPECT_FALSE(NodeUrl::parse(bad).has_value()) << bad;
  }
  auto fetch = http_fetch(*NodeUrl::parse("http://127.0.0.1:1"), std::chrono::seconds(2));
  EXPECT_FALSE(fetch("no-slash").has_value());
  EXPECT_FALSE(fetch("/" + std::string(5000, 'a')).has_value());
  EXPECT_FALSE(fetch("/v1/status").has_value());  // nothing listens on port 1
}

}  // namespace
}  // namespace bauhinia::explorer
