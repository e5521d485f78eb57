// GET /v1/stream over real sockets: the WebSocket stream of committed blocks
// and events, against a real ledger that keeps committing while the streams
// run. Resume after a killed connection (no gap, no duplicate), a slow
// consumer cut off with the reason while the node keeps committing, and bad
// upgrade requests refused with a clear error.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "api_test_support.hpp"
#include "api_ws_client.hpp"

namespace bauhinia::apitest {
namespace {

using namespace std::chrono_literals;

// The next sequence of `user`'s account in the committed state.
std::uint64_t next_sequence(TestNode& node, std::uint32_t user) {
  const node::LedgerVersionReader state(node.ledger(), node.ledger().latest_height());
  auto record = contracts::accounts::load_account(state, account_of(user));
  BAUHINIA_ASSERT_MSG(record.has_value(), "read account");
  return record->has_value() ? (*record)->next_sequence : 0;
}

// Commits `count` blocks, `delay` apart, each with a ping of user 1 and one of
// a user among 10..29 (account_created the first time, and ping events).
void commit_blocks(TestNode& node, std::uint32_t count, std::chrono::milliseconds delay = 0ms) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t other = 10 + (node.ledger().latest_height() % 20);
    node.commit({ping(1, next_sequence(node, 1), "again", node.expiry_ms()),
                 ping(other, next_sequence(node, other), "stream", node.expiry_ms())});
    if (delay > 0ms) std::this_thread::sleep_for(delay);
  }
}

// What a consumer keeps: the closing message of each height, and the events.
struct Seen {
  std::vector<std::uint64_t> heights;                           // closed, in order
  std::vector<std::pair<std::uint64_t, std::uint64_t>> events;  // (version, index)
  std::vector<json> event_messages;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> unclosed;  // events of an open height

  // Takes one message; a consumer counts a height as seen at its closing
  // message (block or checkpoint).
  void take(const json& m) {
    const std::string type = m.value("type", "");
    if (type == "event") {
      unclosed.emplace_back(m["version"].get<std::uint64_t>(),
                            m["event_index"].get<std::uint64_t>());
      event_messages.push_back(m);
    } else if (type == "block" || type == "checkpoint") {
      heights.push_back(m["height"].get<std::uint64_t>());
      events.insert(events.end(), unclosed.begin(), unclosed.end());
      unclosed.clear();
    }
  }
  // After a lost connection: the events of the height that did not close are
  // sent again on resume.
  void drop_unclosed() {
    event_messages.resize(event_messages.size() - unclosed.size());
    unclosed.clear();
  }
};

node::ApiServerConfig stream_config() {
  node::ApiServerConfig c = ApiFixture::test_config();
  c.stream.poll_interval_ms = 50;
  return c;
}

TEST(ApiStream, ResumesAfterAKilledConnectionWithoutGapOrDuplicate) {
  ApiFixture f(stream_config());
  TestNode& node = f.node();
  // The node commits 40 more blocks while the consumer reads, is killed and
  // comes back.
  std::thread committer([&] { commit_blocks(node, 40, 25ms); });
  const std::uint64_t final_height = TestNode::kBlocks + 40;

  Seen seen;
  {
    WsClient ws(f.port());
    ASSERT_TRUE(ws.open("/v1/stream?from=0&module=accounts")) << ws.refused_body();
    auto hello = ws.read_json();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)["type"], "subscribed");
    EXPECT_EQ((*hello)["from"], 0);
    EXPECT_EQ((*hello)["kinds"], json::array({"blocks", "events"}));
    // Read into the middle of a height (an event after the 10th block), then
    // kill the connection.
    while (true) {
      auto m = ws.read_json();
      ASSERT_TRUE(m) << "stream ended early";
      seen.take(*m);
      if (seen.heights.size() >= 10 && (*m)["type"] == "event") break;
    }
    ws.kill();
  }
  ASSERT_FALSE(seen.unclosed.empty());
  seen.drop_unclosed();
  {
    WsClient ws(f.port());
    const std::uint64_t from = seen.heights.back() + 1;
    ASSERT_TRUE(ws.open("/v1/stream?from=" + std::to_string(from) + "&module=accounts"));
    auto hello = ws.read_json();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)["from"], from);
    while (seen.heights.back() < final_height) {
      auto m = ws.read_json();
      ASSERT_TRUE(m) << "stream ended at height " << seen.heights.back();
      seen.take(*m);
    }
  }
  committer.join();

  // Every height exactly once, in order.
  ASSERT_EQ(seen.heights.size(), final_height + 1);
  for (std::uint64_t h = 0; h <= final_height; ++h) EXPECT_EQ(seen.heights[h], h);
  // Exactly the events execution emitted, in order, each once, with content.
  const auto& expected = node.events();
  ASSERT_EQ(seen.event_messages.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const json& m = seen.event_messages[i];
    EXPECT_EQ(m["height"], expected[i].height);
    EXPECT_EQ(m["version"], expected[i].version);
    EXPECT_EQ(m["event_index"], expected[i].index);
    EXPECT_EQ(m["transaction_id"], expected[i].transaction_id.to_hex());
    EXPECT_EQ(m["module"], expected[i].event.module);
    EXPECT_EQ(m["kind"], expected[i].event.kind);
    EXPECT_EQ(m["record_key_hex"], core::to_hex(expected[i].event.record_key));
    EXPECT_EQ(m["data_hex"], core::to_hex(expected[i].event.data));
  }
}

