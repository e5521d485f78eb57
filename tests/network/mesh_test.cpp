// Several peers at once: a full mesh where everyone broadcasts, and
// backpressure from a slow reader.

#include <atomic>
#include <map>

#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

// Run with one and with two I/O threads per node (strands must keep each
// connection's handlers serialised either way).
class Mesh : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Mesh, FourPeersInAFullMeshAllReceiveEveryBroadcastInOrder) {
  constexpr int kNodes = 4;
  constexpr int kMessages = 25;
  std::vector<PublicKey> keys;
  for (int i = 1; i <= kNodes; ++i) keys.push_back(pub(static_cast<std::uint8_t>(i)));
  std::vector<std::unique_ptr<TestNode>> nodes;
  for (int i = 1; i <= kNodes; ++i) {
    nodes.push_back(std::make_unique<TestNode>(static_cast<std::uint8_t>(i), keys,
                                               std::vector<PeerAddress>{}, test_limits(), 0, kChain,
                                               GetParam()));
  }
  // Everyone dials everyone: every pair dials twice and keeps one connection.
  std::vector<PeerAddress> all;
  for (const auto& n : nodes) all.push_back(n->address());
  for (const auto& n : nodes) n->manager->set_peers(all);  // its own entry is ignored
  ASSERT_TRUE(eventually([&] {
    for (const auto& n : nodes) {
      if (n->manager->connected_peers().size() != kNodes - 1) return false;
      if (n->manager->stats().connections != kNodes - 1) return false;
    }
    return true;
  })) << nodes[0]->log.dump();

  for (int m = 0; m < kMessages; ++m) {
    for (int i = 0; i < kNodes; ++i) {
      const std::string text = "n" + std::to_string(i) + " m" + std::to_string(m);
      const Channel ch = m % 2 == 0 ? Channel::kConsensus : Channel::kMempool;
      EXPECT_EQ(nodes[i]->manager->broadcast(ch, bytes_of(text)), std::size_t{kNodes - 1});
    }
  }
  const std::size_t expected = static_cast<std::size_t>(kMessages * (kNodes - 1));
  ASSERT_TRUE(eventually([&] {
    for (const auto& n : nodes) {
      if (n->inbox.size() != expected) return false;
    }
    return true;
  }));
  for (int i = 0; i < kNodes; ++i) {
    // From each sender, each channel's messages arrive in the order sent.
    std::map<std::pair<PublicKey, Channel>, int> next;
    for (const auto& msg : nodes[i]->inbox.messages()) {
      EXPECT_NE(msg.peer, keys[i]);
      int sender = -1;
      for (int j = 0; j < kNodes; ++j) sender = keys[j] == msg.peer ? j : sender;
      ASSERT_GE(sender, 0);
      int& n = next[{msg.peer, msg.channel}];
      const int m = msg.channel == Channel::kConsensus ? 2 * n : 2 * n + 1;
      EXPECT_EQ(msg.payload, bytes_of("n" + std::to_string(sender) + " m" + std::to_string(m)));
      ++n;
    }
  }
  // No stray connections were left behind by the double dials. Counted, not
  // slept on: every completed handshake was either a peer's one connection or
  // a duplicate closed by the tie-break, none is still in progress, and each
  // node holds exactly one connection per peer.
  const auto settled = [&](const TestNode& n) {
    const NetworkStats s = n.manager->stats();
    return s.connections == std::size_t{kNodes - 1} && s.established == std::size_t{kNodes - 1} &&
           s.pending_handshakes == 0 &&
           s.handshakes_completed == s.duplicates_closed + std::size_t{kNodes - 1};
  };
  EXPECT_TRUE(eventually(
      [&] {
        for (const auto& n : nodes) {
          if (!settled(*n)) return false;
        }
        return true;
      },
      30s));
  for (const auto& n : nodes) {
    const NetworkStats s = n->manager->stats();
    EXPECT_EQ(s.connections, std::size_t{kNodes - 1});
    EXPECT_EQ(s.handshakes_completed, s.duplicates_closed + std::size_t{kNodes - 1})
        << "a handshake neither kept nor closed as a duplicate";
  }
}

INSTANTIATE_TEST_SUITE_P(IoThreads, Mesh, ::testing::Values(1, 2));

