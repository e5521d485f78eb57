// A hand-driven client on a real socket against a real PeerManager: garbage
// before and after the handshake, tampered and oversized frames, bad
// signatures, silence, other protocol versions, and the handshake limit.

#include <sodium.h>

#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

core::Bytes random_bytes(std::size_t n) {
  core::Bytes b(n);
  randombytes_buf(b.data(), b.size());
  return b;
}

// A node (seed 1) that allows the raw client's key (seed 2).
struct Target {
  explicit Target(NetworkLimits limits = test_limits()) : node(1, {pub(2)}, {}, limits) {}
  TestNode node;
  std::uint16_t port() const { return node.manager->listen_port(); }
};

TEST(AdversarialPeer, ValidRawClientIsServedBothWays) {
  // The raw client itself works, so the failures below are the node's doing.
  Target t;
  RawPeer raw(t.port());
  ASSERT_TRUE(raw.handshake(key_from(2))) << t.node.log.dump();
  ASSERT_TRUE(raw.write(raw.seal(Channel::kMempool, bytes_of("tx"))));
  ASSERT_TRUE(eventually([&] { return t.node.inbox.size() == 1; }));
  EXPECT_EQ(t.node.inbox.messages()[0].payload, bytes_of("tx"));
  EXPECT_EQ(t.node.manager->send(pub(2), Channel::kConsensus, bytes_of("back")),
            SendResult::kQueued);
  // Skip keep-alive pings until the message arrives.
  for (int i = 0; i < 50; ++i) {
    auto f = raw.read_frame();
    ASSERT_TRUE(f);
    if (f->first == Channel::kControl) continue;
    EXPECT_EQ(f->first, Channel::kConsensus);
    EXPECT_EQ(f->second, bytes_of("back"));
    return;
  }
  FAIL() << "no message";
}

TEST(AdversarialPeer, GarbageBeforeTheHandshakeClosesTheConnection) {
  Target t;
  {
    RawPeer raw(t.port());
    ASSERT_TRUE(raw.write(bytes_of("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
    EXPECT_TRUE(raw.closed_by_peer());
  }
  {
    RawPeer raw(t.port());
    ASSERT_TRUE(raw.write(random_bytes(4096)));
    EXPECT_TRUE(raw.closed_by_peer());
  }
  {
    // A plausible length prefix followed by a body with the wrong magic.
    RawPeer raw(t.port());
    core::Bytes msg = {100, 0};
    const core::Bytes body = random_bytes(100);
    msg.insert(msg.end(), body.begin(), body.end());
    ASSERT_TRUE(raw.write(msg));
    EXPECT_TRUE(raw.closed_by_peer());
  }
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().protocol_violations >= 3; }));
  EXPECT_TRUE(t.node.log.contains({"protocol violation", "bad hello"})) << t.node.log.dump();
  // Nobody is banned for pre-handshake garbage (no key can be blamed), and the
  // node still serves a good client.
  RawPeer good(t.port());
  EXPECT_TRUE(good.handshake(key_from(2)));
}

TEST(AdversarialPeer, GarbageAfterTheHandshakeClosesAndBans) {
  Target t;
  RawPeer raw(t.port());
  ASSERT_TRUE(raw.handshake(key_from(2)));
  ASSERT_TRUE(eventually([&] { return t.node.manager->is_connected(pub(2)); }));
  // A small, plausible header with random bytes: fails authentication.
  core::Bytes junk = {40, 0, 0, 0};
  const core::Bytes body = random_bytes(40);
  junk.insert(junk.end(), body.begin(), body.end());
  ASSERT_TRUE(raw.write(junk));
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return t.node.manager->is_banned(pub(2)); }));
  EXPECT_TRUE(t.node.log.contains({"protocol violation", "failed authentication"}));
  EXPECT_TRUE(t.node.log.contains({"banned peer " + pub(2).to_hex()}));
  // While banned, even a correct handshake is refused.
  RawPeer again(t.port());
  EXPECT_FALSE(again.handshake(key_from(2)));
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().refused_banned == 1; }));
}

TEST(AdversarialPeer, TamperedCiphertextClosesTheConnection) {
  Target t;
  RawPeer raw(t.port());
  ASSERT_TRUE(raw.handshake(key_from(2)));
  ASSERT_TRUE(raw.write(raw.seal(Channel::kConsensus, bytes_of("ok"))));
  ASSERT_TRUE(eventually([&] { return t.node.inbox.size() == 1; }));
  core::Bytes frame = raw.seal(Channel::kConsensus, bytes_of("tampered"));
  frame[kFrameHeaderBytes + 3] ^= 0x01;
  ASSERT_TRUE(raw.write(frame));
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return t.node.manager->is_banned(pub(2)); }));
  EXPECT_EQ(t.node.inbox.size(), 1U);  // the tampered message never reached the upper layer
  EXPECT_TRUE(t.node.log.contains({"frame 2 failed authentication"})) << t.node.log.dump();
}

