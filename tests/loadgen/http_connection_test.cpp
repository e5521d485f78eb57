// The HTTP client connection over real loopback sockets, against a minimal
// HTTP/1.1 responder written here with blocking Boost.Asio calls: keep-alive,
// a server that closes an idle connection, size caps and timeouts.
#include "bauhinia/loadgen/http_connection.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace bauhinia::loadgen {
namespace {

using std::chrono::milliseconds;

// Reads one request (headers, then Content-Length bytes of body) from `s`.
// Returns the request line, or "" when the peer closed first.
std::string read_request(tcp::socket& s) {
  std::string data;
  char buf[4096];
  std::size_t end = std::string::npos;
  while ((end = data.find("\r\n\r\n")) == std::string::npos) {
    beast::error_code ec;
    const std::size_t n = s.read_some(net::buffer(buf), ec);
    if (ec) return "";
    data.append(buf, n);
  }
  std::size_t length = 0;
  const auto cl = data.find("Content-Length: ");
  if (cl != std::string::npos && cl < end) length = std::stoul(data.substr(cl + 16));
  while (data.size() < end + 4 + length) {
    beast::error_code ec;
    const std::size_t n = s.read_some(net::buffer(buf), ec);
    if (ec) return "";
    data.append(buf, n);
  }
  return data.substr(0, data.find("\r\n"));
}

// Never throws (a failed test must not terminate the server thread).
void write_response(tcp::socket& s, const std::string& body) {
  const std::string text =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  beast::error_code ignored;
  net::write(s, net::buffer(text), ignored);
}

struct Server {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  tcp::endpoint endpoint() const { return acceptor.local_endpoint(); }
};

struct Result {
  beast::error_code ec;
  HttpConnection::Answer answer;
};

Result request(net::io_context& io, HttpConnection& http, const std::string& target) {
  Result r;
  bool done = false;
  http.get(target, [&](beast::error_code ec, HttpConnection::Answer a) {
    r.ec = ec;
    r.answer = std::move(a);
    done = true;
  });
  io.restart();
  io.run();
  EXPECT_TRUE(done);
  return r;
}

TEST(HttpConnection, KeepAliveServesSeveralRequestsOnOneConnection) {
  Server server;
  std::thread t([&] {
    tcp::socket s = server.acceptor.accept();
    for (int i = 0; i < 3; ++i) {
      const std::string line = read_request(s);
      write_response(s, "answer to " + line);
    }
  });
  net::io_context io;
  HttpConnection http(io, server.endpoint(), "test", milliseconds(5'000), 1 << 20);
  for (const char* target : {"/a", "/b", "/c"}) {
    const Result r = request(io, http, target);
    EXPECT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.answer.status, 200U);
    EXPECT_EQ(r.answer.body, std::string("answer to GET ") + target + " HTTP/1.1");
  }
  t.join();
}

TEST(HttpConnection, ResendsOnceWhenTheServerClosedAnIdleConnection) {
  Server server;
  std::promise<void> first_closed;
  std::thread t([&] {
    {
      tcp::socket s = server.acceptor.accept();
      write_response(s, read_request(s));
      s.close();  // like an idle timeout: no "Connection: close" was announced
    }
    first_closed.set_value();
    tcp::socket s = server.acceptor.accept();
    write_response(s, read_request(s));
  });
  net::io_context io;
  HttpConnection http(io, server.endpoint(), "test", milliseconds(5'000), 1 << 20);
  const Result a = request(io, http, "/first");
  EXPECT_FALSE(a.ec) << a.ec.message();
  first_closed.get_future().wait();
  std::this_thread::sleep_for(milliseconds(20));  // let the FIN arrive
  const Result b = request(io, http, "/second");
  EXPECT_FALSE(b.ec) << b.ec.message();
  EXPECT_EQ(b.answer.body, "GET /second HTTP/1.1");
  if (b.ec) {
    // The client gave up: release the server's second accept.
    tcp::socket release_accept(io);
    beast::error_code ignored;
    release_accept.connect(server.endpoint(), ignored);
  }
  t.join();
}

TEST(HttpConnection, AFreshConnectionThatFailsIsAnError) {
  Server server;
  std::thread t([&] {
    tcp::socket s = server.acceptor.accept();
    read_request(s);
    s.close();  // no answer at all
  });
  net::io_context io;
  HttpConnection http(io, server.endpoint(), "test", milliseconds(5'000), 1 << 20);
  const Result r = request(io, http, "/x");
  EXPECT_TRUE(r.ec);
  EXPECT_FALSE(http.busy());
  t.join();
}

TEST(HttpConnection, BodyOverTheCapIsAnError) {
  Server server;
  std::thread t([&] {
    tcp::socket s = server.acceptor.accept();
    read_request(s);
    beast::error_code ignored;
    write_response(s, std::string(2048, 'x'));
    s.shutdown(tcp::socket::shutdown_both, ignored);
  });
  net::io_context io;
  HttpConnection http(io, server.endpoint(), "test", milliseconds(5'000), 1024);
  const Result r = request(io, http, "/big");
  EXPECT_EQ(r.ec, http::error::body_limit) << r.answer.status << " " << r.answer.body.size();
  t.join();
}

TEST(HttpConnection, SilentServerTimesOut) {
  Server server;
  std::promise<void> release;
  std::thread t([&] {
    tcp::socket s = server.acceptor.accept();
    read_request(s);
    release.get_future().wait();  // never answers before the client gives up
  });
  net::io_context io;
  HttpConnection http(io, server.endpoint(), "test", milliseconds(200), 1 << 20);
  const auto start = std::chrono::steady_clock::now();
  const Result r = request(io, http, "/slow");
  EXPECT_EQ(r.ec, beast::error::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(200));
  release.set_value();
  t.join();
}

}  // namespace
}  // namespace bauhinia::loadgen
