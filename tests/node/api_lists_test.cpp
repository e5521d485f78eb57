// The API's paged lists (cursors walk each list completely, without
// repeats), batch submission (a verdict per transaction, only the good ones
// admitted), and docs/api/openapi.yaml against the handler's own route table
// (every documented path and method is served, every served one documented).

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "api_test_support.hpp"
#include "bauhinia/node/api_handler.hpp"

namespace bauhinia::apitest {
namespace {

class ApiListsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new ApiFixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  ApiFixture& f() { return *fixture_; }

  // Follows next_from from `first` (a target with '?'), collecting `field`
  // items' `key`; fails on a repeat or a runaway walk.
  std::vector<json> walk(const std::string& first, const std::string& field) {
    std::vector<json> items;
    std::string target = first;
    for (int page = 0; page < 1000; ++page) {
      json j = f().get_json(target);
      EXPECT_TRUE(j.is_object()) << target << ": " << j.dump();
      if (!j.is_object()) return items;
      for (const auto& item : j[field]) items.push_back(item);
      if (j["next_from"].is_null()) return items;
      const std::string from = "from=" + std::to_string(j["next_from"].get<std::uint64_t>());
      target = std::regex_replace(first, std::regex("from=[0-9]+"), from);
      if (target == first && first.find("from=") == std::string::npos) target = first + "&" + from;
    }
    ADD_FAILURE() << "the walk did not end";
    return items;
  }

  static ApiFixture* fixture_;
};
ApiFixture* ApiListsTest::fixture_ = nullptr;

std::vector<std::uint64_t> numbers(const std::vector<json>& items, const std::string& key) {
  std::vector<std::uint64_t> out;
  for (const auto& i : items) out.push_back(i[key].get<std::uint64_t>());
  return out;
}

TEST_F(ApiListsTest, BlocksNewestFirstAndOldestFirst) {
  const std::vector<std::uint64_t> down{4, 3, 2, 1, 0}, up{0, 1, 2, 3, 4};
  for (const char* limit : {"1", "2", "3", "100"}) {
    EXPECT_EQ(numbers(walk(std::string("/v1/blocks?limit=") + limit, "blocks"), "height"), down);
    EXPECT_EQ(numbers(walk(std::string("/v1/blocks?order=asc&limit=") + limit, "blocks"), "height"),
              up);
  }
  const json page = f().get_json("/v1/blocks?from=2&limit=1");
  EXPECT_EQ(page["next_from"], 1);
  const json b = page["blocks"][0];
  EXPECT_EQ(b["block_id"], f().node().ledger().header(2)->id().to_hex());
  EXPECT_EQ(b["transaction_count"], 1);
  EXPECT_EQ(f().get("/v1/blocks?from=5")->status, 404u);
  EXPECT_EQ(f().get("/v1/blocks?order=sideways")->error_code(), "invalid");
  EXPECT_EQ(f().get("/v1/blocks?limit=0")->error_code(), "out_of_range");
  EXPECT_EQ(f().get("/v1/blocks?limit=1001")->error_code(), "out_of_range");
}

TEST_F(ApiListsTest, BlockTransactionsWalkEveryPosition) {
  const auto all = walk("/v1/blocks/3/transactions?limit=1", "transactions");
  ASSERT_EQ(all.size(), 2u);
  auto txs = f().node().ledger().block_transactions(3);
  ASSERT_TRUE(txs);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]["position"], i);
    EXPECT_EQ(all[i]["transaction_id"], (*txs)[i].info.transaction_id.to_hex());
    EXPECT_EQ(all[i]["index"], (*txs)[i].index);
  }
  EXPECT_EQ(walk("/v1/blocks/latest/transactions?limit=5", "transactions").size(), 1u);
  EXPECT_EQ(f().get("/v1/blocks/0/transactions")->status, 200u);
  EXPECT_EQ(f().get("/v1/blocks/3/transactions?from=3")->status, 404u);
  EXPECT_EQ(f().get("/v1/blocks/9/transactions")->error_code(), "unknown_block");
}

