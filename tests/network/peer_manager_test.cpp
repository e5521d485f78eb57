// Two or three real PeerManagers on 127.0.0.1: connecting, refusing, one
// connection per peer, reconnecting, removal from the allowed set, bans.

#include "bauhinia/network/peer_manager.hpp"

#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

TEST(PeerManager, HandshakeThenMessagesBothWays) {
  TestNode a(1, {pub(2)});
  TestNode b(2, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] {
    return a.manager->is_connected(b.key) && b.manager->is_connected(a.key);
  })) << a.log.dump()
      << b.log.dump();

  EXPECT_EQ(a.manager->send(b.key, Channel::kConsensus, bytes_of("vote 1")), SendResult::kQueued);
  EXPECT_EQ(b.manager->send(a.key, Channel::kSync, bytes_of("block 7")), SendResult::kQueued);
  EXPECT_EQ(b.manager->send(a.key, Channel::kMempool, core::Bytes{}), SendResult::kQueued);
  ASSERT_TRUE(eventually([&] { return b.inbox.size() == 1 && a.inbox.size() == 2; }));
  const auto at_b = b.inbox.messages();
  EXPECT_EQ(at_b[0].peer, a.key);
  EXPECT_EQ(at_b[0].channel, Channel::kConsensus);
  EXPECT_EQ(at_b[0].payload, bytes_of("vote 1"));
  const auto at_a = a.inbox.messages();
  EXPECT_EQ(at_a[0].peer, b.key);
  EXPECT_EQ(at_a[0].channel, Channel::kSync);
  EXPECT_EQ(at_a[0].payload, bytes_of("block 7"));
  EXPECT_EQ(at_a[1].channel, Channel::kMempool);
  EXPECT_TRUE(at_a[1].payload.empty());

  EXPECT_EQ(a.inbox.count_events(b.key, PeerEventKind::kConnected), 1U);
  EXPECT_EQ(b.inbox.count_events(a.key, PeerEventKind::kConnected), 1U);
  const auto stats = b.manager->peer_stats(a.key);
  ASSERT_TRUE(stats);
  EXPECT_TRUE(stats->we_initiated);
  EXPECT_EQ(a.manager->stats().handshakes_completed, 1U);
  // Keep-alive pings flow (interval 200 ms) and measure the round trip.
  EXPECT_TRUE(eventually([&] {
    auto s = b.manager->peer_stats(a.key);
    return s && s->last_rtt_ms.has_value();
  }));
}

TEST(PeerManager, SendChecksItsArguments) {
  NetworkLimits small = test_limits();
  small.max_frame_payload_bytes = 1000;
  TestNode a(1, {pub(2)});
  TestNode b(2, {pub(1)}, {a.address()}, small);
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(b.key); }));
  EXPECT_EQ(a.manager->send(pub(9), Channel::kConsensus, bytes_of("x")), SendResult::kNotConnected);
  EXPECT_EQ(a.manager->send(b.key, Channel::kControl, bytes_of("x")), SendResult::kBadChannel);
  // b announced 1000 bytes in its Hello: a never sends it more.
  EXPECT_EQ(a.manager->send(b.key, Channel::kSync, core::Bytes(1001)), SendResult::kTooLarge);
  EXPECT_EQ(a.manager->send(b.key, Channel::kSync, core::Bytes(1000)), SendResult::kQueued);
  EXPECT_TRUE(eventually([&] { return b.inbox.size() == 1; }));
  EXPECT_EQ(a.manager->broadcast(Channel::kMempool, bytes_of("tx")), 1U);
  EXPECT_TRUE(eventually([&] { return b.inbox.size() == 2; }));
}

TEST(PeerManager, KeyOutsideTheAllowedSetCannotConnectInbound) {
  TestNode a(1, {pub(3)});                 // allows only node 3
  TestNode x(2, {pub(1)}, {a.address()});  // x allows a and dials it
  // The counter moves before the refusal's log line is written: wait for both.
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().refused_not_allowed >= 2 &&
           a.log.contains({"refused", "key " + x.key.to_hex() + " is not in the allowed set"});
  })) << a.log.dump();
  EXPECT_FALSE(a.manager->is_connected(x.key));
  EXPECT_FALSE(x.manager->is_connected(a.key));
  EXPECT_EQ(a.inbox.count_events(x.key, PeerEventKind::kConnected), 0U);
  EXPECT_EQ(x.inbox.count_events(a.key, PeerEventKind::kConnected), 0U);
  EXPECT_EQ(a.manager->stats().handshakes_completed, 0U);
}

