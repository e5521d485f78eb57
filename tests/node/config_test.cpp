#include "bauhinia/node/config.hpp"
#include "bauhinia/node/api_server.hpp"

#include <gtest/gtest.h>

namespace bauhinia::node {
namespace {

const char* kGood = R"(
[node]
name = "IPD"
role = "validator"
data_dir = "data"
key_file = "node_key"
genesis_file = "../genesis.json"

[network]
listen = "127.0.0.1:26601"
peers = ["3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c@127.0.0.1:26602"]

[api]
listen = "127.0.0.1:8601"

[consensus]
round_timeout_ms = 1000

[log]
level = "debug"
)";

core::Checked<NodeConfig> parse(const std::string& text) {
  return parse_config(text, "/srv/ipd");
}

std::string error_of(const std::string& text) {
  auto c = parse(text);
  EXPECT_FALSE(c) << text;
  return c ? std::string{} : c.error().detail;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(Config, ParsesAndAnchorsPaths) {
  auto c = parse(kGood);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->name, "IPD");
  EXPECT_EQ(c->role, Role::kValidator);
  EXPECT_EQ(c->data_dir, "/srv/ipd/data");
  EXPECT_EQ(c->genesis_file, "/srv/ipd/../genesis.json");
  EXPECT_EQ(c->p2p_listen.port, 26601);
  ASSERT_EQ(c->peers.size(), 1U);
  EXPECT_EQ(c->peers[0].endpoint.to_string(), "127.0.0.1:26602");
  EXPECT_EQ(c->round_timeout_ms, 1000U);
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->mempool_max_per_account, 64U);  // default
}

TEST(Config, FormatThenParseIsIdentity) {
  auto c = parse(kGood);
  ASSERT_TRUE(c);
  auto again = parse_config(format_config(*c), "/srv/ipd");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(format_config(*again), format_config(*c));
}

TEST(Config, ErrorsNameTheField) {
  EXPECT_NE(error_of("not toml ===").find("not valid TOML"), std::string::npos);
  EXPECT_EQ(error_of(replace(kGood, "[node]", "[nodes]")).rfind("nodes is not a known section", 0),
            0U);
  EXPECT_NE(error_of(replace(kGood, "role = \"validator\"", "role = \"leader\"")).find("node.role"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "name = \"IPD\"\n", "")).find("node.name is required"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "127.0.0.1:26601", "localhost:26601")).find("network.listen"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "127.0.0.1:8601", "127.0.0.1:70000")).find("api.listen"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "round_timeout_ms = 1000", "round_timeout_ms = 1"))
                .find("consensus.round_timeout_ms must be between"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "round_timeout_ms = 1000", "round_timeout_ms = \"1s\""))
                .find("consensus.round_timeout_ms must be an integer"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "round_timeout_ms = 1000", "round_timout_ms = 1000"))
                .find("consensus.round_timout_ms is not a known field"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "3d4017", "zz4017")).find("network.peers[0]"),
            std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "level = \"debug\"", "level = \"loud\"")).find("log.level"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(2U << 20, '#')).find("larger than 1 MiB"), std::string::npos);
}

TEST(Config, HotPathFieldsHaveDefaultsAndBounds) {
  auto d = parse(kGood);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->proposal_delay_ms, 20U);
  EXPECT_EQ(d->gossip_interval_ms, 10U);
  EXPECT_EQ(d->gossip_max_transactions, 500U);
  EXPECT_EQ(d->gossip_queue_transactions, 50000U);

  const std::string tuned =
      replace(kGood, "round_timeout_ms = 1000", "round_timeout_ms = 1000\nproposal_delay_ms = 0") +
      "\n[mempool]\ngossip_interval_ms = 25\ngossip_max_transactions = 1000\n"
      "gossip_queue_transactions = 4000\n";
  auto c = parse(tuned);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->proposal_delay_ms, 0U);
  EXPECT_EQ(c->gossip_interval_ms, 25U);
  EXPECT_EQ(c->gossip_max_transactions, 1000U);
  EXPECT_EQ(c->gossip_queue_transactions, 4000U);
  auto again = parse_config(format_config(*c), "/srv/ipd");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->proposal_delay_ms, 0U);
  EXPECT_EQ(again->gossip_queue_transactions, 4000U);

  EXPECT_NE(error_of(replace(tuned, "proposal_delay_ms = 0", "proposal_delay_ms = 5000"))
                .find("consensus.proposal_delay_ms must be between 0 and 1000"),
            std::string::npos);
  EXPECT_NE(error_of(replace(tuned, "gossip_interval_ms = 25", "gossip_interval_ms = 0"))
                .find("mempool.gossip_interval_ms must be between 1 and 1000"),
            std::string::npos);
  EXPECT_NE(
      error_of(replace(tuned, "gossip_max_transactions = 1000", "gossip_max_transactions = 20000"))
          .find("mempool.gossip_max_transactions must be between"),
      std::string::npos);
  EXPECT_NE(error_of(replace(tuned, "gossip_queue_transactions = 4000",
                             "gossip_queue_transactions = 999"))
                .find("mempool.gossip_queue_transactions must be at least gossip_max_transactions"),
            std::string::npos);
}

