// The light client: from the genesis set through epoch changes to the current
// set, and certified headers; every broken link refused.

#include "bauhinia/chain/epoch_proof.hpp"

#include <gtest/gtest.h>

#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using core::Reject;
using test::Committee;

// A chain of epochs 0..kEpochs, each with its own committee (sizes 4, 5, 7, 4
// and changing powers), and the proof of every change.
class EpochChainTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kEpochs = 3;

  void SetUp() override {
    committees.push_back(Committee::make(0, 4, 1));
    committees.push_back(Committee::make(1, 5, 3));  // keeps 3 members, adds 2
    committees.push_back(Committee::make(2, 7, 50, {5, 1, 1, 1, 1, 1, 3}));
    committees.push_back(Committee::make(3, 4, 90));  // an entirely new set
    std::uint64_t height = 0;
    Hash256 parent;
    for (std::size_t e = 0; e < kEpochs; ++e) {
      BlockHeader h = header(e, height += 10, parent);
      h.next_validator_set_hash = committees[e + 1].set.hash();
      parent = h.id();
      EpochChange change;
      change.header = h;
      // Signed by the ending epoch's committee: all but one member.
      std::vector<std::size_t> signers = committees[e].all();
      signers.pop_back();
      change.commit_certificate = committees[e].certify(test::commit_of(h), signers);
      change.next_set = committees[e + 1].set;
      proof.changes.push_back(change);
    }
  }

  BlockHeader header(std::size_t epoch, std::uint64_t height, const Hash256& parent) const {
    BlockHeader h;
    h.epoch = epoch;
    h.height = height;
    h.round = height + 3;
    h.parent_hash = parent;
    h.timestamp_ms = 1'700'000'000'000 + height;
    h.proposer = committees[epoch].keys[0].public_key();
    h.transactions_root = test::filled(0x11);
    h.accumulator_root = test::filled(0x22);
    h.accumulator_size = height * 3;
    h.state_root = test::filled(0x33);
    h.validator_set_hash = committees[epoch].set.hash();
    h.next_validator_set_hash = h.validator_set_hash;
    return h;
  }

  Reject reason_of(const EpochChangeProof& p, const ValidatorSet& trusted) const {
    auto r = verify_epoch_changes(trusted, p, test::kChainId);
    EXPECT_FALSE(r);
    return r ? Reject::kInvalid : r.error().reason;
  }
  Reject reason_of(const EpochChangeProof& p) const { return reason_of(p, committees[0].set); }

  // Re-signs change k's certificate after its header or ledger info changed.
  void resign(EpochChangeProof& p, std::size_t k, const LedgerInfo& li) const {
    p.changes[k].commit_certificate = committees[k].certify_unchecked(li, {0, 1, 2});
  }

  std::vector<Committee> committees;
  EpochChangeProof proof;
};

TEST_F(EpochChainTest, FollowsEveryEpoch) {
  auto latest = verify_epoch_changes(committees[0].set, proof, test::kChainId);
  ASSERT_TRUE(latest) << latest.error().to_string();
  EXPECT_EQ(*latest, committees[kEpochs].set);
  // Any prefix reaches its own epoch; a suffix works from the set it starts at.
  for (std::size_t n = 0; n <= kEpochs; ++n) {
    EpochChangeProof prefix{
        {proof.changes.begin(), proof.changes.begin() + static_cast<std::ptrdiff_t>(n)}};
    auto r = verify_epoch_changes(committees[0].set, prefix, test::kChainId);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->epoch, n);
    EpochChangeProof suffix{
        {proof.changes.begin() + static_cast<std::ptrdiff_t>(n), proof.changes.end()}};
    auto s = verify_epoch_changes(committees[n].set, suffix, test::kChainId);
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, committees[kEpochs].set);
  }
  auto back = core::decode<EpochChangeProof>(core::encode(proof));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, proof);
}

