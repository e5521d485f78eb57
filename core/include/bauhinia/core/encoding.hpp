#pragma once
// The canonical binary encoding: the only input to hashing and signing.
// Format (docs/formats/encoding.md):
//   - integers: fixed width, little-endian (u8, u16, u32, u64; i64 two's complement)
//   - bool: one byte, 0x00 or 0x01 (anything else is rejected)
//   - length / count prefixes: unsigned LEB128, minimal (no redundant 0x80
//     groups), at most 2^32 - 1
//   - byte strings and UTF-8 strings: length prefix, then the bytes
//   - fixed-size byte arrays (hashes, keys, signatures): the bytes, no prefix
//   - sequences: count prefix, then the elements
//   - maps: count prefix, then (key, value) pairs in strictly increasing order of
//     the encoded key bytes (no duplicates)
//   - optionals: 0x00 (absent) or 0x01 followed by the value
//   - enums / variants: a u8 tag
//   - no floating point anywhere
// Every variable-size field has a declared maximum; the decoder checks it and the
// remaining input before it allocates.
//
// Types describe their fields once, for both directions:
//   template <class Self, class Codec> static void fields(Self& self, Codec& c) {
//     c.u64(self.height); c.bytes(self.memo, kMaxMemo); c.fixed(self.parent); }
// and then `encode(x)` / `decode<T>(bytes)` work on them.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::core {

inline constexpr std::uint64_t kMaxLength = 0xFFFFFFFFULL;

// The size of the length / count prefix (LEB128) of `n`: 1 byte below 128,
// 2 below 16,384, 3 below 2^21, ... (size arithmetic of encodings).
constexpr std::size_t length_prefix_size(std::uint64_t n) noexcept {
  std::size_t bytes = 1;
  for (; n >= 0x80; n >>= 7) ++bytes;
  return bytes;
}

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t reserve) { out_.reserve(reserve); }

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { put_le(v); }
  void u32(std::uint32_t v) { put_le(v); }
  void u64(std::uint64_t v) { put_le(v); }
  void i64(std::int64_t v) { put_le(static_cast<std::uint64_t>(v)); }
  void boolean(bool v) { out_.push_back(v ? 1 : 0); }
  void length(std::uint64_t n);  // LEB128; asserts n <= kMaxLength
  void raw(ByteView data) { out_.insert(out_.end(), data.begin(), data.end()); }
  void bytes(ByteView data) {
    length(data.size());
    raw(data);
  }

  const Bytes& data() const& noexcept { return out_; }
  Bytes take() && { return std::move(out_); }
  std::size_t size() const noexcept { return out_.size(); }

 private:
  template <class U>
  void put_le(U v) {
    for (std::size_t i = 0; i < sizeof(U); ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  Bytes out_;
};

// Reads canonical encoding from a byte view. Errors are sticky: after the first
// failure every read returns a zero value and the first rejection is kept, so a
// decoder can read all fields and check once at the end (finish()).
class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}

  std::uint8_t u8();
  std::uint16_t u16() { return get_le<std::uint16_t>(); }
  std::uint32_t u32() { return get_le<std::uint32_t>(); }
  std::uint64_t u64() { return get_le<std::uint64_t>(); }
  std::int64_t i64() { return static_cast<std::int64_t>(get_le<std::uint64_t>()); }
  bool boolean();
  // A length or count prefix no larger than `max`.
  std::uint64_t length(std::uint64_t max, const char* field);
  // A view of the next n bytes (no copy), or an empty view on failure.
  ByteView raw(std::size_t n, const char* field);
  Bytes bytes(std::uint64_t max, const char* field);
  std::string string(std::uint64_t max, const char* field);

  // Records a rejection (if none yet).
  void fail(Reject reason, std::string detail);

  bool ok() const noexcept { return !failed_; }
  std::size_t remaining() const noexcept { return in_.size() - pos_; }
  std::size_t position() const noexcept { return pos_; }
  // The bytes read since position `start`.
  ByteView consumed_since(std::size_t start) const noexcept { return in_.subspan(start, pos_ - start); }
  const Rejection& rejection() const noexcept { return rejection_; }

  // Succeeds when nothing failed and all input was consumed.
  Verdict finish();

 private:
  template <class U>
  U get_le() {
    if (!need(sizeof(U), "integer")) return 0;
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<U>(in_[pos_ + i]) << (8 * i));
    pos_ += sizeof(U);
    return v;
  }
  bool need(std::size_t n, const char* field);

  ByteView in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  Rejection rejection_{Reject::kInvalid, {}};
};

