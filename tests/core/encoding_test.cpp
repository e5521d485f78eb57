#include "bauhinia/core/encoding.hpp"

#include <gtest/gtest.h>

#include <set>

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
    c.map(
        s.table, 4, "table", [](auto& cc, auto& k) { cc.string(k, 8, "key"); },
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
  std::swap_ranges(swapped.begin() + static_cast<long>(off),
                   swapped.begin() + static_cast<long>(off + 3),
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

// ---- Every rejection the decoder can produce, one by one ----------------------

enum class Kind : std::uint8_t { kA, kB, kC };

// kind (enum), list (sequence of u8, max 3), table (map u8 -> u8, max 2), note (string, max 8)
struct Tagged {
  Kind kind = Kind::kA;
  std::vector<std::uint8_t> list;
  std::map<std::uint8_t, std::uint8_t> table;
  std::string note;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.kind, Kind::kC);
    c.sequence(s.list, 3, "list", [](auto& cc, auto& x) { cc.u8(x); });
    c.map(
        s.table, 2, "table", [](auto& cc, auto& k) { cc.u8(k); },
        [](auto& cc, auto& v) { cc.u8(v); });
    c.string(s.note, 8, "note");
  }
};

Checked<Tagged> decode_tagged(std::string_view hex) {
  auto bytes = from_hex(hex);
  BAUHINIA_ASSERT(bytes.has_value());
  return decode<Tagged>(*bytes);
}

Reject reason_of(std::string_view hex) {
  auto d = decode_tagged(hex);
  if (d.has_value()) {
    ADD_FAILURE() << hex << " decoded but should have been rejected";
    return Reject::kInvalid;  // not a reason the decoder produces
  }
  return d.error().reason;
}

TEST(EncodingRejects, EveryStructuralReason) {
  struct Case {
    const char* hex;
    Reject reason;
    const char* why;
  };
  const Case cases[] = {
      {"", Reject::kTruncated, "empty input"},
      {"000000", Reject::kTruncated, "string length missing"},
      {"0000000000", Reject::kTrailingBytes, "a byte after the value"},
      {"03000000", Reject::kOutOfRange, "enum tag above the largest"},
      {"0004010203040000", Reject::kTooLarge, "sequence longer than its maximum"},
      {"00800000", Reject::kNonCanonical, "non-minimal count prefix"},
      {"0000020205010600", Reject::kUnsorted, "map keys out of order"},
      {"000000"
       "02c0af",
       Reject::kBadEncoding, "string not UTF-8"},
  };
  std::set<Reject> seen;
  for (const auto& c : cases) {
    EXPECT_EQ(reason_of(c.hex), c.reason) << c.why;
    seen.insert(c.reason);
  }
  // These seven are every reason Reader and DecodeCodec can produce.
  EXPECT_EQ(seen.size(), 7U);
  EXPECT_TRUE(
      decode_tagged("02"
                    "03010203"
                    "02"
                    "0105"
                    "0206"
                    "02"
                    "6869"));
}

TEST(EncodingRejects, EnumTagOutOfRange) {
  EXPECT_TRUE(decode_tagged("02000000"));  // kC is the largest tag
  EXPECT_EQ(reason_of("03000000"), Reject::kOutOfRange);
  EXPECT_EQ(reason_of("ff000000"), Reject::kOutOfRange);
}

TEST(EncodingRejects, SequenceCountBeyondMaximumOrInput) {
  EXPECT_TRUE(
      decode_tagged("0003010203"
                    "0000"));
  EXPECT_EQ(reason_of("000401020304"
                      "0000"),
            Reject::kTooLarge);  // maximum is 3
  // A count within the maximum but beyond the remaining input is caught
  // before anything is allocated.
  EXPECT_EQ(reason_of("0003"
                      "00"),
            Reject::kTruncated);
}

TEST(EncodingRejects, MapCountBeyondMaximumOrInputAndUnsortedKeys) {
  EXPECT_TRUE(
      decode_tagged("0000"
                    "02"
                    "0105"
                    "0206"
                    "00"));
  EXPECT_EQ(reason_of("0000"
                      "03"
                      "0105"
                      "0206"
                      "0307"
                      "00"),
            Reject::kTooLarge);
  EXPECT_EQ(reason_of("0000"
                      "02"),
            Reject::kTruncated);
  EXPECT_EQ(reason_of("0000"
                      "02"
                      "0205"
                      "0106"
                      "00"),
            Reject::kUnsorted);
  EXPECT_EQ(reason_of("0000"
                      "02"
                      "0105"
                      "0106"
                      "00"),
            Reject::kUnsorted);  // duplicate key
}

TEST(EncodingRejects, StringBeyondMaximum) {
  EXPECT_TRUE(
      decode_tagged("000000"
                    "086161616161616161"));
  EXPECT_EQ(reason_of("000000"
                      "09616161616161616161"),
            Reject::kTooLarge);
}

