// submit_evidence: equivocation verified from the signatures alone, recorded
// once, queryable; every way a forged or mistaken evidence is refused.

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/proposal_signing.hpp"
#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

core::Hash256 h(std::uint8_t n) {
  core::Hash256 out;
  out.bytes().fill(n);
  return out;
}

chain::LedgerInfo ledger_info(std::uint64_t round, std::uint8_t data, std::string chain_id = kChain,
                              std::uint64_t epoch = 0) {
  chain::LedgerInfo li;
  li.chain_id = std::move(chain_id);
  li.epoch = epoch;
  li.round = round;
  li.consensus_data_hash = h(data);
  return li;
}

SignedStatement signed_vote(const core::ed25519::SecretKey& k, const chain::LedgerInfo& li) {
  return {core::encode(li), k.sign(li.signing_hash().view())};
}

SignedStatement signed_proposal(const core::ed25519::SecretKey& k,
                                const chain::ProposalSigningData& p) {
  return {core::encode(p), k.sign(p.signing_hash().view())};
}

SubmitEvidenceArgs vote_evidence(std::uint32_t validator, std::uint64_t round = 7) {
  const auto k = node_key(validator);
  return {EvidenceKind::kVote,
          k.public_key(),
          0,
          round,
          signed_vote(k, ledger_info(round, 1)),
          signed_vote(k, ledger_info(round, 2))};
}

SubmitEvidenceArgs proposal_evidence(std::uint32_t validator, std::uint64_t round = 9) {
  const auto k = node_key(validator);
  return {EvidenceKind::kProposal,
          k.public_key(),
          0,
          round,
          signed_proposal(k, {kChain, 0, round, h(1), h(3)}),
          signed_proposal(k, {kChain, 0, round, h(2), h(3)})};
}

TEST(EvidenceTest, AConflictingVotePairIsRecordedOnceByAnyAccount) {
  Chain c;
  const SubmitEvidenceArgs ev = vote_evidence(2);
  Outcome r = c.call(key(60), "submit_evidence", ev);  // not an admin, not a validator
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  ASSERT_EQ(r.events.size(), 2u);  // the new account's, then the module's
  EXPECT_EQ(r.events[1].kind, "evidence_recorded");
  const Bytes k = evidence_key(EvidenceKind::kVote, ev.offender, 0, 7);
  auto rec = c.record<EvidenceRecord>(k);
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->offender_name, "v2");
  EXPECT_EQ(rec->submitter, account_of(key(60)));
  EXPECT_EQ(rec->first, ev.first);
  EXPECT_EQ(rec->second, ev.second);
  // Recorded once: again, or with the statements swapped.
  r = c.call(key(61), "submit_evidence", ev);
  EXPECT_EQ(r.outcome, TxOutcome::kAlreadyExists);
  EXPECT_EQ(r.reason, "already_recorded");
  SubmitEvidenceArgs swapped = ev;
  std::swap(swapped.first, swapped.second);
  EXPECT_EQ(c.call(key(61), "submit_evidence", swapped).reason, "already_recorded");
  // Queryable: by key, in the list, by offender.
  auto one = c.query("evidence/" + ev.offender.to_hex() + "/0/7/vote");
  ASSERT_TRUE(one.has_value());
  EXPECT_TRUE(one->value.has_value());
  EXPECT_EQ(c.query("evidence")->related.size(), 1u);
  EXPECT_EQ(c.query("evidence/0")->related.size(), 1u);
  EXPECT_EQ(c.query("evidence/" + ev.offender.to_hex())->related.size(), 1u);
  EXPECT_TRUE(c.query("evidence/" + node_key(3).public_key().to_hex())->related.empty());
}

TEST(EvidenceTest, AConflictingProposalPairIsRecorded) {
  Chain c;
  Outcome r = c.call(key(60), "submit_evidence", proposal_evidence(4));
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  EXPECT_TRUE(c.record<EvidenceRecord>(
                   evidence_key(EvidenceKind::kProposal, node_key(4).public_key(), 0, 9))
                  .has_value());
  // The same validator's vote equivocation in the same round is another record.
  EXPECT_TRUE(c.call(key(60), "submit_evidence", vote_evidence(4, 9)).ok());
  EXPECT_EQ(c.query("evidence/" + node_key(4).public_key().to_hex())->related.size(), 2u);
}

TEST(EvidenceTest, TheSameStatementTwiceIsNoEquivocation) {
  Chain c;
  SubmitEvidenceArgs ev = vote_evidence(2);
  ev.second = ev.first;
  Outcome r = c.call(key(60), "submit_evidence", ev);
  EXPECT_EQ(r.reason, "same_statement");
  // Two proposals of the same block (same id, other payload hash): no conflict.
  SubmitEvidenceArgs p = proposal_evidence(2);
  const auto k = node_key(2);
  p.second = signed_proposal(k, {kChain, 0, 9, h(1), h(4)});
  EXPECT_EQ(c.call(key(60), "submit_evidence", p).reason, "same_statement");
}

