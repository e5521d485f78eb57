// NetworkConfig::max_peers with real PeerManagers on 127.0.0.1: inbound
// connections beyond it are refused with a log line, outbound dials count,
// and a freed place is taken again.

#include <memory>

#include "bauhinia/network/peer_manager.hpp"
#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

// A PeerManager like TestNode's, with a max_peers.
struct LimitedNode {
  LimitedNode(std::uint8_t seed, std::size_t max_peers, std::vector<PublicKey> allowed,
              std::vector<PeerAddress> peers = {}) {
    NetworkConfig c;
    c.chain_id = kChain;
    c.listen_host = "127.0.0.1";
    c.peers = std::move(peers);
    c.allowed_keys = std::move(allowed);
    c.max_peers = max_peers;
    c.limits = test_limits();
    c.log = log.sink();
    key = pub(seed);
    manager = std::make_unique<PeerManager>(std::move(c), key_from(seed));
    const core::Status s = manager->start();
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  ~LimitedNode() {
    if (manager) manager->stop();
  }
  PeerAddress address() const { return PeerAddress{key, "127.0.0.1", manager->listen_port()}; }

  PublicKey key;
  LogCapture log;
  std::unique_ptr<PeerManager> manager;
};

TEST(MaxPeers, DefaultKeepsTheConnectionLimitAndValidationNamesTheField) {
  NetworkConfig c;
  c.chain_id = kChain;
  EXPECT_EQ(c.max_peers, kDefaultMaxPeers);
  EXPECT_EQ(c.max_peers, c.limits.max_connections);
  EXPECT_TRUE(c.validate().ok());
  c.max_peers = 0;
  ASSERT_FALSE(c.validate().ok());
  EXPECT_NE(c.validate().rejection().detail.find("max_peers"), std::string::npos);
  c.max_peers = kMaxPeersLimit + 1;
  EXPECT_FALSE(c.validate().ok());
  c.max_peers = kMaxPeersLimit;
  EXPECT_TRUE(c.validate().ok());

  // A PeerManager refuses to start with it.
  c.max_peers = 0;
  PeerManager m(c, key_from(1));
  const core::Status s = m.start();
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.to_string().find("max_peers"), std::string::npos) << s.to_string();
}

TEST(MaxPeers, InboundBeyondTheLimitIsRefusedWithALogLineUntilAPlaceFrees) {
  LimitedNode a(1, 2, {pub(2), pub(3), pub(4)});
  auto b = std::make_unique<TestNode>(2, std::vector{a.key}, std::vector{a.address()});
  auto c = std::make_unique<TestNode>(3, std::vector{a.key}, std::vector{a.address()});
  auto d = std::make_unique<TestNode>(4, std::vector{a.key}, std::vector{a.address()});
  // The refusal's log line is written when its connection closes, after the
  // counter moved: wait for both.
  ASSERT_TRUE(eventually([&] {
    return a.manager->connected_peers().size() == 2 && a.manager->stats().refused_max_peers >= 1 &&
           a.log.contains({"refused", "this node is at max_peers = 2"});
  })) << a.log.dump();
  // The limit holds while the third keeps redialing: wait until a has refused
  // it three more times (a count, not a sleep that might be too short to see
  // any redial), then nothing more was admitted.
  const std::uint64_t refused = a.manager->stats().refused_max_peers;
  ASSERT_TRUE(eventually([&] { return a.manager->stats().refused_max_peers >= refused + 3; }, 30s))
      << a.log.dump();
  EXPECT_EQ(a.manager->connected_peers().size(), 2U);
  EXPECT_EQ(a.manager->stats().established, 2U);
  // A peer refused after its own side of the handshake completed sees the
  // close a moment later.
  const auto connected_to_a = [&] {
    return static_cast<std::size_t>(b->manager->is_connected(a.key)) +
           static_cast<std::size_t>(c->manager->is_connected(a.key)) +
           static_cast<std::size_t>(d->manager->is_connected(a.key));
  };
  EXPECT_TRUE(eventually([&] { return connected_to_a() == 2; })) << connected_to_a();

  // One connected peer leaves: the one left out takes its place.
  std::unique_ptr<TestNode>* left_out = nullptr;
  std::unique_ptr<TestNode>* leaving = nullptr;
  for (auto* n : {&b, &c, &d}) {
    if (!a.manager->is_connected((*n)->key)) {
      left_out = n;
    } else if (leaving == nullptr) {
      leaving = n;
    }
  }
  ASSERT_NE(left_out, nullptr);
  ASSERT_NE(leaving, nullptr);
  const PublicKey waiting_key = (*left_out)->key;
  leaving->reset();
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(waiting_key); })) << a.log.dump();
  EXPECT_EQ(a.manager->connected_peers().size(), 2U);
}

TEST(MaxPeers, OutboundDialsCountAgainstTheLimit) {
  // b and c accept a but never dial it; a dials both with room for one.
  TestNode b(2, {pub(1)});
  TestNode c(3, {pub(1)});
  LimitedNode a(1, 1, {pub(2), pub(3), pub(4)}, {b.address(), c.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->connected_peers().size() == 1; })) << a.log.dump();

  // The outbound peer fills the place: an inbound peer is refused. Three
  // refusals of its redials span several dial periods, during which a's
  // dialer of the other peer kept waiting (checked after a count, not a sleep).
  TestNode d(4, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually(
      [&] {
        return a.manager->stats().refused_max_peers >= 3 &&
               a.log.contains({"refused", "max_peers = 1"});
      },
      30s))
      << a.log.dump();
  EXPECT_FALSE(a.manager->is_connected(d.key));
  EXPECT_FALSE(d.manager->is_connected(a.key));
  EXPECT_EQ(a.manager->connected_peers().size(), 1U);
  EXPECT_EQ(b.manager->connected_peers().size() + c.manager->connected_peers().size(), 1U);
  EXPECT_EQ(a.manager->stats().handshakes_completed, 1U);
}

TEST(MaxPeers, AStrangerIsStillRefusedAsNotAllowedNotAsOverTheLimit) {
  LimitedNode a(1, 1, {pub(2)});
  TestNode b(2, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(b.key); })) << a.log.dump();
  TestNode stranger(9, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->stats().refused_not_allowed >= 1; }));
  EXPECT_EQ(a.manager->stats().refused_max_peers, 0U);
  EXPECT_TRUE(a.manager->is_connected(b.key));
}

}  // namespace
}  // namespace bauhinia::network::testing
