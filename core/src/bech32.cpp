#include "bauhinia/core/bech32.hpp"

#include <array>

namespace bauhinia::core::bech32 {

namespace {

constexpr std::uint32_t kBech32Constant = 1;
constexpr std::uint32_t kBech32mConstant = 0x2bc830a3;

// Value of each ASCII character in the data charset, or -1.
constexpr std::array<std::int8_t, 128> make_reverse_charset() {
  std::array<std::int8_t, 128> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kCharset.size(); ++i) {
    const auto c = static_cast<unsigned char>(kCharset[i]);
    table[c] = static_cast<std::int8_t>(i);
    if (c >= 'a' && c <= 'z')
      table[c - 'a' + 'A'] = static_cast<std::int8_t>(i);  // upper-case form
  }
  return table;
}
constexpr auto kReverseCharset = make_reverse_charset();

// The BCH checksum's generator step (BIP-173 "polymod").
std::uint32_t polymod_step(std::uint32_t chk, std::uint8_t value) {
  static constexpr std::uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  const std::uint32_t top = chk >> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (int i = 0; i < 5; ++i) {
    if (((top >> i) & 1U) != 0) chk ^= kGenerator[i];
  }
  return chk;
}

// polymod over hrp-expansion || data; `hrp` must be lower case.
std::uint32_t polymod(std::string_view hrp, const std::vector<std::uint8_t>& data) {
  std::uint32_t chk = 1;
  for (char c : hrp)
    chk = polymod_step(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  chk = polymod_step(chk, 0);
  for (char c : hrp)
    chk = polymod_step(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  for (std::uint8_t v : data) chk = polymod_step(chk, v);
  return chk;
}

std::uint32_t constant_of(Variant v) {
  return v == Variant::kBech32 ? kBech32Constant : kBech32mConstant;
}

}  // namespace

Verdict check_hrp(std::string_view hrp) {
  if (hrp.empty() || hrp.size() > kMaxHrpLength) {
    return reject(Reject::kBadEncoding,
                  "prefix must have 1 to 83 characters, has " + std::to_string(hrp.size()));
  }
  for (char c : hrp) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126)
      return reject(Reject::kBadEncoding, "prefix has a character outside US-ASCII 33..126");
    if (c >= 'A' && c <= 'Z') return reject(Reject::kBadEncoding, "prefix must be lower case");
  }
  return Verdict::accept();
}

std::string encode(std::string_view hrp, const std::vector<std::uint8_t>& data5, Variant variant) {
  BAUHINIA_ASSERT(check_hrp(hrp).ok());
  BAUHINIA_ASSERT(hrp.size() + 1 + data5.size() + kChecksumLength <= kMaxLength);
  std::vector<std::uint8_t> values = data5;
  values.resize(data5.size() + kChecksumLength, 0);
  const std::uint32_t mod = polymod(hrp, values) ^ constant_of(variant);
  std::string out(hrp);
  out.reserve(hrp.size() + 1 + values.size());
  out += '1';
  for (std::uint8_t v : data5) {
    BAUHINIA_ASSERT(v < 32);
    out += kCharset[v];
  }
  for (std::size_t i = 0; i < kChecksumLength; ++i) {
    out += kCharset[(mod >> (5 * (kChecksumLength - 1 - i))) & 31];
  }
  return out;
}

Checked<Decoded> decode(std::string_view text) {
  if (text.size() > kMaxLength) {
    return reject(Reject::kTooLarge, "bech32 string has " + std::to_string(text.size()) +
                                         " characters, at most 90 allowed");
  }
  bool lower = false;
  bool upper = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 33 || u > 126) {
      return reject(Reject::kBadEncoding,
                    "character at position " + std::to_string(i) + " is outside US-ASCII 33..126");
    }
    lower = lower || (u >= 'a' && u <= 'z');
    upper = upper || (u >= 'A' && u <= 'Z');
  }
  if (lower && upper) return reject(Reject::kBadEncoding, "mixed upper and lower case");
  const std::size_t sep = text.rfind('1');
  if (sep == std::string_view::npos) return reject(Reject::kBadEncoding, "no separator '1'");
  if (sep == 0) return reject(Reject::kBadEncoding, "empty prefix before the separator '1'");
  if (text.size() - sep - 1 < kChecksumLength) {
    return reject(Reject::kBadEncoding, "too short for a 6-character checksum");
  }
  Decoded out;
  out.hrp.reserve(sep);
  for (std::size_t i = 0; i < sep; ++i) {
    const char c = text[i];
    out.hrp += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::vector<std::uint8_t> values;
  values.reserve(text.size() - sep - 1);
  for (std::size_t i = sep + 1; i < text.size(); ++i) {
    const std::int8_t v = kReverseCharset[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      return reject(Reject::kBadEncoding, "character '" + std::string(1, text[i]) +
                                              "' at position " + std::to_string(i) +
                                              " is not a bech32 data character");
    }
    values.push_back(static_cast<std::uint8_t>(v));
  }
  const std::uint32_t mod = polymod(out.hrp, values);
  if (mod == kBech32mConstant) {
    out.variant = Variant::kBech32m;
  } else if (mod == kBech32Constant) {
    out.variant = Variant::kBech32;
  } else {
    return reject(Reject::kBadChecksum, "checksum does not match (mistyped or altered)");
  }
  values.resize(values.size() - kChecksumLength);
  out.data = std::move(values);
  return out;
}

std::vector<std::uint8_t> to_base32(ByteView bytes) {
  std::vector<std::uint8_t> out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t acc = 0;
  unsigned bits = 0;
  for (std::uint8_t b : bytes) {
    acc = ((acc << 8) | b) & 0xFFF;  // at most 4 + 8 bits pending
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 31));
    }
  }
  if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (5 - bits)) & 31));
  return out;
}

Checked<Bytes> from_base32(const std::vector<std::uint8_t>& data5) {
  Bytes out;
  out.reserve(data5.size() * 5 / 8);
  std::uint32_t acc = 0;
  unsigned bits = 0;
  for (std::uint8_t v : data5) {
    BAUHINIA_ASSERT(v < 32);
    acc = ((acc << 5) | v) & 0x1FFF;  // at most 7 + 5 bits pending
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  if (bits >= 5) return reject(Reject::kNonCanonical, "padding of 5 or more bits");
  if ((acc & ((1U << bits) - 1)) != 0)
    return reject(Reject::kNonCanonical, "non-zero padding bits");
  return out;
}

}  // namespace bauhinia::core::bech32
