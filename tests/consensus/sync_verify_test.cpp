// consensus::verify_committed_run / verify_extends / verify_recovery: the
// checks a synced run of committed blocks and a replica's recovery data must
// pass (issue 9, item 1). Every hostile variant is refused.
#include "bauhinia/consensus/sync_verify.hpp"

#include <gtest/gtest.h>

#include "bauhinia/consensus/replica.hpp"
#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

class SyncVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    set = make_set({1, 1, 1, 1});
    genesis = genesis_for(set);
    ctx = context_for(set, genesis);
    const auto proposer = key_for(0).public_key();
    chain::BlockHeader parent = genesis;
    for (Round r = 1; r <= 4; ++r) {
      chain::BlockHeader h = child_header(parent, r, proposer, core::Bytes{std::uint8_t(r)});
      headers.push_back(h);
      qcs.push_back(make_qc(set, vote_data_for(h, parent.round), {0, 1, 2}));
      parent = h;
    }
    const chain::BlockHeader next = child_header(parent, 5, proposer);
    commit_qc = make_qc(set, vote_data_for(next, parent.round), {1, 2, 3},
                        BlockRef{parent.id(), parent.height});
  }

  core::Verdict verify() const {
    std::vector<CertifiedHeader> run;
    for (std::size_t i = 0; i < headers.size(); ++i) run.push_back({headers[i], qcs[i]});
    return verify_committed_run(run, commit_qc, ctx);
  }

  // Expects a refusal whose detail contains `words`.
  void expect_refused(const std::string& words) const {
    core::Verdict v = verify();
    ASSERT_FALSE(v) << "accepted, expected: " << words;
    EXPECT_NE(v.rejection().detail.find(words), std::string::npos) << v.rejection().to_string();
  }

  RecoveryData recovery_at(std::size_t i) const {
    RecoveryData r;
    r.epoch = ctx;
    r.root = headers[i];
    r.root_qc = qcs[i];
    if (i + 1 == headers.size()) r.commit_cert = commit_qc;
    return r;
  }

  chain::ValidatorSet set;
  chain::BlockHeader genesis;
  EpochContext ctx;
  std::vector<chain::BlockHeader> headers;
  std::vector<QuorumCert> qcs;
  QuorumCert commit_qc;
};

TEST_F(SyncVerify, AHonestRunIsAccepted) {
  EXPECT_TRUE(verify());
  EXPECT_TRUE(verify_extends(genesis, {headers[0], qcs[0]}));
}

TEST_F(SyncVerify, AHugeRoundIsRefusedEvenWithAConsistentLedgerInfo) {
  QuorumCert& qc = qcs.back();
  qc.vote_data.round = Round{1} << 62;
  qc.certificate.ledger_info.round = qc.vote_data.round;
  qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  expect_refused("differ from the block");
  // The same with the header's round changed too: the header is then another
  // block, whose id the commit certificate does not name, and the signatures
  // do not cover the new ledger info.
  headers.back().round = qc.vote_data.round;
  qc.vote_data.block_id = headers.back().id();
  qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  EXPECT_FALSE(verify());
}

TEST_F(SyncVerify, AGenuineQcOfAnotherBlockIsRefused) {
  qcs.back() = qcs[2];
  expect_refused("another block");
}

TEST_F(SyncVerify, AQcOfAForkAtTheSameHeightIsRefused) {
  const chain::BlockHeader fork =
      child_header(headers[2], 4, key_for(1).public_key(), core::Bytes{0x66});
  qcs.back() = make_qc(set, vote_data_for(fork, headers[2].round), {0, 1, 2});
  expect_refused("another block");
}

TEST_F(SyncVerify, ABadSignatureIsRefused) {
  qcs[1].certificate.signatures[0].bytes[3] ^= 0x01;
  EXPECT_FALSE(verify());
}