TEST(Backpressure, SlowReaderPushesBackInsteadOfGrowingMemory) {
  // The receiver's upper layer takes 5 ms per message; the sender floods bulk
  // sync messages far faster. Every queue on the way must stay within its
  // bound: the receiver's inbound queue (then TCP), the sender's send queue
  // (then sends are refused). Consensus messages still get through.
  constexpr std::size_t kPayload = 16 * 1024;
  NetworkLimits l = test_limits();
  l.max_frame_payload_bytes = 64 * 1024;
  l.low_queue_messages = 64;
  l.low_queue_bytes = 256 * 1024;
  l.high_queue_bytes = 4 * 1024;  // pings, pongs and the one vote below
  l.inbound_queue_messages = 32;
  l.inbound_queue_bytes = 128 * 1024;

  std::atomic<bool> slow{true};
  std::atomic<std::size_t> sync_received{0};
  std::atomic<std::size_t> consensus_received{0};
  std::atomic<std::size_t> sync_at_first_consensus{0};
  LogCapture receiver_log;
  NetworkConfig rc;
  rc.chain_id = kChain;
  rc.allowed_keys = {pub(1)};
  rc.limits = l;
  rc.log = receiver_log.sink();
  rc.on_message = [&](InboundMessage m) {
    if (m.channel == Channel::kConsensus) {
      if (consensus_received.fetch_add(1) == 0) sync_at_first_consensus = sync_received.load();
    } else {
      ++sync_received;
    }
    if (slow) std::this_thread::sleep_for(5ms);
  };
  PeerManager receiver(rc, key_from(2));
  ASSERT_TRUE(receiver.start().is_ok());

  TestNode sender(1, {pub(2)}, {PeerAddress{pub(2), "127.0.0.1", receiver.listen_port()}}, l);
  ASSERT_TRUE(eventually([&] { return sender.manager->is_connected(pub(2)); }));

  std::size_t queued = 0;
  std::size_t refused = 0;
  const auto deadline = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < deadline) {
    const SendResult r = sender.manager->send(pub(2), Channel::kSync, core::Bytes(kPayload, 0x5A));
    if (r == SendResult::kQueued) ++queued;
    if (r == SendResult::kQueueFull) ++refused;
    ASSERT_TRUE(r == SendResult::kQueued || r == SendResult::kQueueFull) << send_result_name(r);
    if (r == SendResult::kQueueFull) std::this_thread::sleep_for(1ms);
  }
  EXPECT_GT(refused, 0U) << "the sender never felt backpressure";
  const auto s = sender.manager->peer_stats(pub(2));
  ASSERT_TRUE(s);
  EXPECT_LE(s->peak_queued_bytes, l.low_queue_bytes + l.high_queue_bytes);
  EXPECT_LE(s->queued_low_messages, l.low_queue_messages);
  EXPECT_EQ(s->dropped_queue_full, refused);
  const NetworkStats rs = receiver.stats();
  EXPECT_LE(rs.peak_inbound_queue_bytes, l.inbound_queue_bytes);
  EXPECT_LE(rs.inbound_queue_messages, l.inbound_queue_messages);
  EXPECT_TRUE(eventually([&] {
    auto p = receiver.peer_stats(pub(1));
    return p && p->reading_paused;
  })) << "the receiver never paused its socket";

  // High priority overtakes the queued bulk traffic at the sender: fill the
  // low queue to the brim, then send a vote right away.
  while (sender.manager->send(pub(2), Channel::kSync, core::Bytes(kPayload, 0x5A)) ==
         SendResult::kQueued) {
    ++queued;
  }
  ASSERT_EQ(sender.manager->send(pub(2), Channel::kConsensus, bytes_of("vote")),
            SendResult::kQueued);
  ASSERT_TRUE(eventually([&] { return consensus_received.load() == 1; }, 20s));
  EXPECT_LT(sync_at_first_consensus.load(), queued)
      << "the consensus message waited for the whole sync backlog";

  // Once the reader speeds up, everything queued arrives and the link is healthy.
  slow = false;
  ASSERT_TRUE(eventually([&] { return sync_received.load() == queued; }, 20s))
      << sync_received.load() << " of " << queued;
  EXPECT_TRUE(sender.manager->is_connected(pub(2)));
  EXPECT_EQ(sender.manager->send(pub(2), Channel::kSync, core::Bytes(kPayload)),
            SendResult::kQueued);
  EXPECT_TRUE(eventually([&] { return sync_received.load() == queued + 1; }));
  receiver.stop();
}

}  // namespace
}  // namespace bauhinia::network::testing
