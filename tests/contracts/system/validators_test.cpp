// Validator-set proposals: add, remove, rotate a node key; the decided set is
// for the next epoch (the block writing it ends the epoch); one change per
// epoch; sets ValidatorSet::validate() refuses.

#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

// Proposes with admin 1 and approves with 2, 3, 4 (4 of 5); the last outcome.
Outcome pass(Chain& c, ProposalKind kind, Bytes terms) {
  Outcome r = c.propose(1, kind, std::move(terms));
  if (!r.ok()) return r;
  const std::uint64_t id = c.query("proposals")->related.size();
  for (std::uint32_t a : {2u, 3u, 4u}) {
    r = c.approve(a, id);
    if (!r.ok()) return r;
  }
  return r;
}

TEST(ValidatorsTest, AddingAValidatorDecidesTheNextEpochsSet) {
  Chain c;
  Outcome r = pass(c, ProposalKind::kAddValidator, add_validator_terms(5));
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  chain::ValidatorSet set = c.validators();
  EXPECT_EQ(set.epoch, 1u);
  ASSERT_EQ(set.validators.size(), 5u);
  EXPECT_EQ(set.validators[4].key, node_key(5).public_key());
  EXPECT_EQ(set.validators[4].name, "v5");
  EXPECT_TRUE(set.validate());
  // The epoch history keeps both sets; the governed record names the height.
  auto e0 = c.record<EpochValidators>(epoch_validators_key(0));
  auto e1 = c.record<EpochValidators>(epoch_validators_key(1));
  ASSERT_TRUE(e0 && e1);
  EXPECT_EQ(e0->set.validators.size(), 4u);
  EXPECT_EQ(e1->set, set);
  EXPECT_EQ(c.record<GovernedValidatorSet>(validator_set_key())->changed_height, c.height() - 1);
  bool changed = false;
  for (const Event& e : r.events) changed = changed || e.kind == "validator_set_changed";
  EXPECT_TRUE(changed);
  // The pipeline reads the decided set.
  auto governed = governed_validator_set(c.state());
  ASSERT_TRUE(governed.has_value() && governed->has_value());
  EXPECT_EQ(**governed, set);
}

TEST(ValidatorsTest, ASecondChangeWaitsForTheEpochToEnd) {
  Chain c;
  ASSERT_TRUE(pass(c, ProposalKind::kAddValidator, add_validator_terms(5)).ok());
  // Still epoch 0: the set of epoch 1 is decided; the next change must wait.
  Outcome r = pass(c, ProposalKind::kRemoveValidator, remove_validator_terms(1));
  EXPECT_EQ(r.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(r.reason, "epoch_change_pending");
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kOpen);  // the approval was not recorded
  EXPECT_EQ(c.proposal(2)->approvals.size(), 3u);
  // Epoch 1 begins (the pipeline ended epoch 0): the last approval passes it.
  c.set_epoch(1);
  r = c.approve(4, 2);
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  chain::ValidatorSet set = c.validators();
  EXPECT_EQ(set.epoch, 2u);
  ASSERT_EQ(set.validators.size(), 4u);
  EXPECT_FALSE(set.index_of(node_key(1).public_key()).has_value());
  EXPECT_TRUE(set.index_of(node_key(5).public_key()).has_value());
  EXPECT_EQ(c.record<EpochValidators>(epoch_validators_key(2))->set, set);
}

TEST(ValidatorsTest, RotatingANodeKeyKeepsItsPlaceAndPower) {
  Chain c;
  Outcome r = pass(
      c, ProposalKind::kRotateValidatorKey,
      core::encode(RotateValidatorKeyTerms{node_key(2).public_key(), node_key(9).public_key()}));
  ASSERT_TRUE(r.ok()) << r.reason;
  chain::ValidatorSet set = c.validators();
  EXPECT_EQ(set.validators[1].key, node_key(9).public_key());
  EXPECT_EQ(set.validators[1].name, "v2");
}

