// Queries: a product, a batch, its full custody chain in one query (paged),
// its holders, an account's holdings and recalls; malformed paths refused.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

const std::string kBatchPath = std::string("batch/") + kRegno + "/" + kBatch;

class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l_.product_and_batch(1000);
    ASSERT_EQ(failure(l_.transfer(maker(), wholesaler(), 600)), "success/");
    ASSERT_EQ(failure(l_.transfer(wholesaler(), pharmacy(), 250)), "success/");
    ASSERT_EQ(failure(l_.transfer(wholesaler(), hospital(), 50)), "success/");
  }
  Ledger l_;
};

TEST_F(QueriesTest, ProductAndBatch) {
  auto p = l_.query(std::string("product/") + kRegno);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->module, "drugs");
  EXPECT_EQ(p->record_key, product_key(kRegno));
  ASSERT_TRUE(p->value.has_value());
  EXPECT_EQ(core::decode<ProductRecord>(*p->value)->batch_count, 1U);
  auto b = l_.query(kBatchPath);
  ASSERT_TRUE(b.has_value());
  ASSERT_TRUE(b->value.has_value());
  auto batch = core::decode<BatchRecord>(*b->value);
  EXPECT_EQ(batch->expiry_ms, l_.batch()->expiry_ms);
  EXPECT_FALSE(batch->recall.has_value());
  // Batches of the product.
  auto list = l_.query(std::string("product/") + kRegno + "/batches");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->related.size(), 1U);
  EXPECT_EQ(list->related[0].record_key, batch_key(kRegno, kBatch));
  // Absent records answer an absent value (provable non-existence), not an error.
  auto none = l_.query(std::string("product/HK-00001"));
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->value.has_value());
  auto no_batch = l_.query(std::string("batch/") + kRegno + "/X1/custody");
  ASSERT_TRUE(no_batch.has_value());
  EXPECT_FALSE(no_batch->value.has_value());
  EXPECT_TRUE(no_batch->related.empty());
}

TEST_F(QueriesTest, TheFullCustodyChainInOneQuery) {
  auto a = l_.query(kBatchPath + "/custody");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->record_key, batch_key(kRegno, kBatch));
  ASSERT_EQ(a->related.size(), 4U);
  std::vector<std::tuple<CustodyStep, core::AccountId, std::uint64_t>> got;
  for (std::uint32_t i = 0; i < a->related.size(); ++i) {
    EXPECT_EQ(a->related[i].record_key, custody_key(kRegno, kBatch, i));
    auto c = core::decode<CustodyRecord>(*a->related[i].value);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->index, i);
    got.emplace_back(c->step, c->to, c->quantity);
  }
  EXPECT_EQ(got, (std::vector<std::tuple<CustodyStep, core::AccountId, std::uint64_t>>{
                     {CustodyStep::kCreated, account_of(maker()), 1000},
                     {CustodyStep::kTransfer, account_of(wholesaler()), 600},
                     {CustodyStep::kTransfer, account_of(pharmacy()), 250},
                     {CustodyStep::kTransfer, account_of(hospital()), 50}}));
  EXPECT_FALSE(a->next_page.has_value());
}

TEST_F(QueriesTest, ALongCustodyChainIsPaged) {
  // 66 more steps between two wholesalers: 70 custody records in all.
  for (int i = 0; i < 66; ++i) {
    const bool even = i % 2 == 0;
    ASSERT_EQ(failure(l_.transfer(even ? wholesaler() : wholesaler2(),
                                  even ? wholesaler2() : wholesaler(), 1)),
              "success/");
  }
  auto first = l_.query(kBatchPath + "/custody");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->related.size(), 64U);
  ASSERT_TRUE(first->next_page.has_value());
  EXPECT_EQ(*first->next_page, 1U);
  auto second = l_.query(kBatchPath + "/custody/1");
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->related.size(), 6U);
  EXPECT_EQ(second->related.back().record_key, custody_key(kRegno, kBatch, 69));
  EXPECT_FALSE(second->next_page.has_value());
  auto past = l_.query(kBatchPath + "/custody/9");
  ASSERT_TRUE(past.has_value());
  EXPECT_TRUE(past->related.empty());
}

TEST_F(QueriesTest, HoldersOfABatchAndHoldingsOfAnAccount) {
  auto a = l_.query(kBatchPath + "/holders");
  ASSERT_TRUE(a.has_value());
  std::map<core::AccountId, std::uint64_t> holders;
  for (const QueryRecord& r : a->related) {
    auto h = core::decode<HoldingRecord>(*r.value);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(r.record_key, holding_key(kRegno, kBatch, h->holder));
    holders[h->holder] = h->quantity;
  }
  EXPECT_EQ(holders, (std::map<core::AccountId, std::uint64_t>{{account_of(maker()), 400},
                                                               {account_of(wholesaler()), 300},
                                                               {account_of(pharmacy()), 250},
                                                               {account_of(hospital()), 50}}));
  // A second batch: the wholesaler's holdings list both.
  l_.product_and_batch(10, "B2026-002");
  ASSERT_EQ(failure(l_.transfer(maker(), wholesaler(), 10, "B2026-002")), "success/");
  auto mine = l_.query("holder/" + account_of(wholesaler()).to_hex() + "/holdings");
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->related.size(), 2U);
  // The maker passed on all of the second batch: only the first remains.
  auto maker_holdings = l_.query("holder/" + account_of(maker()).to_hex() + "/holdings");
  ASSERT_EQ(maker_holdings->related.size(), 1U);
  EXPECT_EQ(maker_holdings->related[0].record_key,
            holding_key(kRegno, kBatch, account_of(maker())));
  auto nobody = l_.query("holder/" + account_of(stranger()).to_hex() + "/recalls");
  ASSERT_TRUE(nobody.has_value());
  EXPECT_TRUE(nobody->related.empty());
}

TEST_F(QueriesTest, MalformedPathsAreRefused) {
  const std::string hex = account_of(maker()).to_hex();
  for (const std::string& path :
       {std::string(""), std::string("product"), std::string("product/HK-1"),
        std::string("product/") + kRegno + "/batches/x", std::string("product/") + kRegno + "/x",
        std::string("batch/") + kRegno, std::string("batch/") + kRegno + "/a b",
        std::string("batch/HK-5123X/") + kBatch, kBatchPath + "/owners", kBatchPath + "/custody/-1",
        kBatchPath + "/custody/1/2", std::string("holder/zz/holdings"), "holder/" + hex,
        "holder/" + hex + "/other", "holder/" + hex + "/recalls/x", std::string("nothing/here")}) {
    auto a = l_.query(path);
    EXPECT_FALSE(a.has_value()) << path;
  }
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
