#include "bauhinia/core/address.hpp"

#include <gtest/gtest.h>

#include "bauhinia/core/bech32.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/random.hpp"

namespace bauhinia::core {
namespace {

// The public key of BIP-340 test vector 1.
schnorr::PublicKey vector1_key() {
  return schnorr::PublicKey::from_hex(
             "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659")
      .value();
}

AccountId random_id() {
  AccountId id;
  os_random_bytes(id.bytes);
  return id;
}

// Builds a Bech32(m) string with an arbitrary payload, for rejection tests.
std::string with_payload(std::string_view hrp, const Bytes& payload,
                         bech32::Variant v = bech32::Variant::kBech32m) {
  return bech32::encode(hrp, bech32::to_base32(payload), v);
}

Bytes v0_payload(const AccountId& id) {
  Bytes p(1 + AccountId::kSize);
  p[0] = kAddressVersion;
  std::copy(id.bytes.begin(), id.bytes.end(), p.begin() + 1);
  return p;
}

TEST(AccountId, IsTheTaggedHashOfTheXOnlyKey) {
  const auto key = vector1_key();
  const AccountId id = account_id_of(key);
  EXPECT_EQ(id.bytes, tagged_hash(HashTag::kAccount, key.bytes).bytes());
  // Computed independently (Python hashlib): SHA-256(t || t || key), t =
  // SHA-256("bauhinia/account").
  EXPECT_EQ(id.to_hex(), "f9b6e3a7e0e1a67c815fbb579b3be856c2b53a5f57118bba0a968d0a0da4a41e");
  auto back = AccountId::from_hex(id.to_hex());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
  EXPECT_FALSE(AccountId::from_bytes(Bytes(31)));
  EXPECT_FALSE(AccountId::from_hex("00"));
}

TEST(Address, KnownAddresses) {
  const AccountId id = account_id_of(vector1_key());
  // Computed independently with a separate Bech32m implementation (Python).
  EXPECT_EQ(encode_address(kMainnetAddressPrefix, id),
            "hk1qrumdca8urs6vlypt7a40xemaptv9df6tat3rza6p2tg6zsd5jjpud2eqjx");
  EXPECT_EQ(encode_address(kTestnetAddressPrefix, id),
            "hktest1qrumdca8urs6vlypt7a40xemaptv9df6tat3rza6p2tg6zsd5jjpuncpzh6");
  EXPECT_EQ(encode_address(kMainnetAddressPrefix, AccountId{}),
            "hk1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqullpml");
}

TEST(Address, RoundTripsOnBothChainsAndInUpperCase) {
  for (int i = 0; i < 64; ++i) {
    const AccountId id = random_id();
    for (std::string_view prefix : {kMainnetAddressPrefix, kTestnetAddressPrefix}) {
      const std::string a = encode_address(prefix, id);
      EXPECT_EQ(a.size(), prefix.size() + 1 + 53 + 6);
      auto back = decode_address(prefix, a);
      ASSERT_TRUE(back) << a << ": " << back.error().to_string();
      EXPECT_EQ(*back, id);
      std::string upper = a;
      for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      auto back_upper = decode_address(prefix, upper);
      ASSERT_TRUE(back_upper) << upper;
      EXPECT_EQ(*back_upper, id);
    }
  }
}

TEST(Address, EverySingleCharacterSubstitutionIsDetected) {
  for (std::string_view prefix : {kMainnetAddressPrefix, kTestnetAddressPrefix}) {
    const AccountId id = random_id();
    const std::string good = encode_address(prefix, id);
    std::size_t tried = 0;
    for (std::size_t pos = 0; pos < good.size(); ++pos) {
      // Every printable ASCII character, plus a control, a space and a high byte.
      for (int c = 0; c < 256; ++c) {
        if (!((c >= 33 && c <= 126) || c == 0 || c == ' ' || c == 0x80 || c == 0xFF)) continue;
        if (static_cast<char>(c) == good[pos]) continue;
        std::string bad = good;
        bad[pos] = static_cast<char>(c);
        auto d = decode_address(prefix, bad);
        EXPECT_FALSE(d) << "substitution at " << pos << " by " << c << " accepted: " << bad;
        ++tried;
      }
    }
    EXPECT_GT(tried, good.size() * 90);
  }
}

TEST(Address, WrongPrefixNamesBothPrefixes) {
  const AccountId id = random_id();
  auto d = decode_address(kMainnetAddressPrefix, encode_address(kTestnetAddressPrefix, id));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kWrongPrefix);
  EXPECT_NE(d.error().detail.find("'hktest'"), std::string::npos) << d.error().detail;
  EXPECT_NE(d.error().detail.find("'hk'"), std::string::npos) << d.error().detail;
  auto d2 = decode_address(kTestnetAddressPrefix, encode_address(kMainnetAddressPrefix, id));
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().reason, Reject::kWrongPrefix);
}

