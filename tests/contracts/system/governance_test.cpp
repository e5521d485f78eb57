// Proposals: propose / approve / withdraw / close_expired, the threshold
// (more than two thirds of the active departments), expiry, and refusals.

#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

Bytes set_param(std::uint64_t value, std::string name = std::string(kProposalMaxLifetime)) {
  return core::encode(SetParameterTerms{std::move(name), value});
}

std::optional<std::uint64_t> param(const Chain& c, std::string_view name) {
  auto v = c.record<ParameterValue>(parameter_key(name));
  if (!v) return std::nullopt;
  return v->value;
}

TEST(ThresholdTest, MoreThanTwoThirds) {
  EXPECT_FALSE(passes(0, 0));
  EXPECT_TRUE(passes(1, 1));
  EXPECT_FALSE(passes(1, 2));
  EXPECT_TRUE(passes(2, 2));
  EXPECT_FALSE(passes(2, 3));  // exactly two thirds is not enough
  EXPECT_TRUE(passes(3, 3));
  EXPECT_FALSE(passes(3, 5));
  EXPECT_TRUE(passes(4, 5));
  EXPECT_FALSE(passes(4, 6));  // 4/6 = 2/3
  EXPECT_TRUE(passes(5, 6));
  EXPECT_FALSE(passes(42, 64));
  EXPECT_TRUE(passes(43, 64));
}

TEST(GovernanceTest, FiveAdminsPassAtTheFourthApprovalNotTheThird) {
  Chain c;
  Outcome r = c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay));
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, "proposal_created");
  auto p = c.proposal(1);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->status, ProposalStatus::kOpen);
  EXPECT_EQ(p->proposer, account_of(key(1)));
  EXPECT_EQ(p->proposer_department, "IPD");
  ASSERT_EQ(p->approvals.size(), 1u);  // the proposer's department counts
  EXPECT_EQ(p->approvals[0].department, "IPD");

  ASSERT_TRUE(c.approve(2, 1).ok());
  r = c.approve(3, 1);  // 3 of 5: 9 > 10 is false
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kOpen);
  EXPECT_EQ(param(c, kProposalMaxLifetime), 30 * kDay);
  EXPECT_EQ(c.query("proposals/open")->related.size(), 1u);

  r = c.approve(4, 1);  // 4 of 5: 12 > 10
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  p = c.proposal(1);
  EXPECT_EQ(p->status, ProposalStatus::kPassed);
  EXPECT_EQ(p->approvals.size(), 4u);
  EXPECT_EQ(p->closed_height, c.height() - 1);
  EXPECT_EQ(param(c, kProposalMaxLifetime), 10 * kDay);
  std::vector<std::string> kinds;
  for (const Event& e : r.events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"proposal_approved", "parameter_changed",
                                             "proposal_passed"}));
  EXPECT_TRUE(c.query("proposals/open")->related.empty());
  EXPECT_EQ(c.query("proposals")->related.size(), 1u);

  // The fifth admin's approval comes too late.
  r = c.approve(5, 1);
  EXPECT_EQ(r.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(r.reason, "proposal_not_open");
}

TEST(GovernanceTest, RetiredDepartmentsNeitherCountNorApprove) {
  Chain c;
  // Retire OGCIO (4 of 5), then 4 active: 3 approvals pass (9 > 8).
  ASSERT_TRUE(
      c.propose(1, ProposalKind::kRetireDepartment, core::encode(RetireDepartmentTerms{"OGCIO"}))
          .ok());
  for (std::uint32_t a : {2u, 3u, 4u}) ASSERT_TRUE(c.approve(a, 1).ok());
  ASSERT_EQ(c.proposal(1)->status, ProposalStatus::kPassed);
  ASSERT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(9 * kDay)).ok());
  EXPECT_EQ(c.approve(5, 2).reason, "not_admin");
  ASSERT_TRUE(c.approve(2, 2).ok());
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kOpen);
  ASSERT_TRUE(c.approve(3, 2).ok());
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kPassed);
  EXPECT_EQ(param(c, kProposalMaxLifetime), 9 * kDay);
}