TEST_F(SyncVerify, TooFewSignersAreRefused) {
  qcs[1] = make_qc(set, vote_data_for(headers[1], headers[0].round), {0, 1});
  core::Verdict v = verify();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, core::Reject::kInsufficientPower);
}

TEST_F(SyncVerify, AQcOfAnotherEpochIsRefused) {
  QuorumCert& qc = qcs.back();
  qc.vote_data.epoch = 7;
  qc.certificate.ledger_info.epoch = 7;
  qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  EXPECT_FALSE(verify());
  // Signed by the right validators for epoch 7: still not this epoch's.
  qcs.back() = make_qc(set, vote_data_for(headers.back(), headers[2].round, 7), {0, 1, 2});
  EXPECT_FALSE(verify());
}

TEST_F(SyncVerify, ARootQcIsRefusedForASyncedBlock) {
  qcs[0] = QuorumCert::for_epoch_root(kChainId, 0, genesis);
  expect_refused("root qc");
}

TEST_F(SyncVerify, ABrokenParentLinkIsRefused) {
  headers.erase(headers.begin() + 1);
  qcs.erase(qcs.begin() + 1);
  expect_refused("not the child");
}

TEST_F(SyncVerify, AParentRoundThatIsNotTheParentsIsRefused) {
  // Block 3 at round 3, its QC claiming parent round 1 (block 2 is round 2):
  // validly signed, but not this chain's.
  qcs[2] = make_qc(set, vote_data_for(headers[2], 1), {0, 1, 2});
  expect_refused("rounds do not increase");
}

TEST_F(SyncVerify, ACommitQcThatCommitsAnotherBlockIsRefused) {
  const chain::BlockHeader next = child_header(headers[2], 4, key_for(1).public_key());
  commit_qc = make_qc(set, vote_data_for(next, 3), {1, 2, 3}, BlockRef{headers[2].id(), 3});
  expect_refused("does not commit the last block");
}

TEST_F(SyncVerify, AnEpochEndingBlockMayBeCommittedByAQcOfItsSuffix) {
  // The last block ends the epoch; after a timeout the suffix S1 (round 6)
  // and S2 (round 7) follow, and the QC of S2 commits the epoch-ending block
  // (commit_override), not its parent S1. Found by bauhinia-sim --governance.
  chain::BlockHeader& end = headers.back();
  end.next_validator_set_hash = core::sha256(core::as_bytes("the next epoch's set"));
  qcs.back() = make_qc(set, vote_data_for(end, headers[2].round), {0, 1, 2});
  const auto proposer = key_for(1).public_key();
  const chain::BlockHeader s1 = child_header(end, 6, proposer);
  const chain::BlockHeader s2 = child_header(s1, 7, proposer);
  commit_qc = make_qc(set, vote_data_for(s2, s1.round), {1, 2, 3}, BlockRef{end.id(), end.height});
  EXPECT_TRUE(verify());
  // Not for a block that does not end its epoch.
  end.next_validator_set_hash = end.validator_set_hash;
  qcs.back() = make_qc(set, vote_data_for(end, headers[2].round), {0, 1, 2});
  commit_qc = make_qc(set, vote_data_for(s2, s1.round), {1, 2, 3}, BlockRef{end.id(), end.height});
  expect_refused("does not certify a child");
}

TEST_F(SyncVerify, ACommitQcWithABadSignatureIsRefused) {
  commit_qc.certificate.signatures[1].bytes[0] ^= 0x80;
  expect_refused("commit certificate");
}

TEST_F(SyncVerify, AnEmptyOrOverlongRunIsRefused) {
  EXPECT_FALSE(verify_committed_run({}, commit_qc, ctx));
  std::vector<CertifiedHeader> run(kMaxCertifiedRun + 1, CertifiedHeader{headers[0], qcs[0]});
  core::Verdict v = verify_committed_run(run, commit_qc, ctx);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, core::Reject::kTooLarge);
}

