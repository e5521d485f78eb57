// Recalls: the regulator recalls a batch; every account holding units of it
// at that moment gets a notice (record, list entry, event); transfers of the
// batch are refused from then on; holders acknowledge and return stock up
// the chain, signed by both sides.

#include <gtest/gtest.h>

#include <set>

#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

RecallArgs recall_args(std::string batch = kBatch) {
  return RecallArgs{kRegno, std::move(batch), RecallClass::kClass2, RecallLevel::kRetail,
                    RecallReason::kContamination};
}

class RecallTest : public ::testing::Test {
 protected:
  // Holders before the recall: maker 400, wholesaler 300, pharmacy 200,
  // hospital 100; wholesaler2 passed on all it received.
  void SetUp() override {
    l_.product_and_batch(1000);
    for (auto [from, to, q] : {std::tuple{&maker(), &wholesaler(), 600},
                               {&wholesaler(), &wholesaler2(), 100},
                               {&wholesaler2(), &hospital(), 100},
                               {&wholesaler(), &pharmacy(), 200}}) {
      ASSERT_EQ(failure(l_.transfer(*from, *to, static_cast<std::uint64_t>(q))), "success/");
    }
  }

  ExecutedTransaction recall() {
    return l_.call(regulator(), "recall", core::encode(recall_args()));
  }

  std::vector<RecallNoticeRecord> notices_of(const Key& k) {
    std::vector<RecallNoticeRecord> out;
    auto a = l_.query("holder/" + account_of(k).to_hex() + "/recalls");
    EXPECT_TRUE(a.has_value());
    if (!a) return out;
    for (const QueryRecord& r : a->related) {
      auto n = core::decode<RecallNoticeRecord>(*r.value);
      EXPECT_TRUE(n.has_value());
      out.push_back(*n);
    }
    return out;
  }

  std::uint32_t notice_index_of(const Key& k) {
    auto n = notices_of(k);
    EXPECT_EQ(n.size(), 1U);
    return n.empty() ? 0 : n[0].index;
  }

  Ledger l_;
};

TEST_F(RecallTest, ARecallReachesEveryCurrentHolder) {
  const auto t = recall();
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
  // One batch event, then one notice event per holder with units.
  ASSERT_EQ(t.events.size(), 5U);
  EXPECT_EQ(t.events[0].kind, "batch_recalled");
  auto summary = core::decode<RecallEvent>(t.events[0].data);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->holders, 4U);
  EXPECT_EQ(summary->reason, RecallReason::kContamination);
  std::map<core::AccountId, std::uint64_t> told;
  for (std::size_t i = 1; i < t.events.size(); ++i) {
    EXPECT_EQ(t.events[i].kind, "recall_notice");
    auto e = core::decode<NoticeEvent>(t.events[i].data);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(t.events[i].record_key, notice_key(kRegno, kBatch, e->index));
    EXPECT_TRUE(told.emplace(e->holder, e->quantity).second);
  }
  EXPECT_EQ(told, (std::map<core::AccountId, std::uint64_t>{{account_of(maker()), 400},
                                                            {account_of(wholesaler()), 300},
                                                            {account_of(pharmacy()), 200},
                                                            {account_of(hospital()), 100}}));
  // The batch is marked.
  auto b = l_.batch();
  ASSERT_TRUE(b->recall.has_value());
  EXPECT_EQ(b->recall->recall_class, RecallClass::kClass2);
  EXPECT_EQ(b->recall->level, RecallLevel::kRetail);
  EXPECT_EQ(b->recall->notices, 4U);
  EXPECT_EQ(b->recall->transaction_id, t.id);
  // Per holder: each holder's list has its notice; wholesaler2 (holding none) has none.
  for (const Key* k : {&maker(), &wholesaler(), &pharmacy(), &hospital()}) {
    auto n = notices_of(*k);
    ASSERT_EQ(n.size(), 1U);
    EXPECT_EQ(n[0].holder, account_of(*k));
    EXPECT_EQ(n[0].quantity, l_.holding(*k));
    EXPECT_EQ(n[0].reason, RecallReason::kContamination);
    EXPECT_EQ(n[0].acknowledged_ms, 0U);
  }
  EXPECT_TRUE(notices_of(wholesaler2()).empty());
  // Per batch: the batch and its four notices, in order.
  auto a = l_.query(std::string("batch/") + kRegno + "/" + kBatch + "/recall");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->record_key, batch_key(kRegno, kBatch));
  ASSERT_EQ(a->related.size(), 4U);
  for (std::uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a->related[i].record_key, notice_key(kRegno, kBatch, i));
    ASSERT_TRUE(a->related[i].value.has_value());
  }
  EXPECT_FALSE(a->next_page.has_value());
}

TEST_F(RecallTest, ARecalledBatchIsNeverTransferred) {
  const auto pending =
      l_.custody_tx(wholesaler(), terms(wholesaler(), pharmacy(), 10), {&pharmacy()});
  EXPECT_TRUE(l_.admit(pending).ok());
  ASSERT_EQ(recall().info.outcome, TxOutcome::kSuccess);
  // Admission and execution both refuse it now, with the typed reason.
  const core::Verdict v = l_.admit(pending);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.rejection().detail.find("batch_recalled"), std::string::npos);
  EXPECT_EQ(failure(l_.submit(pending)), "failed_precondition/batch_recalled");
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler2(), 1)), "failed_precondition/batch_recalled");
  EXPECT_EQ(l_.holding(pharmacy()), 200U);
  EXPECT_EQ(l_.holding(wholesaler()), 300U);
}