TEST(GovernanceTest, ASingleDepartmentChainPassesOnProposal) {
  GenesisInput g = five_departments();
  g.departments.resize(1);
  Chain c(g);
  Outcome r = c.propose(1, ProposalKind::kSetParameter, set_param(2 * kDay));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kPassed);
  EXPECT_EQ(param(c, kProposalMaxLifetime), 2 * kDay);
}

TEST(GovernanceTest, DuplicateApprovalAndUnknownProposalAreRefused) {
  Chain c;
  ASSERT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay)).ok());
  Outcome r = c.approve(1, 1);  // the proposer's department already counts
  EXPECT_EQ(r.outcome, TxOutcome::kAlreadyExists);
  EXPECT_EQ(r.reason, "already_approved");
  ASSERT_TRUE(c.approve(2, 1).ok());
  EXPECT_EQ(c.approve(2, 1).reason, "already_approved");
  EXPECT_EQ(c.proposal(1)->approvals.size(), 2u);
  r = c.approve(2, 7);
  EXPECT_EQ(r.outcome, TxOutcome::kNotFound);
  EXPECT_EQ(r.reason, "unknown_proposal");
  EXPECT_EQ(c.call(key(2), "withdraw", ProposalIdArgs{7}).reason, "unknown_proposal");
  EXPECT_EQ(c.approve(50, 1).reason, "not_admin");
  EXPECT_EQ(c.propose(50, ProposalKind::kSetParameter, set_param(10 * kDay)).reason, "not_admin");
}

TEST(GovernanceTest, ExpiredProposalsCannotBeApprovedAndAreClosedByAnyAdmin) {
  Chain c;
  ASSERT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), 2 * 3'600'000).ok());
  ASSERT_TRUE(c.approve(2, 1).ok());
  // close_expired before the expiry is refused.
  EXPECT_EQ(c.call(key(3), "close_expired", ProposalIdArgs{1}).reason, "proposal_not_expired");
  c.advance(2 * 3'600'000);  // the next block's time is past expiry_ms
  Outcome r = c.approve(3, 1);
  EXPECT_EQ(r.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(r.reason, "proposal_expired");
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kOpen);  // expired on read
  EXPECT_EQ(c.call(key(50), "close_expired", ProposalIdArgs{1}).reason, "not_admin");
  r = c.call(key(3), "close_expired", ProposalIdArgs{1});
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events[0].kind, "proposal_expired");
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kExpired);
  EXPECT_TRUE(c.query("proposals/open")->related.empty());
  EXPECT_EQ(c.approve(3, 1).reason, "proposal_not_open");
  EXPECT_EQ(param(c, kProposalMaxLifetime), 30 * kDay);
}

TEST(GovernanceTest, ApprovalAtTheLastMillisecondBeforeExpiryCounts) {
  Chain c;
  const std::uint64_t life = 3'600'000;
  ASSERT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), life).ok());
  // Proposal block at now0; expiry = now0 + life. Blocks advance 1 s each.
  const std::uint64_t expiry = c.proposal(1)->expiry_ms;
  for (std::uint32_t a : {2u, 3u}) ASSERT_TRUE(c.approve(a, 1).ok());
  c.advance(expiry - c.now() - 1);  // next block at expiry - 1
  ASSERT_TRUE(c.approve(4, 1).ok());
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kPassed);
}

TEST(GovernanceTest, WithdrawByTheProposerOnly) {
  Chain c;
  ASSERT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay)).ok());
  Outcome r = c.call(key(2), "withdraw", ProposalIdArgs{1});
  EXPECT_EQ(r.outcome, TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "not_proposer");
  EXPECT_EQ(c.call(key(50), "withdraw", ProposalIdArgs{1}).reason, "not_admin");
  r = c.call(key(1), "withdraw", ProposalIdArgs{1});
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events[0].kind, "proposal_withdrawn");
  EXPECT_EQ(c.proposal(1)->status, ProposalStatus::kWithdrawn);
  EXPECT_EQ(c.approve(2, 1).reason, "proposal_not_open");
  EXPECT_EQ(c.call(key(1), "withdraw", ProposalIdArgs{1}).reason, "proposal_not_open");
  EXPECT_TRUE(c.query("proposals/open")->related.empty());
}

