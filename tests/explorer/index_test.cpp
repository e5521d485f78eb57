// The explorer's index over a real LevelDB: the accumulator frontier against
// the RFC 6962 root, write / read / resume after reopening, and a corrupt,
// unopenable or foreign index detected and rebuilt empty.

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <cstdlib>
#include <fstream>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/explorer/index.hpp"

namespace bauhinia::explorer {
namespace {

core::Hash256 hash_of(std::uint64_t i) {
  const std::string s = "leaf " + std::to_string(i);
  return core::tagged_hash(
      core::HashTag::kTransactionId,
      core::ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

class IndexTest : public ::testing::Test {
 protected:
  IndexTest() {
    char pattern[] = "/tmp/explorer-index-XXXXXX";
    dir_ = mkdtemp(pattern);
    genesis_ = hash_of(999);
  }
  ~IndexTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Index> open(const core::Hash256& genesis) {
    auto index = Index::open(dir_ / "index", genesis);
    EXPECT_TRUE(index.has_value());
    return index ? std::move(*index) : nullptr;
  }
  std::unique_ptr<Index> open() { return open(genesis_); }

  // Block `height` holding `txs` transactions after `frontier`, with one
  // transaction by `sender` per leaf; the header's accumulator matches.
  BlockEntry block(std::uint64_t height, Frontier& frontier, std::uint64_t txs,
                   const core::Hash256& sender, const core::Hash256& parent) {
    BlockEntry e;
    e.height = height;
    for (std::uint64_t i = 0; i < txs; ++i) {
      const std::uint64_t index = frontier.size;
      frontier.append(chain::merkle::leaf_hash(hash_of(index).view()));
      e.transactions.push_back(json{{"id", hash_of(index).to_hex()},
                                    {"index", index},
                                    {"height", height},
                                    {"sender", sender.to_hex()},
                                    {"module", "accounts"},
                                    {"call", "ping"}});
    }
    chain::BlockHeader h;
    h.height = height;
    h.parent_hash = parent;
    h.accumulator_size = frontier.size;
    h.accumulator_root = frontier.root();
    e.frontier = frontier;
    e.block = json{{"height", height},
                   {"block_id", h.id().to_hex()},
                   {"header_hex", core::to_hex(core::encode(h))}};
    return e;
  }

  std::filesystem::path dir_;
  core::Hash256 genesis_;
};

TEST(FrontierTest, GivesTheRfc6962RootOfEverySize) {
  Frontier f;
  std::vector<core::Hash256> leaves;
  EXPECT_EQ(f.root(), chain::merkle::empty_root());
  for (std::uint64_t n = 1; n <= 70; ++n) {
    leaves.push_back(chain::merkle::leaf_hash(hash_of(n).view()));
    f.append(leaves.back());
    ASSERT_EQ(f.size, n);
    ASSERT_EQ(f.root(), chain::merkle::root(leaves)) << "size " << n;
    auto again = Frontier::decode(f.encode());
    ASSERT_TRUE(again.has_value());
    ASSERT_EQ(again->root(), f.root());
  }
  std::string bad = f.encode();
  EXPECT_FALSE(Frontier::decode(bad.substr(0, bad.size() - 1)).has_value());
  EXPECT_FALSE(Frontier::decode(bad + std::string(32, 'x')).has_value());
  EXPECT_FALSE(Frontier::decode("short").has_value());
}

TEST_F(IndexTest, WritesReadsAndResumesAfterReopening) {
  const core::Hash256 alice = hash_of(1000);
  Frontier frontier;
  {
    auto index = open();
    ASSERT_TRUE(index);
    EXPECT_FALSE(index->rebuilt().has_value());
    EXPECT_FALSE(index->indexed_height().has_value());
    auto b0 = block(0, frontier, 0, alice, core::Hash256{});
    ASSERT_TRUE(index->put_block(b0).has_value());
    auto b1 = block(1, frontier, 3, alice, hash_of(5000));
    ASSERT_TRUE(index->put_block(b1).has_value());
    ASSERT_TRUE(
        index->put_search({{"BAUHINIA 紫荊", json{{"kind", "record"}, {"key", "304477102"}}}})
            .has_value());
  }
  auto index = open();
  ASSERT_TRUE(index);
  EXPECT_FALSE(index->rebuilt().has_value());
  ASSERT_EQ(index->indexed_height(), 1U);
  EXPECT_EQ(index->frontier().size, 3U);
  EXPECT_EQ(index->frontier().root(), frontier.root());
  EXPECT_EQ(index->transaction_count(), 3U);
  ASSERT_TRUE(index->block(1).has_value());
  EXPECT_EQ((*index->block(1))["height"], 1);
  EXPECT_FALSE(index->block(2).has_value());
  ASSERT_TRUE(index->transaction(hash_of(2)).has_value());
  EXPECT_EQ((*index->transaction(hash_of(2)))["index"], 2);
  EXPECT_FALSE(index->transaction(hash_of(3)).has_value());

  const auto blocks = index->blocks(1, 10);
  ASSERT_EQ(blocks.size(), 2U);
  EXPECT_EQ(blocks[0]["height"], 1);
  EXPECT_EQ(blocks[1]["height"], 0);

  // The account's transactions, newest first, paged by accumulator index.
  auto all = index->account(alice, UINT64_MAX, 10);
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0]["index"], 2);
  EXPECT_EQ(all[2]["index"], 0);
  auto page = index->account(alice, 1, 1);
  ASSERT_EQ(page.size(), 1U);
  EXPECT_EQ(page[0]["index"], 1);
  EXPECT_TRUE(index->account(hash_of(1001), UINT64_MAX, 10).empty());

  // By call, oldest first.
  auto pings = index->by_call("accounts", "ping", 10);
  ASSERT_EQ(pings.size(), 3U);
  EXPECT_EQ(pings[0]["index"], 0);
  EXPECT_EQ(index->by_call("accounts", "ping", 2).size(), 2U);
  EXPECT_TRUE(index->by_call("accounts", "pin", 10).empty());
  EXPECT_TRUE(index->by_call("drugs", "recall", 10).empty());

  // Search by prefix, case-insensitive for ASCII, UTF-8 as is.
  EXPECT_EQ(index->search_prefix("bauh", 5).size(), 1U);
  EXPECT_EQ(index->search_prefix("BAUHINIA 紫", 5).size(), 1U);
  EXPECT_TRUE(index->search_prefix("lotus", 5).empty());
}

// A custody transfer signed by the supplier and co-signed by the receiver
// (a real co-signature over the real payload type): both accounts list it as
// their activity; an account named in the terms but not co-signing does not.
TEST_F(IndexTest, ACoSignerListsTheTransactionAsItsActivity) {
  using core::schnorr::SecretKey;
  const SecretKey supplier = SecretKey::generate();
  const SecretKey receiver = SecretKey::generate();
  const core::AccountId supplier_account = core::account_id_of(supplier.public_key());
  const core::AccountId receiver_account = core::account_id_of(receiver.public_key());
  const core::Hash256 supplier_id = *core::Hash256::from_hex(supplier_account.to_hex());
  const core::Hash256 receiver_id = *core::Hash256::from_hex(receiver_account.to_hex());
  const auto bystander = hash_of(4242);

  chain::Transaction tx;
  tx.chain_id = "explorer-index-test";
  tx.sender = supplier_account;
  tx.public_key = supplier.public_key();
  tx.module = "drugs";
  tx.call = "transfer";
  contracts::drugs::TransferTerms terms;
  terms.regno = "HK-12345";
  terms.batch = "B2026-01";
  terms.from = supplier_account;
  terms.to = receiver_account;
  terms.quantity = 100;
  contracts::drugs::TransferPayload payload{terms, {}};
  payload.cosignatures.push_back(contracts::cosign(tx, core::encode(terms), receiver));
  // The supplier co-signing too writes its own key once more, not a second entry.
  payload.cosignatures.push_back(contracts::cosign(tx, core::encode(terms), supplier));
  tx.payload = core::encode(payload);

  Frontier frontier;
  auto index = open();
  ASSERT_TRUE(index->put_block(block(0, frontier, 1, bystander, core::Hash256{})).has_value());
  auto b1 = block(1, frontier, 3, supplier_id, hash_of(5000));
  b1.transactions[1]["module"] = "drugs";
  b1.transactions[1]["call"] = "transfer";
  b1.transactions[1]["outcome"] = "success";
  b1.transactions[1]["payload_hex"] = core::to_hex(tx.payload);
  // A failed transfer naming the receiver only in a payload that does not decode.
  b1.transactions[2]["module"] = "drugs";
  b1.transactions[2]["call"] = "transfer";
  b1.transactions[2]["outcome"] = "unauthorized";
  b1.transactions[2]["payload_hex"] = core::to_hex(tx.payload).substr(0, 40);
  ASSERT_TRUE(index->put_block(b1).has_value());

  const auto received = index->account(receiver_id, UINT64_MAX, 10);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0]["index"], 2);
  EXPECT_EQ(received[0]["call"], "transfer");
  EXPECT_EQ(index->account(supplier_id, UINT64_MAX, 10).size(), 3U);
  EXPECT_EQ(index->account(bystander, UINT64_MAX, 10).size(), 1U);
  EXPECT_TRUE(index->account(hash_of(777), UINT64_MAX, 10).empty());

