#pragma once
// A stand-in for a node's query API in the wallet's command tests: a local TCP
// server answering one HTTP request with a fixed 200 JSON body (a real record's
// bytes, from a module's golden vectors), keeping the request line it got.

#include <boost/asio.hpp>
#include <istream>
#include <string>
#include <thread>

namespace bauhinia::wallet::testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Answers one HTTP request with `body` (200, JSON) and keeps the request line.
class OneAnswerNode {
 public:
  explicit OneAnswerNode(std::string body)
      : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
        body_(std::move(body)) {
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket s(io_);
      acceptor_.accept(s, ec);
      if (ec) return;
      net::streambuf buf;
      net::read_until(s, buf, "\r\n\r\n", ec);
      std::istream head(&buf);
      std::getline(head, request_line_);
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
          std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
      net::write(s, net::buffer(answer), ec);
      s.shutdown(tcp::socket::shutdown_both, ec);
    });
  }
  ~OneAnswerNode() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  // The request line, once the answer was written.
  std::string request_line() {
    if (thread_.joinable()) thread_.join();
    return request_line_;
  }

 private:
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::string body_;
  std::string request_line_;
  std::thread thread_;
};

}  // namespace bauhinia::wallet::testing
