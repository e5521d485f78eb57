// Queries: each answer names module records (proven by the node); lists come
// a page (64) at a time with next_page.

#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

TEST(EnvironmentQueriesTest, AProjectAnswersWithItsReportsAndPermit) {
  Ledger l;
  std::string project;
  const std::string ep = l.permitted_project(&project);
  auto a = l.query("project/" + project);
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_EQ(a->module, "environment");
  EXPECT_EQ(a->record_key, project_key(project));
  ASSERT_TRUE(a->value.has_value());
  EXPECT_EQ(core::decode<ProjectRecord>(*a->value)->permit, ep);
  ASSERT_EQ(a->related.size(), 2U);  // report version 0 and the permit
  EXPECT_EQ(a->related[0].record_key, report_key(project, 0));
  EXPECT_EQ(a->related[1].record_key, permit_key(ep));
  EXPECT_FALSE(a->next_page.has_value());

  auto p = l.query("permit/" + ep);
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->related.size(), 1U);
  EXPECT_EQ(p->related[0].record_key, project_key(project));
  auto h = l.query("permit/" + ep + "/history");
  ASSERT_TRUE(h.has_value());
  ASSERT_EQ(h->related.size(), 1U);
  EXPECT_EQ(h->related[0].record_key, permit_history_key(ep, 0));
  ASSERT_EQ(
      l.act(proponent(), "submit_em_a", SubmissionArgs{ep, doc(0x51), l.now_ms - kDayMs, l.now_ms})
          .info.outcome,
      TxOutcome::kSuccess);
  auto s = l.query("permit/" + ep + "/submissions/0");
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(s->related.size(), 1U);
  EXPECT_TRUE(s->related[0].value.has_value());

  auto mine = l.query("proponent/" + account_of(proponent()).to_hex() + "/projects");
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->related.size(), 1U);
  auto held = l.query("holder/" + account_of(proponent()).to_hex() + "/permits");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->related.size(), 1U);
  auto approved = l.query("projects/approved");
  ASSERT_TRUE(approved.has_value());
  EXPECT_EQ(approved->related.size(), 1U);
  auto none = l.query("projects/on_inspection");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->related.empty());
  // An absent project answers an absent record (provably absent).
  auto absent = l.query("project/PP-555/2026");
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->value.has_value());
}

TEST(EnvironmentQueriesTest, CommentsArePagedSixtyFourAtATime) {
  Ledger l;
  const std::string n = l.project_with_report();
  ASSERT_EQ(l.act(officer(), "open_inspection", InspectionArgs{n, l.now_ms, l.now_ms + 30 * kDayMs})
                .info.outcome,
            TxOutcome::kSuccess);
  std::vector<chain::IdentifiedTransaction> txs;
  for (std::uint32_t i = 0; i < 70; ++i) {
    const auto& k = (i % 2 == 0) ? stranger() : transferee();
    chain::Transaction tx =
        l.draft(k, "comment", core::encode(CommentArgs{n, doc(static_cast<std::uint8_t>(i + 1))}));
    tx.sequence += i / 2;
    txs.push_back(Ledger::sign(std::move(tx), k));
  }
  const auto out = l.block(txs);
  ASSERT_EQ(out.size(), 70U);
  for (const auto& t : out) ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason;
  auto first = l.query("project/" + n + "/comments");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->related.size(), 64U);
  ASSERT_TRUE(first->next_page.has_value());
  EXPECT_EQ(*first->next_page, 1U);
  auto second = l.query("project/" + n + "/comments/1");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->related.size(), 6U);
  EXPECT_FALSE(second->next_page.has_value());
  EXPECT_EQ(second->related.back().record_key, comment_key(n, 69));
}

TEST(EnvironmentQueriesTest, TicketListsAndTheCustodyChain) {
  Ledger l;
  l.incorporate_producer();
  ASSERT_EQ(l.act(producer(), "issue_ticket", sample_ticket("CWTT-1")).info.outcome,
            TxOutcome::kSuccess);
  ASSERT_EQ(
      l.act(collector(), "record_collection", CollectionArgs{"CWTT-1", "LV 4821"}).info.outcome,
      TxOutcome::kSuccess);
  ASSERT_EQ(l.act(reception(), "record_receipt", ReceiptArgs{"CWTT-1", 1190}).info.outcome,
            TxOutcome::kSuccess);
  auto t = l.query("ticket/CWTT-1");
  ASSERT_TRUE(t.has_value());
  auto ticket = core::decode<TicketRecord>(*t->value);
  ASSERT_TRUE(ticket.has_value());
  EXPECT_EQ(ticket->collector, account_of(collector()));
  EXPECT_EQ(ticket->reception_point, account_of(reception()));
  EXPECT_NE(ticket->collected_ms, 0U);
  EXPECT_GT(ticket->received_ms, ticket->collected_ms);
  EXPECT_EQ(ticket->measured_kg, 1190U);
  for (const auto& [who, key] :
       {std::pair{"producer", &producer()}, std::pair{"collector", &collector()},
        std::pair{"reception", &reception()}}) {
    auto list = l.query(std::string(who) + "/" + account_of(*key).to_hex() + "/tickets");
    ASSERT_TRUE(list.has_value()) << who;
    ASSERT_EQ(list->related.size(), 1U) << who;
    EXPECT_EQ(list->related[0].record_key, ticket_key("CWTT-1"));
  }
  auto flagged = l.query("tickets/flagged");
  ASSERT_TRUE(flagged.has_value());
  EXPECT_TRUE(flagged->related.empty());
}

TEST(EnvironmentQueriesTest, MalformedPathsAreRefused) {
  Ledger l;
  for (const std::string& bad : std::vector<std::string>{
           "", "project", "project/PP-001", "project/PP-1/2026", "project/PP-001/2026/reports",
           "project/PP-001/2026/comments/x", "permit/EP-001/2026/nope", "permit/PP-001/2026",
           "ticket/lower case", "ticket/A/B", "tickets/all", "projects/unknown",
           "producer/zz/tickets", "producer/" + std::string(64, 'a') + "/permits",
           "a/b/c/d/e/f/g/h", "nothing/here"}) {
    auto a = l.query(bad);
    EXPECT_FALSE(a.has_value()) << bad;
  }
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