  // Successful calls are counted; the failed one is not.
  EXPECT_EQ(index->success_count("drugs", "transfer"), 1U);
  EXPECT_EQ(index->success_count("drugs", "recall"), 0U);
  auto b2 = block(2, frontier, 2, supplier_id, hash_of(5001));
  for (auto& t : b2.transactions) {
    t["module"] = "drugs";
    t["call"] = "transfer";
    t["outcome"] = "success";
  }
  ASSERT_TRUE(index->put_block(b2).has_value());
  EXPECT_EQ(index->success_count("drugs", "transfer"), 3U);
  EXPECT_EQ(index->account(receiver_id, UINT64_MAX, 10).size(), 1U);
}

// The register summary (count, height, block id) is written with its snapshot
// and read without it.
TEST_F(IndexTest, KeepsEachRegistersSummaryWithItsSnapshot) {
  auto index = open();
  EXPECT_FALSE(index->register_summary("companies").has_value());
  const json snapshot{{"register", "companies"},
                      {"certified_height", 7},
                      {"block_id", std::string(64, 'b')},
                      {"records", json::array({json{{"number", "1"}}, json{{"number", "2"}}})}};
  ASSERT_TRUE(index->put_register("companies", snapshot, {}).has_value());
  auto summary = index->register_summary("companies");
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ((*summary)["count"], 2);
  EXPECT_EQ((*summary)["certified_height"], 7);
  EXPECT_EQ((*summary)["block_id"], std::string(64, 'b'));
  json smaller = snapshot;
  smaller["records"] = json::array();
  smaller["certified_height"] = 9;
  ASSERT_TRUE(index->put_register("companies", smaller, {}).has_value());
  EXPECT_EQ((*index->register_summary("companies"))["count"], 0);
  EXPECT_EQ((*index->register_summary("companies"))["certified_height"], 9);
}