TEST_F(SyncVerify, ARunThatDoesNotStartAtTheRootDoesNotExtendIt) {
  EXPECT_FALSE(verify_extends(genesis, {headers[1], qcs[1]}));
  EXPECT_FALSE(verify_extends(headers[1], {headers[1], qcs[1]}));
  EXPECT_TRUE(verify_extends(headers[0], {headers[1], qcs[1]}));
}

TEST_F(SyncVerify, RecoveryAtGenesisAndAtACertifiedRootIsAccepted) {
  RecoveryData g;
  g.epoch = ctx;
  g.root = genesis;
  g.root_qc = QuorumCert::for_epoch_root(kChainId, 0, genesis);
  EXPECT_TRUE(verify_recovery(g));
  EXPECT_TRUE(verify_recovery(recovery_at(3)));
  EXPECT_TRUE(verify_recovery(recovery_at(1)));
}

TEST_F(SyncVerify, RecoveryWithAForgedRootQcIsRefused) {
  RecoveryData r = recovery_at(3);
  r.root_qc.vote_data.round = Round{1} << 62;
  r.root_qc.certificate.ledger_info.round = r.root_qc.vote_data.round;
  r.root_qc.certificate.ledger_info.consensus_data_hash = r.root_qc.vote_data.hash();
  EXPECT_FALSE(verify_recovery(r));
  r = recovery_at(3);
  r.root_qc = qcs[2];  // a genuine QC of another block
  EXPECT_FALSE(verify_recovery(r));
  r = recovery_at(3);
  r.root_qc.certificate.signatures[2].bytes[9] ^= 0x04;
  EXPECT_FALSE(verify_recovery(r));
  r = recovery_at(3);
  r.root_qc = QuorumCert::for_epoch_root(kChainId, 0, headers[3]);  // not the epoch's root
  EXPECT_FALSE(verify_recovery(r));
}

TEST_F(SyncVerify, RecoveryWithACommitCertificateOfAnotherBlockIsRefused) {
  RecoveryData r = recovery_at(2);
  r.commit_cert = commit_qc;  // commits block 4, not the root (block 3)
  EXPECT_FALSE(verify_recovery(r));
  r = recovery_at(3);
  r.commit_cert->certificate.signatures[0].bytes[1] ^= 0x02;
  EXPECT_FALSE(verify_recovery(r));
}

// The replica installs no LedgerSynced whose recovery data fails
// verify_recovery: its round and root stay; the honest one is installed.
TEST_F(SyncVerify, TheReplicaRefusesAForgedRootQcFromTheHost) {
  ReplicaConfig config;
  config.chain_id = kChainId;
  config.round_timeout_base_ms = 400;
  config.round_timeout_max_ms = 6400;
  config.idle_block_interval_ms = 200;
  RecoveryData start;
  start.epoch = ctx;
  start.root = genesis;
  start.root_qc = QuorumCert::for_epoch_root(kChainId, 0, genesis);
  Replica r(config, key_for(0), start, SafetyState{});
  (void)r.step(Start{5000});
  const Round before = r.round();

  RecoveryData forged = recovery_at(3);
  forged.root_qc.vote_data.round = Round{1} << 62;
  forged.root_qc.certificate.ledger_info.round = forged.root_qc.vote_data.round;
  forged.root_qc.certificate.ledger_info.consensus_data_hash = forged.root_qc.vote_data.hash();
  (void)r.step(LedgerSynced{forged, 5100});
  EXPECT_EQ(r.round(), before);
  EXPECT_EQ(r.committed_root(), genesis);
  EXPECT_LT(r.high_qc().round(), Round{1} << 32);

  (void)r.step(LedgerSynced{recovery_at(3), 5200});
  EXPECT_EQ(r.committed_root(), headers[3]);
  EXPECT_EQ(r.high_qc(), commit_qc);
  EXPECT_EQ(r.round(), commit_qc.round() + 1);
}

}  // namespace
}  // namespace bauhinia::consensus
