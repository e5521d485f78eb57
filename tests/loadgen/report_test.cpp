#include "bauhinia/loadgen/report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bauhinia::loadgen {
namespace {

Report sample() {
  Report r;
  r.chain_id = "bauhinia-local-1";
  r.apis = {"127.0.0.1:8600", "127.0.0.1:8601"};
  r.target_rate_per_s = 8000;
  r.batch = 64;
  r.bad_answers = 2;
  r.submitted = 1000;
  r.accepted = 990;
  r.rejected = 10;
  r.rejections = {{"mempool_full", 4}, {"stale_sequence", 10}};
  r.committed = 985;
  r.committed_per_s = 4321.5;
  r.latency.count = 985;
  r.latency.p50_us = 180'000;
  r.latency.p99_us = 1'250'500;
  r.committed_timeline = {100, 885};
  r.timed_out = true;
  return r;
}

TEST(Report, JsonHoldsTheFigures) {
  const auto doc = nlohmann::json::parse(format_json(sample()));
  EXPECT_EQ(doc["chain_id"], "bauhinia-local-1");
  EXPECT_EQ(doc["apis"].size(), 2U);
  EXPECT_EQ(doc["submitted"], 1000);
  EXPECT_EQ(doc["accepted"], 990);
  EXPECT_EQ(doc["committed"], 985);
  EXPECT_EQ(doc["rejections"]["mempool_full"], 4);
  EXPECT_DOUBLE_EQ(doc["committed_per_s"].get<double>(), 4321.5);
  EXPECT_DOUBLE_EQ(doc["latency_ms"]["p50"].get<double>(), 180.0);
  EXPECT_DOUBLE_EQ(doc["latency_ms"]["p99"].get<double>(), 1250.5);
  EXPECT_EQ(doc["committed_timeline"], nlohmann::json({100, 885}));
  EXPECT_EQ(doc["timed_out"], true);
  EXPECT_EQ(doc["batch"], 64);
  EXPECT_EQ(doc["bad_answers"], 2);
}

TEST(Report, TextNamesEveryFigure) {
  const std::string text = format_text(sample());
  for (const char* needle :
       {"submitted        1000", "accepted         990", "committed        985", "4322 tx/s",
        "(timed out)", "p50 180.0 ms", "p99 1250.5 ms", "mempool_full: 4", "stale_sequence: 10",
        "8000 tx/s", "batches of up to 64", "2 bad batch answers"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
}

}  // namespace
}  // namespace bauhinia::loadgen