TEST_F(ApiListsTest, AccountTransactionsWalkTheAccountsActivity) {
  // User 1 sent the pings at accumulator indexes found by scanning every
  // leaf (independently of the account index).
  const ledger::LedgerStore& ledger = f().node().ledger();
  std::vector<std::uint64_t> expected;
  for (std::uint64_t i = 0; i < ledger.latest_header().accumulator_size; ++i) {
    auto tx = ledger.transaction_at(i);
    ASSERT_TRUE(tx);
    auto decoded = chain::decode_transaction(tx->transaction);
    ASSERT_TRUE(decoded);
    if (decoded->sender == account_of(1)) expected.push_back(i);
  }
  ASSERT_EQ(expected.size(), 3u);
  const std::string base = "/v1/accounts/" + account_of(1).to_hex() + "/transactions";
  for (const char* limit : {"1", "2", "3", "1000"}) {
    const auto items = walk(base + "?limit=" + limit, "transactions");
    EXPECT_EQ(numbers(items, "index"), expected) << limit;
    for (const auto& i : items) {
      EXPECT_EQ(i["sender"], account_of(1).to_hex());
      EXPECT_EQ(i["module"], "accounts");
      EXPECT_EQ(i["call"], "ping");
    }
  }
  // A page that ends exactly at the list's end says so (no empty extra page).
  EXPECT_TRUE(f().get_json(base + "?limit=3")["next_from"].is_null());
  // An account with no transactions: an empty list.
  const json none = f().get_json("/v1/accounts/" + account_of(99).to_hex() + "/transactions");
  EXPECT_TRUE(none["transactions"].empty());
  EXPECT_TRUE(none["next_from"].is_null());
  EXPECT_EQ(f().get("/v1/accounts/zz/transactions")->error_code(), "bad_hex");
  EXPECT_EQ(f().get("/v1/accounts/" + std::string(62, 'a') + "/transactions")->error_code(),
            "bad_hex");
  EXPECT_EQ(f().get(base + "?limit=1001")->error_code(), "out_of_range");
}

TEST_F(ApiListsTest, EpochsAccumulatorAndHistoryPages) {
  EXPECT_EQ(numbers(walk("/v1/epochs?limit=1", "epochs"), "epoch"),
            (std::vector<std::uint64_t>{0, 1}));
  const json epochs = f().get_json("/v1/epochs");
  EXPECT_EQ(epochs["epochs"][1]["first_height"], TestNode::kEpochEndHeight + 1);
  EXPECT_EQ(epochs["epochs"][1]["validator_set_hash"], validator_set(1).hash().to_hex());
  EXPECT_EQ(f().get("/v1/epochs?from=2")->error_code(), "unknown_epoch");

  const std::uint64_t size = f().node().ledger().latest_header().accumulator_size;
  const auto leaves = walk("/v1/accumulator/leaves?limit=2", "leaves");
  ASSERT_EQ(leaves.size(), size);
  for (std::uint64_t i = 0; i < size; ++i) EXPECT_EQ(leaves[i]["index"], i);
  EXPECT_EQ(walk("/v1/accumulator/leaves?count=3", "leaves").size(), size);  // the older name
  EXPECT_EQ(f().get("/v1/accumulator/leaves?count=1&limit=1")->error_code(), "invalid");

  const std::string account_key =
      core::to_hex(contracts::accounts::account_record_key(account_of(1)));
  const auto history = walk("/v1/state/accounts/" + account_key + "/history?limit=1", "versions");
  EXPECT_EQ(numbers(history, "version"), (std::vector<std::uint64_t>{1, 2, 4}));
  const json proof = f().get_json("/v1/epochs/proof");
  EXPECT_TRUE(proof["next_from"].is_null());
}

// ---- Batch submission ---------------------------------------------------------

std::string hex_of(const chain::Transaction& tx) {
  return core::to_hex(tx.encoded());
}

