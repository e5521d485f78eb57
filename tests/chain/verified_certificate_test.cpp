// VerifiedCertificate (ADR 0007, item 4): the proof that a certificate's
// signatures were checked can only come out of a check, never out of a forged
// or unchecked certificate.

#include "bauhinia/chain/verified_certificate.hpp"

#include <gtest/gtest.h>

#include <type_traits>
#include <vector>

#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using core::Reject;
using test::Committee;

// No way to make one without a check: no default, no constructor from a
// certificate (checked or not) and a set hash.
static_assert(!std::is_default_constructible_v<VerifiedCertificate>);
static_assert(!std::is_constructible_v<VerifiedCertificate, QuorumCertificate, core::Hash256>);
static_assert(!std::is_constructible_v<VerifiedCertificate, QuorumCertificate>);
static_assert(!std::is_convertible_v<QuorumCertificate, VerifiedCertificate>);
static_assert(!std::is_default_constructible_v<VerifiedSignature>);
static_assert(!std::is_constructible_v<VerifiedSignature, std::size_t, core::ed25519::PublicKey,
                                       core::Hash256, core::ed25519::Signature>);

class VerifiedCertificateTest : public ::testing::Test {
 protected:
  Committee c = Committee::make(3, 4, 1);  // 4 validators of power 1: quorum 3
  BlockHeader h = header();
  LedgerInfo li = test::commit_of(h);

  BlockHeader header() const {
    BlockHeader b;
    b.epoch = 3;
    b.height = 77;
    b.round = 80;
    b.parent_hash = test::filled(0x44);
    b.timestamp_ms = 1'700'000'000'000;
    b.proposer = c.keys[0].public_key();
    b.transactions_root = test::filled(0x11);
    b.accumulator_root = test::filled(0x22);
    b.accumulator_size = 200;
    b.state_root = test::filled(0x33);
    b.validator_set_hash = c.set.hash();
    b.next_validator_set_hash = b.validator_set_hash;
    return b;
  }

  std::vector<VerifiedSignature> checked_votes(const LedgerInfo& l,
                                               const std::vector<std::size_t>& signers) const {
    std::vector<VerifiedSignature> out;
    for (std::size_t i : signers) {
      auto s = VerifiedSignature::verify(c.set, i, l.signing_hash(), c.sign(i, l));
      EXPECT_TRUE(s.has_value());
      if (s) out.push_back(std::move(s).value());
    }
    return out;
  }
};

TEST_F(VerifiedCertificateTest, AValidCertificateYieldsTheProof) {
  const QuorumCertificate qc = c.certify(li, {0, 1, 3});
  auto v = VerifiedCertificate::verify(qc, c.set);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->certificate(), qc);
  EXPECT_EQ(v->validator_set_hash(), c.set.hash());
  EXPECT_TRUE(verify_committed_header(h, *v, c.set, test::kChainId).ok());
}

TEST_F(VerifiedCertificateTest, AForgedSignatureYieldsNoProof) {
  QuorumCertificate forged = c.certify(li, {0, 1, 3});
  forged.signatures[1].bytes[7] ^= 0x01;
  auto v = VerifiedCertificate::verify(forged, c.set);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().reason, Reject::kBadSignature);
  // Signed by another committee's keys (same epoch, same indices).
  const Committee other = Committee::make(3, 4, 90);
  auto w = VerifiedCertificate::verify(other.certify(li, {0, 1, 2}), c.set);
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().reason, Reject::kBadSignature);
  // Too little power and another epoch's set: refused like verify_quorum.
  EXPECT_EQ(VerifiedCertificate::verify(c.certify_unchecked(li, {0, 1}), c.set).error().reason,
            Reject::kInsufficientPower);
  EXPECT_EQ(VerifiedCertificate::verify(c.certify(li, {0, 1, 2}), Committee::make(4, 4, 1).set)
                .error()
                .reason,
            Reject::kWrongEpoch);
}

TEST_F(VerifiedCertificateTest, VotesAreCheckedOneByOne) {
  auto bad = VerifiedSignature::verify(c.set, 2, li.signing_hash(), c.sign(1, li));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().reason, Reject::kBadSignature);
  auto outside = VerifiedSignature::verify(c.set, 4, li.signing_hash(), c.sign(1, li));
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().reason, Reject::kUnknownSigner);
}

TEST_F(VerifiedCertificateTest, AggregatesCheckedVotesIntoTheCanonicalCertificate) {
  const auto votes = checked_votes(li, {3, 0, 1});
  auto v = VerifiedCertificate::aggregate(li, c.set, votes);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->certificate(), c.certify(li, {0, 1, 3}));
  EXPECT_TRUE(verify_quorum(v->certificate(), c.set).ok());
  EXPECT_EQ(v->validator_set_hash(), c.set.hash());
  // Too few, or a vote counted twice.
  EXPECT_EQ(VerifiedCertificate::aggregate(li, c.set, checked_votes(li, {0, 1})).error().reason,
            Reject::kInsufficientPower);
  EXPECT_EQ(VerifiedCertificate::aggregate(li, c.set, checked_votes(li, {0, 1, 1})).error().reason,
            Reject::kDuplicate);
}

TEST_F(VerifiedCertificateTest, AggregateRefusesVotesOfAnotherLedgerInfoOrSet) {
  LedgerInfo other_li = li;
  other_li.round += 1;
  std::vector<VerifiedSignature> votes = checked_votes(li, {0, 1});
  const auto stray = checked_votes(other_li, {2});
  votes.push_back(stray.front());
  EXPECT_EQ(VerifiedCertificate::aggregate(li, c.set, votes).error().reason, Reject::kInvalid);
  // Checked against another set's key at the same index.
  const Committee other = Committee::make(3, 4, 90);
  std::vector<VerifiedSignature> mixed = checked_votes(li, {0, 1});
  auto foreign = VerifiedSignature::verify(other.set, 2, li.signing_hash(), other.sign(2, li));
  ASSERT_TRUE(foreign.has_value());
  mixed.push_back(std::move(foreign).value());
  EXPECT_EQ(VerifiedCertificate::aggregate(li, c.set, mixed).error().reason,
            Reject::kUnknownSigner);
}

TEST_F(VerifiedCertificateTest, CommittedHeaderChecksAllButTheSignatures) {
  auto v = VerifiedCertificate::verify(c.certify(li, {0, 1, 2}), c.set);
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(verify_committed_header(h, *v, c.set, test::kChainId).ok());
  EXPECT_EQ(verify_committed_header(h, *v, c.set, "bauhinia-other").rejection().reason,
            Reject::kInvalid);
  BlockHeader moved = h;
  moved.accumulator_size += 1;
  EXPECT_EQ(verify_committed_header(moved, *v, c.set, test::kChainId).rejection().reason,
            Reject::kBadProof);
  // Verified against one set, offered for an epoch whose set is another (same
  // epoch number, other members): the proof does not carry over.
  const Committee impostor = Committee::make(3, 4, 90);
  BlockHeader theirs = h;
  theirs.validator_set_hash = impostor.set.hash();
  theirs.next_validator_set_hash = theirs.validator_set_hash;
  const LedgerInfo their_li = test::commit_of(theirs);
  auto mine = VerifiedCertificate::verify(c.certify(their_li, {0, 1, 2}), c.set);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(verify_committed_header(theirs, *mine, impostor.set, test::kChainId).rejection().reason,
            Reject::kBadProof);
}

}  // namespace
}  // namespace bauhinia::chain
