// The delivery queue's two lanes, through real PeerManagers on 127.0.0.1:
// consensus messages overtake queued transaction gossip, and gossip beyond its
// lane's bound is dropped instead of pausing the connection (which would hold
// the peer's consensus messages back too).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "bauhinia/network/peer_manager.hpp"
#include "test_support.hpp"

namespace bauhinia::network::testing {
namespace {

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
    if (order.size() == 1) {  // hold the delivery thread on the first message
      holding = true;
      cv.notify_all();
      cv.wait(lock, [&] { return open; });
    }
  };
  PeerManager receiver(rc, key_from(2));
  ASSERT_TRUE(receiver.start().is_ok());
  TestNode sender(1, {pub(2)}, {PeerAddress{pub(2), "127.0.0.1", receiver.listen_port()}}, l);
  ASSERT_TRUE(eventually([&] { return sender.manager->is_connected(pub(2)); }));

  ASSERT_EQ(sender.manager->send(pub(2), Channel::kMempool, bytes_of("gossip 0")),
            SendResult::kQueued);
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return holding; }));
  }
  // 40 more gossip frames while the upper layer is busy: 16 fit in the lane,
  // the rest are dropped, and the connection keeps reading.
  for (int i = 1; i <= 40; ++i) {
    ASSERT_EQ(
        sender.manager->send(pub(2), Channel::kMempool, bytes_of("gossip " + std::to_string(i))),
        SendResult::kQueued);
  }
  ASSERT_EQ(sender.manager->send(pub(2), Channel::kConsensus, bytes_of("vote")),
            SendResult::kQueued);
  // The vote arrives behind 40 gossip frames on the same connection: it gets
  // in only because excess gossip was dropped rather than pausing the reads.
  ASSERT_TRUE(eventually([&] { return receiver.stats().inbound_queue_messages == 17; }))
      << "queued: " << receiver.stats().inbound_queue_messages << "\n"
      << receiver_log.dump();
  const auto p = receiver.peer_stats(pub(1));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->reading_paused);
  EXPECT_TRUE(receiver_log.contains({"transaction gossip dropped"})) << receiver_log.dump();

  {
    const std::lock_guard lock(m);
    open = true;
  }
  cv.notify_all();
  ASSERT_TRUE(eventually([&] {
    const std::lock_guard lock(m);
    return order.size() == 18;
  }));
  receiver.stop();
  const std::lock_guard lock(m);
  EXPECT_EQ(order[0], Channel::kMempool);
  EXPECT_EQ(order[1], Channel::kConsensus);  // overtook the 16 queued gossip frames
  for (std::size_t i = 2; i < order.size(); ++i) EXPECT_EQ(order[i], Channel::kMempool);
}

}  // namespace
}  // namespace bauhinia::network::testing