TEST(EncodingRejects, LengthPrefixLimits) {
  // 2^32 - 1 is the largest length the format allows (5 groups); 2^32 is too large.
  Writer w;
  w.length(kMaxLength);
  EXPECT_EQ(to_hex(w.data()), "ffffffff0f");
  {
    Reader r(w.data());
    EXPECT_EQ(r.length(kMaxLength, "len"), kMaxLength);
    EXPECT_TRUE(r.finish());
  }
  for (const char* hex : {"8080808010", "ffffffff1f", "ffffffff7f"}) {
    auto b = from_hex(hex);
    Reader r(*b);
    (void)r.length(kMaxLength, "len");
    ASSERT_FALSE(r.ok()) << hex;
    EXPECT_EQ(r.rejection().reason, Reject::kTooLarge) << hex;
  }
  // A sixth group is never valid, whatever its value.
  auto six = from_hex("808080808001");
  Reader r6(*six);
  (void)r6.length(kMaxLength, "len");
  EXPECT_EQ(r6.rejection().reason, Reject::kTooLarge);
  // A prefix cut short.
  auto cut = from_hex("8080");
  Reader rc(*cut);
  (void)rc.length(kMaxLength, "len");
  EXPECT_EQ(rc.rejection().reason, Reject::kTruncated);
  // Non-minimal in the last of several groups.
  auto padded = from_hex("ff8000");
  Reader rp(*padded);
  (void)rp.length(kMaxLength, "len");
  EXPECT_EQ(rp.rejection().reason, Reject::kNonCanonical);
}

TEST(EncodingRejects, Utf8OneByOne) {
  struct Case {
    const char* hex;
    const char* why;
  };
  const Case bad[] = {
      {"80", "lone continuation byte"},      {"c0af", "overlong 2-byte form of '/'"},
      {"e080af", "overlong 3-byte form"},    {"f08080af", "overlong 4-byte form"},
      {"eda080", "UTF-16 surrogate U+D800"}, {"edbfbf", "UTF-16 surrogate U+DFFF"},
      {"f4908080", "above U+10FFFF"},        {"f888808080", "5-byte lead byte"},
      {"ff", "0xFF is never UTF-8"},         {"e6b4", "3-byte sequence cut short"},
      {"e641", "continuation byte missing"},
  };
  for (const auto& c : bad) {
    auto body = from_hex(c.hex);
    ASSERT_TRUE(body) << c.why;
    Writer w;
    w.bytes(*body);
    Reader r(w.data());
    (void)r.string(64, "text");
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_EQ(r.rejection().reason, Reject::kBadEncoding) << c.why;
  }
  for (const char* hex : {"", "41", "c2a9", "e6b48b", "f09f8cb8", "f48fbfbf", "ee8080"}) {
    Writer w;
    w.bytes(*from_hex(hex));
    Reader r(w.data());
    const std::string s = r.string(64, "text");
    EXPECT_TRUE(r.finish()) << hex;
    EXPECT_EQ(to_hex(as_bytes(s)), hex);
  }
}

TEST(EncodingRejects, ErrorsAreStickyAndTheFirstIsKept) {
  auto b = from_hex("02");  // a bad bool, then nothing
  Reader r(*b);
  EXPECT_FALSE(r.boolean());
  EXPECT_EQ(r.u64(), 0U);  // later reads return zero values
  EXPECT_TRUE(r.bytes(10, "x").empty());
  EXPECT_EQ(r.rejection().reason, Reject::kNonCanonical);
  const Verdict v = r.finish();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, Reject::kNonCanonical);
  EXPECT_NE(v.rejection().detail.find("at byte 0"), std::string::npos);
}

struct Positive {
  std::uint32_t n = 1;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u32(s.n);
  }
  Verdict validate() const {
    if (n == 0) return reject(Reject::kInvalid, "n must be positive");
    return Verdict::accept();
  }
};

TEST(EncodingRejects, ValidateRunsAfterDecoding) {
  EXPECT_TRUE(decode<Positive>(encode(Positive{5})));
  auto d = decode<Positive>(encode(Positive{0}));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, Reject::kInvalid);
  // Structural errors come first; validate() only sees a complete value.
  auto t = decode<Positive>(Bytes{0, 0, 0, 0, 0});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().reason, Reject::kTrailingBytes);
}

TEST(EncodingDeath, EncodingBeyondAMaximumIsABug) {
  Tagged t;
  t.list = {1, 2, 3, 4};  // maximum is 3
  EXPECT_DEATH((void)encode(t), "list");
  Writer w;
  EXPECT_DEATH(w.length(kMaxLength + 1), "");
}

}  // namespace
}  // namespace bauhinia::core
