// POST /v1/transactions/batch as the load generator speaks it: the frames it
// sends and the per-transaction verdicts it reads back (hostile or
// mismatched answers are refused, never guessed at).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bauhinia/loadgen/api_messages.hpp"

namespace bauhinia::loadgen {
namespace {

using json = nlohmann::json;

core::Hash256 id_of(char c) {
  auto h = core::Hash256::from_hex(std::string(64, c));
  EXPECT_TRUE(h);
  return *h;
}

TEST(BatchFrames, LengthPrefixedInOrder) {
  const core::Bytes a{1, 2, 3};
  core::Bytes b(300, 0xAB);
  const std::string frames = encode_batch_frames({&a, &b});
  ASSERT_EQ(frames.size(), 4 + 3 + 4 + 300U);
  EXPECT_EQ(frames.substr(0, 7), std::string("\0\0\0\3\1\2\3", 7));
  EXPECT_EQ(frames.substr(7, 4), std::string("\0\0\1\x2c", 4));  // 300 big-endian
  EXPECT_EQ(static_cast<std::uint8_t>(frames.back()), 0xAB);
  EXPECT_TRUE(encode_batch_frames({}).empty());
}

json result(std::size_t position, unsigned status, char id) {
  json r{{"position", position}, {"http_status", status}, {"id", std::string(64, id)}};
  if (status == 202) r["status"] = "pending";
  return r;
}

TEST(BatchAnswer, OneVerdictPerTransaction) {
  const std::vector<core::Hash256> ids{id_of('a'), id_of('b'), id_of('c'), id_of('d')};
  json throttled = result(1, 429, 'b');
  throttled["status"] = "rejected";
  throttled["error"] = {{"code", "overloaded"}, {"message", "over budget"}};
  throttled["retry_after_s"] = 2;
  json stale = result(2, 422, 'c');
  stale["error"] = {{"code", "stale_sequence"}};
  json forever = result(3, 503, 'd');
  forever["error"] = {{"code", "mempool_full"}};
  forever["retry_after_s"] = 999'999;
  const json body{{"results", {result(0, 202, 'a'), throttled, stale, forever}},
                  {"accepted", 1},
                  {"rejected", 3}};
  auto v = parse_batch_answer(200, body.dump(), ids, std::nullopt);
  ASSERT_TRUE(v) << v.error().to_string();
  ASSERT_EQ(v->size(), 4U);
  EXPECT_EQ((*v)[0].outcome.kind, SubmitKind::kAccepted);
  EXPECT_EQ((*v)[0].http_status, 202U);
  EXPECT_EQ((*v)[1].outcome.kind, SubmitKind::kRetry);
  EXPECT_EQ((*v)[1].outcome.reason, "overloaded");
  EXPECT_EQ((*v)[1].http_status, 429U);
  EXPECT_EQ((*v)[1].retry_after_s, 2U);
  EXPECT_EQ((*v)[2].outcome.kind, SubmitKind::kRejected);
  EXPECT_EQ((*v)[2].outcome.reason, "stale_sequence");
  EXPECT_FALSE((*v)[2].retry_after_s);
  EXPECT_EQ((*v)[3].outcome.kind, SubmitKind::kRetry);
  EXPECT_EQ((*v)[3].retry_after_s, kMaxRetryAfterS);  // capped
}

TEST(BatchAnswer, CommittedCountsAsAccepted) {
  json done = result(0, 200, 'a');
  done["status"] = "committed";
  auto v = parse_batch_answer(200, json{{"results", {done}}}.dump(), {id_of('a')}, std::nullopt);
  ASSERT_TRUE(v) << v.error().to_string();
  EXPECT_EQ((*v)[0].outcome.kind, SubmitKind::kAccepted);
}

TEST(BatchAnswer, WholeBatchRefusalJudgesEveryTransaction) {
  const std::vector<core::Hash256> ids{id_of('a'), id_of('b')};
  auto busy = parse_batch_answer(429, R"({"error":{"code":"overloaded"}})", ids, 3U);
  ASSERT_TRUE(busy);
  ASSERT_EQ(busy->size(), 2U);
  for (const BatchVerdict& v : *busy) {
    EXPECT_EQ(v.outcome.kind, SubmitKind::kRetry);
    EXPECT_EQ(v.outcome.reason, "overloaded");
    EXPECT_EQ(v.retry_after_s, 3U);
  }
  auto big =
      parse_batch_answer(413, R"({"error":{"code":"too_many_transactions"}})", ids, std::nullopt);
  ASSERT_TRUE(big);
  EXPECT_EQ((*big)[1].outcome.kind, SubmitKind::kRejected);
  EXPECT_EQ((*big)[1].outcome.reason, "too_many_transactions");
}

TEST(BatchAnswer, RefusesAnswersThatDoNotMatchTheBatch) {
  const std::vector<core::Hash256> ids{id_of('a'), id_of('b')};
  const auto parse = [&](const json& results) {
    return parse_batch_answer(200, json{{"results", results}}.dump(), ids, std::nullopt);
  };
  EXPECT_TRUE(parse({result(0, 202, 'a'), result(1, 202, 'b')}));
  EXPECT_FALSE(parse({result(0, 202, 'a')}));                                            // too few
  EXPECT_FALSE(parse({result(0, 202, 'a'), result(1, 202, 'b'), result(2, 202, 'c')}));  // more
  EXPECT_FALSE(parse({result(0, 202, 'a'), result(0, 202, 'b')}));  // wrong position
  EXPECT_FALSE(parse({result(0, 202, 'b'), result(1, 202, 'a')}));  // ids swapped
  EXPECT_FALSE(parse({result(0, 202, 'a'), result(1, 700, 'b')}));  // no such status
  json no_id = result(1, 202, 'b');
  no_id.erase("id");
  EXPECT_FALSE(parse({result(0, 202, 'a'), no_id}));
  json bad_id = result(1, 202, 'b');
  bad_id["id"] = "zz";
  EXPECT_FALSE(parse({result(0, 202, 'a'), bad_id}));
  EXPECT_FALSE(parse({result(0, 202, 'a'), "202"}));
  EXPECT_FALSE(parse_batch_answer(200, "not json", ids, std::nullopt));
  EXPECT_FALSE(parse_batch_answer(200, R"({"results": 5})", ids, std::nullopt));
  EXPECT_FALSE(parse_batch_answer(200, "[]", ids, std::nullopt));
}

}  // namespace
}  // namespace bauhinia::loadgen
