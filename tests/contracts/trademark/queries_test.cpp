// Queries: a mark, its history, the lists by owner, status and expiry month,
// paginated (64 a page), each list kept right on every change.

#include <gtest/gtest.h>

#include <set>

#include "bauhinia/contracts/index_list.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

std::string number_of(int i) {
  std::string s = std::to_string(306000000 + i);
  return s;
}

std::set<Bytes> all_pages(const Ledger& ledger, const std::string& path) {
  std::set<Bytes> out;
  std::uint32_t page = 0;
  for (;;) {
    auto a = ledger.query(path + "/" + std::to_string(page));
    EXPECT_TRUE(a.has_value()) << path;
    if (!a) break;
    for (const QueryRecord& r : a->related) {
      EXPECT_TRUE(r.value.has_value());
      EXPECT_TRUE(out.insert(r.record_key).second);
    }
    if (!a->next_page) break;
    EXPECT_EQ(a->related.size(), kIndexPageSize);
    page = static_cast<std::uint32_t>(*a->next_page);
  }
  return out;
}

TEST(QueriesTest, ListsArePaginatedAndFollowEveryChange) {
  Ledger ledger;
  const Party owner = party(applicant(), "Harbour Lantern Foods Limited");
  // 70 applications of one owner, in blocks of 10.
  std::set<Bytes> keys;
  for (int b = 0; b < 7; ++b) {
    std::vector<chain::IdentifiedTransaction> txs;
    for (int i = 0; i < 10; ++i) {
      const std::string n = number_of(b * 10 + i);
      keys.insert(mark_key(n));
      chain::Transaction tx =
          ledger.draft(registrar(), "file", core::encode(sample_filing(n, owner, ledger.now_ms)));
      tx.sequence += static_cast<std::uint64_t>(i);
      txs.push_back(Ledger::sign(std::move(tx), registrar()));
    }
    for (const ExecutedTransaction& t : ledger.block(txs)) {
      ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.detail;
    }
  }
  const std::string by_owner = "by_owner/" + account_of(applicant()).to_hex();
  auto first = ledger.query(by_owner);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->related.size(), 64U);
  EXPECT_EQ(first->next_page, 1U);
  auto second = ledger.query(by_owner + "/1");
  EXPECT_EQ(second->related.size(), 6U);
  EXPECT_FALSE(second->next_page.has_value());
  auto past = ledger.query(by_owner + "/2");
  EXPECT_TRUE(past->related.empty());
  EXPECT_FALSE(past->value.has_value());
  EXPECT_EQ(all_pages(ledger, by_owner), keys);
  EXPECT_EQ(all_pages(ledger, "by_status/filed"), keys);

  // Moving five through examination moves them between status lists.
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(ledger.act("examine", number_of(i)).info.outcome, TxOutcome::kSuccess);
  }
  EXPECT_EQ(all_pages(ledger, "by_status/filed").size(), 65U);
  EXPECT_EQ(all_pages(ledger, "by_status/examination"),
            (std::set<Bytes>{mark_key(number_of(0)), mark_key(number_of(1)), mark_key(number_of(2)),
                             mark_key(number_of(3)), mark_key(number_of(4))}));
  EXPECT_TRUE(all_pages(ledger, "by_status/registered").empty());
}

TEST(QueriesTest, ExpiringListsFollowRegistrationRenewalAndRemoval) {
  Ledger ledger;
  const std::string n = "305918274";
  ledger.register_mark(n, party(applicant(), "Harbour Lantern Foods Limited"));
  const std::uint64_t expiry = ledger.mark(n)->expiry_ms;
  const std::string month = month_of(expiry);
  EXPECT_EQ(month, "2036-01");
  auto due = ledger.query("expiring/" + month);
  ASSERT_EQ(due->related.size(), 1U);
  EXPECT_EQ(due->related[0].record_key, mark_key(n));
  ledger.now_ms = expiry - 30 * kDayMs;
  ASSERT_EQ(ledger.act("renew", n).info.outcome, TxOutcome::kSuccess);
  EXPECT_TRUE(ledger.query("expiring/" + month)->related.empty());
  EXPECT_EQ(ledger.query("expiring/2046-01")->related.size(), 1U);
  ledger.now_ms = ledger.mark(n)->expiry_ms + 200 * kDayMs;
  ASSERT_EQ(ledger.act("remove", n).info.outcome, TxOutcome::kSuccess);
  EXPECT_TRUE(ledger.query("expiring/2046-01")->related.empty());
  EXPECT_EQ(ledger.query("by_status/removed")->related.size(), 1U);
  EXPECT_TRUE(ledger.query("by_status/registered")->related.empty());
}

