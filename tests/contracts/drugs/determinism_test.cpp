// The drugs scenario (product, batch, custody down the chain, a recall, an
// acknowledgement, a return, refused calls) executed on two independent state
// instances: every block's writes, transaction infos and the final state are
// identical.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

class TwoReplicas {
 public:
  void block(const std::vector<chain::IdentifiedTransaction>& txs) {
    b.now_ms = a.now_ms;
    auto ra = a.block(txs);
    auto rb = b.block(txs);
    ASSERT_EQ(ra.size(), rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].info, rb[i].info);
      EXPECT_EQ(encode_write_set(ra[i].writes), encode_write_set(rb[i].writes));
      EXPECT_EQ(ra[i].events, rb[i].events);
      EXPECT_EQ(ra[i].reason, rb[i].reason);
      outcomes.push_back(ra[i].reason);
    }
    EXPECT_EQ(encode_write_set(a.blocks.back()), encode_write_set(b.blocks.back()));
  }
  chain::IdentifiedTransaction call(const Key& k, std::string name, Bytes payload,
                                    std::uint64_t offset = 0) const {
    chain::Transaction t = a.draft(k, std::move(name), std::move(payload));
    t.sequence += offset;
    return Ledger::sign(std::move(t), k);
  }

  Ledger a;
  Ledger b;
  std::vector<std::string> outcomes;
};

TEST(DrugsDeterminism, TwoIndependentStatesAgreeOnEveryBlock) {
  TwoReplicas r;
  const std::uint64_t now = r.a.now_ms;
  r.block({r.call(regulator(), "register_product", core::encode(sample_product())),
           r.call(maker(), "create_batch",
                  core::encode(BatchArgs{kRegno, kBatch, 1000, now - kDayMs, now + 400 * kDayMs})),
           r.call(maker(), "create_batch",
                  core::encode(BatchArgs{kRegno, "B2", 50, now - kDayMs, now + 400 * kDayMs}), 1)});
  r.block({r.a.custody_tx(maker(), terms(maker(), wholesaler(), 700), {&wholesaler()}),
           r.a.custody_tx(wholesaler2(), terms(wholesaler2(), pharmacy(), 5), {&pharmacy()})});
  r.block({r.a.custody_tx(wholesaler(), terms(wholesaler(), pharmacy(), 300), {&pharmacy()}),
           r.a.custody_tx(wholesaler2(), terms(wholesaler2(), hospital(), 1), {})});
  r.block({r.a.custody_tx(wholesaler(), terms(wholesaler(), hospital(), 100), {&hospital()})});
  r.block({r.call(regulator(), "recall",
                  core::encode(RecallArgs{kRegno, kBatch, RecallClass::kClass1,
                                          RecallLevel::kPatient, RecallReason::kSafetyConcern}))});
  r.block({r.call(maker(), "acknowledge_recall", core::encode(NoticeArgs{kRegno, kBatch, 0})),
           r.a.custody_tx(hospital(), terms(hospital(), wholesaler(), 100), {&wholesaler()},
                          "return_recalled"),
           r.a.custody_tx(wholesaler(), terms(wholesaler(), pharmacy(), 1), {&pharmacy()})});
  EXPECT_EQ(r.a.state.values(), r.b.state.values());
  // The scenario exercised (the maker's notice is the first: holders in list order) successes and
  // typed refusals.
  EXPECT_EQ(r.outcomes,
            (std::vector<std::string>{"", "", "", "", "insufficient_holding", "",
                                      "receiver_not_cosigned", "", "", "", "", "batch_recalled"}));
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