TEST_F(EpochChainTest, SkippedOrRepeatedEpoch) {
  EpochChangeProof skipped = proof;
  skipped.changes.erase(skipped.changes.begin() + 1);
  EXPECT_EQ(reason_of(skipped), Reject::kWrongEpoch);
  EpochChangeProof repeated = proof;
  repeated.changes.insert(repeated.changes.begin() + 1, proof.changes[0]);
  EXPECT_EQ(reason_of(repeated), Reject::kWrongEpoch);
  EpochChangeProof reordered = proof;
  std::swap(reordered.changes[1], reordered.changes[2]);
  EXPECT_EQ(reason_of(reordered), Reject::kWrongEpoch);
  // Starting from the wrong trusted set.
  EXPECT_EQ(reason_of(proof, committees[1].set), Reject::kWrongEpoch);
}

TEST_F(EpochChainTest, WrongNextSet) {
  // A next set other than the one the header names.
  EpochChangeProof other = proof;
  other.changes[1].next_set = Committee::make(2, 4, 150).set;
  EXPECT_EQ(reason_of(other), Reject::kBadProof);
  EpochChangeProof powers = proof;
  powers.changes[1].next_set.validators[0].voting_power += 1;
  EXPECT_EQ(reason_of(powers), Reject::kBadProof);
  // A next set that skips an epoch number, named by a correctly signed header.
  EpochChangeProof jump = proof;
  ValidatorSet far = committees[1].set;
  far.epoch = 5;
  jump.changes[0].next_set = far;
  jump.changes[0].header.next_validator_set_hash = far.hash();
  resign(jump, 0, test::commit_of(jump.changes[0].header));
  EXPECT_EQ(reason_of(jump), Reject::kWrongEpoch);
  // An invalid next set (duplicate key), named by a correctly signed header.
  EpochChangeProof dup = proof;
  ValidatorSet bad = committees[1].set;
  bad.validators[1].key = bad.validators[0].key;
  dup.changes[0].next_set = bad;
  dup.changes[0].header.next_validator_set_hash = bad.hash();
  resign(dup, 0, test::commit_of(dup.changes[0].header));
  EXPECT_EQ(reason_of(dup), Reject::kDuplicate);
}

TEST_F(EpochChainTest, ForgedSignatures) {
  // Epoch 1's change signed by the next committee instead of epoch 1's.
  EpochChangeProof by_next = proof;
  by_next.changes[1].commit_certificate =
      committees[2].certify_unchecked(test::commit_of(proof.changes[1].header), {0, 1, 2, 3, 4});
  EXPECT_FALSE(verify_epoch_changes(committees[0].set, by_next, test::kChainId));
  // An attacker's own committee with the same epoch numbers: hashes differ.
  Committee mallory = Committee::make(1, 5, 200);
  EpochChangeProof forged = proof;
  forged.changes[0].next_set = mallory.set;
  EXPECT_EQ(reason_of(forged), Reject::kBadProof);
  // ...and when the header is changed to name it, the old signatures no longer match.
  forged.changes[0].header.next_validator_set_hash = mallory.set.hash();
  forged.changes[0].commit_certificate.ledger_info = test::commit_of(forged.changes[0].header);
  EXPECT_EQ(reason_of(forged), Reject::kBadSignature);
  // A flipped bit in a signature; too few signers.
  EpochChangeProof flipped = proof;
  flipped.changes[2].commit_certificate.signatures[0].bytes[5] ^= 0x10;
  EXPECT_EQ(reason_of(flipped), Reject::kBadSignature);
  EpochChangeProof weak = proof;
  weak.changes[0].commit_certificate =
      committees[0].certify_unchecked(weak.changes[0].commit_certificate.ledger_info, {0, 1});
  EXPECT_EQ(reason_of(weak), Reject::kInsufficientPower);
}