TEST_F(IndexTest, ACorruptBlockAtTheMarkIsDetectedAndTheIndexRebuilt) {
  Frontier frontier;
  {
    auto index = open();
    ASSERT_TRUE(index->put_block(block(0, frontier, 2, hash_of(1), core::Hash256{})).has_value());
  }
  {
    leveldb::DB* db = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), (dir_ / "index").string(), &db).ok());
    std::string key = "b/" + std::string(8, '\0');
    ASSERT_TRUE(
        db->Put(leveldb::WriteOptions(), key, "{\"height\": 0, \"header_hex\": \"00\"}").ok());
    delete db;
  }
  auto index = open();
  ASSERT_TRUE(index);
  ASSERT_TRUE(index->rebuilt().has_value());
  EXPECT_NE(index->rebuilt()->find("self-check"), std::string::npos) << *index->rebuilt();
  EXPECT_FALSE(index->indexed_height().has_value());
  EXPECT_FALSE(index->transaction(hash_of(0)).has_value());
}

TEST_F(IndexTest, AFrontierThatDoesNotGiveTheBlocksRootIsDetected) {
  Frontier frontier;
  {
    auto index = open();
    auto entry = block(0, frontier, 2, hash_of(1), core::Hash256{});
    entry.frontier.append(hash_of(77));  // one leaf more than the header holds
    ASSERT_TRUE(index->put_block(entry).has_value());
  }
  auto index = open();
  ASSERT_TRUE(index->rebuilt().has_value());
  EXPECT_NE(index->rebuilt()->find("frontier"), std::string::npos) << *index->rebuilt();
}

TEST_F(IndexTest, AnIndexThatDoesNotOpenIsRebuilt) {
  Frontier frontier;
  {
    auto index = open();
    ASSERT_TRUE(index->put_block(block(0, frontier, 1, hash_of(1), core::Hash256{})).has_value());
  }
  // LevelDB's CURRENT file names the manifest: garbage there fails the open.
  {
    std::ofstream current(dir_ / "index" / "CURRENT", std::ios::trunc);
    current << "MANIFEST-999999\n";
  }
  auto index = open();
  ASSERT_TRUE(index);
  ASSERT_TRUE(index->rebuilt().has_value());
  EXPECT_NE(index->rebuilt()->find("did not open"), std::string::npos) << *index->rebuilt();
  EXPECT_FALSE(index->indexed_height().has_value());
  // And it works again.
  Frontier again;
  ASSERT_TRUE(index->put_block(block(0, again, 1, hash_of(1), core::Hash256{})).has_value());
  EXPECT_EQ(index->indexed_height(), 0U);
}

TEST_F(IndexTest, AnIndexOfAnotherChainIsRebuilt) {
  Frontier frontier;
  {
    auto index = open();
    ASSERT_TRUE(index->put_block(block(0, frontier, 1, hash_of(1), core::Hash256{})).has_value());
  }
  auto index = open(hash_of(12345));
  ASSERT_TRUE(index->rebuilt().has_value());
  EXPECT_NE(index->rebuilt()->find("another chain"), std::string::npos) << *index->rebuilt();
  EXPECT_FALSE(index->indexed_height().has_value());
}

}  // namespace
}  // namespace bauhinia::explorer