// A config that could make a block the node cannot encode, send or sync is
// refused at start; the error names the key and the limit (issue 9, item 2).
TEST(Config, BlockAndFrameSizesAgreeWithTheWireLimits) {
  auto with = [](const std::string& consensus, const std::string& network) {
    std::string text = replace(kGood, "round_timeout_ms = 1000", consensus);
    return replace(text, "[api]", network + "\n\n[api]");
  };
  // The largest accepted values, with the smallest frame that holds a block.
  auto edge = parse(with("max_block_transactions = 20000\nmax_block_bytes = 8388608",
                         "max_frame_bytes = 8454144"));
  ASSERT_TRUE(edge) << edge.error().to_string();
  EXPECT_EQ(edge->max_block_transactions, 20000U);
  EXPECT_EQ(edge->max_block_bytes, 8388608U);
  EXPECT_EQ(edge->max_frame_bytes, 8454144U);
  auto small = parse(with("max_block_bytes = 1024", "max_frame_bytes = 67108864"));
  ASSERT_TRUE(small) << small.error().to_string();

  // One past each: refused, naming the key, the range and the limit behind it.
  const std::string txs =
      error_of(with("max_block_transactions = 20001", "max_frame_bytes = 8454144"));
  EXPECT_NE(txs.find("consensus.max_block_transactions must be between 1 and 20000, got 20001"),
            std::string::npos)
      << txs;
  EXPECT_NE(txs.find("wire"), std::string::npos) << txs;
  const std::string bytes =
      error_of(with("max_block_bytes = 8388609", "max_frame_bytes = 8454144"));
  EXPECT_NE(bytes.find("consensus.max_block_bytes must be between 1024 and 8388608, got 8388609"),
            std::string::npos)
      << bytes;
  EXPECT_NE(bytes.find("kMaxPayloadBytes"), std::string::npos) << bytes;
  EXPECT_NE(error_of(with("max_block_bytes = 67108864", "max_frame_bytes = 67108864"))
                .find("consensus.max_block_bytes must be between 1024 and 8388608"),
            std::string::npos);
  EXPECT_NE(error_of(with("max_block_transactions = 100000", "max_frame_bytes = 67108864"))
                .find("consensus.max_block_transactions must be between 1 and 20000"),
            std::string::npos);
  // A frame too small for the largest block of the consortium's settings.
  const std::string frame =
      error_of(with("max_block_bytes = 8388608", "max_frame_bytes = 8454143"));
  EXPECT_NE(frame.find("network.max_frame_bytes must hold the largest message carrying one "
                       "block: consensus.max_block_bytes (8388608) plus 65536 bytes of header "
                       "and certificates = 8454144, got 8454143"),
            std::string::npos)
      << frame;
  // Smaller blocks allow a smaller frame, down to the gossip floor.
  auto small_frame = parse(with("max_block_bytes = 12000", "max_frame_bytes = 393216"));
  ASSERT_TRUE(small_frame) << small_frame.error().to_string();
  EXPECT_NE(error_of(with("max_block_bytes = 400000", "max_frame_bytes = 393216"))
                .find("network.max_frame_bytes must hold the largest message carrying one block"),
            std::string::npos);
  const std::string floor = error_of(with("max_block_bytes = 1024", "max_frame_bytes = 393215"));
  EXPECT_NE(floor.find("network.max_frame_bytes must be between 393216 and 67108864, got 393215"),
            std::string::npos)
      << floor;
  EXPECT_NE(floor.find("gossip batch"), std::string::npos) << floor;
}

