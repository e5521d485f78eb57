// The explorer end to end in one process: its follower over a real node API
// server on a real ledger (tests/node/api_test_support.hpp: 4 blocks, an
// epoch change at height 2), its index in a real LevelDB, and its JSON API
// and static files on its own real HTTP server. A node that tampers with
// what it serves is refused and named, and the explorer carries on with an
// honest one.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "../node/api_test_support.hpp"
#include "bauhinia/explorer/api.hpp"
#include "bauhinia/explorer/follower.hpp"
#include "bauhinia/explorer/http_client.hpp"
#include "bauhinia/explorer/index.hpp"
#include "bauhinia/explorer/registers.hpp"
#include "bauhinia/explorer/server.hpp"

namespace bauhinia::explorer {
namespace {

using apitest::account_of;
using apitest::ApiFixture;
using apitest::kChainId;
using apitest::ping;
using lightclient::Fetch;

using Edit = std::function<void(const std::string& target, json& body)>;

// A node behind a proxy that edits its 200 answers.
Fetch tampering(Fetch inner, Edit edit) {
  return [inner = std::move(inner), edit = std::move(edit)](const std::string& target)
             -> core::Expected<lightclient::NodeAnswer, lightclient::FetchError> {
    auto answer = inner(target);
    if (answer && answer->status == 200) {
      json body = json::parse(answer->body);
      edit(target, body);
      answer->body = body.dump();
    }
    return answer;
  };
}

void flip_last_byte(json& field) {
  std::string hex = field.get<std::string>();
  hex.back() = hex.back() == '0' ? '1' : '0';
  field = hex;
}

class ExplorerApiTest : public ::testing::Test {
 protected:
  ExplorerApiTest() {
    trust_.chain_id = kChainId;
    trust_.genesis_validators = apitest::validator_set(0);
    trust_.genesis_header = *f_.node().ledger().header(0);
    trust_.genesis_id = trust_.genesis_header.id();
    char pattern[] = "/tmp/explorer-api-XXXXXX";
    dir_ = mkdtemp(pattern);
    auto index = Index::open(dir_ / "index", trust_.genesis_id);
    EXPECT_TRUE(index.has_value());
    index_ = std::move(*index);
    honest_url_ = "http://127.0.0.1:" + std::to_string(f_.port());
    honest_ = http_fetch(*NodeUrl::parse(honest_url_));
  }
  ~ExplorerApiTest() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void make(std::vector<UsableNode> nodes, std::filesystem::path web_root = {}) {
    follower_ = std::make_unique<Follower>(trust_, *index_, std::move(nodes),
                                           [this](const std::string& l) { log_.push_back(l); });
    api_ = std::make_unique<Api>(*index_, *follower_, std::move(web_root), "{\"genesis\": 1}");
    server_ = std::make_unique<Server>(*api_);
    ASSERT_TRUE(server_->start("127.0.0.1", 0, 2).has_value());
    client_ = http_fetch(*NodeUrl::parse("127.0.0.1:" + std::to_string(server_->port())));
  }

  // GET from the explorer's server: the status and the body as JSON.
  std::pair<unsigned, json> get(const std::string& target) {
    auto answer = client_(target);
    EXPECT_TRUE(answer.has_value()) << target;
    if (!answer) return {0, json()};
    return {answer->status, json::parse(answer->body, nullptr, false)};
  }
  lightclient::NodeAnswer raw(const std::string& target) {
    auto answer = client_(target);
    EXPECT_TRUE(answer.has_value()) << target;
    return answer ? *answer : lightclient::NodeAnswer{};
  }

  std::string tx_id() { return ping(1, 0, "first", f_.node().expiry_ms()).id().to_hex(); }

