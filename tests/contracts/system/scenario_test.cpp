// A multi-block governance scenario executed on two independent state
// instances (two MemoryState + Executor): every block's writes and the final
// state must be identical.

#include "bauhinia/chain/ledger_info.hpp"
#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

TEST(SystemScenario, TwoInstancesReachTheSameState) {
  Chain a;
  Chain b;
  const core::AccountId officer = account_of(key(50));
  auto propose = [&](std::uint32_t admin, ProposalKind kind, Bytes terms) {
    return a.tx(key(admin), "propose",
                core::encode(ProposeArgs{kind, std::move(terms), a.now() + kDay}));
  };
  auto approve = [&](std::uint32_t admin, std::uint64_t id) {
    return a.tx(key(admin), "approve", core::encode(ProposalIdArgs{id}));
  };
  const auto k2 = node_key(2);
  chain::LedgerInfo l1;
  l1.chain_id = kChain;
  l1.round = 4;
  chain::LedgerInfo l2 = l1;
  l2.consensus_data_hash = core::sha256(Bytes{1});
  const SubmitEvidenceArgs ev{EvidenceKind::kVote,
                              k2.public_key(),
                              0,
                              4,
                              {core::encode(l1), k2.sign(l1.signing_hash().view())},
                              {core::encode(l2), k2.sign(l2.signing_hash().view())}};

  std::vector<std::vector<chain::IdentifiedTransaction>> blocks;
  blocks.push_back(
      {a.tx(key(3), "grant_role", core::encode(RoleArgs{officer, "health.issuer"})),
       a.tx(key(4), "grant_role", core::encode(RoleArgs{officer, "environment.officer"})),
       propose(1, ProposalKind::kAddValidator, add_validator_terms(5))});
  blocks.push_back(
      {approve(2, 1), approve(3, 1),
       propose(2, ProposalKind::kSetParameter,
               core::encode(SetParameterTerms{std::string(kProposalMaxLifetime), 7 * kDay}))});
  blocks.push_back(
      {approve(4, 1), approve(1, 2), a.tx(key(60), "submit_evidence", core::encode(ev))});
  blocks.push_back({approve(3, 2), approve(5, 2),
                    a.tx(key(3), "revoke_role", core::encode(RoleArgs{officer, "health.issuer"})),
                    propose(5, ProposalKind::kRemoveValidator, remove_validator_terms(2))});
  blocks.push_back({a.tx(key(5), "withdraw", core::encode(ProposalIdArgs{3}))});

  std::size_t successes = 0;
  for (const auto& txs : blocks) {
    const auto ra = a.block(txs);
    const auto rb = b.block(txs);
    ASSERT_EQ(ra.size(), txs.size());
    ASSERT_EQ(rb.size(), txs.size());
    for (std::size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].outcome, rb[i].outcome);
      EXPECT_EQ(ra[i].writes, rb[i].writes);
      EXPECT_EQ(ra[i].events, rb[i].events);
      EXPECT_TRUE(ra[i].ok()) << ra[i].reason << " " << ra[i].detail;
      successes += ra[i].ok() ? 1 : 0;
    }
    EXPECT_EQ(a.last_writes(), b.last_writes());
  }
  EXPECT_EQ(successes, 14u);
  EXPECT_EQ(a.state().values(), b.state().values());
  // What the scenario decided.
  EXPECT_EQ(a.validators().epoch, 1u);
  EXPECT_EQ(a.validators().validators.size(), 5u);
  EXPECT_EQ(a.proposal(1)->status, ProposalStatus::kPassed);
  EXPECT_EQ(a.proposal(2)->status, ProposalStatus::kPassed);
  EXPECT_EQ(a.proposal(3)->status, ProposalStatus::kWithdrawn);
  EXPECT_FALSE(a.has(officer, "health.issuer"));
  EXPECT_TRUE(a.has(officer, "environment.officer"));
  EXPECT_EQ(a.query("evidence")->related.size(), 1u);
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
