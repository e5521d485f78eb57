#include "bauhinia/core/ed25519.hpp"

#include <gtest/gtest.h>

#include <set>

namespace bauhinia::core::ed25519 {
namespace {

struct Rfc8032Vector {
  const char* secret;  // the 32-byte seed
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1, 2 and 3.
const Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

Bytes hex(std::string_view h) {
  auto b = from_hex(h);
  BAUHINIA_ASSERT(b.has_value());
  return *b;
}

TEST(Ed25519, Rfc8032Vectors) {
  for (const auto& v : kVectors) {
    auto key = SecretKey::from_seed_bytes(hex(v.secret));
    ASSERT_TRUE(key);
    EXPECT_EQ(key->public_key().to_hex(), v.public_key);
    EXPECT_EQ(to_hex(key->seed()), v.secret);
    const Bytes message = hex(v.message);
    const Signature sig = key->sign(message);
    EXPECT_EQ(sig.to_hex(), v.signature);  // Ed25519 signing is deterministic

    auto parsed_key = PublicKey::from_hex(v.public_key);
    ASSERT_TRUE(parsed_key) << parsed_key.error().to_string();
    auto parsed_sig = Signature::from_hex(v.signature);
    ASSERT_TRUE(parsed_sig);
    EXPECT_TRUE(verify(*parsed_key, message, *parsed_sig));
  }
}

TEST(Ed25519, EveryFlippedSignatureBitFails) {
  const auto key = SecretKey::from_seed_bytes(hex(kVectors[2].secret));
  ASSERT_TRUE(key);
  const Bytes message = hex(kVectors[2].message);
  const Signature good = key->sign(message);
  ASSERT_TRUE(verify(key->public_key(), message, good));
  for (std::size_t bit = 0; bit < kSignatureSize * 8; ++bit) {
    Signature bad = good;
    bad.bytes[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    EXPECT_FALSE(verify(key->public_key(), message, bad)) << "bit " << bit;
  }
}

TEST(Ed25519, TamperedMessageOrOtherKeyFails) {
  const SecretKey a = SecretKey::generate();
  const SecretKey b = SecretKey::generate();
  const Bytes message = {'v', 'o', 't', 'e', 0, 1, 2};
  const Signature sig = a.sign(message);
  EXPECT_TRUE(verify(a.public_key(), message, sig));
  EXPECT_FALSE(verify(b.public_key(), message, sig));
  for (std::size_t i = 0; i < message.size(); ++i) {
    Bytes m = message;
    m[i] ^= 0x01;
    EXPECT_FALSE(verify(a.public_key(), m, sig)) << i;
  }
  Bytes longer = message;
  longer.push_back(0);
  EXPECT_FALSE(verify(a.public_key(), longer, sig));
  EXPECT_FALSE(verify(a.public_key(), ByteView(message).first(message.size() - 1), sig));
}

TEST(Ed25519, RejectsNonCanonicalS) {
  // S + L (the group order) verifies under a lax verifier; strict verification rejects it.
  const auto key = SecretKey::from_seed_bytes(hex(kVectors[0].secret));
  ASSERT_TRUE(key);
  const Signature sig = key->sign({});
  const Bytes order = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  Signature malleated = sig;
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned sum = sig.bytes[32 + i] + order[i] + carry;
    malleated.bytes[32 + i] = static_cast<std::uint8_t>(sum & 0xFF);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0U);
  EXPECT_FALSE(verify(key->public_key(), {}, malleated));
}

TEST(Ed25519, PublicKeyParsingRejectsInvalidPoints) {
  const char* invalid[] = {
      // identity (small order)
      "0100000000000000000000000000000000000000000000000000000000000000",
      // y = p - 1, the point of order 2
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      // y = p, not canonical (y must be below the field size)
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      // y = 2 is not on the curve
      "0200000000000000000000000000000000000000000000000000000000000000",
  };
  for (const char* h : invalid) {
    auto k = PublicKey::from_hex(h);
    ASSERT_FALSE(k) << h;
    EXPECT_EQ(k.error().reason, Reject::kBadKey) << h;
  }
  // A forged key of small order with any signature never verifies.
  PublicKey identity;
  identity.bytes[0] = 1;
  const auto key = SecretKey::from_seed_bytes(hex(kVectors[0].secret));
  EXPECT_FALSE(verify(identity, {}, key->sign({})));

  auto short_key = PublicKey::from_bytes(Bytes(31, 1));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().reason, Reject::kBadKey);
  auto bad_hex = PublicKey::from_hex("zz");
  ASSERT_FALSE(bad_hex);
  EXPECT_EQ(bad_hex.error().reason, Reject::kBadKey);
}

TEST(Ed25519, SizesAreChecked) {
  auto sig = Signature::from_bytes(Bytes(63));
  ASSERT_FALSE(sig);
  EXPECT_EQ(sig.error().reason, Reject::kBadSignature);
  EXPECT_FALSE(Signature::from_bytes(Bytes(65)));
  EXPECT_TRUE(Signature::from_bytes(Bytes(64)));
  auto seed = SecretKey::from_seed_bytes(Bytes(33));
  ASSERT_FALSE(seed);
  EXPECT_EQ(seed.error().reason, Reject::kBadKey);
}

TEST(Ed25519, GeneratedKeysAreDistinctAndRoundTripThroughTheirSeed) {
  std::set<PublicKey> seen;
  for (int i = 0; i < 16; ++i) {
    const SecretKey k = SecretKey::generate();
    EXPECT_TRUE(seen.insert(k.public_key()).second);
    EXPECT_TRUE(PublicKey::from_bytes(k.public_key().bytes));
    const SecretKey again = SecretKey::from_seed(k.seed());
    EXPECT_EQ(again.public_key(), k.public_key());
  }
}

TEST(Ed25519, MoveKeepsTheKeyAndZeroesTheSource) {
  SecretKey a = SecretKey::from_seed_bytes(hex(kVectors[1].secret)).value();
  const PublicKey pk = a.public_key();
  SecretKey b(std::move(a));
  EXPECT_EQ(b.public_key(), pk);
  EXPECT_EQ(to_hex(b.seed()), kVectors[1].secret);
  EXPECT_EQ(a.seed(), (std::array<std::uint8_t, kSeedSize>{}));  // NOLINT(bugprone-use-after-move)
  SecretKey c = SecretKey::generate();
  c = std::move(b);
  EXPECT_EQ(c.public_key(), pk);
  EXPECT_EQ(b.seed(), (std::array<std::uint8_t, kSeedSize>{}));  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace bauhinia::core::ed25519
