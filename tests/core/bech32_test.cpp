#include "bauhinia/core/bech32.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bauhinia::core::bech32 {
namespace {

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// BIP-350, "Test vectors for Bech32m": valid strings.
const char* const kValidBech32m[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};

// BIP-173, "Test vectors": valid Bech32 strings (and so invalid Bech32m).
const char* const kValidBech32[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

TEST(Bech32m, Bip350ValidStringsDecodeAndReencode) {
  for (const char* s : kValidBech32m) {
    auto d = decode(s);
    ASSERT_TRUE(d) << s << ": " << d.error().to_string();
    EXPECT_EQ(d->variant, Variant::kBech32m) << s;
    EXPECT_EQ(encode(d->hrp, d->data, Variant::kBech32m), lower(s)) << s;
  }
}

TEST(Bech32, Bip173ValidStringsAreBech32NotBech32m) {
  for (const char* s : kValidBech32) {
    auto d = decode(s);
    ASSERT_TRUE(d) << s << ": " << d.error().to_string();
    EXPECT_EQ(d->variant, Variant::kBech32) << s;
    EXPECT_EQ(encode(d->hrp, d->data, Variant::kBech32), lower(s)) << s;
  }
  // "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw" carries the values 0..31 in order.
  auto d = decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->data.size(), 32U);
  for (std::uint8_t i = 0; i < 32; ++i) EXPECT_EQ(d->data[i], i);
}

TEST(Bech32m, Bip350InvalidStrings) {
  struct Case {
    std::string text;
    Reject reason;
    const char* why;
  };
  const Case cases[] = {
      {std::string(1, '\x20') + "1xj0phk", Reject::kBadEncoding, "HRP character out of range"},
      {std::string(1, '\x7F') + "1g6xzxy", Reject::kBadEncoding, "HRP character out of range"},
      {std::string(1, '\x80') + "1vctc34", Reject::kBadEncoding, "HRP character out of range"},
      {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts"
       "4",
       Reject::kTooLarge, "overall max length exceeded"},
      {"qyrz8wqd2c9m", Reject::kBadEncoding, "no separator character"},
      {"1qyrz8wqd2c9m", Reject::kBadEncoding, "empty HRP"},
      {"y1b0jsk6g", Reject::kBadEncoding, "invalid data character"},
      {"lt1igcx5c0", Reject::kBadEncoding, "invalid data character"},
      {"in1muywd", Reject::kBadEncoding, "too short checksum"},
      {"mm1crxm3i", Reject::kBadEncoding, "invalid character in checksum"},
      {"au1s5cgom", Reject::kBadEncoding, "invalid character in checksum"},
      {"M1VUXWEZ", Reject::kBadChecksum, "checksum calculated with uppercase form of HRP"},
      {"16plkw9", Reject::kBadEncoding, "empty HRP"},
      {"1p2gdwpf", Reject::kBadEncoding, "empty HRP"},
  };
  for (const auto& c : cases) {
    auto d = decode(c.text);
    ASSERT_FALSE(d) << c.why;
    EXPECT_EQ(d.error().reason, c.reason) << c.why << ": " << d.error().to_string();
  }
}

TEST(Bech32, MixedCaseIsRejected) {
  auto d = decode("A1lqfn3a");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kBadEncoding);
  EXPECT_NE(d.error().detail.find("mixed"), std::string::npos);
}

TEST(Bech32, Base32RegroupingRoundTripsAndIsCanonical) {
  Bytes bytes;
  for (int n = 0; n <= 40; ++n) {
    const auto five = to_base32(bytes);
    EXPECT_EQ(five.size(), (bytes.size() * 8 + 4) / 5);
    for (auto v : five) EXPECT_LT(v, 32);
    auto back = from_base32(five);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
  // One byte: 8 bits -> 2 groups with 2 padding bits, which must be zero.
  EXPECT_EQ(to_base32(Bytes{0xFF}), (std::vector<std::uint8_t>{31, 28}));
  auto nonzero = from_base32({31, 29});
  ASSERT_FALSE(nonzero);
  EXPECT_EQ(nonzero.error().reason, Reject::kNonCanonical);
  // A whole extra group of padding (5 bits) is not canonical.
  auto extra = from_base32({31, 28, 0});
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().reason, Reject::kNonCanonical);
  auto empty = from_base32({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Bech32, HrpCheck) {
  EXPECT_TRUE(check_hrp("hk"));
  EXPECT_TRUE(check_hrp("?"));
  EXPECT_TRUE(check_hrp(std::string(83, 'a')));
  EXPECT_FALSE(check_hrp(""));
  EXPECT_FALSE(check_hrp(std::string(84, 'a')));
  EXPECT_FALSE(check_hrp("Hk"));
  EXPECT_FALSE(check_hrp("h k"));
  EXPECT_FALSE(check_hrp("h\x7f"));
}

}  // namespace
}  // namespace bauhinia::core::bech32
