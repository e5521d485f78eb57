// Strangers holding the handshake slots (docs/network.md, "Limits"): idle TCP
// connections that never send a Hello, opened again as soon as the node
// closes them, for longer than the handshake timeout, against real
// PeerManagers while a validator restarts. The restarted validator must get
// its connections back during the flood.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

// Keeps `per_source` silent connections from each source address (a
// 127.0.0.x of the loopback range) to 127.0.0.1:port, on its own thread: it
// reads and discards what the node sends and opens a new connection as soon
// as one is closed, until stopped. (One the node refused at once is opened
// again after 20 ms, not in a busy loop: the test shares the machine.)
class IdleFlood {
 public:
  IdleFlood(const std::vector<std::string>& sources, std::uint16_t port, std::size_t per_source)
      : port_(port) {
    for (const auto& s : sources) {
      for (std::size_t i = 0; i < per_source; ++i) slots_.push_back(Slot{s});
    }
    thread_ = std::thread([this] { run(); });
  }
  ~IdleFlood() { stop(); }
  IdleFlood(const IdleFlood&) = delete;
  IdleFlood& operator=(const IdleFlood&) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Connections established so far (the node's kernel completed them).
  std::uint64_t opened() const { return opened_.load(); }
  // Connections the node closed so far.
  std::uint64_t closed_by_node() const { return closed_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    std::string source;
    int fd = -1;
    bool connecting = false;
    Clock::time_point opened{};
    Clock::time_point not_before{};  // when to open it again
  };

  void open(Slot& s) {
    s.opened = Clock::now();
    s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd < 0) return;
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, s.source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    const bool ok = ::bind(s.fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) == 0 &&
                    (::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0 ||
                     errno == EINPROGRESS);
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
    if (!ok) return close(s);
    s.connecting = true;
  }

  static void close(Slot& s) {
    if (s.fd >= 0) ::close(s.fd);
    s.fd = -1;
    s.connecting = false;
  }

  void run() {
    std::vector<pollfd> fds;
    std::array<char, 4096> scratch{};
    while (!stop_) {
      fds.clear();
      const auto now = Clock::now();
      for (Slot& s : slots_) {
        if (s.fd < 0 && now >= s.not_before) open(s);
        fds.push_back(pollfd{s.fd, static_cast<short>(s.connecting ? POLLOUT : POLLIN), 0});
      }
      if (::poll(fds.data(), fds.size(), 5) <= 0) continue;
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        Slot& s = slots_[i];
        const short ev = fds[i].revents;
        if (s.fd < 0 || ev == 0) continue;
        if (s.connecting) {
          int err = 0;
          socklen_t len = sizeof err;
          if (::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            close(s);
            continue;
          }
          s.connecting = false;
          ++opened_;
          continue;
        }
        // The node's Hello, then (at its deadline or at once) the close.
        const ssize_t n = ::recv(s.fd, scratch.data(), scratch.size(), 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
          ++closed_;
          const auto closed_at = Clock::now();
          if (closed_at - s.opened < 50ms) s.not_before = closed_at + 20ms;
          close(s);
        }
      }
    }
    for (Slot& s : slots_) close(s);
  }

  const std::uint16_t port_;
  std::vector<Slot> slots_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> opened_{0};
  std::atomic<std::uint64_t> closed_{0};
  std::thread thread_;
};

std::vector<PublicKey> mesh_keys() {
  return {pub(1), pub(2), pub(3)};
}

bool linked(const TestNode& x, const TestNode& y) {
  return x.manager->is_connected(y.key) && y.manager->is_connected(x.key);
}

// One address holds every handshake slot of every validator (more idle
// connections than there are slots, each opened again at once), while
// validator b restarts on the same address: b must be connected to a and c
// again while the flood goes on, and stay connected.
TEST(HandshakeFlood, OneAddressHoldingTheSlotsDoesNotCutOffARestartedValidator) {
  const NetworkLimits l = test_limits();
  const std::size_t per_node = l.max_pending_handshakes + 8;
  const std::uint16_t b_port = free_port_below_ephemeral_range();
  TestNode a(1, mesh_keys(), {}, l);
  TestNode c(3, mesh_keys(), {}, l);
  auto b =
      std::make_unique<TestNode>(2, mesh_keys(), std::vector{a.address(), c.address()}, l, b_port);
  const PeerAddress b_address = b->address();
  a.manager->set_peers({b_address, c.address()});
  c.manager->set_peers({a.address(), b_address});
  ASSERT_TRUE(eventually([&] { return linked(a, *b) && linked(*b, c); }))
      << a.log.dump() << b->log.dump() << c.log.dump();
  ASSERT_TRUE(eventually([&] { return linked(a, c); }));

  IdleFlood on_a({"127.0.0.2"}, a.manager->listen_port(), per_node);
  IdleFlood on_c({"127.0.0.2"}, c.manager->listen_port(), per_node);
  // The flood is at the limit: the connections beyond it are refused.
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().refused_limit >= 8 && c.manager->stats().refused_limit >= 8;
  })) << a.log.dump();

  b.reset();  // b stops; a and c notice and redial it
  ASSERT_TRUE(eventually(
      [&] { return !a.manager->is_connected(pub(2)) && !c.manager->is_connected(pub(2)); }));
  b = std::make_unique<TestNode>(2, mesh_keys(), std::vector{a.address(), c.address()}, l, b_port);
  ASSERT_EQ(b->manager->listen_port(), b_port);
  IdleFlood on_b({"127.0.0.2"}, b_port, per_node);
  const auto restarted = std::chrono::steady_clock::now();
  const std::uint64_t a_timeouts_before = a.manager->stats().handshakes_failed;

  const bool back = eventually([&] { return linked(a, *b) && linked(*b, c); }, 20s);
  const auto took = std::chrono::steady_clock::now() - restarted;
  EXPECT_TRUE(back) << "a: " << a.manager->stats().pending_handshakes << " pending, "
                    << a.manager->stats().refused_limit << " refused at the limit\n"
                    << b->log.dump();
  // The flood goes on for at least twice the handshake timeout after the
  // restart: slots freed by the deadline are taken again at once.
  const auto hold = std::chrono::milliseconds(2 * l.handshake_timeout_ms);
  if (took < hold) std::this_thread::sleep_for(hold - took);
  EXPECT_TRUE(eventually([&] {
    return a.manager->stats().handshakes_failed > a_timeouts_before && on_a.closed_by_node() > 0 &&
           on_b.opened() >= per_node;
  })) << "the flood did not run past a handshake deadline";
  if (back) {
    // Established connections are not disturbed by the flood.
    EXPECT_TRUE(linked(a, *b) && linked(*b, c) && linked(a, c));
  }
  std::cout << "restarted validator reconnected after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms; the flood opened " << on_a.opened() + on_b.opened() + on_c.opened()
            << " connections\n";
}