TEST(AdversarialPeer, UnknownChannelAndBadControlMessagesAreViolations) {
  Target t;
  {
    RawPeer raw(t.port());
    ASSERT_TRUE(raw.handshake(key_from(2)));
    ASSERT_TRUE(raw.write(raw.seal(static_cast<Channel>(77), bytes_of("?"))));
    EXPECT_TRUE(raw.closed_by_peer());
  }
  EXPECT_TRUE(eventually([&] { return t.node.log.contains({"unknown channel 77"}); }));
  EXPECT_EQ(t.node.inbox.size(), 0U);
}

TEST(AdversarialPeer, OversizedFrameClosesTheConnectionBeforeItsBodyArrives) {
  NetworkLimits l = test_limits();
  l.max_frame_payload_bytes = 64 * 1024;
  Target t(l);
  RawPeer raw(t.port());
  ASSERT_TRUE(raw.handshake(key_from(2)));
  // Announce 1 MiB; send only the header. The node must not wait for the body.
  const std::uint32_t length = (1U << 20) + kCiphertextOverheadBytes;
  const core::Bytes header = {
      static_cast<std::uint8_t>(length), static_cast<std::uint8_t>(length >> 8),
      static_cast<std::uint8_t>(length >> 16), static_cast<std::uint8_t>(length >> 24)};
  ASSERT_TRUE(raw.write(header));
  EXPECT_TRUE(raw.closed_by_peer(2s));
  EXPECT_TRUE(eventually([&] { return t.node.log.contains({"exceeds the maximum of 65536"}); }))
      << t.node.log.dump();
  EXPECT_TRUE(eventually([&] { return t.node.manager->is_banned(pub(2)); }));
}

TEST(AdversarialPeer, ForgedHandshakeSignatureIsRefusedWithoutBan) {
  Target t;
  RawPeer raw(t.port());
  // Both sides send their signature at once, so the client's half completes;
  // the node then finds the client's signature wrong and closes.
  (void)raw.handshake(key_from(2), kChain, std::nullopt, /*corrupt_signature=*/true);
  EXPECT_TRUE(raw.closed_by_peer());
  // The log line is written before the counter moves: wait for both.
  EXPECT_TRUE(eventually([&] {
    return t.node.log.contains({"handshake failed", "does not verify"}) &&
           t.node.manager->stats().handshakes_failed == 1;
  })) << t.node.log.dump();
  EXPECT_FALSE(t.node.manager->is_connected(pub(2)));
  // Anyone can claim a key; a failed proof must not get the real owner banned.
  EXPECT_FALSE(t.node.manager->is_banned(pub(2)));
  EXPECT_EQ(t.node.manager->stats().handshakes_failed, 1U);
}

TEST(AdversarialPeer, ClaimingAnAllowedKeyWithoutItsSecretFails) {
  // An impostor sends node 2's public key in its Hello but signs with its own key.
  Target t;
  RawPeer raw(t.port());
  SecretKey impostor = key_from(66);
  Handshake honest_shape(Role::kInitiator, kChain, 1 << 20, impostor);
  Hello forged = honest_shape.hello();
  forged.static_key = pub(2);
  // The RawPeer signs with the impostor's key over a transcript naming node 2.
  EXPECT_FALSE(raw.handshake(impostor, kChain, forged));
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_FALSE(t.node.manager->is_connected(pub(2)));
}

TEST(AdversarialPeer, OtherProtocolVersionIsRefusedWithAClearLogLine) {
  Target t;
  RawPeer raw(t.port());
  SecretKey k = key_from(2);
  Handshake h(Role::kInitiator, kChain, 1 << 20, k);
  Hello v2 = h.hello();
  v2.version = 2;
  EXPECT_FALSE(raw.handshake(k, kChain, v2));
  EXPECT_TRUE(eventually([&] {
    return t.node.log.contains(
        {"refused", "peer speaks protocol version 2, this node speaks version 1"});
  })) << t.node.log.dump();
}