TEST(ValidatorsTest, BadChangesAreRefusedAtProposal) {
  Chain c;
  // An existing key, an invalid key, an unknown key, no power, no name.
  EXPECT_EQ(c.propose(1, ProposalKind::kAddValidator, add_validator_terms(1)).reason,
            "validator_exists");
  AddValidatorTerms bad{core::ed25519::PublicKey{}, "zero", 1, "OGCIO"};
  bad.key.bytes.fill(0xFF);
  Outcome r = c.propose(1, ProposalKind::kAddValidator, core::encode(bad));
  EXPECT_EQ(r.reason, "bad_validator_key");
  EXPECT_EQ(c.propose(1, ProposalKind::kRemoveValidator, remove_validator_terms(7)).reason,
            "unknown_validator");
  AddValidatorTerms no_power{node_key(6).public_key(), "v6", 0, "OGCIO"};
  EXPECT_EQ(c.propose(1, ProposalKind::kAddValidator, core::encode(no_power)).reason,
            "invalid_terms");
  AddValidatorTerms too_much{node_key(6).public_key(), "v6", chain::kMaxVotingPower + 1, "OGCIO"};
  EXPECT_EQ(c.propose(1, ProposalKind::kAddValidator, core::encode(too_much)).reason,
            "invalid_terms");
  AddValidatorTerms no_name{node_key(6).public_key(), "", 1, "OGCIO"};
  EXPECT_EQ(c.propose(1, ProposalKind::kAddValidator, core::encode(no_name)).reason,
            "invalid_terms");
  EXPECT_EQ(c.propose(1, ProposalKind::kAddValidator, add_validator_terms(6, "XYZ")).reason,
            "unknown_department");
  // Rotation onto a key already in the set, or from a key not in it.
  EXPECT_EQ(c.propose(1, ProposalKind::kRotateValidatorKey,
                      core::encode(RotateValidatorKeyTerms{node_key(1).public_key(),
                                                           node_key(2).public_key()}))
                .reason,
            "validator_exists");
  EXPECT_EQ(c.propose(1, ProposalKind::kRotateValidatorKey,
                      core::encode(RotateValidatorKeyTerms{node_key(8).public_key(),
                                                           node_key(9).public_key()}))
                .reason,
            "unknown_validator");
  EXPECT_FALSE(c.proposal(1).has_value());
}

TEST(ValidatorsTest, TheLastValidatorCannotBeRemoved) {
  Chain c(five_departments(1));
  Outcome r = c.propose(1, ProposalKind::kRemoveValidator, remove_validator_terms(1));
  EXPECT_EQ(r.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(r.reason, "last_validator");
}

TEST(ValidatorsTest, ASetOverTheValidatorLimitIsRefused) {
  GenesisInput g = five_departments(chain::kMaxValidators);
  Chain c(g);
  Outcome r = c.propose(1, ProposalKind::kAddValidator, add_validator_terms(300));
  EXPECT_EQ(r.outcome, TxOutcome::kInvalidArgument);
  EXPECT_EQ(r.reason, "invalid_validator_set");
}

TEST(ValidatorsTest, ChangesAreCheckedAgainWhenTheProposalPasses) {
  Chain c;
  // Two proposals to add the same key: the second cannot pass after the first.
  ASSERT_TRUE(c.propose(1, ProposalKind::kAddValidator, add_validator_terms(5)).ok());
  ASSERT_TRUE(c.propose(2, ProposalKind::kAddValidator, add_validator_terms(5, "IPD")).ok());
  for (std::uint32_t a : {2u, 3u, 4u}) ASSERT_TRUE(c.approve(a, 1).ok());
  c.set_epoch(1);
  for (std::uint32_t a : {1u, 3u}) ASSERT_TRUE(c.approve(a, 2).ok());
  Outcome r = c.approve(4, 2);
  EXPECT_EQ(r.reason, "validator_exists");
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kOpen);
  EXPECT_EQ(c.validators().validators.size(), 5u);
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
