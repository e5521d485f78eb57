#include "bauhinia/core/encoding.hpp"

#include <gtest/gtest.h>

namespace bauhinia::core {
namespace {

struct Sample {
  static constexpr std::uint64_t kMaxMemo = 8;
  std::uint8_t version = 1;
  std::uint64_t height = 0;
  bool flag = false;
  Bytes memo;
  std::string name;
  Hash256 parent;
  std::vector<std::uint32_t> items;
  std::optional<std::uint16_t> opt;
  std::map<std::string, std::uint8_t> table;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.height);
    c.boolean(s.flag);
    c.bytes(s.memo, kMaxMemo, "memo");
    c.string(s.name, 16, "name");
    c.fixed(s.parent);
    c.sequence(s.items, 4, "items", [](auto& cc, auto& x) { cc.u32(x); });
    c.optional(s.opt, [](auto& cc, auto& x) { cc.u16(x); });
    c.map(s.table, 4, "table", [](auto& cc, auto& k) { cc.string(k, 8, "key"); },
          [](auto& cc, auto& v) { cc.u8(v); });
  }
  bool operator==(const Sample&) const = default;
};

Sample sample() {
  Sample s;
  s.height = 0x0102030405060708ULL;
  s.flag = true;
  s.memo = {0xAA, 0xBB};
  s.name = "香港";
  s.parent = sha256(as_bytes("p"));
  s.items = {1, 2};
  s.opt = 7;
  s.table = {{"b", 2}, {"a", 1}};
  return s;
}

TEST(Encoding, RoundTripAndLayout) {
  const Sample s = sample();
  const Bytes b = encode(s);
  auto back = decode<Sample>(b);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, s);
  // version, then little-endian height
  EXPECT_EQ(b[0], 1);
  EXPECT_EQ(b[1], 0x08);
  EXPECT_EQ(b[8], 0x01);
}

TEST(Encoding, LengthPrefixIsMinimalLeb128) {
  Writer w;
  w.length(0);
  w.length(127);
  w.length(128);
  w.length(300);
  EXPECT_EQ(to_hex(w.data()), "007f8001ac02");
  for (const char* bad : {"8000", "ff00", "808000"}) {
    auto bytes = from_hex(bad);
    Reader r(*bytes);
    (void)r.length(kMaxLength, "len");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.rejection().reason, Reject::kNonCanonical) << bad;
  }
  auto huge = from_hex("ffffffff7f");  // 2^35-1 > 2^32-1
  Reader r(*huge);
  (void)r.length(kMaxLength, "len");
  EXPECT_EQ(r.rejection().reason, Reject::kTooLarge);
}

TEST(Encoding, RejectsTrailingBytes) {
  Bytes b = encode(sample());
  b.push_back(0);
  auto d = decode<Sample>(b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kTrailingBytes);
}

TEST(Encoding, RejectsEveryTruncation) {
  const Bytes b = encode(sample());
  for (std::size_t n = 0; n < b.size(); ++n) {
    auto d = decode<Sample>(ByteView(b.data(), n));
    ASSERT_FALSE(d) << n;
    EXPECT_EQ(d.error().reason, Reject::kTruncated) << n;
  }
}

TEST(Encoding, RejectsNonCanonicalBool) {
  Bytes b = encode(sample());
  b[9] = 2;  // the flag
  auto d = decode<Sample>(b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kNonCanonical);
}

TEST(Encoding, RejectsFieldBeyondMaximumBeforeAllocating) {
  Writer w;
  w.u8(1);
  w.u64(0);
  w.boolean(false);
  w.length(9);  // memo maximum is 8
  w.raw(Bytes(9, 0));
  auto d = decode<Sample>(w.data());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kTooLarge);

  Writer w2;
  w2.u8(1);
  w2.u64(0);
  w2.boolean(false);
  w2.length(5);  // claims 5 bytes, 1 present
  w2.u8(0);
  auto d2 = decode<Sample>(w2.data());
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().reason, Reject::kTruncated);
}

TEST(Encoding, RejectsInvalidUtf8) {
  Sample s = sample();
  s.name = "ab";
  Bytes b = encode(s);
  // name is after version(1) height(8) flag(1) memo(1+2) len(1)
  b[14] = 0xC0;  // overlong lead byte
  auto d = decode<Sample>(b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kBadEncoding);
}

TEST(Encoding, MapIsSortedAndUnsortedIsRejected) {
  Sample s = sample();
  const Bytes b = encode(s);
  // the map is last: count 2, "a"->1, "b"->2
  const std::string tail = to_hex(ByteView(b).last(7));
  EXPECT_EQ(tail, "02016101016202");
  Bytes swapped = b;
  // swap the two entries
  const std::size_t off = b.size() - 6;  // each entry is 3 bytes
  std::swap_ranges(swapped.begin() + static_cast<long>(off), swapped.begin() + static_cast<long>(off + 3),
                   swapped.begin() + static_cast<long>(off + 3));
  auto d = decode<Sample>(swapped);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kUnsorted);
  // duplicate keys are unsorted too
  Bytes dup = b;
  dup[off + 4] = 'a';
  auto d2 = decode<Sample>(dup);
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().reason, Reject::kUnsorted);
}

TEST(Encoding, RejectsSequenceBeyondMaximumAndBadOptionTag) {
  Sample s = sample();
  s.items = {1, 2, 3, 4};
  Bytes b = encode(s);
  auto ok = decode<Sample>(b);
  ASSERT_TRUE(ok);
  const std::size_t count_at = 1 + 8 + 1 + 3 + 1 + s.name.size() + 32;
  ASSERT_EQ(b[count_at], 4);
  b[count_at] = 5;
  auto d = decode<Sample>(b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kTooLarge);

  Bytes c = encode(sample());
  const std::size_t opt_at = count_at + 1 + 8;
  ASSERT_EQ(c[opt_at], 1);
  c[opt_at] = 2;
  auto d2 = decode<Sample>(c);
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().reason, Reject::kNonCanonical);
}

}  // namespace
}  // namespace bauhinia::core
