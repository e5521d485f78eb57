#include "bauhinia/loadgen/api_messages.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bauhinia/loadgen/load_run.hpp"

namespace bauhinia::loadgen {
namespace {

using json = nlohmann::json;

std::string hex_id(char c) {
  return std::string(64, c);
}

TEST(ApiMessages, Status) {
  const json body{
      {"chain_id", "bauhinia-local-1"}, {"height", 42}, {"node_name", "IPD"}, {"round", 50}};
  auto s = parse_status(body.dump());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->chain_id, "bauhinia-local-1");
  EXPECT_EQ(s->height, 42U);
  EXPECT_EQ(s->node_name, "IPD");
  EXPECT_EQ(s->round, 50U);
  EXPECT_FALSE(parse_status("not json"));
  EXPECT_FALSE(parse_status("[1,2]"));
  EXPECT_FALSE(parse_status(R"({"chain_id": "x"})"));
  EXPECT_FALSE(parse_status(R"({"chain_id": "x", "height": -1})"));
  EXPECT_FALSE(parse_status(R"({"chain_id": 5, "height": 1})"));
}

TEST(ApiMessages, CompleteBlock) {
  const json body{{"height", 7},
                  {"block_id", hex_id('b')},
                  {"first_index", 100},
                  {"transaction_count", 2},
                  {"transaction_ids", {hex_id('1'), hex_id('2')}},
                  {"transaction_ids_truncated", false}};
  auto b = parse_block(body.dump());
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_EQ(b->height, 7U);
  EXPECT_EQ(b->first_index, 100U);
  ASSERT_EQ(b->ids.size(), 2U);
  EXPECT_EQ(b->ids[1].to_hex(), hex_id('2'));
  EXPECT_FALSE(b->truncated);
}

TEST(ApiMessages, TruncatedAndEmptyBlocks) {
  json body{{"height", 8},
            {"first_index", 0},
            {"transaction_count", 3},
            {"transaction_ids", {hex_id('a')}},
            {"transaction_ids_truncated", true}};
  auto b = parse_block(body.dump());
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->truncated);
  EXPECT_EQ(b->ids.size(), 1U);
  // Fewer ids than transactions without the flag: refused.
  body["transaction_ids_truncated"] = false;
  EXPECT_FALSE(parse_block(body.dump()));
  // More ids than transactions: refused.
  body["transaction_count"] = 0;
  EXPECT_FALSE(parse_block(body.dump()));
  body["transaction_ids"] = json::array();
  EXPECT_TRUE(parse_block(body.dump()));
  body["transaction_ids"] = {"zz"};
  body["transaction_count"] = 1;
  EXPECT_FALSE(parse_block(body.dump()));
  body["transaction_ids"] = {17};
  EXPECT_FALSE(parse_block(body.dump()));
  EXPECT_FALSE(parse_block(R"({"height": 1})"));
}

TEST(ApiMessages, Leaves) {
  const json body{{"accumulator_size", 10},
                  {"from", 4},
                  {"leaves",
                   {{{"index", 4}, {"transaction_id", hex_id('4')}},
                    {{"index", 5}, {"transaction_id", hex_id('5')}}}},
                  {"next_from", 6}};
  auto page = parse_leaves(body.dump());
  ASSERT_TRUE(page) << page.error().to_string();
  EXPECT_EQ(page->from, 4U);
  ASSERT_EQ(page->ids.size(), 2U);
  EXPECT_EQ(page->ids[0].to_hex(), hex_id('4'));
  EXPECT_FALSE(parse_leaves(R"({"from": 1, "leaves": [{"index": 1}]})"));
  EXPECT_FALSE(parse_leaves(R"({"from": 1, "leaves": [5]})"));
  EXPECT_FALSE(parse_leaves(R"({"leaves": []})"));
}

TEST(ApiMessages, RetryAfter) {
  EXPECT_EQ(parse_retry_after("1"), 1U);
  EXPECT_EQ(parse_retry_after(" 30 "), 30U);
  EXPECT_EQ(parse_retry_after("0"), 0U);
  EXPECT_EQ(parse_retry_after("99999999"), kMaxRetryAfterS);
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after("1.5"));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("123456789012"));
}

TEST(ApiMessages, SubmitOutcomes) {
  EXPECT_EQ(classify_submit_response(202, R"({"id":"..","status":"pending"})").kind,
            SubmitKind::kAccepted);
  EXPECT_EQ(classify_submit_response(200, R"({"status":"committed"})").kind, SubmitKind::kAccepted);
  const auto full = classify_submit_response(
      503, R"({"error":{"code":"mempool_full","message":"the mempool is full"}})");
  EXPECT_EQ(full.kind, SubmitKind::kRetry);
  EXPECT_EQ(full.reason, "mempool_full");
  EXPECT_EQ(classify_submit_response(429, R"({"error":{"code":"account_full"}})").kind,
            SubmitKind::kRetry);
  const auto stale = classify_submit_response(422, R"({"error":{"code":"stale_sequence"}})");
  EXPECT_EQ(stale.kind, SubmitKind::kRejected);
  EXPECT_EQ(stale.reason, "stale_sequence");
  // No usable code: the HTTP status stands in.
  EXPECT_EQ(classify_submit_response(500, "").reason, "http_500");
  EXPECT_EQ(classify_submit_response(400, R"({"error":{"code":"Evil Key\n"}})").reason, "http_400");
  EXPECT_EQ(classify_submit_response(404, R"({"error":"x"})").reason, "http_404");
}

TEST(ApiAddress, ParsesLiterals) {
  auto v4 = parse_api_address("127.0.0.1:8600");
  ASSERT_TRUE(v4) << v4.error().to_string();
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8600);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:8600");
  auto v6 = parse_api_address("[::1]:65535");
  ASSERT_TRUE(v6) << v6.error().to_string();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->to_string(), "[::1]:65535");
  for (const char* bad :
       {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:86x0",
        "localhost:8600", "::1:8600", "[::1]8600", "[::1", "1.2.3.4:123456"}) {
    EXPECT_FALSE(parse_api_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace bauhinia::loadgen