TEST(PeerManager, KeyOutsideTheAllowedSetIsNeitherDialedNorAcceptedWhenDialing) {
  TestNode x(2, {pub(1)});  // x would accept a
  // a lists x as a peer to dial, but x's key is not in a's allowed set.
  TestNode a(1, {pub(3)}, {x.address()});
  // a also dials an address where x listens while expecting node 3's key.
  a.manager->set_peers({x.address(), PeerAddress{pub(3), "127.0.0.1", x.manager->listen_port()}});
  a.manager->set_allowed_keys({pub(3)});
  // a redials: wait until it refused x's key three times (a count, not a sleep
  // that could end before any redial), then no attempt got through.
  ASSERT_TRUE(eventually(
      [&] {
        return a.log.count({"refused", "dialed " + pub(3).to_hex(),
                            "presented key " + x.key.to_hex()}) >= 3;
      },
      30s))
      << a.log.dump();
  EXPECT_FALSE(a.manager->is_connected(x.key));
  EXPECT_FALSE(x.manager->is_connected(a.key));
  EXPECT_EQ(x.manager->stats().handshakes_completed + a.manager->stats().handshakes_completed, 0U);
}

TEST(PeerManager, WrongChainIdIsRefusedWithAClearLogLine) {
  TestNode a(1, {pub(2)});
  TestNode b(2, {pub(1)}, {a.address()}, test_limits(), 0, "another-chain");
  ASSERT_TRUE(eventually([&] {
    return a.log.contains({"refused", "peer is on chain 'another-chain'", "'bauhinia-test-1'"}) &&
           b.log.contains({"refused", "peer is on chain 'bauhinia-test-1'"});
  })) << a.log.dump()
      << b.log.dump();
  EXPECT_FALSE(a.manager->is_connected(b.key));
  EXPECT_FALSE(b.manager->is_connected(a.key));
}

TEST(PeerManager, SimultaneousDialsEndWithOneConnectionChosenTheSameWayOnBothSides) {
  TestNode a(1, {pub(2)});
  TestNode b(2, {pub(1)});
  a.manager->set_peers({b.address()});
  b.manager->set_peers({a.address()});
  // Each side sends as soon as it sees the other connected, whichever of the
  // two connections that is at that moment: nothing may be lost.
  int a_sent = 0;
  int b_sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((a_sent < 20 || b_sent < 20) && std::chrono::steady_clock::now() < deadline) {
    if (a_sent < 20 &&
        a.manager->send(b.key, Channel::kConsensus, bytes_of("a" + std::to_string(a_sent))) ==
            SendResult::kQueued) {
      ++a_sent;
    }
    if (b_sent < 20 &&
        b.manager->send(a.key, Channel::kConsensus, bytes_of("b" + std::to_string(b_sent))) ==
            SendResult::kQueued) {
      ++b_sent;
    }
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(a_sent, 20);
  ASSERT_EQ(b_sent, 20);
  ASSERT_TRUE(eventually([&] { return a.inbox.size() == 20 && b.inbox.size() == 20; }))
      << a.inbox.size() << " " << b.inbox.size() << "\n"
      << a.log.dump() << b.log.dump();
  // The loser lingers at most the handshake timeout, then one connection is left.
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().connections == 1 && b.manager->stats().connections == 1;
  })) << a.log.dump()
      << b.log.dump();
  const auto sa = a.manager->peer_stats(b.key);
  const auto sb = b.manager->peer_stats(a.key);
  ASSERT_TRUE(sa && sb);
  EXPECT_NE(sa->we_initiated, sb->we_initiated);  // the same TCP connection
  // The kept connection is the one opened by the smaller key.
  EXPECT_EQ(sa->we_initiated, a.key < b.key);
  // No flapping: one connected event and no disconnection on either side.
  EXPECT_EQ(a.inbox.count_events(b.key, PeerEventKind::kConnected), 1U);
  EXPECT_EQ(b.inbox.count_events(a.key, PeerEventKind::kConnected), 1U);
  EXPECT_EQ(a.inbox.count_events(b.key, PeerEventKind::kDisconnected), 0U);
  EXPECT_EQ(b.inbox.count_events(a.key, PeerEventKind::kDisconnected), 0U);
  // Messages still flow on the kept connection.
  EXPECT_EQ(a.manager->send(b.key, Channel::kConsensus, bytes_of("hi")), SendResult::kQueued);
  EXPECT_TRUE(eventually([&] { return b.inbox.size() == 21; }));
}

TEST(PeerManager, ReconnectsAfterThePeerRestarts) {
  TestNode a(1, {pub(2)});
  // b listens on the same port after its restart: not one from the ephemeral
  // range, which a's own dials (or anyone's) could take meanwhile.
  const std::uint16_t b_port = free_port_below_ephemeral_range();
  auto b = std::make_unique<TestNode>(2, std::vector<PublicKey>{pub(1)}, std::vector<PeerAddress>{},
                                      test_limits(), b_port);
  ASSERT_EQ(b->manager->listen_port(), b_port);
  a.manager->set_peers({b->address()});
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(pub(2)); }));

  b.reset();  // b stops: a sees the connection close and starts redialing
  ASSERT_TRUE(eventually([&] { return !a.manager->is_connected(pub(2)); }));
  EXPECT_TRUE(
      eventually([&] { return a.inbox.count_events(pub(2), PeerEventKind::kDisconnected) == 1; }));
  // A few failed dials with back-off (counted, not slept on).
  ASSERT_TRUE(eventually(
      [&] {
        return a.log.count({"dialing " + pub(2).to_hex(), "failed"}) >= 2;
      },
      30s))
      << a.log.dump();

  b = std::make_unique<TestNode>(2, std::vector<PublicKey>{pub(1)}, std::vector<PeerAddress>{},
                                 test_limits(), b_port);
  ASSERT_EQ(b->manager->listen_port(), b_port);
  ASSERT_TRUE(eventually([&] {
    return a.manager->is_connected(pub(2)) && b->manager->is_connected(pub(1));
  })) << a.log.dump();
  EXPECT_TRUE(
      eventually([&] { return a.inbox.count_events(pub(2), PeerEventKind::kConnected) == 2; }));
  EXPECT_EQ(a.manager->send(pub(2), Channel::kConsensus, bytes_of("again")), SendResult::kQueued);
  EXPECT_TRUE(eventually([&] { return b->inbox.size() == 1; }));
}