TEST_F(ApiListsTest, BatchGivesAVerdictPerTransactionAndAdmitsOnlyTheGood) {
  const std::uint64_t expiry = f().node().expiry_ms();
  const std::size_t before = f().node().mempool().size();
  chain::Transaction wrong_chain = ping(41, 0, "elsewhere", expiry);
  wrong_chain.chain_id = "another-chain";
  wrong_chain.sign(user_key(41), {});
  core::Bytes tampered = ping(42, 0, "tampered", expiry).encoded();
  tampered[tampered.size() - 1] ^= 0x01;  // the signature's last byte
  const std::vector<std::string> batch{
      hex_of(ping(40, 0, "good one", expiry)),
      "00ff",
      hex_of(wrong_chain),
      core::to_hex(tampered),
      hex_of(ping(43, 0, "good two", expiry)),
      hex_of(ping(40, 0, "good one", expiry)),  // the same bytes again: still pending
      hex_of(ping(1, 0, "first", f().node().expiry_ms())),
  };
  auto r = f().post("/v1/transactions/batch", json{{"transactions_hex", batch}}.dump(),
                    "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  const json j = r->body_json();
  const json& results = j["results"];
  ASSERT_EQ(results.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(results[i]["position"], i);
  EXPECT_EQ(results[0]["status"], "pending");
  EXPECT_EQ(results[0]["http_status"], 202);
  EXPECT_EQ(results[0]["id"], ping(40, 0, "good one", expiry).id().to_hex());
  EXPECT_EQ(results[4]["status"], "pending");
  EXPECT_EQ(results[5]["status"], "pending");
  EXPECT_EQ(results[5]["id"], results[0]["id"]);
  // The committed block-1 ping: reported committed, as a single submission would.
  EXPECT_EQ(results[6]["status"], "committed");
  EXPECT_EQ(results[6]["height"], 1);
  for (std::size_t i : {1U, 2U, 3U}) {
    EXPECT_EQ(results[i]["status"], "rejected") << i;
    EXPECT_EQ(results[i]["http_status"], 422) << i;
  }
  EXPECT_EQ(j["accepted"], 4);
  EXPECT_EQ(j["rejected"], 3);
  // The same code and message as single submission gives for those bytes.
  for (std::size_t i : {1U, 2U, 3U}) {
    auto single = f().post("/v1/transactions", json{{"transaction_hex", batch[i]}}.dump(),
                           "application/json");
    ASSERT_TRUE(single);
    EXPECT_EQ(single->status, 422u);
    EXPECT_EQ(results[i]["error"], single->body_json()["error"]) << i;
  }
  EXPECT_EQ(results[2]["error"]["code"], "wrong_chain");
  EXPECT_EQ(results[3]["error"]["code"], "bad_signature");
  // Only the two good new ones entered the mempool.
  EXPECT_EQ(f().node().mempool().size(), before + 2);
  EXPECT_TRUE(f().node().mempool().contains(ping(43, 0, "good two", expiry).id()));
}

TEST_F(ApiListsTest, BatchAsLengthPrefixedFrames) {
  const std::uint64_t expiry = f().node().expiry_ms();
  const std::size_t before = f().node().mempool().size();
  std::string body;
  const auto frame = [&body](const core::Bytes& bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    for (int shift : {24, 16, 8, 0}) body.push_back(static_cast<char>((n >> shift) & 0xFF));
    body.append(bytes.begin(), bytes.end());
  };
  frame(ping(50, 0, "framed", expiry).encoded());
  frame(core::Bytes{0x01, 0x02, 0x03});
  auto r = f().post("/v1/transactions/batch", body, "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  const json j = r->body_json();
  EXPECT_EQ(j["results"][0]["status"], "pending");
  EXPECT_EQ(j["results"][1]["error"]["code"], "malformed");
  EXPECT_EQ(f().node().mempool().size(), before + 1);
}

TEST_F(ApiListsTest, BadBatchesAreRefusedWhole) {
  const std::uint64_t expiry = f().node().expiry_ms();
  const std::size_t before = f().node().mempool().size();
  const std::string good = hex_of(ping(60, 0, "never admitted", expiry));
  const auto post = [&](const std::string& body, const std::string& type) {
    auto r = f().post("/v1/transactions/batch", body, type);
    return r ? std::make_pair(r->status, r->error_code()) : std::make_pair(0U, std::string());
  };
  using P = std::pair<unsigned, std::string>;
  EXPECT_EQ(post(json{{"transactions_hex", {good, 7}}}.dump(), "application/json"),
            P(400, "bad_json"));
  EXPECT_EQ(post(json{{"transactions_hex", {good, "xyz"}}}.dump(), "application/json"),
            P(400, "bad_hex"));
  EXPECT_EQ(post(json{{"transactions_hex", {good}}, {"extra", 1}}.dump(), "application/json"),
            P(400, "bad_json"));
  EXPECT_EQ(post(json{{"transactions_hex", json::array()}}.dump(), "application/json"),
            P(400, "out_of_range"));
  EXPECT_EQ(post("[[[[[[[[[[]]]]]]]]]]", "application/json"), P(400, "bad_json"));
  EXPECT_EQ(post(good, "text/plain"), P(415, "unsupported_media_type"));
  EXPECT_EQ(post(std::string("\x00\x00\x01", 3), "application/octet-stream"),
            P(400, "bad_encoding"));
  EXPECT_EQ(post(std::string("\x00\x00\x00\x09\x01", 5), "application/octet-stream"),
            P(400, "bad_encoding"));
  json many = json::array();
  for (int i = 0; i < 257; ++i) many.push_back("00");
  EXPECT_EQ(post(json{{"transactions_hex", many}}.dump(), "application/json"),
            P(413, "too_many_transactions"));
  EXPECT_EQ(f().node().mempool().size(), before);
  EXPECT_FALSE(f().node().mempool().contains(ping(60, 0, "never admitted", expiry).id()));
  EXPECT_EQ(f().get("/v1/transactions/batch")->status, 405u);
}

// ---- openapi.yaml against the route table ----------------------------------------

// The "paths:" of docs/api/openapi.yaml: each path (two-space indent) and its
// methods (four-space indent).
std::set<std::pair<std::string, std::string>> documented_routes() {
  std::ifstream in(std::string(BAUHINIA_SOURCE_DIR) + "/docs/api/openapi.yaml");
  EXPECT_TRUE(in) << "docs/api/openapi.yaml not found (run under ctest)";
  std::set<std::pair<std::string, std::string>> out;
  const std::regex path_line("^  (/[^ :]*):\\s*$");
  const std::regex method_line("^    (get|post|put|delete|patch|head|options):\\s*$");
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (std::regex_match(line, m, method_line)) {
      std::string method = m[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace(method, path);
    }
  }
  return out;
}

TEST_F(ApiListsTest, EveryServedRouteIsDocumentedAndEveryDocumentedOneServed) {
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& r : node::ApiHandler::routes()) served.emplace(r.method, r.path);
  const auto documented = documented_routes();
  ASSERT_GE(served.size(), 20u);
  for (const auto& r : served) {
    EXPECT_TRUE(documented.count(r)) << r.first << " " << r.second << " is served, not documented";
  }
  for (const auto& r : documented) {
    EXPECT_TRUE(served.count(r)) << r.first << " " << r.second << " is documented, not served";
  }
  // And the real server answers each of them (no unknown_path, no 405), with
  // the path's parameters filled in.
  const std::map<std::string, std::string> values{
      {"{id}", std::string(64, '0')},
      {"{record}", std::string(64, '0')},
      {"{height}", "1"},
      {"{address}", account_of(1).to_hex()},
      {"{module}", "accounts"},
      {"{record_key}", account_of(1).to_hex()},
      {"{query_path}", "account/" + account_of(1).to_hex()},
  };
  for (const auto& [method, path] : served) {
    std::string target = path;
    for (const auto& [name, value] : values) {
      for (std::size_t at; (at = target.find(name)) != std::string::npos;) {
        target.replace(at, name.size(), value);
      }
    }
    ASSERT_EQ(target.find('{'), std::string::npos) << path;
    HttpClient client(f().port());
    auto r = client.request(method, target, method == "POST" ? "{}" : "",
                            method == "POST" ? "application/json" : "");
    ASSERT_TRUE(r) << method << " " << target;
    EXPECT_NE(r->error_code(), "unknown_path") << method << " " << target;
    EXPECT_NE(r->status, 405u) << method << " " << target;
  }
}

}  // namespace
}  // namespace bauhinia::apitest
