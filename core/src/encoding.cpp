#include "bauhinia/core/encoding.hpp"

namespace bauhinia::core {

namespace {
// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(ByteView s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::uint8_t c = s[i];
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1FU; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0FU; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07U; }
    else return false;
    if (s.size() - i <= n) return false;  // needs n continuation bytes after c
    for (std::size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3FU);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}
}  // namespace

void Writer::length(std::uint64_t n) {
  BAUHINIA_ASSERT(n <= kMaxLength);
  do {
    auto byte = static_cast<std::uint8_t>(n & 0x7F);
    n >>= 7;
    if (n != 0) byte |= 0x80;
    out_.push_back(byte);
  } while (n != 0);
}

void Reader::fail(Reject reason, std::string detail) {
  if (failed_) return;
  failed_ = true;
  rejection_ = Rejection{reason, std::move(detail) + " (at byte " + std::to_string(pos_) + ")"};
}

bool Reader::need(std::size_t n, const char* field) {
  if (failed_) return false;
  if (remaining() < n) {
    fail(Reject::kTruncated, std::string(field) + ": needs " + std::to_string(n) + " bytes, " +
                                 std::to_string(remaining()) + " left");
    return false;
  }
  return true;
}

std::uint8_t Reader::u8() {
  if (!need(1, "u8")) return 0;
  return in_[pos_++];
}

bool Reader::boolean() {
  if (!need(1, "bool")) return false;
  const std::uint8_t b = in_[pos_];
  if (b > 1) {
    fail(Reject::kNonCanonical, "bool must be 0 or 1, got " + std::to_string(b));
    return false;
  }
  ++pos_;
  return b == 1;
}

std::uint64_t Reader::length(std::uint64_t max, const char* field) {
  if (failed_) return 0;
  std::uint64_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (shift > 28) {  // a 5th group would exceed 2^35; 2^32-1 needs at most 5 groups
      fail(Reject::kTooLarge, std::string(field) + ": length prefix too long");
      return 0;
    }
    if (!need(1, field)) return 0;
    const std::uint8_t byte = in_[pos_++];
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && shift != 0) {
        fail(Reject::kNonCanonical, std::string(field) + ": non-minimal length prefix");
        return 0;
      }
      break;
    }
  }
  if (value > kMaxLength) {
    fail(Reject::kTooLarge, std::string(field) + ": length exceeds 2^32-1");
    return 0;
  }
  if (value > max) {
    fail(Reject::kTooLarge, std::string(field) + ": length " + std::to_string(value) +
                                " exceeds maximum " + std::to_string(max));
    return 0;
  }
  return value;
}

ByteView Reader::raw(std::size_t n, const char* field) {
  if (!need(n, field)) return {};
  ByteView v = in_.subspan(pos_, n);
  pos_ += n;
  return v;
}

Bytes Reader::bytes(std::uint64_t max, const char* field) {
  const std::uint64_t n = length(max, field);
  if (failed_) return {};
  // Checked against the remaining input before allocating.
  const ByteView v = raw(static_cast<std::size_t>(n), field);
  if (failed_) return {};
  return Bytes(v.begin(), v.end());
}

std::string Reader::string(std::uint64_t max, const char* field) {
  const std::uint64_t n = length(max, field);
  if (failed_) return {};
  const ByteView v = raw(static_cast<std::size_t>(n), field);
  if (failed_) return {};
  if (!valid_utf8(v)) {
    fail(Reject::kBadEncoding, std::string(field) + ": not valid UTF-8");
    return {};
  }
  return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

Verdict Reader::finish() {
  if (failed_) return rejection_;
  if (remaining() != 0) {
    fail(Reject::kTrailingBytes, std::to_string(remaining()) + " bytes after the value");
    return rejection_;
  }
  return Verdict::accept();
}

}  // namespace bauhinia::core
