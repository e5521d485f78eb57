// The delivery queue's two lanes, through real PeerManagers on 127.0.0.1:
// consensus messages overtake queued transaction gossip, and gossip beyond its
// lane's bound is dropped instead of pausing the connection (which would hold
// the peer's consensus messages back too).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "bauhinia/network/peer_manager.hpp"
#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

constexpr auto kPatience = 60s;

TEST(DeliveryLanes, ConsensusOvertakesQueuedGossipAndExcessGossipIsDropped) {
  NetworkLimits l = test_limits();
  l.inbound_queue_messages = 16;  // per lane

  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  bool holding = false;
  std::vector<Channel> order;  // guarded by m
  LogCapture receiver_log;
  NetworkConfig rc;
  rc.chain_id = kChain;
  rc.allowed_keys = {pub(1)};
  rc.limits = l;
  rc.log = receiver_log.sink();
  rc.on_message = [&](InboundMessage msg) {
    std::unique_lock lock(m);
    order.push_back(msg.channel);
    const bool first = order.size() == 1;
    if (first) holding = true;
    // The test waits for holding and for the count.
    cv.notify_all();
    // Hold the delivery thread on the first message.
    if (first) cv.wait(lock, [&] { return open; });
  };
  PeerManager receiver(rc, key_from(2));
  // Destroyed before the receiver: a failed assertion releases the held
  // delivery thread, so that the receiver's destructor can join it.
  const std::shared_ptr<void> release(nullptr, [&](void*) {
    const std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  });
  ASSERT_TRUE(receiver.start().is_ok());
  TestNode sender(1, {pub(2)}, {PeerAddress{pub(2), "127.0.0.1", receiver.listen_port()}}, l);
  ASSERT_TRUE(eventually([&] { return sender.manager->is_connected(pub(2)); }, kPatience));

  ASSERT_EQ(sender.manager->send(pub(2), Channel::kMempool, bytes_of("gossip 0")),
            SendResult::kQueued);
  // Every wait below is on a condition and returns as soon as it holds; the
  // deadlines are generous because this test also runs under ThreadSanitizer
  // on a loaded machine (docs/security.md, "Thread safety").
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, kPatience, [&] { return holding; }));
  }
  // 40 more gossip frames while the upper layer is busy: 16 fit in the lane,
  // the other 24 are dropped, and the connection keeps reading. Wait until the
  // receiver has read all 40 before sending the vote: the sender's send queue
  // writes consensus frames ahead of queued gossip, so a vote sent now could
  // overtake gossip on the wire, and gossip read after the lane drained
  // would then be delivered too.
  for (int i = 1; i <= 40; ++i) {
    ASSERT_EQ(
        sender.manager->send(pub(2), Channel::kMempool, bytes_of("gossip " + std::to_string(i))),
        SendResult::kQueued);
  }
  ASSERT_TRUE(eventually(
      [&] {
        const NetworkStats s = receiver.stats();
        return s.inbound_queue_messages == 16 && s.gossip_dropped == 24;
      },
      kPatience))
      << "queued: " << receiver.stats().inbound_queue_messages
      << ", dropped: " << receiver.stats().gossip_dropped << "\n"
      << receiver_log.dump();
  ASSERT_EQ(sender.manager->send(pub(2), Channel::kConsensus, bytes_of("vote")),
            SendResult::kQueued);
  // The vote arrives behind 40 gossip frames on the same connection: it gets
  // in only because excess gossip was dropped rather than pausing the reads.
  ASSERT_TRUE(eventually([&] { return receiver.stats().inbound_queue_messages == 17; }, kPatience))
      << "queued: " << receiver.stats().inbound_queue_messages << "\n"
      << receiver_log.dump();
  const auto p = receiver.peer_stats(pub(1));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->reading_paused);
  EXPECT_TRUE(receiver_log.contains({"transaction gossip dropped"})) << receiver_log.dump();

  {
    std::unique_lock lock(m);
    open = true;
    cv.notify_all();
    // Woken by on_message after each delivery.
    ASSERT_TRUE(cv.wait_for(lock, kPatience, [&] { return order.size() >= 18; }))
        << "delivered: " << order.size();
  }
  receiver.stop();
  const std::lock_guard lock(m);
  ASSERT_EQ(order.size(), 18U);  // the first, the vote and the 16 queued; nothing more
  EXPECT_EQ(order[0], Channel::kMempool);
  EXPECT_EQ(order[1], Channel::kConsensus);  // overtook the 16 queued gossip frames
  for (std::size_t i = 2; i < order.size(); ++i) EXPECT_EQ(order[i], Channel::kMempool);
}

}  // namespace
}  // namespace bauhinia::network::testing