// ---- The field-list codec ----------------------------------------------------

class EncodeCodec;
class DecodeCodec;

template <class T>
concept HasFields = requires(T& t, EncodeCodec& e, DecodeCodec& d) {
  T::fields(const_cast<const T&>(t), e);
  T::fields(t, d);
};

// Optional per-type semantic check run after decoding: `Verdict validate() const`.
template <class T>
concept HasValidate = requires(const T& t) {
  { t.validate() } -> std::same_as<Verdict>;
};

class EncodeCodec {
 public:
  explicit EncodeCodec(Writer& w) : w_(w) {}
  void u8(std::uint8_t v) { w_.u8(v); }
  void u16(std::uint16_t v) { w_.u16(v); }
  void u32(std::uint32_t v) { w_.u32(v); }
  void u64(std::uint64_t v) { w_.u64(v); }
  void i64(std::int64_t v) { w_.i64(v); }
  void boolean(bool v) { w_.boolean(v); }
  template <class E>
    requires std::is_enum_v<E>
  void enumeration(E v, E /*max*/) {
    w_.u8(static_cast<std::uint8_t>(v));
  }
  void bytes(const Bytes& v, std::uint64_t max, const char* field = "bytes") {
    BAUHINIA_ASSERT_MSG(v.size() <= max, field);
    w_.bytes(v);
  }
  void string(const std::string& v, std::uint64_t max, const char* field = "string") {
    BAUHINIA_ASSERT_MSG(v.size() <= max, field);
    w_.bytes(as_bytes(v));
  }
  template <std::size_t N>
  void fixed(const std::array<std::uint8_t, N>& v) {
    w_.raw(ByteView{v.data(), N});
  }
  void fixed(const Hash256& h) { w_.raw(h.view()); }
  template <HasFields T>
  void object(const T& v) {
    T::fields(v, *this);
  }
  // A sequence of objects or of any type that `item` handles.
  template <class T, class Item>
  void sequence(const std::vector<T>& v, std::uint64_t max, const char* field, Item item) {
    BAUHINIA_ASSERT_MSG(v.size() <= max, field);
    w_.length(v.size());
    for (const auto& x : v) item(*this, x);
  }
  template <HasFields T>
  void sequence(const std::vector<T>& v, std::uint64_t max, const char* field) {
    sequence(v, max, field, [](EncodeCodec& c, const T& x) { c.object(x); });
  }
  template <class T, class Item>
  void optional(const std::optional<T>& v, Item item) {
    w_.boolean(v.has_value());
    if (v) item(*this, *v);
  }
  // A map, written in increasing order of the encoded key bytes.
  template <class K, class V, class C, class KeyItem, class ValueItem>
  void map(const std::map<K, V, C>& m, std::uint64_t max, const char* field, KeyItem key_item,
           ValueItem value_item) {
    BAUHINIA_ASSERT_MSG(m.size() <= max, field);
    std::vector<std::pair<Bytes, const V*>> entries;
    entries.reserve(m.size());
    for (const auto& [k, v] : m) {
      Writer kw;
      EncodeCodec kc(kw);
      key_item(kc, k);
      entries.emplace_back(std::move(kw).take(), &v);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    w_.length(entries.size());
    for (const auto& [kb, v] : entries) {
      w_.raw(kb);
      value_item(*this, *v);
    }
  }
  Writer& writer() { return w_; }

 private:
  Writer& w_;
};

class DecodeCodec {
 public:
  explicit DecodeCodec(Reader& r) : r_(r) {}
  void u8(std::uint8_t& v) { v = r_.u8(); }
  void u16(std::uint16_t& v) { v = r_.u16(); }
  void u32(std::uint32_t& v) { v = r_.u32(); }
  void u64(std::uint64_t& v) { v = r_.u64(); }
  void i64(std::int64_t& v) { v = r_.i64(); }
  void boolean(bool& v) { v = r_.boolean(); }
  template <class E>
    requires std::is_enum_v<E>
  void enumeration(E& v, E max) {
    const std::uint8_t tag = r_.u8();
    if (tag > static_cast<std::uint8_t>(max)) {
      r_.fail(Reject::kOutOfRange, "enum tag " + std::to_string(tag) + " out of range");
      v = E{};
      return;
    }
    v = static_cast<E>(tag);
  }
  void bytes(Bytes& v, std::uint64_t max, const char* field = "bytes") { v = r_.bytes(max, field); }
  void string(std::string& v, std::uint64_t max, const char* field = "string") {
    v = r_.string(max, field);
  }
  template <std::size_t N>
  void fixed(std::array<std::uint8_t, N>& v) {
    const ByteView b = r_.raw(N, "fixed");
    if (b.size() == N) std::memcpy(v.data(), b.data(), N);
  }
  void fixed(Hash256& h) { fixed(h.bytes()); }
  template <HasFields T>
  void object(T& v) {
    T::fields(v, *this);
  }
  template <class T, class Item>
  void sequence(std::vector<T>& v, std::uint64_t max, const char* field, Item item) {
    const std::uint64_t n = r_.length(max, field);
    v.clear();
    // Every element takes at least one byte, so n <= remaining() bounds the allocation.
    if (n > r_.remaining()) {
      r_.fail(Reject::kTruncated, std::string(field) + ": count exceeds remaining input");
      return;
    }
    v.reserve(n);
    for (std::uint64_t i = 0; i < n && r_.ok(); ++i) {
      v.emplace_back();
      item(*this, v.back());
    }
  }
  template <HasFields T>
  void sequence(std::vector<T>& v, std::uint64_t max, const char* field) {
    sequence(v, max, field, [](DecodeCodec& c, T& x) { c.object(x); });
  }
  template <class T, class Item>
  void optional(std::optional<T>& v, Item item) {
    if (r_.boolean()) {
      v.emplace();
      item(*this, *v);
    } else {
      v.reset();
    }
  }
  // A map; keys must come in strictly increasing order of their encoded bytes.
  template <class K, class V, class C, class KeyItem, class ValueItem>
  void map(std::map<K, V, C>& m, std::uint64_t max, const char* field, KeyItem key_item,
           ValueItem value_item) {
    const std::uint64_t n = r_.length(max, field);
    m.clear();
    if (n > r_.remaining()) {
      r_.fail(Reject::kTruncated, std::string(field) + ": count exceeds remaining input");
      return;
    }
    ByteView previous;
    for (std::uint64_t i = 0; i < n && r_.ok(); ++i) {
      const std::size_t start = r_.position();
      K k{};
      key_item(*this, k);
      if (!r_.ok()) return;
      const ByteView key_bytes = r_.consumed_since(start);
      if (i > 0 && !std::lexicographical_compare(previous.begin(), previous.end(),
                                                 key_bytes.begin(), key_bytes.end())) {
        r_.fail(Reject::kUnsorted, std::string(field) + ": keys not strictly increasing");
        return;
      }
      previous = key_bytes;
      V v{};
      value_item(*this, v);
      m.emplace(std::move(k), std::move(v));
    }
  }
  Reader& reader() { return r_; }

 private:
  Reader& r_;
};

template <HasFields T>
void encode_into(Writer& w, const T& value) {
  EncodeCodec c(w);
  T::fields(value, c);
}

template <HasFields T>
Bytes encode(const T& value) {
  Writer w;
  encode_into(w, value);
  return std::move(w).take();
}

// Decodes exactly one T from all of `in`; rejects trailing bytes and, when T has
// validate(), values that fail it.
template <HasFields T>
Checked<T> decode(ByteView in) {
  Reader r(in);
  DecodeCodec c(r);
  T value{};
  T::fields(value, c);
  if (Verdict v = r.finish(); !v) return v.rejection();
  if constexpr (HasValidate<T>) {
    if (Verdict v = value.validate(); !v) return v.rejection();
  }
  return value;
}

// Tagged hash of the canonical encoding.
template <HasFields T>
Hash256 hash_of(HashTag tag, const T& value) {
  return tagged_hash(tag, encode(value));
}

}  // namespace bauhinia::core