TEST(GovernanceTest, ExpiryMustLieWithinTheLifetimeParameters) {
  Chain c;
  // Minimum 1 hour, maximum 30 days from the block time.
  Outcome r = c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), 3'600'000 - 1);
  EXPECT_EQ(r.reason, "invalid_expiry");
  r = c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), 30 * kDay + 1);
  EXPECT_EQ(r.reason, "invalid_expiry");
  EXPECT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), 30 * kDay).ok());
  EXPECT_TRUE(c.propose(1, ProposalKind::kSetParameter, set_param(10 * kDay), 3'600'000).ok());
  EXPECT_EQ(c.proposal(2)->id, 2u);  // sequential ids
}

TEST(GovernanceTest, ParameterOutOfRangeOrUnknownIsRefused) {
  Chain c;
  Outcome r = c.propose(1, ProposalKind::kSetParameter, set_param(kDay - 1));
  EXPECT_EQ(r.outcome, TxOutcome::kInvalidArgument);
  EXPECT_EQ(r.reason, "parameter_out_of_range");
  r = c.propose(1, ProposalKind::kSetParameter, set_param(366 * kDay));
  EXPECT_EQ(r.reason, "parameter_out_of_range");
  r = c.propose(1, ProposalKind::kSetParameter, set_param(5, "nobody.nothing"));
  EXPECT_EQ(r.outcome, TxOutcome::kNotFound);
  EXPECT_EQ(r.reason, "unknown_parameter");
  EXPECT_FALSE(c.proposal(1).has_value());
}

TEST(GovernanceTest, MalformedProposalsAreRefused) {
  Chain c;
  // Terms that are not the kind's encoding.
  Outcome r = c.propose(1, ProposalKind::kSetParameter, Bytes{1, 2, 3});
  EXPECT_EQ(r.reason, "malformed_terms");
  r = c.propose(1, ProposalKind::kRemoveValidator, set_param(10 * kDay));
  EXPECT_EQ(r.reason, "malformed_terms");
  // A kind tag out of range.
  Bytes payload =
      core::encode(ProposeArgs{ProposalKind::kSetParameter, set_param(10 * kDay), c.now() + kDay});
  payload[0] = 7;
  EXPECT_EQ(c.call(key(1), "propose", payload).reason, "malformed_payload");
  // Terms over kMaxTermsSize.
  core::Writer w;
  w.u8(6);
  w.bytes(Bytes(kMaxTermsSize + 1, 0));
  w.u64(c.now() + kDay);
  r = c.call(key(1), "propose", std::move(w).take());
  EXPECT_EQ(r.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(r.reason, "field_too_large");
  EXPECT_EQ(c.call(key(1), "approve", Bytes{1}).reason, "malformed_payload");
  EXPECT_FALSE(c.proposal(1).has_value());
}

TEST(GovernanceTest, OpenProposalsAreLimited) {
  GenesisInput g = five_departments();
  Chain c(g);
  std::vector<chain::IdentifiedTransaction> txs;
  for (std::size_t i = 0; i < kMaxOpenProposals; ++i) {
    txs.push_back(c.tx(key(1), "propose",
                       core::encode(ProposeArgs{ProposalKind::kSetParameter, set_param(10 * kDay),
                                                c.now() + kDay})));
  }
  for (const Outcome& o : c.block(txs)) ASSERT_TRUE(o.ok()) << o.reason;
  Outcome r = c.propose(2, ProposalKind::kSetParameter, set_param(10 * kDay));
  EXPECT_EQ(r.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(r.reason, "too_many_open_proposals");
  // Pages of the open list.
  auto page = c.query("proposals/open");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->related.size(), kIndexPageSize);
  EXPECT_EQ(page->next_page, 1u);
  EXPECT_EQ(c.query("proposals/open/3")->related.size(), kIndexPageSize);
  EXPECT_FALSE(c.query("proposals/open/3")->next_page.has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