TEST(AdversarialPeer, SilentClientTimesOutAndHandshakesAreLimited) {
  // The deadline is long enough that s1 and s2 still hold their slots when
  // s3 arrives, even on a loaded machine; s3 is closed long before it.
  NetworkLimits l = test_limits();
  l.handshake_timeout_ms = 4'000;
  l.max_pending_handshakes = 2;
  Target t(l);
  const auto opened = std::chrono::steady_clock::now();
  RawPeer s1(t.port());
  RawPeer s2(t.port());
  ASSERT_TRUE(eventually([&] { return t.node.manager->stats().pending_handshakes == 2; }));
  RawPeer s3(t.port());  // over the limit: closed at once
  EXPECT_TRUE(s3.closed_by_peer(3s));
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().refused_limit == 1; }));
  // The two silent ones are closed by the handshake deadline.
  EXPECT_TRUE(s1.closed_by_peer(15s));
  EXPECT_TRUE(s2.closed_by_peer(15s));
  EXPECT_GE(std::chrono::steady_clock::now() - opened, 4s);
  EXPECT_TRUE(eventually(
      [&] { return t.node.log.contains({"handshake did not complete within 4000 ms"}); }));
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().pending_handshakes == 0; }));
  RawPeer good(t.port());
  EXPECT_TRUE(good.handshake(key_from(2)));
}

TEST(AdversarialPeer, PeerThatStopsTalkingIsClosedByTheIdleDeadline) {
  NetworkLimits l = test_limits();
  l.ping_interval_ms = 50;
  l.idle_timeout_ms = 400;
  Target t(l);
  RawPeer raw(t.port());
  ASSERT_TRUE(raw.handshake(key_from(2)));
  ASSERT_TRUE(eventually([&] { return t.node.manager->is_connected(pub(2)); }));
  // The raw client never answers pings or sends anything.
  EXPECT_TRUE(raw.closed_by_peer(5s));
  EXPECT_TRUE(eventually([&] {
    return t.node.log.contains({"timeout", "nothing received for 400 ms"});
  })) << t.node.log.dump();
  EXPECT_FALSE(t.node.manager->is_banned(pub(2)));
}

TEST(AdversarialPeer, ANewConnectionFromThePeerReplacesItsStaleOne) {
  // A peer that lost its connection without a FIN (crash, NAT) dials again:
  // the new connection replaces the old one and the upper layer hears of it.
  Target t;
  RawPeer first(t.port());
  ASSERT_TRUE(first.handshake(key_from(2)));
  ASSERT_TRUE(eventually([&] { return t.node.manager->is_connected(pub(2)); }));
  RawPeer second(t.port());
  ASSERT_TRUE(second.handshake(key_from(2)));
  EXPECT_TRUE(first.closed_by_peer());
  ASSERT_TRUE(second.write(second.seal(Channel::kConsensus, bytes_of("new"))));
  ASSERT_TRUE(eventually([&] { return t.node.inbox.size() == 1; }));
  EXPECT_TRUE(t.node.manager->is_connected(pub(2)));
  EXPECT_TRUE(eventually([&] {
    return t.node.inbox.count_events(pub(2), PeerEventKind::kConnected) == 2 &&
           t.node.inbox.count_events(pub(2), PeerEventKind::kDisconnected) == 1;
  }));
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().connections == 1; }));
}

TEST(AdversarialPeer, RefusalFloodIsRateLimitedInTheLog) {
  // Strangers can make the node log a line per connection; the log itself is
  // bounded (here 5 lines a second).
  constexpr std::size_t kLinesPerSecond = 5;
  NetworkLimits l = test_limits();
  l.max_log_lines_per_second = kLinesPerSecond;
  Target t(l);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 60; ++i) {
    RawPeer raw(t.port());
    (void)raw.handshake(key_from(static_cast<std::uint8_t>(100 + (i % 50))));
  }
  EXPECT_TRUE(eventually([&] { return t.node.manager->stats().refused_not_allowed == 60; }));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // One more line once the window rolled over reports the suppressed ones.
  // (The last refusals may be logged a little after the counter moved.)
  bool reported = false;
  for (int i = 0; i < 20 && !reported; ++i) {
    std::this_thread::sleep_for(1100ms);
    RawPeer last(t.port());
    (void)last.write(bytes_of("junk"));
    reported = eventually([&] { return t.node.log.contains({"log lines suppressed"}); }, 1s);
  }
  EXPECT_TRUE(reported) << t.node.log.dump();
  const std::size_t refusals = t.node.log.count({"not in the allowed set"});
  // Windows of one second: at most floor(duration) + 1 of them saw refusals.
  EXPECT_LE(refusals, static_cast<std::size_t>(kLinesPerSecond * (seconds + 2)));
  if (seconds < 9.0) {
    EXPECT_LT(refusals, 60U);  // some were suppressed: 5 * (9 + 1 + 1) < 60
  }
}

}  // namespace
}  // namespace bauhinia::network::testing
