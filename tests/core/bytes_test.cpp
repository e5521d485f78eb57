#include "bauhinia/core/bytes.hpp"

#include <gtest/gtest.h>

namespace bauhinia::core {
namespace {

TEST(Hex, RoundTrip) {
  const Bytes b{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "0001abff");
  auto back = from_hex("0001ABff");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, b);
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  auto odd = from_hex("abc");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().reason, Reject::kBadEncoding);
  auto bad = from_hex("0g");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, Reject::kBadEncoding);
  EXPECT_FALSE(from_hex_fixed<2>("0011aa"));
}

TEST(ConstantTime, Compares) {
  const Bytes a{1, 2, 3};
  const Bytes b{1, 2, 4};
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, Bytes{1, 2}));
}

}  // namespace
}  // namespace bauhinia::core
