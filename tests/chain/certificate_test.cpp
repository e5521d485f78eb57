// Quorum certificates: the canonical builder and every forged certificate the
// verifier must refuse, each with its own reason.

#include "bauhinia/chain/certificate.hpp"

#include <gtest/gtest.h>

#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using core::Bytes;
using core::Reject;
using test::Committee;

LedgerInfo sample_ledger_info(std::uint64_t epoch) {
  LedgerInfo li;
  li.chain_id = test::kChainId;
  li.epoch = epoch;
  li.round = 42;
  li.commit_block = test::filled(0xB1);
  li.commit_height = 17;
  li.consensus_data_hash = test::filled(0xCD);
  return li;
}

Reject reason_of(const core::Verdict& v) {
  EXPECT_FALSE(v.ok());
  return v.ok() ? Reject::kInvalid : v.rejection().reason;
}

class CertificateTest : public ::testing::Test {
 protected:
  Committee c = Committee::make(5, 4, 1);  // 4 validators of power 1: quorum 3
  LedgerInfo li = sample_ledger_info(5);
  QuorumCertificate good = c.certify(li, {0, 1, 3});
};

TEST_F(CertificateTest, AValidCertificateVerifies) {
  EXPECT_EQ(good.signer_bitmap, (Bytes{0x0B}));
  EXPECT_EQ(good.signer_indices(), (std::vector<std::size_t>{0, 1, 3}));
  EXPECT_TRUE(verify_quorum(good, c.set).ok());
  EXPECT_TRUE(verify_quorum(c.certify(li, c.all()), c.set).ok());
  auto back = core::decode<QuorumCertificate>(core::encode(good));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, good);
  EXPECT_TRUE(verify_quorum(*back, c.set).ok());
}

TEST_F(CertificateTest, TooLittlePower) {
  EXPECT_EQ(reason_of(verify_quorum(c.certify_unchecked(li, {0, 1}), c.set)),
            Reject::kInsufficientPower);
  // Two thirds exactly is not enough: 3 validators of power 1 and one of power 3.
  Committee w = Committee::make(5, 4, 1, {1, 1, 1, 3});  // total 6, quorum 5
  QuorumCertificate three = c.certify(li, {0, 1, 2});    // valid signatures, power 3 of 6
  EXPECT_EQ(reason_of(verify_quorum(three, w.set)), Reject::kInsufficientPower);
  QuorumCertificate heavy = w.certify_unchecked(li, {0, 3});  // power 4 of 6 = two thirds
  EXPECT_EQ(reason_of(verify_quorum(heavy, w.set)), Reject::kInsufficientPower);
  EXPECT_TRUE(verify_quorum(w.certify(li, {0, 1, 3}), w.set).ok());  // 5 of 6
  QuorumCertificate none = good;
  none.signer_bitmap = {0};
  none.signatures.clear();
  EXPECT_EQ(reason_of(verify_quorum(none, c.set)), Reject::kInsufficientPower);
}

TEST_F(CertificateTest, NonCanonicalBitmaps) {
  QuorumCertificate longer = good;
  longer.signer_bitmap.push_back(0);
  EXPECT_EQ(reason_of(verify_quorum(longer, c.set)), Reject::kNonCanonical);
  QuorumCertificate shorter = good;
  shorter.signer_bitmap.clear();
  EXPECT_EQ(reason_of(verify_quorum(shorter, c.set)), Reject::kNonCanonical);
  // A bit for index 4, 5, 7 (beyond a set of 4), with a matching signature.
  for (unsigned bit : {4U, 5U, 7U}) {
    QuorumCertificate beyond = good;
    beyond.signer_bitmap[0] = static_cast<std::uint8_t>(beyond.signer_bitmap[0] | (1U << bit));
    beyond.signatures.push_back(good.signatures.back());
    EXPECT_EQ(reason_of(verify_quorum(beyond, c.set)), Reject::kNonCanonical) << bit;
  }
  // The bitmap for a larger set is refused by the decoder.
  core::Writer w;
  core::encode_into(w, li);
  w.bytes(Bytes(33, 0xFF));
  w.length(0);
  auto decoded = core::decode<QuorumCertificate>(w.data());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().reason, Reject::kTooLarge);
}

TEST_F(CertificateTest, SignatureCountMustMatchTheBitmap) {
  QuorumCertificate extra = good;
  extra.signatures.push_back(c.sign(2, li));
  EXPECT_EQ(reason_of(verify_quorum(extra, c.set)), Reject::kInvalid);
  QuorumCertificate missing = good;
  missing.signatures.pop_back();
  EXPECT_EQ(reason_of(verify_quorum(missing, c.set)), Reject::kInvalid);
}