  ApiFixture f_;
  lightclient::Trust trust_;
  std::filesystem::path dir_;
  std::unique_ptr<Index> index_;
  std::string honest_url_;
  Fetch honest_;
  std::unique_ptr<Follower> follower_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<Server> server_;
  Fetch client_;
  std::vector<std::string> log_;
};

TEST_F(ExplorerApiTest, FollowsVerifiesAndIndexesEveryBlock) {
  make({{honest_url_, honest_}});
  EXPECT_EQ(follower_->step(), 5U);  // heights 0..4
  EXPECT_EQ(index_->indexed_height(), 4U);
  EXPECT_EQ(index_->transaction_count(), 6U);
  EXPECT_EQ(follower_->step(), 0U);  // nothing new
  ASSERT_EQ(follower_->nodes().size(), 1U);
  EXPECT_EQ(follower_->nodes()[0].state, "following");
  EXPECT_EQ(follower_->nodes()[0].height, 4U);

  // A new block on the node is indexed on the next round.
  auto& node = f_.node();
  node.commit({ping(3, 1, "later", node.expiry_ms())});
  EXPECT_EQ(follower_->step(), 1U);
  EXPECT_EQ(index_->indexed_height(), 5U);
}

TEST_F(ExplorerApiTest, ResumesFromItsIndexAfterARestart) {
  make({{honest_url_, honest_}});
  EXPECT_EQ(follower_->step(2), 2U);  // heights 0, 1
  server_.reset();
  api_.reset();
  follower_.reset();
  index_.reset();
  auto reopened = Index::open(dir_ / "index", trust_.genesis_id);
  ASSERT_TRUE(reopened.has_value());
  index_ = std::move(*reopened);
  EXPECT_FALSE(index_->rebuilt().has_value());
  EXPECT_EQ(index_->indexed_height(), 1U);
  make({{honest_url_, honest_}});
  EXPECT_EQ(follower_->step(), 3U);  // heights 2..4 only
  EXPECT_EQ(index_->indexed_height(), 4U);
}

TEST_F(ExplorerApiTest, ServesTheIndexAnswers) {
  make({{honest_url_, honest_}});
  follower_->step();

  auto [status_code, status] = get("/api/status");
  ASSERT_EQ(status_code, 200U) << status.dump();
  EXPECT_EQ(status["chain_id"], kChainId);
  EXPECT_EQ(status["genesis_id"], trust_.genesis_id.to_hex());
  EXPECT_EQ(status["indexed_height"], 4);
  EXPECT_EQ(status["certified"]["height"], 4);
  EXPECT_EQ(status["certified"]["epoch"], 1);
  EXPECT_EQ(status["validator_set"]["epoch"], 1);
  EXPECT_EQ(status["nodes"][0]["url"], honest_url_);
  EXPECT_EQ(status["nodes"][0]["state"], "following");
  EXPECT_EQ(status["index"]["transactions"], 6);

  auto [bc, blocks] = get("/api/blocks?limit=2");
  ASSERT_EQ(bc, 200U) << blocks.dump();
  ASSERT_EQ(blocks["blocks"].size(), 2U);
  EXPECT_EQ(blocks["blocks"][0]["height"], 4);
  EXPECT_EQ(blocks["blocks"][1]["height"], 3);
  EXPECT_EQ(blocks["next_from"], 2);
  auto [bc2, older] = get("/api/blocks?from=2&limit=100");
  EXPECT_EQ(older["blocks"].size(), 3U);
  EXPECT_TRUE(older["next_from"].is_null());

  auto [b1c, b1] = get("/api/blocks/1");
  ASSERT_EQ(b1c, 200U);
  EXPECT_EQ(b1["block_id"], f_.node().ledger().header(1)->id().to_hex());
  ASSERT_EQ(b1["transactions"].size(), 2U);
  EXPECT_EQ(b1["transactions"][0]["id"], tx_id());
  EXPECT_EQ(b1["transactions"][0]["call"], "ping");

  auto [txc, tx] = get("/api/tx/" + tx_id());
  ASSERT_EQ(txc, 200U) << tx.dump();
  EXPECT_EQ(tx["height"], 1);
  EXPECT_EQ(tx["module"], "accounts");
  EXPECT_EQ(tx["sender"], account_of(1).to_hex());
  EXPECT_EQ(tx["outcome"], "success");
  EXPECT_FALSE(tx.contains("sender_key"));
  EXPECT_EQ(tx["cosigners"], json::array());  // a ping is not co-signed

  auto [ac, account] = get("/api/accounts/" + account_of(1).to_hex());
  ASSERT_EQ(ac, 200U) << account.dump();
  ASSERT_EQ(account["transactions"].size(), 3U);  // pings in blocks 1, 2 and 4
  EXPECT_EQ(account["transactions"][0]["height"], 4);
  EXPECT_EQ(account["transactions"][0]["role"], "signer");
  auto [ac2, page] = get("/api/accounts/" + account_of(1).to_hex() + "?limit=2");
  EXPECT_EQ(page["transactions"].size(), 2U);
  EXPECT_FALSE(page["next_from"].is_null());

  auto [s1c, by_height] = get("/api/search?q=3");
  ASSERT_EQ(s1c, 200U);
  ASSERT_EQ(by_height["results"].size(), 1U);
  EXPECT_EQ(by_height["results"][0]["kind"], "block");
  auto [s2c, by_id] = get("/api/search?q=" + tx_id());
  ASSERT_EQ(by_id["results"].size(), 1U);
  EXPECT_EQ(by_id["results"][0]["kind"], "transaction");
  auto [s3c, by_account] = get("/api/search?q=" + account_of(2).to_hex());
  ASSERT_EQ(by_account["results"].size(), 1U);
  EXPECT_EQ(by_account["results"][0]["kind"], "account");
  auto [s4c, nothing] = get("/api/search?q=99");
  EXPECT_TRUE(nothing["results"].empty());

  auto [gc, genesis] = get("/api/genesis");
  EXPECT_EQ(genesis["genesis_id"], trust_.genesis_id.to_hex());
  EXPECT_EQ(genesis["genesis_json"], "{\"genesis\": 1}");
}

TEST_F(ExplorerApiTest, CountsEachRegisterUnderTheHeightItWasReadAt) {
  make({{honest_url_, honest_}});
  auto [c0, none] = get("/api/registers");
  ASSERT_EQ(c0, 200U) << none.dump();
  ASSERT_EQ(none["registers"].size(), register_names().size() + counted_registers().size());
  for (const json& r : none["registers"]) {
    EXPECT_TRUE(r["count"].is_null()) << r.dump();
    EXPECT_TRUE(r["certified_height"].is_null());
  }

  const json companies{{"register", "companies"},
                       {"module", "company"},
                       {"certified_height", 3},
                       {"block_id", std::string(64, 'b')},
                       {"state_root", std::string(64, 'c')},
                       {"columns", json::array({"number"})},
                       {"records", json::array({json{{"number", "1"}}, json{{"number", "2"}},
                                                json{{"number", "3"}}})}};
  ASSERT_TRUE(index_->put_register("companies", companies, {}).has_value());
  auto [c1, read] = get("/api/registers");
  ASSERT_EQ(c1, 200U);
  bool seen = false;
  for (const json& r : read["registers"]) {
    if (r["register"] == "companies") {
      seen = true;
      EXPECT_EQ(r["module"], "company");
      EXPECT_EQ(r["count"], 3);
      EXPECT_EQ(r["certified_height"], 3);
      EXPECT_EQ(r["block_id"], std::string(64, 'b'));
    } else {
      EXPECT_TRUE(r["count"].is_null()) << r.dump();
    }
  }
  EXPECT_TRUE(seen);

  // Drug batches and health attestations are counted from the indexed
  // transactions (none of those calls on this chain: 0), at the indexed height.
  follower_->step();
  auto [c2, counted] = get("/api/registers");
  ASSERT_EQ(c2, 200U);
  const auto mark = index_->indexed_height();
  ASSERT_TRUE(mark.has_value());
  std::set<std::string> names;
  for (const json& r : counted["registers"]) {
    if (r["source"] != "transactions") continue;
    names.insert(r["register"].get<std::string>());
    EXPECT_EQ(r["count"], 0) << r.dump();
    EXPECT_EQ(r["certified_height"], *mark);
    EXPECT_EQ(r["block_id"], (*index_->block(*mark))["block_id"]);
  }
  EXPECT_EQ(names, (std::set<std::string>{"drug-batches", "health-attestations"}));
}

TEST_F(ExplorerApiTest, ServesVerifiedProofsPassedThrough) {
  make({{honest_url_, honest_}});
  follower_->step();

  auto [tc, tx] = get("/api/proof/tx/" + tx_id());
  ASSERT_EQ(tc, 200U) << tx.dump();
  EXPECT_EQ(tx["explorer"]["node"], honest_url_);
  EXPECT_EQ(tx["explorer"]["verified"], true);
  EXPECT_EQ(tx["explorer"]["certified_height"], 4);
  // The node's bytes, as the node serves them.
  const json direct = f_.get_json("/v1/proofs/transaction/" + tx_id() + "?height=4");
  EXPECT_EQ(tx["proof_hex"], direct["proof_hex"]);
  EXPECT_EQ(tx["transaction_hex"], direct["transaction_hex"]);
  EXPECT_EQ(tx["certified"]["commit_certificate_hex"],
            direct["certified"]["commit_certificate_hex"]);

  auto [bc, block] = get("/api/proof/block/3");
  ASSERT_EQ(bc, 200U) << block.dump();
  EXPECT_EQ(block["header_hex"], f_.get_json("/v1/blocks/3")["header_hex"]);

  auto [ec, epochs] = get("/api/proof/epochs");
  ASSERT_EQ(ec, 200U) << epochs.dump();
  EXPECT_EQ(epochs["to_epoch"], 1);
  auto [vc, validators] = get("/api/validators?epoch=1");
  ASSERT_EQ(vc, 200U) << validators.dump();
  EXPECT_EQ(validators["epoch"], 1);

  const std::string key = core::to_hex(contracts::accounts::account_record_key(account_of(1)));
  auto [sc, state] = get("/api/proof/state/accounts/" + key + "?height=3");
  ASSERT_EQ(sc, 200U) << state.dump();
  EXPECT_EQ(state["explorer"]["certified_height"], 3);
  EXPECT_FALSE(state["value_hex"].is_null());

  auto [hc, history] = get("/api/history/accounts/" + key);
  ASSERT_EQ(hc, 200U) << history.dump();
  EXPECT_GE(history["versions"].size(), 1U);

  auto [rc, record] = get("/api/records/accounts/account/" + account_of(1).to_hex());
  ASSERT_EQ(rc, 200U) << record.dump();
  EXPECT_EQ(record["record_key_hex"], key);
  EXPECT_EQ(record["explorer"]["verified"], true);

  auto [cc, consistency] = get("/api/proof/consistency?from=1&to=4");
  ASSERT_EQ(cc, 200U) << consistency.dump();
  EXPECT_EQ(consistency["to_height"], 4);
  EXPECT_TRUE(consistency["answers"].contains("/v1/blocks/1")) << consistency.dump();
  EXPECT_EQ(get("/api/proof/consistency?from=4&to=1").first, 400U);
  EXPECT_EQ(get("/api/proof/consistency").first, 400U);

  // What the node cannot prove is said so, not invented.
  auto [uc, unknown] = get("/api/proof/tx/" + std::string(64, 'a'));
  EXPECT_EQ(uc, 404U) << unknown.dump();
  EXPECT_EQ(unknown["error"]["code"], "not_proven");
}

TEST_F(ExplorerApiTest, RefusesBadRequests) {
  make({{honest_url_, honest_}});
  follower_->step();
  EXPECT_EQ(get("/api/blocks/99").first, 404U);
  EXPECT_EQ(get("/api/blocks/x").first, 400U);
  EXPECT_EQ(get("/api/blocks?limit=1000").first, 400U);
  EXPECT_EQ(get("/api/blocks?limit=0").first, 400U);
  EXPECT_EQ(get("/api/blocks?from=1&from=2").first, 400U);
  EXPECT_EQ(get("/api/tx/zz").first, 400U);
  EXPECT_EQ(get("/api/tx/" + std::string(64, 'b')).first, 404U);
  EXPECT_EQ(get("/api/accounts/12").first, 400U);
  EXPECT_EQ(get("/api/search").first, 400U);
  EXPECT_EQ(get("/api/search?q=" + std::string(300, 'x')).first, 400U);
  EXPECT_EQ(get("/api/nothing").first, 404U);
  EXPECT_EQ(get("/api/proof/state/Bad%20Module/00").first, 400U);
  EXPECT_EQ(get("/api/blocks/%zz").first, 400U);
  EXPECT_EQ(get("/api/search?q=a%00b").first, 400U);
  EXPECT_EQ(get("/" + std::string(3000, 'a')).first, 414U);
  // Not GET.
  EXPECT_EQ(api_->handle("POST", "/api/status").status, 405U);
  EXPECT_EQ(api_->handle("DELETE", "/").status, 405U);
}

TEST_F(ExplorerApiTest, RefusesAndNamesANodeServingForgedLeavesAndCarriesOnWithAnHonestOne) {
  const std::string forger = "http://forger.test:1";
  make({{forger, tampering(honest_,
                           [](const std::string& target, json& body) {
                             if (target.starts_with("/v1/accumulator/leaves")) {
                               flip_last_byte(body["leaves"][0]["leaf_hex"]);
                             }
                           })},
        {honest_url_, honest_}});
  EXPECT_EQ(follower_->step(), 1U);  // the forger: the genesis block, then refused at block 1
  auto nodes = follower_->nodes();
  EXPECT_EQ(nodes[0].state, "refused");
  EXPECT_NE(nodes[0].reason.find("accumulator root"), std::string::npos) << nodes[0].reason;
  EXPECT_EQ(index_->indexed_height(), 0U);  // the genesis block verified before
  EXPECT_EQ(follower_->step(), 4U);         // the honest node: the rest
  EXPECT_EQ(index_->indexed_height(), 4U);
  EXPECT_EQ(follower_->nodes()[1].state, "following");
  // Named in the log and in /api/status; never asked again.
  bool logged = false;
  for (const auto& l : log_) logged |= l.find("refused node " + forger) != std::string::npos;
  EXPECT_TRUE(logged);
  auto [code, status] = get("/api/status");
  EXPECT_EQ(status["nodes"][0]["state"], "refused");
  EXPECT_NE(status["nodes"][0]["reason"].get<std::string>().find("forged"), std::string::npos);
  EXPECT_EQ(follower_->usable().size(), 1U);
}

TEST_F(ExplorerApiTest, RefusesANodeWhoseCertificateOrParentLinkFails) {
  make({{"http://cert.test:1", tampering(honest_,
                                         [](const std::string& target, json& body) {
                                           if (target == "/v1/blocks/3") {
                                             flip_last_byte(body["commit_certificate_hex"]);
                                           }
                                         })},
        {"http://tx.test:1", tampering(honest_,
                                       [](const std::string& target, json& body) {
                                         if (target.starts_with("/v1/transactions/")) {
                                           flip_last_byte(body["transaction_hex"]);
                                         }
                                       })},
        {honest_url_, honest_}});
  follower_->step();  // the first: blocks 0..2, then refused at block 3
  EXPECT_EQ(index_->indexed_height(), 2U);
  follower_->step();  // the second: refused at the first transaction of block 3
  follower_->step();  // the honest one
  const auto nodes = follower_->nodes();
  EXPECT_EQ(nodes[0].state, "refused");
  EXPECT_NE(nodes[0].reason.find("commit certificate"), std::string::npos) << nodes[0].reason;
  EXPECT_EQ(nodes[1].state, "refused");
  EXPECT_NE(nodes[1].reason.find("do not hash to its id"), std::string::npos) << nodes[1].reason;
  EXPECT_EQ(index_->indexed_height(), 4U);
}

TEST_F(ExplorerApiTest, ANodeOfAnotherChainIsRefusedAndAnUnreachableOneSkipped) {
  make({{"http://127.0.0.1:1", http_fetch(*NodeUrl::parse("http://127.0.0.1:1"))},
        {"http://other.test:1", tampering(honest_,
                                          [](const std::string& target, json& body) {
                                            if (target == "/v1/ledger-info") {
                                              body["chain_id"] = "another-chain";
                                            }
                                          })},
        {honest_url_, honest_}});
  // One round: nothing listens on port 1 (unreachable), the other chain is
  // refused, the honest node indexes everything.
  EXPECT_EQ(follower_->step(), 5U);
  const auto nodes = follower_->nodes();
  EXPECT_EQ(nodes[0].state, "unreachable");
  EXPECT_EQ(nodes[1].state, "refused");
  EXPECT_NE(nodes[1].reason.find("another chain"), std::string::npos) << nodes[1].reason;
  EXPECT_EQ(nodes[2].state, "following");
  // The unreachable node is asked again; the refused one never.
  EXPECT_EQ(follower_->usable().size(), 2U);
}

TEST_F(ExplorerApiTest, AProofThatFailsRefusesTheNodeAndAnotherAnswers) {
  const std::string forger = "http://proofs.test:1";
  make({{forger, tampering(honest_,
                           [](const std::string& target, json& body) {
                             if (target.starts_with("/v1/proofs/transaction/")) {
                               flip_last_byte(body["proof_hex"]);
                             }
                           })},
        {honest_url_, honest_}});
  follower_->step();  // blocks are served honestly by both
  auto [code, tx] = get("/api/proof/tx/" + tx_id());
  ASSERT_EQ(code, 200U) << tx.dump();
  EXPECT_EQ(tx["explorer"]["node"], honest_url_);
  EXPECT_EQ(follower_->nodes()[0].state, "refused");
  EXPECT_NE(follower_->nodes()[0].reason.find("inclusion proof"), std::string::npos)
      << follower_->nodes()[0].reason;
}

TEST_F(ExplorerApiTest, ServesStaticFilesAndRefusesTraversal) {
  const auto root = dir_ / "web";
  std::filesystem::create_directories(root / "js");
  std::ofstream(root / "index.html") << "<!doctype html><title>explorer</title>";
  std::ofstream(root / "js" / "app.js") << "export {};";
  std::ofstream(root / ".secret") << "hidden";
  std::ofstream(dir_ / "outside.txt") << "outside the root";
  std::filesystem::create_symlink(dir_ / "outside.txt", root / "link.txt");
  make({{honest_url_, honest_}}, root);

  auto index = raw("/");
  EXPECT_EQ(index.status, 200U);
  EXPECT_NE(index.body.find("<title>explorer"), std::string::npos);
  auto js = raw("/js/app.js");
  EXPECT_EQ(js.status, 200U);
  EXPECT_EQ(js.body, "export {};");
  EXPECT_EQ(api_->handle("GET", "/js/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(api_->handle("GET", "/index.html").content_type, "text/html; charset=utf-8");
  for (const char* bad : {"/../outside.txt", "/%2e%2e/outside.txt", "/js/../../outside.txt",
                          "/js/%2E%2E/%2E%2E/outside.txt", "/link.txt", "/.secret",
                          "/js/..%2f..%2foutside.txt", "/missing.html", "/js"}) {
    auto r = raw(bad);
    EXPECT_EQ(r.status, 404U) << bad;
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << bad;
    EXPECT_EQ(api_->handle("GET", bad).status, 404U) << bad;
  }
  // Without a web root nothing is served.
  EXPECT_EQ(static_file({}, "/index.html").status, 404U);
}

}  // namespace
}  // namespace bauhinia::explorer