TEST(Address, Bech32ChecksumIsRejected) {
  const std::string a =
      with_payload(kMainnetAddressPrefix, v0_payload(random_id()), bech32::Variant::kBech32);
  auto d = decode_address(kMainnetAddressPrefix, a);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kBadChecksum);
  EXPECT_NE(d.error().detail.find("Bech32m"), std::string::npos);
  // BIP-350: a segwit v1 address with a Bech32 checksum.
  auto s = decode_address("bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reject::kBadChecksum);
}

TEST(Address, RejectsMixedCaseAndForeignCharacters) {
  std::string a = encode_address(kMainnetAddressPrefix, random_id());
  std::string mixed = a;
  mixed[10] =
      static_cast<char>(mixed[10] >= 'a' && mixed[10] <= 'z' ? mixed[10] - 'a' + 'A' : mixed[10]);
  if (mixed == a) mixed[0] = 'H';
  auto d = decode_address(kMainnetAddressPrefix, mixed);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kBadEncoding);
  for (char c : {'b', 'i', 'o', '1'}) {
    std::string bad = a;
    bad[20] = c;
    auto e = decode_address(kMainnetAddressPrefix, bad);
    ASSERT_FALSE(e) << c;
    if (c != '1') {
      EXPECT_EQ(e.error().reason, Reject::kBadEncoding) << c;
    }
  }
}

TEST(Address, RejectsWrongLengthVersionAndPadding) {
  const AccountId id = random_id();
  Bytes short_payload = v0_payload(id);
  short_payload.pop_back();
  auto d1 =
      decode_address(kMainnetAddressPrefix, with_payload(kMainnetAddressPrefix, short_payload));
  ASSERT_FALSE(d1);
  EXPECT_EQ(d1.error().reason, Reject::kBadEncoding);
  Bytes long_payload = v0_payload(id);
  long_payload.push_back(0);
  auto d2 =
      decode_address(kMainnetAddressPrefix, with_payload(kMainnetAddressPrefix, long_payload));
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().reason, Reject::kBadEncoding);
  auto d3 = decode_address(kMainnetAddressPrefix, with_payload(kMainnetAddressPrefix, Bytes{}));
  ASSERT_FALSE(d3);
  EXPECT_EQ(d3.error().reason, Reject::kBadEncoding);

  for (std::uint8_t version : {1, 7, 8, 255}) {
    Bytes p = v0_payload(id);
    p[0] = version;
    auto d = decode_address(kMainnetAddressPrefix, with_payload(kMainnetAddressPrefix, p));
    ASSERT_FALSE(d) << int{version};
    EXPECT_EQ(d.error().reason, Reject::kBadVersion) << int{version};
  }

  // 33 bytes = 264 bits in 53 characters (265 bits): the last bit is padding.
  auto five = bech32::to_base32(v0_payload(id));
  ASSERT_EQ(five.size(), 53U);
  five.back() |= 1;
  auto d4 = decode_address(kMainnetAddressPrefix,
                           bech32::encode(kMainnetAddressPrefix, five, bech32::Variant::kBech32m));
  ASSERT_FALSE(d4);
  EXPECT_EQ(d4.error().reason, Reject::kNonCanonical);
}

TEST(Address, RejectsOverlongInput) {
  const std::string a = encode_address(kMainnetAddressPrefix, random_id());
  auto d = decode_address(kMainnetAddressPrefix, a + std::string(91 - a.size(), 'q'));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kTooLarge);
  auto huge = decode_address(kMainnetAddressPrefix, std::string(1 << 20, 'q'));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().reason, Reject::kTooLarge);
  auto empty = decode_address(kMainnetAddressPrefix, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().reason, Reject::kBadEncoding);
}

TEST(Address, PrefixCheck) {
  EXPECT_TRUE(check_address_prefix(kMainnetAddressPrefix));
  EXPECT_TRUE(check_address_prefix(kTestnetAddressPrefix));
  EXPECT_TRUE(check_address_prefix(std::string(30, 'a')));
  EXPECT_FALSE(check_address_prefix(std::string(31, 'a')));  // would exceed 90 characters
  EXPECT_FALSE(check_address_prefix(""));
  EXPECT_FALSE(check_address_prefix("HK"));
  const std::string longest = encode_address(std::string(30, 'a'), random_id());
  EXPECT_EQ(longest.size(), 90U);
  EXPECT_TRUE(decode_address(std::string(30, 'a'), longest));
}

}  // namespace
}  // namespace bauhinia::core