TEST(EvidenceTest, StatementsOfDifferentRoundsOrEpochsAreRefused) {
  Chain c;
  const auto k = node_key(2);
  SubmitEvidenceArgs ev = vote_evidence(2);
  ev.second = signed_vote(k, ledger_info(8, 2));
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "statement_mismatch");
  ev = vote_evidence(2);
  ev.round = 8;  // the statements are of round 7
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "statement_mismatch");
  ev = vote_evidence(2);
  ev.second = signed_vote(k, ledger_info(7, 2, kChain, 1));
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "statement_mismatch");
}

TEST(EvidenceTest, AForgedSignatureIsRefused) {
  Chain c;
  SubmitEvidenceArgs ev = vote_evidence(2);
  ev.second.signature.bytes[5] ^= 1;
  Outcome r = c.call(key(60), "submit_evidence", ev);
  EXPECT_EQ(r.outcome, TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "bad_signature");
  // Signed by another validator than the one accused.
  ev = vote_evidence(2);
  ev.second = signed_vote(node_key(3), ledger_info(7, 2));
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "bad_signature");
  // A proposal signature over a vote (wrong tag).
  ev = vote_evidence(2);
  ev.kind = EvidenceKind::kProposal;
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "malformed_statement");
  EXPECT_TRUE(c.query("evidence")->related.empty());
}

TEST(EvidenceTest, ANonValidatorOrAnUnknownEpochIsRefused) {
  Chain c;
  Outcome r = c.call(key(60), "submit_evidence", vote_evidence(9));  // not in the set
  EXPECT_EQ(r.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(r.reason, "not_a_validator");
  const auto k = node_key(2);
  SubmitEvidenceArgs ev{EvidenceKind::kVote,
                        k.public_key(),
                        3,
                        7,
                        signed_vote(k, ledger_info(7, 1, kChain, 3)),
                        signed_vote(k, ledger_info(7, 2, kChain, 3))};
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "unknown_epoch");
}

TEST(EvidenceTest, AnotherChainsStatementsAreRefused) {
  Chain c;
  const auto k = node_key(2);
  SubmitEvidenceArgs ev{EvidenceKind::kVote,
                        k.public_key(),
                        0,
                        7,
                        signed_vote(k, ledger_info(7, 1, "other-chain")),
                        signed_vote(k, ledger_info(7, 2, "other-chain"))};
  Outcome r = c.call(key(60), "submit_evidence", ev);
  EXPECT_EQ(r.outcome, TxOutcome::kInvalidArgument);
  EXPECT_EQ(r.reason, "wrong_chain");
}

TEST(EvidenceTest, MalformedAndOversizedEvidenceIsRefused) {
  Chain c;
  SubmitEvidenceArgs ev = vote_evidence(2);
  ev.first.statement = Bytes{1, 2, 3};
  EXPECT_EQ(c.call(key(60), "submit_evidence", ev).reason, "malformed_statement");
  EXPECT_EQ(c.call(key(60), "submit_evidence", Bytes{0, 1}).reason, "malformed_payload");
  core::Writer w;
  w.u8(0);
  w.raw(node_key(2).public_key().bytes);
  w.u64(0);
  w.u64(7);
  w.bytes(Bytes(kMaxStatementSize + 1, 0));
  Outcome r = c.call(key(60), "submit_evidence", std::move(w).take());
  EXPECT_EQ(r.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(r.reason, "field_too_large");
}

TEST(EvidenceTest, EvidenceOfAnEarlierEpochUsesThatEpochsSet) {
  Chain c;
  // Epoch 1 adds validator 5; evidence against 5 in epoch 0 is refused,
  // against 5 in epoch 1 accepted.
  ASSERT_TRUE(c.propose(1, ProposalKind::kAddValidator, add_validator_terms(5)).ok());
  for (std::uint32_t a : {2u, 3u, 4u}) ASSERT_TRUE(c.approve(a, 1).ok());
  c.set_epoch(1);
  EXPECT_EQ(c.call(key(60), "submit_evidence", vote_evidence(5)).reason, "not_a_validator");
  const auto k = node_key(5);
  SubmitEvidenceArgs ev{EvidenceKind::kVote,
                        k.public_key(),
                        1,
                        2,
                        signed_vote(k, ledger_info(2, 1, kChain, 1)),
                        signed_vote(k, ledger_info(2, 2, kChain, 1))};
  Outcome r = c.call(key(60), "submit_evidence", ev);
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  // Governance can then remove it (a normal proposal).
  ASSERT_TRUE(c.propose(1, ProposalKind::kRemoveValidator, remove_validator_terms(5)).ok());
  for (std::uint32_t a : {2u, 3u, 4u}) ASSERT_TRUE(c.approve(a, 2).ok());
  EXPECT_FALSE(c.validators().index_of(k.public_key()).has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