TEST(Config, ApiAdmissionBudgetHasDefaultsAndBounds) {
  auto d = parse(kGood);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->api_admission_rate, 5000U);
  EXPECT_EQ(d->api_admission_burst, 1000U);
  EXPECT_EQ(d->api_max_backlog, 10000U);

  const std::string tuned = replace(kGood, "listen = \"127.0.0.1:8601\"",
                                    "listen = \"127.0.0.1:8601\"\nadmission_rate = 0\n"
                                    "admission_burst = 7\nmax_backlog = 300");
  auto c = parse(tuned);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->api_admission_rate, 0U);
  EXPECT_EQ(c->api_admission_burst, 7U);
  EXPECT_EQ(c->api_max_backlog, 300U);
  auto again = parse_config(format_config(*c), "/srv/ipd");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->api_admission_burst, 7U);
  EXPECT_EQ(again->api_max_backlog, 300U);

  EXPECT_NE(error_of(replace(tuned, "admission_burst = 7", "admission_burst = 0"))
                .find("api.admission_burst must be between 1 and 1000000"),
            std::string::npos);
  EXPECT_NE(error_of(replace(tuned, "admission_rate = 0", "admission_rate = 2000000"))
                .find("api.admission_rate must be between 0 and 1000000"),
            std::string::npos);
  EXPECT_NE(error_of(replace(tuned, "max_backlog = 300", "max_backlog = -1")).find("max_backlog"),
            std::string::npos);
}

TEST(Config, StatePruningIsOffByDefaultAndBounded) {
  auto d = parse(kGood);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state_prune_window, 0U);  // archive
  EXPECT_EQ(d->state_prune_slice_nodes, 2000U);
  EXPECT_EQ(format_config(*d).find("[ledger]"), std::string::npos);

  const std::string pruning =
      std::string(kGood) + "\n[ledger]\nstate_prune_window = 100\nstate_prune_slice_nodes = 5\n";
  auto c = parse(pruning);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->state_prune_window, 100U);
  EXPECT_EQ(c->state_prune_slice_nodes, 5U);
  auto again = parse_config(format_config(*c), "/srv/ipd");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->state_prune_window, 100U);
  EXPECT_EQ(again->state_prune_slice_nodes, 5U);

  EXPECT_NE(error_of(replace(pruning, "state_prune_window = 100", "state_prune_window = 15"))
                .find("ledger.state_prune_window must be 0 (archive: keep every version) or at "
                      "least 16, got 15"),
            std::string::npos);
  EXPECT_NE(error_of(replace(pruning, "state_prune_window = 100", "state_prune_window = -1"))
                .find("state_prune_window"),
            std::string::npos);
  EXPECT_NE(error_of(replace(pruning, "state_prune_slice_nodes = 5", "state_prune_slice_nodes = 0"))
                .find("ledger.state_prune_slice_nodes must be between 1 and 100000"),
            std::string::npos);
  EXPECT_NE(error_of(pruning + "keep_everything = true\n").find("keep_everything"),
            std::string::npos);
}

TEST(Config, ApiStreamLimitsHaveDefaultsAndBounds) {
  auto d = parse(kGood);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->api_stream_max_subscribers, 256U);
  EXPECT_EQ(d->api_stream_max_per_address, 16U);
  EXPECT_EQ(d->api_stream_max_queue_wait_ms, 10000U);
  const std::string tuned = replace(kGood, "listen = \"127.0.0.1:8601\"",
                                    "listen = \"127.0.0.1:8601\"\nstream_max_subscribers = 9\n"
                                    "stream_max_per_address = 3\nstream_max_queue_wait_ms = 2500");
  auto c = parse(tuned);
  ASSERT_TRUE(c) << c.error().to_string();
  auto again = parse_config(format_config(*c), "/srv/ipd");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->api_stream_max_subscribers, 9U);
  EXPECT_EQ(again->api_stream_max_per_address, 3U);
  EXPECT_EQ(again->api_stream_max_queue_wait_ms, 2500U);
  const ApiServerConfig server = ApiServerConfig::from_node_config(*again);
  EXPECT_EQ(server.stream.max_subscribers, 9U);
  EXPECT_EQ(server.stream.max_subscribers_per_address, 3U);
  EXPECT_EQ(server.stream.max_queue_wait_ms, 2500U);
  EXPECT_TRUE(server.validate().ok());
  EXPECT_NE(error_of(replace(tuned, "stream_max_per_address = 3", "stream_max_per_address = 0"))
                .find("api.stream_max_per_address must be between 1 and 65536"),
            std::string::npos);
  EXPECT_NE(
      error_of(replace(tuned, "stream_max_queue_wait_ms = 2500", "stream_max_queue_wait_ms = 5"))
          .find("api.stream_max_queue_wait_ms"),
      std::string::npos);
}

TEST(Endpoint, ParsesIpv4AndIpv6Only) {
  auto v4 = parse_endpoint("127.0.0.1:80");
  ASSERT_TRUE(v4);
  auto v6 = parse_endpoint("[::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->to_string(), "[::1]:8080");
  EXPECT_FALSE(parse_endpoint("example.org:80"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:0"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:8x"));
  EXPECT_FALSE(parse_endpoint("[::1]8080"));
}

}  // namespace
}  // namespace bauhinia::node