TEST(PeerManager, RemovingAKeyFromTheAllowedSetDisconnectsIt) {
  TestNode a(1, {pub(2), pub(3)});
  TestNode b(2, {pub(1)}, {a.address()});
  TestNode c(3, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->connected_peers().size() == 2; }));

  a.manager->set_allowed_keys({pub(3)});  // epoch change: node 2 leaves
  ASSERT_TRUE(eventually(
      [&] { return !a.manager->is_connected(b.key) && !b.manager->is_connected(a.key); }));
  EXPECT_TRUE(a.log.contains({"removed from the allowed set", b.key.to_hex()})) << a.log.dump();
  // b keeps redialing and is refused; c is untouched.
  ASSERT_TRUE(eventually([&] { return a.manager->stats().refused_not_allowed >= 1; }));
  EXPECT_TRUE(a.manager->is_connected(c.key));
  EXPECT_EQ(a.manager->send(b.key, Channel::kConsensus, bytes_of("x")), SendResult::kNotConnected);

  a.manager->set_allowed_keys({pub(2), pub(3)});  // and back
  EXPECT_TRUE(eventually([&] { return a.manager->is_connected(b.key); }));
}

TEST(PeerManager, PenalizedPeerIsDisconnectedAndBanned) {
  TestNode a(1, {pub(2)});
  TestNode b(2, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(b.key); }));
  a.manager->penalize(b.key, "invalid vote signature");
  ASSERT_TRUE(eventually([&] { return !b.manager->is_connected(a.key); }));
  EXPECT_TRUE(a.manager->is_banned(b.key));
  EXPECT_EQ(a.manager->stats().penalties, 1U);
  EXPECT_TRUE(a.log.contains({"banned peer " + b.key.to_hex(), "invalid vote signature"}));
  // b redials and is refused while banned.
  ASSERT_TRUE(eventually([&] {
    return a.manager->stats().refused_banned >= 1 && a.log.contains({"refused", "is banned"});
  })) << a.log.dump();
  EXPECT_FALSE(a.manager->is_connected(b.key));
}

TEST(PeerManager, BansExpireAndThePeerComesBack) {
  // Long enough that the checks below see the ban before it expires, even on
  // a loaded machine; short enough for the test.
  NetworkLimits l = test_limits();
  l.ban_min_ms = 2'000;
  TestNode a(1, {pub(2)}, {}, l);
  TestNode b(2, {pub(1)}, {a.address()});
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(b.key); }));
  const auto penalized = std::chrono::steady_clock::now();
  a.manager->penalize(b.key, "test");
  EXPECT_TRUE(a.manager->is_banned(b.key));  // at once: penalize() bans before it returns
  ASSERT_TRUE(eventually([&] { return !a.manager->is_connected(b.key); }));
  // b redials at once; it gets back in only when the ban is over.
  ASSERT_TRUE(eventually([&] { return a.manager->is_connected(b.key); }));
  EXPECT_GE(std::chrono::steady_clock::now() - penalized, std::chrono::milliseconds(l.ban_min_ms));
  EXPECT_FALSE(a.manager->is_banned(b.key));
}

TEST(PeerManager, StartRejectsABadConfigAndAnAddressInUse) {
  {
    NetworkConfig c;
    c.chain_id = "";
    PeerManager m(c, key_from(1));
    const core::Status s = m.start();
    EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("chain_id"), std::string::npos);
  }
  {
    NetworkConfig c;
    c.chain_id = kChain;
    c.peers.push_back(PeerAddress{pub(2), "example.org", 1});
    PeerManager m(c, key_from(1));
    EXPECT_EQ(m.start().code(), core::StatusCode::kInvalidArgument);
  }
  {
    NetworkConfig c;
    c.chain_id = kChain;
    c.limits.max_frame_payload_bytes = kMaxFramePayloadLimitBytes + 1;
    PeerManager m(c, key_from(1));
    EXPECT_EQ(m.start().code(), core::StatusCode::kInvalidArgument);
  }
  TestNode a(1, {});
  NetworkConfig c;
  c.chain_id = kChain;
  c.listen_port = a.manager->listen_port();
  c.log = [](LogLevel, std::string_view) {};
  PeerManager m(c, key_from(2));
  EXPECT_EQ(m.start().code(), core::StatusCode::kIoError);
}

}  // namespace
}  // namespace bauhinia::network::testing