TEST_F(RecallTest, RecallRefusals) {
  EXPECT_EQ(failure(l_.call(wholesaler(), "recall", core::encode(recall_args()))),
            "unauthorized/not_regulator");
  EXPECT_EQ(failure(l_.call(maker(), "recall", core::encode(recall_args()))),
            "unauthorized/not_regulator");
  EXPECT_EQ(failure(l_.call(regulator(), "recall", core::encode(recall_args("OTHER")))),
            "not_found/batch_not_found");
  Bytes bad_class = core::encode(recall_args());
  bad_class[bad_class.size() - 3] = 7;  // recall_class beyond class_3
  EXPECT_EQ(failure(l_.call(regulator(), "recall", bad_class)),
            "invalid_argument/malformed_payload");
  EXPECT_FALSE(l_.batch()->recall.has_value());
  ASSERT_EQ(recall().info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(recall()), "failed_precondition/already_recalled");
  EXPECT_EQ(l_.batch()->recall->notices, 4U);
}

TEST_F(RecallTest, HoldersAcknowledgeTheirOwnNoticeOnce) {
  ASSERT_EQ(recall().info.outcome, TxOutcome::kSuccess);
  const std::uint32_t i = notice_index_of(pharmacy());
  const Bytes args = core::encode(NoticeArgs{kRegno, kBatch, i});
  EXPECT_EQ(failure(l_.call(hospital(), "acknowledge_recall", args)),
            "unauthorized/not_notice_holder");
  const auto t = l_.call(pharmacy(), "acknowledge_recall", args);
  ASSERT_EQ(failure(t), "success/");
  ASSERT_FALSE(t.events.empty());  // after the Executor's account_created
  EXPECT_EQ(t.events.back().kind, "recall_acknowledged");
  EXPECT_EQ(notices_of(pharmacy())[0].acknowledged_ms, l_.now_ms - 1000);
  EXPECT_EQ(failure(l_.call(pharmacy(), "acknowledge_recall", args)),
            "already_exists/already_acknowledged");
  EXPECT_EQ(failure(l_.call(pharmacy(), "acknowledge_recall",
                            core::encode(NoticeArgs{kRegno, kBatch, 99}))),
            "not_found/notice_not_found");
  EXPECT_EQ(failure(l_.call(pharmacy(), "acknowledge_recall", Bytes{1})),
            "invalid_argument/malformed_payload");
}

TEST_F(RecallTest, RecalledStockGoesBackUpTheChainSignedByBothSides) {
  ASSERT_EQ(recall().info.outcome, TxOutcome::kSuccess);
  // Not co-signed by the receiving wholesaler.
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(pharmacy(), terms(pharmacy(), wholesaler(), 200), {},
                                            "return_recalled"))),
            "unauthorized/receiver_not_cosigned");
  // A pharmacy returns to a wholesaler, not straight to the manufacturer.
  EXPECT_EQ(failure(l_.give_back(pharmacy(), maker(), 200)),
            "failed_precondition/illegal_direction");
  EXPECT_EQ(failure(l_.give_back(pharmacy(), wholesaler(), 201)),
            "failed_precondition/insufficient_holding");
  EXPECT_EQ(failure(l_.call(pharmacy(), "return_recalled", Bytes{0x01, 0x02})),
            "invalid_argument/malformed_payload");
  const auto t = l_.give_back(pharmacy(), wholesaler(), 200);
  ASSERT_EQ(failure(t), "success/");
  EXPECT_EQ(t.events[0].kind, "returned");
  ASSERT_EQ(failure(l_.give_back(hospital(), wholesaler2(), 100)), "success/");
  ASSERT_EQ(failure(l_.give_back(wholesaler2(), wholesaler(), 100)), "success/");
  ASSERT_EQ(failure(l_.give_back(wholesaler(), maker(), 600)), "success/");
  EXPECT_EQ(l_.holding(maker()), 1000U);
  for (const Key* k : {&wholesaler(), &wholesaler2(), &pharmacy(), &hospital()}) {
    EXPECT_EQ(l_.holding(*k), 0U);
  }
  // The notices count what each holder returned.
  EXPECT_EQ(notices_of(pharmacy())[0].returned, 200U);
  EXPECT_EQ(notices_of(hospital())[0].returned, 100U);
  EXPECT_EQ(notices_of(wholesaler())[0].returned, 600U);
  // The manufacturer has nowhere further to return it.
  EXPECT_EQ(failure(l_.give_back(maker(), wholesaler(), 1)), "unauthorized/sender_not_licensed");
  auto c = l_.record<CustodyRecord>(custody_key(kRegno, kBatch, l_.batch()->custody_size - 1));
  EXPECT_EQ(c->step, CustodyStep::kReturn);
  EXPECT_EQ(c->from_role, TraderRole::kWholesaler);
  EXPECT_EQ(c->to_role, TraderRole::kManufacturer);
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
