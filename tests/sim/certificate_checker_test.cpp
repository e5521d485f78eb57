#include "bauhinia/sim/certificate_checker.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "bauhinia/chain/certificate.hpp"

namespace bauhinia::sim {
namespace {

core::ed25519::SecretKey key(std::uint8_t i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = i;
  seed[31] = 7;
  return core::ed25519::SecretKey::from_seed(seed);
}

struct Fixture {
  std::vector<core::ed25519::SecretKey> keys;
  consensus::EpochContext ctx;
  chain::BlockHeader genesis;
  Fixture() {
    ctx.chain_id = "sim-cert";
    ctx.validators.epoch = 1;
    for (std::uint8_t i = 0; i < 4; ++i) {
      keys.push_back(key(i));
      chain::ValidatorInfo v;
      v.key = keys.back().public_key();
      v.voting_power = 1;
      v.name = "v" + std::to_string(i);
      ctx.validators.validators.push_back(v);
    }
    genesis.epoch = 1;
    ctx.epoch_root_id = genesis.id();
  }
  // A QC on a block of round 1 signed by `signers` (slot i holds the
  // signature of sig_of[i]: normally the same validator).
  consensus::QuorumCert qc(const std::vector<std::size_t>& slots,
                           const std::vector<std::size_t>& sig_of, bool extra = false) {
    consensus::QuorumCert q;
    q.vote_data.epoch = 1;
    q.vote_data.round = 1;
    q.vote_data.height = 1;
    q.vote_data.block_id = core::sha256(core::as_bytes("block"));
    q.vote_data.parent_id = genesis.id();
    q.certificate.ledger_info.chain_id = ctx.chain_id;
    q.certificate.ledger_info.epoch = 1;
    q.certificate.ledger_info.round = 1;
    q.certificate.ledger_info.consensus_data_hash = q.vote_data.hash();
    const core::Hash256 h = q.certificate.ledger_info.signing_hash();
    q.certificate.signer_bitmap.assign(1, 0);
    for (std::size_t k = 0; k < slots.size(); ++k) {
      consensus::bitmap_set(q.certificate.signer_bitmap, slots[k]);
      q.certificate.signatures.push_back(keys[sig_of[k]].sign(h.view()));
    }
    if (extra) q.certificate.signatures.push_back(q.certificate.signatures.front());
    return q;
  }
  consensus::Message timeout_with(const consensus::QuorumCert& q) {
    consensus::TimeoutMessage t;
    t.epoch = 1;
    t.round = 2;
    t.high_qc = q;
    t.author = keys[0].public_key();
    t.signature = keys[0].sign(t.signing_data(ctx.chain_id).signing_hash().view());
    return consensus::Message{t};
  }
};

TEST(CertificateChecker, AcceptsARealQuorum) {
  Fixture f;
  CertificateChecker c(f.ctx);
  EXPECT_FALSE(c.check(f.timeout_with(f.qc({0, 1, 2}, {0, 1, 2}))).has_value());
  EXPECT_FALSE(c.check(f.timeout_with(f.qc({0, 1, 2}, {0, 1, 2}))).has_value());  // cached
  // Votes and sync requests carry no certificates.
  EXPECT_FALSE(c.check(consensus::Message{consensus::SyncRequest{}}).has_value());
}

TEST(CertificateChecker, CatchesOneSignerCountedSeveralTimes) {
  Fixture f;
  CertificateChecker c(f.ctx);
  // Validator 0's signature in the slots of 1 and 2.
  auto bad = c.check(f.timeout_with(f.qc({0, 1, 2}, {0, 0, 0})));
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(*bad, "timeout high QC");
  // A real quorum with one signature listed twice.
  EXPECT_TRUE(c.check(f.timeout_with(f.qc({0, 1, 2}, {0, 1, 2}, true))).has_value());
  // Two real signatures and a duplicate to reach the quorum.
  EXPECT_TRUE(c.check(f.timeout_with(f.qc({0, 1, 3}, {0, 1, 1}))).has_value());
  // Below the quorum.
  EXPECT_TRUE(c.check(f.timeout_with(f.qc({0, 1}, {0, 1}))).has_value());
}

TEST(CertificateChecker, ChecksTheQcAndTcOfProposals) {
  Fixture f;
  CertificateChecker c(f.ctx);
  consensus::Proposal p;
  p.qc = f.qc({1, 2, 3}, {1, 2, 3});
  EXPECT_FALSE(c.check(consensus::Message{p}).has_value());
  p.qc = f.qc({1, 2, 3}, {1, 2, 2});
  auto bad = c.check(consensus::Message{p});
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(*bad, "proposal QC");
}

TEST(CertificateChecker, ChecksEachCertificateAgainstItsOwnEpochsSet) {
  // Epoch 2 has other validators (keys 4..7): its certificates verify only
  // once its context is added, and never against epoch 1's set.
  Fixture f;
  CertificateChecker c(f.ctx);
  Fixture g;
  g.ctx.validators.epoch = 2;
  g.keys.clear();
  for (std::uint8_t i = 0; i < 4; ++i) {
    g.keys.push_back(key(static_cast<std::uint8_t>(4 + i)));
    g.ctx.validators.validators[i].key = g.keys.back().public_key();
  }
  consensus::QuorumCert q = g.qc({0, 1, 2}, {0, 1, 2});
  q.vote_data.epoch = 2;
  q.certificate.ledger_info.epoch = 2;
  q.certificate.ledger_info.consensus_data_hash = q.vote_data.hash();
  const core::Hash256 h = q.certificate.ledger_info.signing_hash();
  for (std::size_t k = 0; k < 3; ++k) q.certificate.signatures[k] = g.keys[k].sign(h.view());
  consensus::Proposal p;
  p.qc = q;
  EXPECT_TRUE(c.check(consensus::Message{p}).has_value());  // unknown epoch: refused
  c.add_epoch(g.ctx);
  EXPECT_FALSE(c.check(consensus::Message{p}).has_value());
  // Epoch 1's certificates still verify against epoch 1's set.
  EXPECT_FALSE(c.check(f.timeout_with(f.qc({0, 1, 2}, {0, 1, 2}))).has_value());
  // A QC of epoch 2 signed by epoch 1's validators does not.
  consensus::QuorumCert wrong = q;
  for (std::size_t k = 0; k < 3; ++k) wrong.certificate.signatures[k] = f.keys[k].sign(h.view());
  p.qc = wrong;
  EXPECT_TRUE(c.check(consensus::Message{p}).has_value());
}

}  // namespace
}  // namespace bauhinia::sim