TEST(ApiStream, BlockMessagesAreTheBlocksOfTheApi) {
  ApiFixture f(stream_config());
  WsClient ws(f.port());
  ASSERT_TRUE(ws.open("/v1/stream?from=1"));
  ASSERT_TRUE(ws.read_json());  // subscribed
  for (std::uint64_t h = 1; h <= TestNode::kBlocks; ++h) {
    auto m = ws.read_json();
    ASSERT_TRUE(m);
    EXPECT_EQ((*m)["type"], "block");
    json block = f.get_json("/v1/blocks/" + std::to_string(h));
    block["type"] = "block";
    EXPECT_EQ(*m, block) << "height " << h;
  }
  // Live: a new block arrives without reconnecting.
  commit_blocks(f.node(), 1);
  auto m = ws.read_json();
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["height"], TestNode::kBlocks + 1);
  EXPECT_EQ((*m)["block_id"], f.node().ledger().latest_header().id().to_hex());
}

TEST(ApiStream, RecordFilterAndCheckpoints) {
  ApiFixture f(stream_config());
  const std::string user1 = core::to_hex(contracts::accounts::account_record_key(account_of(1)));
  WsClient ws(f.port());
  ASSERT_TRUE(ws.open("/v1/stream?from=0&kinds=events&module=accounts&record=" + user1));
  ASSERT_TRUE(ws.read_json());
  Seen seen;
  while (seen.heights.size() < TestNode::kBlocks + 1) {
    auto m = ws.read_json();
    ASSERT_TRUE(m);
    EXPECT_NE((*m)["type"], "block");  // blocks were not asked for
    if ((*m)["type"] == "checkpoint") {
      const std::uint64_t h = (*m)["height"];
      EXPECT_EQ((*m)["block_id"], f.node().ledger().header(h)->id().to_hex());
    }
    seen.take(*m);
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> expected;
  for (const auto& e : f.node().events()) {
    if (core::to_hex(e.event.record_key) == user1) expected.emplace_back(e.version, e.index);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(seen.events, expected);
}

TEST(ApiStream, SlowConsumerIsCutOffWithTheReasonWhileTheNodeCommits) {
  node::ApiServerConfig c = stream_config();
  c.stream.max_queue_messages = 4;
  c.stream.max_queue_bytes = 64 * 1024;
  c.stream.max_queue_wait_ms = 400;
  c.stream.socket_send_buffer_bytes = 4096;
  c.stream.handshake_timeout_ms = 5'000;
  ApiFixture f(c);
  commit_blocks(f.node(), 80);  // enough history to fill every buffer on the way

  WsClient slow(f.port(), {"127.0.0.1", 4096});
  ASSERT_TRUE(slow.open("/v1/stream?from=0"));
  // A fast consumer alongside, reading everything.
  std::atomic<std::uint64_t> fast_reached{0};
  std::thread fast([&] {
    WsClient ws(f.port());
    if (!ws.open("/v1/stream?from=0")) return;
    while (auto m = ws.read_json(10s)) {
      if ((*m)["type"] == "block") fast_reached = (*m)["height"].get<std::uint64_t>();
      if (fast_reached == TestNode::kBlocks + 100) return;
    }
  });
  // The slow one reads nothing while the node commits 20 more blocks; what
  // the node holds for the streams stays within the queue limit (4 messages,
  // 64 KiB) for each of the two.
  const auto queued = [&] {
    const std::string m = f.get("/metrics")->body;
    const std::string name = "\nbauhinia_api_streams_queued_bytes ";  // the sample line
    const auto at = m.find(name);
    return at == std::string::npos ? -1.0 : std::stod(m.substr(at + name.size()));
  };
  double most = 0;
  for (int i = 0; i < 20; ++i) {
    commit_blocks(f.node(), 1);
    most = std::max(most, queued());
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(most, 0.0);
  EXPECT_LE(most, 2.0 * 64 * 1024);
  std::this_thread::sleep_for(1500ms);
  // The slow one is cut off: its queue is dropped but for the message being
  // written (the close frame follows it); the fast one took everything.
  EXPECT_LE(queued(), 16.0 * 1024);
  fast.join();
  EXPECT_EQ(fast_reached.load(), TestNode::kBlocks + 100);
  EXPECT_EQ(f.node().ledger().latest_height(), TestNode::kBlocks + 100);

  // It then finds a prefix of the stream and the close frame saying why.
  Seen seen;
  while (auto m = slow.read_json(5s)) seen.take(*m);
  ASSERT_TRUE(slow.closed());
  ASSERT_TRUE(slow.closed_cleanly());
  EXPECT_EQ(slow.close_code(), 1008u);
  const std::string reason = slow.close_reason();
  EXPECT_NE(reason.find("slow consumer"), std::string::npos) << reason;
  ASSERT_FALSE(seen.heights.empty());
  for (std::size_t i = 0; i < seen.heights.size(); ++i) EXPECT_EQ(seen.heights[i], i);
  EXPECT_LT(seen.heights.back(), TestNode::kBlocks + 100);
  // The reason names where to resume: right after the last height delivered.
  const std::string hint = "from=" + std::to_string(seen.heights.back() + 1);
  EXPECT_NE(reason.find(hint), std::string::npos) << reason;
  EXPECT_NE(f.get("/metrics")->body.find("bauhinia_api_streams_cut_off_total 1"),
            std::string::npos);

  // Resuming there gives the rest, once.
  WsClient again(f.port());
  ASSERT_TRUE(again.open("/v1/stream?" + hint));
  ASSERT_TRUE(again.read_json());
  while (seen.heights.back() < TestNode::kBlocks + 100) {
    auto m = again.read_json();
    ASSERT_TRUE(m);
    seen.take(*m);
  }
  for (std::size_t i = 0; i < seen.heights.size(); ++i) EXPECT_EQ(seen.heights[i], i);
}

TEST(ApiStream, BadUpgradeRequestsAreRefusedWithAClearError) {
  node::ApiServerConfig c = stream_config();
  c.stream.max_subscribers = 3;
  c.stream.max_subscribers_per_address = 2;
  ApiFixture f(c);
  const auto refused = [&](const std::string& target) {
    WsClient ws(f.port());
    EXPECT_FALSE(ws.open(target)) << target;
    return std::make_pair(ws.refused_status(), ws.refused_code());
  };
  using P = std::pair<unsigned, std::string>;
  EXPECT_EQ(refused("/v1/stream?from=abc"), P(400, "bad_encoding"));
  EXPECT_EQ(refused("/v1/stream?from=-1"), P(400, "bad_encoding"));
  EXPECT_EQ(refused("/v1/stream?from=" + std::to_string(TestNode::kBlocks + 2)),
            P(404, "unknown_block"));
  EXPECT_EQ(refused("/v1/stream?module=nosuch"), P(404, "unknown_module"));
  EXPECT_EQ(refused("/v1/stream?record=00"), P(400, "invalid"));
  EXPECT_EQ(refused("/v1/stream?module=accounts&record=0g"), P(400, "bad_hex"));
  EXPECT_EQ(refused("/v1/stream?kinds=blocks,trades"), P(400, "invalid"));
  EXPECT_EQ(refused("/v1/stream?kinds=events"), P(400, "missing_parameter"));
  EXPECT_EQ(refused("/v1/stream?colour=red"), P(400, "unknown_parameter"));
  std::string many = "01";
  for (int i = 2; i <= 16; ++i) many += ",0" + std::to_string(i % 10);
  EXPECT_EQ(refused("/v1/stream?module=accounts&record=" + many), P(400, "too_many_filters"));
  // Without the upgrade: the parameters are checked, then 426.
  auto plain = f.get("/v1/stream?from=0");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 426u);
  EXPECT_EQ(plain->error_code(), "upgrade_required");
  EXPECT_EQ(f.get("/v1/stream?from=x")->status, 400u);

  // Subscriber limits: two per address, three in all.
  WsClient a(f.port()), b(f.port());
  ASSERT_TRUE(a.open("/v1/stream"));
  ASSERT_TRUE(b.open("/v1/stream"));
  EXPECT_EQ(refused("/v1/stream"), P(429, "too_many_subscribers"));
  WsClient other(f.port(), {"127.0.0.2", 0});
  ASSERT_TRUE(other.open("/v1/stream"));
  WsClient third(f.port(), {"127.0.0.3", 0});
  EXPECT_FALSE(third.open("/v1/stream"));
  EXPECT_EQ(P(third.refused_status(), third.refused_code()), P(503, "too_many_subscribers"));
  EXPECT_EQ(f.server().open_streams(), 3u);
  // A client that leaves frees its slot.
  b.kill();
  for (int i = 0; i < 100 && f.server().open_streams() > 2; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  WsClient c2(f.port());
  EXPECT_TRUE(c2.open("/v1/stream"));

  // The stream takes no messages: one gets a close with the reason.
  ASSERT_TRUE(a.read_json());  // subscribed
  ASSERT_TRUE(a.send("hello"));
  while (a.read(5s)) {
  }
  EXPECT_TRUE(a.closed_cleanly());
  EXPECT_EQ(a.close_code(), 1008u);
  EXPECT_NE(a.close_reason().find("takes no messages"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::apitest