// Many addresses fill every inbound handshake slot of a (within any
// per-address limit); b, which nobody floods, restarts: a's own dial to b
// must not wait for an inbound slot. The handshake deadline is longer than
// the test, so no slot frees by chance meanwhile.
TEST(HandshakeFlood, InboundSlotsHeldByManyAddressesDoNotStopOutboundDials) {
  NetworkLimits l = test_limits();
  l.handshake_timeout_ms = 60'000;
  const std::uint16_t b_port = free_port_below_ephemeral_range();
  TestNode a(1, {pub(2)}, {}, l);
  auto b =
      std::make_unique<TestNode>(2, std::vector{pub(1)}, std::vector<PeerAddress>{}, l, b_port);
  a.manager->set_peers({b->address()});
  ASSERT_TRUE(eventually([&] { return linked(a, *b); }));

  // One address per slot, two connections each: every slot is held and the
  // surplus keeps the accept queue busy.
  std::vector<std::string> sources;
  for (std::size_t i = 0; i < l.max_pending_handshakes; ++i) {
    sources.push_back("127.0.1." + std::to_string(10 + i));
  }
  IdleFlood flood(sources, a.manager->listen_port(), 2);
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().pending_handshakes >= l.max_pending_handshakes &&
           a.manager->stats().refused_limit >= 8;
  })) << a.log.dump();

  b.reset();
  ASSERT_TRUE(eventually([&] { return !a.manager->is_connected(pub(2)); }));
  b = std::make_unique<TestNode>(2, std::vector{pub(1)}, std::vector<PeerAddress>{}, l, b_port);
  ASSERT_EQ(b->manager->listen_port(), b_port);
  const auto restarted = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually([&] { return linked(a, *b); }, 15s))
      << "a: " << a.manager->stats().pending_handshakes << " pending\n"
      << a.log.dump();
  const auto took = std::chrono::steady_clock::now() - restarted;
  std::cout << "a dialed the restarted peer after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  // The inbound slots were still held by the flood.
  EXPECT_GE(flood.opened(), 2 * l.max_pending_handshakes);
}

// The per-address bound on its own: a fifth silent connection from one
// address is refused at accept with a log line naming the limit, while
// another address still gets a handshake; the limit must be at least 1.
TEST(HandshakeFlood, PerAddressLimitRefusesTheFifthAndLetsOtherAddressesIn) {
  NetworkLimits l = test_limits();
  l.handshake_timeout_ms = 60'000;  // the four stay for the whole test
  ASSERT_EQ(l.max_pending_handshakes_per_address, 4U);
  TestNode a(1, {pub(2)}, {}, l);
  IdleFlood flood({"127.0.0.2"}, a.manager->listen_port(), 5);
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().pending_handshakes == 4 && a.manager->stats().refused_limit >= 1 &&
           a.log.contains({"refused an inbound connection from 127.0.0.2",
                           "at max_pending_handshakes_per_address = 4"});
  })) << a.log.dump();
  RawPeer other(a.manager->listen_port());  // from 127.0.0.1
  EXPECT_TRUE(other.handshake(key_from(2))) << a.log.dump();
  EXPECT_TRUE(eventually([&] { return a.manager->is_connected(pub(2)); }));
  EXPECT_EQ(a.manager->stats().pending_handshakes, 4U);

  NetworkConfig c;
  c.chain_id = kChain;
  c.limits.max_pending_handshakes_per_address = 0;
  ASSERT_FALSE(c.validate().ok());
  EXPECT_NE(c.validate().rejection().detail.find("max_pending_handshakes_per_address"),
            std::string::npos);
}

}  // namespace
}  // namespace bauhinia::network::testing