TEST_F(CertificateTest, BadSignatures) {
  // A flipped bit in any signature.
  for (std::size_t k = 0; k < good.signatures.size(); ++k) {
    for (unsigned bit : {0U, 255U, 511U}) {
      QuorumCertificate bad = good;
      bad.signatures[k].bytes[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
      EXPECT_EQ(reason_of(verify_quorum(bad, c.set)), Reject::kBadSignature) << k << " " << bit;
    }
  }
  // Signatures in the wrong order (each by another member).
  QuorumCertificate swapped = good;
  std::swap(swapped.signatures[0], swapped.signatures[1]);
  EXPECT_EQ(reason_of(verify_quorum(swapped, c.set)), Reject::kBadSignature);
  // Validator 1's slot signed by a key outside the set.
  QuorumCertificate outsider = good;
  outsider.signatures[1] = test::key_from_seed(200).sign(li.signing_hash().view());
  EXPECT_EQ(reason_of(verify_quorum(outsider, c.set)), Reject::kBadSignature);
  // The same validator's signature counted twice (slot of 3 holds 1's signature).
  QuorumCertificate repeated = good;
  repeated.signatures[2] = repeated.signatures[1];
  EXPECT_EQ(reason_of(verify_quorum(repeated, c.set)), Reject::kBadSignature);
  // Signatures over another ledger info (changed after signing).
  QuorumCertificate moved = good;
  moved.ledger_info.commit_height += 1;
  EXPECT_EQ(reason_of(verify_quorum(moved, c.set)), Reject::kBadSignature);
  QuorumCertificate other_chain = good;
  other_chain.ledger_info.chain_id = "bauhinia-other";
  EXPECT_EQ(reason_of(verify_quorum(other_chain, c.set)), Reject::kBadSignature);
}

TEST_F(CertificateTest, WrongEpoch) {
  ValidatorSet next = c.set;
  next.epoch = 6;
  EXPECT_EQ(reason_of(verify_quorum(good, next)), Reject::kWrongEpoch);
  // Signed for epoch 6 by the right keys, checked against epoch 5.
  const LedgerInfo li6 = sample_ledger_info(6);
  Committee c6 = Committee::make(6, 4, 1);
  EXPECT_TRUE(verify_quorum(c6.certify(li6, {0, 1, 2}), c6.set).ok());
  EXPECT_EQ(reason_of(verify_quorum(c6.certify(li6, {0, 1, 2}), c.set)), Reject::kWrongEpoch);
}

TEST_F(CertificateTest, InvalidLedgerInfo) {
  LedgerInfo bad_version = li;
  bad_version.version = 2;
  EXPECT_EQ(reason_of(verify_quorum(c.certify_unchecked(bad_version, {0, 1, 2}), c.set)),
            Reject::kBadVersion);
  LedgerInfo no_chain = li;
  no_chain.chain_id.clear();
  EXPECT_EQ(reason_of(verify_quorum(c.certify_unchecked(no_chain, {0, 1, 2}), c.set)),
            Reject::kInvalid);
  LedgerInfo height_only = li;
  height_only.commit_block = Hash256::zero();
  EXPECT_EQ(reason_of(verify_quorum(c.certify_unchecked(height_only, {0, 1, 2}), c.set)),
            Reject::kInvalid);
}

TEST_F(CertificateTest, BuilderIsCanonical) {
  std::vector<IndexedSignature> votes{{3, c.sign(3, li)}, {0, c.sign(0, li)}, {1, c.sign(1, li)}};
  auto qc = build_quorum_certificate(li, c.set, std::span<const IndexedSignature>(votes));
  ASSERT_TRUE(qc);
  EXPECT_EQ(*qc, good);  // any input order gives the same certificate
  std::vector<KeyedSignature> keyed{{c.keys[1].public_key(), c.sign(1, li)},
                                    {c.keys[3].public_key(), c.sign(3, li)},
                                    {c.keys[0].public_key(), c.sign(0, li)}};
  auto qc2 = build_quorum_certificate(li, c.set, std::span<const KeyedSignature>(keyed));
  ASSERT_TRUE(qc2);
  EXPECT_EQ(*qc2, good);
  // 9 validators: a two-byte bitmap.
  Committee nine = Committee::make(5, 9, 20);
  const QuorumCertificate q9 = nine.certify(li, {0, 2, 3, 4, 5, 6, 8});
  EXPECT_EQ(q9.signer_bitmap, (Bytes{0x7D, 0x01}));
  EXPECT_TRUE(verify_quorum(q9, nine.set).ok());
}

TEST_F(CertificateTest, BuilderRejectsBadVotes) {
  auto build = [&](std::vector<IndexedSignature> votes, const LedgerInfo& l) {
    auto qc = build_quorum_certificate(l, c.set, std::span<const IndexedSignature>(votes));
    EXPECT_FALSE(qc);
    return qc ? Reject::kInvalid : qc.error().reason;
  };
  const auto s = [&](std::size_t i) { return c.sign(i, li); };
  EXPECT_EQ(build({{0, s(0)}, {1, s(1)}, {4, s(2)}}, li), Reject::kUnknownSigner);
  EXPECT_EQ(build({{0, s(0)}, {1, s(1)}, {1000, s(2)}}, li), Reject::kUnknownSigner);
  EXPECT_EQ(build({{0, s(0)}, {1, s(1)}, {1, s(1)}}, li), Reject::kDuplicate);
  EXPECT_EQ(build({{0, s(0)}, {1, s(1)}}, li), Reject::kInsufficientPower);
  EXPECT_EQ(build({{0, s(0)}, {1, s(1)}, {2, s(2)}}, sample_ledger_info(4)), Reject::kWrongEpoch);
  std::vector<KeyedSignature> outsider{{c.keys[0].public_key(), s(0)},
                                       {c.keys[1].public_key(), s(1)},
                                       {test::key_from_seed(200).public_key(), s(2)}};
  auto qc = build_quorum_certificate(li, c.set, std::span<const KeyedSignature>(outsider));
  ASSERT_FALSE(qc);
  EXPECT_EQ(qc.error().reason, Reject::kUnknownSigner);
}

}  // namespace
}  // namespace bauhinia::chain