TEST_F(EpochChainTest, CertificateMustCommitThatHeader) {
  // Any changed header field breaks the link to the certificate.
  EpochChangeProof changed = proof;
  changed.changes[1].header.state_root.bytes()[0] ^= 1;
  EXPECT_EQ(reason_of(changed), Reject::kBadProof);
  // A certificate that commits another block, or the right block at another height.
  EpochChangeProof other_block = proof;
  other_block.changes[0].commit_certificate = proof.changes[1].commit_certificate;
  EXPECT_EQ(reason_of(other_block), Reject::kBadProof);
  EpochChangeProof height = proof;
  LedgerInfo li = test::commit_of(height.changes[0].header);
  li.commit_height += 1;
  resign(height, 0, li);
  EXPECT_EQ(reason_of(height), Reject::kBadProof);
  // A certificate of another chain.
  EpochChangeProof chain = proof;
  LedgerInfo li2 = test::commit_of(chain.changes[0].header);
  li2.chain_id = "bauhinia-other";
  resign(chain, 0, li2);
  EXPECT_EQ(reason_of(chain), Reject::kInvalid);
  // A certificate that commits nothing.
  EpochChangeProof nothing = proof;
  LedgerInfo li3 = test::commit_of(nothing.changes[0].header);
  li3.commit_block = Hash256::zero();
  li3.commit_height = 0;
  resign(nothing, 0, li3);
  EXPECT_EQ(reason_of(nothing), Reject::kBadProof);
}

TEST_F(EpochChainTest, HeaderMustEndItsEpoch) {
  EpochChangeProof not_last = proof;
  BlockHeader h = header(0, 5, Hash256::zero());  // next set == this set
  not_last.changes[0].header = h;
  resign(not_last, 0, test::commit_of(h));
  EXPECT_EQ(reason_of(not_last), Reject::kInvalid);
  // A header certified by epoch 0's set that claims another set certifies it.
  EpochChangeProof claims = proof;
  claims.changes[0].header.validator_set_hash = committees[3].set.hash();
  resign(claims, 0, test::commit_of(claims.changes[0].header));
  EXPECT_EQ(reason_of(claims), Reject::kBadProof);
}

TEST_F(EpochChainTest, ProofSizeIsBounded) {
  EpochChangeProof many;
  many.changes.assign(kMaxEpochChangesPerProof + 1, proof.changes[0]);
  EXPECT_EQ(reason_of(many), Reject::kTooLarge);
  core::Writer w;
  w.length(kMaxEpochChangesPerProof + 1);
  auto decoded = core::decode<EpochChangeProof>(w.data());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().reason, Reject::kTooLarge);
}

TEST_F(EpochChainTest, CommittedHeaderInsideAnEpoch) {
  const Committee& c = committees[2];
  const BlockHeader h = header(2, 1234, test::filled(0x77));
  const QuorumCertificate qc = c.certify_unchecked(test::commit_of(h), {0, 6});  // power 8 of 13
  ASSERT_EQ(c.set.quorum_power(), 9U);
  EXPECT_EQ(verify_committed_header(h, qc, c.set, test::kChainId).rejection().reason,
            Reject::kInsufficientPower);
  const QuorumCertificate good = c.certify(test::commit_of(h), {0, 1, 6});  // 9 of 13
  EXPECT_TRUE(verify_committed_header(h, good, c.set, test::kChainId).ok());
  // Checked against another epoch's set, for another chain, or a changed header.
  EXPECT_EQ(verify_committed_header(h, good, committees[1].set, test::kChainId).rejection().reason,
            Reject::kWrongEpoch);
  EXPECT_EQ(verify_committed_header(h, good, c.set, "bauhinia-other").rejection().reason,
            Reject::kInvalid);
  BlockHeader moved = h;
  moved.accumulator_size += 1;
  EXPECT_EQ(verify_committed_header(moved, good, c.set, test::kChainId).rejection().reason,
            Reject::kBadProof);
  BlockHeader v2 = h;
  v2.version = 2;
  EXPECT_EQ(verify_committed_header(v2, good, c.set, test::kChainId).rejection().reason,
            Reject::kBadVersion);
  // A set with the same epoch but other members.
  ValidatorSet impostor = Committee::make(2, 7, 120).set;
  EXPECT_EQ(verify_committed_header(h, good, impostor, test::kChainId).rejection().reason,
            Reject::kBadProof);
  // The certificate's own epoch differs from the header's.
  QuorumCertificate wrong_epoch = good;
  wrong_epoch.ledger_info.epoch = 3;
  EXPECT_EQ(verify_committed_header(h, wrong_epoch, c.set, test::kChainId).rejection().reason,
            Reject::kWrongEpoch);
}

}  // namespace
}  // namespace bauhinia::chain