TEST(QueriesTest, MarkAndHistoryAnswersAndMalformedPaths) {
  Ledger ledger;
  const std::string n = "305918274";
  ledger.register_mark(n, party(applicant(), "Harbour Lantern Foods Limited"));
  auto m = ledger.query("mark/" + n);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->module, "trademark");
  EXPECT_EQ(m->record_key, mark_key(n));
  ASSERT_TRUE(m->value.has_value());
  EXPECT_EQ(core::decode<MarkRecord>(*m->value)->number, n);
  // An unknown number answers an absent record (provable absence).
  auto absent = ledger.query("mark/305918275");
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->value.has_value());

  // 70 licences: the history pages.
  for (int i = 0; i < 70; ++i) {
    LicenceTerms l;
    l.number = n;
    l.licensor = account_of(applicant());
    l.licensee = party(assignee(), "Licensee " + std::to_string(i));
    l.start_ms = ledger.now_ms;
    ASSERT_EQ(ledger.cosigned(registrar(), "record_licence", l, {&applicant()}).info.outcome,
              TxOutcome::kSuccess);
  }
  auto h0 = ledger.query("history/" + n);
  ASSERT_EQ(h0->related.size(), 64U);
  EXPECT_EQ(h0->next_page, 1U);
  EXPECT_EQ(h0->related[63].record_key, history_key(n, 63));
  auto h1 = ledger.query("history/" + n + "/1");
  ASSERT_EQ(h1->related.size(), 6U);
  EXPECT_EQ(core::decode<HistoryRecord>(*h1->related[5].value)->to.name_en, "Licensee 69");
  EXPECT_FALSE(h1->next_page.has_value());

  for (const char* bad :
       {"mark", "mark/", "mark/30591827", "mark/305918274/1", "history/x", "by_owner/zz",
        "by_status/sleeping", "expiring/2036-13", "expiring/2036-1", "expiring/36-01",
        "by_status/filed/x", "by_status/filed/1/2", "nothing/305918274", "ownership/205918274"}) {
    auto r = ledger.query(bad);
    EXPECT_FALSE(r.has_value()) << bad;
  }
}

TEST(QueriesTest, TheOwnershipChainIsPaginated) {
  Ledger ledger;
  const std::string n = "305918274";
  const Party a = party(applicant(), "Harbour Lantern Foods Limited");
  const Party b = party(assignee(), "Kowloon Kinetic Technology Limited");
  ledger.register_mark(n, a);
  // 70 whole assignments back and forth, each co-signed by the owner of the moment.
  for (int i = 0; i < 70; ++i) {
    const bool from_a = i % 2 == 0;
    AssignTerms t;
    t.number = n;
    t.assignor = from_a ? a.account : b.account;
    t.assignee = from_a ? b : a;
    t.assignment_date_ms = ledger.now_ms;
    ASSERT_EQ(ledger.cosigned(registrar(), "assign", t, {from_a ? &applicant() : &assignee()})
                  .info.outcome,
              TxOutcome::kSuccess);
  }
  auto p0 = ledger.query("ownership/" + n);
  ASSERT_TRUE(p0.has_value());
  ASSERT_EQ(p0->related.size(), 64U);
  EXPECT_EQ(p0->next_page, 1U);
  EXPECT_EQ(p0->related[0].record_key, history_key(n, 0));
  auto p1 = ledger.query("ownership/" + n + "/1");
  ASSERT_EQ(p1->related.size(), 6U);
  EXPECT_EQ(p1->related[5].record_key, history_key(n, 69));
  EXPECT_FALSE(p1->next_page.has_value());
  EXPECT_EQ(ledger.mark(n)->owner, a);
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
