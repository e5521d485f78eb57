// A multi-block scenario of the register executed on two independent state
// instances (two MemoryState + Executor): every block's writes, transaction
// infos and the final state must be identical.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

class TwoReplicas {
 public:
  // Runs one block of `txs` on both replicas at the same height and time.
  std::vector<ExecutedTransaction> block(const std::vector<chain::IdentifiedTransaction>& txs) {
    b.now_ms = a.now_ms;
    auto ra = a.block(txs);
    auto rb = b.block(txs);
    EXPECT_EQ(ra.size(), rb.size());
    for (std::size_t i = 0; i < ra.size() && i < rb.size(); ++i) {
      EXPECT_EQ(ra[i].info, rb[i].info);
      EXPECT_EQ(encode_write_set(ra[i].writes), encode_write_set(rb[i].writes));
      EXPECT_EQ(ra[i].reason, rb[i].reason);
    }
    EXPECT_EQ(encode_write_set(a.blocks.back()), encode_write_set(b.blocks.back()));
    return ra;
  }
  chain::IdentifiedTransaction tx(const core::schnorr::SecretKey& k, std::string call,
                                  Bytes payload, std::uint64_t offset = 0) const {
    chain::Transaction t = a.draft(k, std::move(call), std::move(payload));
    t.sequence += offset;
    return Ledger::sign(std::move(t), k);
  }
  chain::IdentifiedTransaction act(std::string call, const std::string& number,
                                   std::uint64_t offset = 0) const {
    return tx(registrar(), std::move(call), number_payload(number), offset);
  }

  Ledger a;
  Ledger b;
};

TEST(ScenarioTest, TwoIndependentReplicasReachIdenticalWrites) {
  TwoReplicas r;
  const Party lantern = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  const Party kinetic =
      party(assignee(), "Kowloon Kinetic Technology Limited", "九龍動力科技有限公司");
  const std::vector<std::string> numbers{"305918274", "304477102", "306000001"};

  // Block 1: three filings in one block.
  std::vector<chain::IdentifiedTransaction> txs;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    txs.push_back(r.tx(registrar(), "file",
                       core::encode(sample_filing(numbers[i], lantern, r.a.now_ms - kDayMs)), i));
  }
  for (const auto& t : r.block(txs)) ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.detail;

  // Blocks 2-4: examination, acceptance, publication of two; one withdrawn.
  for (const char* step : {"examine", "accept", "publish"}) {
    for (const auto& t : r.block({r.act(step, numbers[0]), r.act(step, numbers[1], 1)})) {
      ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << step;
    }
  }
  ASSERT_EQ(r.block({r.tx(applicant(), "withdraw", number_payload(numbers[2]))})[0].info.outcome,
            TxOutcome::kSuccess);
  // A refused act is on the ledger too (its sequence consumed), identically.
  EXPECT_EQ(failure(r.block({r.act("register", numbers[0])})[0]),
            "failed_precondition/opposition_window_open");

  // After the window: both registered.
  r.a.now_ms = r.a.mark(numbers[1])->opposition_deadline_ms;
  for (const auto& t : r.block({r.act("register", numbers[0]), r.act("register", numbers[1], 1)})) {
    ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.detail;
  }

  // A partial assignment co-signed by the owner, then a licence of the new registration.
  AssignTerms terms;
  terms.number = numbers[1];
  terms.assignor = account_of(applicant());
  terms.assignee = kinetic;
  terms.scope = {{43, {"catering"}}};
  terms.assignment_date_ms = r.a.now_ms - kDayMs;
  terms.deed_hash = core::sha256(Bytes{'d'});
  const auto assign = r.a.cosigned_tx(registrar(), "assign", terms, {&applicant()});
  ASSERT_EQ(r.block({assign})[0].info.outcome, TxOutcome::kSuccess);
  LicenceTerms l;
  l.number = numbers[1] + "AA";
  l.licensor = account_of(assignee());
  l.licensee = party(third(), "Tsuen Wan Catering Limited");
  l.start_ms = r.a.now_ms;
  ASSERT_EQ(
      r.block({r.a.cosigned_tx(registrar(), "record_licence", l, {&assignee()})})[0].info.outcome,
      TxOutcome::kSuccess);

  // Ten years on: late renewal of one, removal and restoration of the other.
  const std::uint64_t expiry = r.a.mark(numbers[0])->expiry_ms;
  r.a.now_ms = expiry + 10 * kDayMs;
  ASSERT_EQ(r.block({r.act("renew", numbers[0])})[0].info.outcome, TxOutcome::kSuccess);
  r.a.now_ms = expiry + 190 * kDayMs;
  ASSERT_EQ(r.block({r.act("remove", numbers[1])})[0].info.outcome, TxOutcome::kSuccess);
  ASSERT_EQ(r.block({r.act("restore", numbers[1])})[0].info.outcome, TxOutcome::kSuccess);

  // The two replicas hold the same state, record by record.
  EXPECT_EQ(r.a.state.values(), r.b.state.values());
  EXPECT_EQ(r.a.blocks.size(), r.b.blocks.size());
  EXPECT_TRUE(r.a.mark(numbers[0])->last_renewal_late);
  EXPECT_EQ(r.b.mark(numbers[1] + "AA")->owner, kinetic);
  EXPECT_EQ(r.b.mark(numbers[1])->status, Status::kRegistered);
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
