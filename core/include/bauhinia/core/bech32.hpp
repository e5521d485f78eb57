#pragma once
// Bech32 (BIP-173) and Bech32m (BIP-350) text encoding: a human-readable part
// (HRP), the separator '1', 5-bit data characters and a 6-character checksum.
// Addresses (address.hpp) use Bech32m only; decoding recognises both variants so
// that a Bech32 string gets a precise rejection.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::core::bech32 {

enum class Variant : std::uint8_t { kBech32, kBech32m };

inline constexpr std::size_t kMaxLength = 90;     // whole string
inline constexpr std::size_t kMaxHrpLength = 83;  // leaves room for '1' and the checksum
inline constexpr std::size_t kChecksumLength = 6;
// The 32 data characters; the value of a character is its index.
inline constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

struct Decoded {
  std::string hrp;                 // lower case
  std::vector<std::uint8_t> data;  // 5-bit values, checksum removed
  Variant variant = Variant::kBech32m;
};

// A valid HRP for encoding: 1 to 83 characters in US-ASCII 33..126, no upper case.
Verdict check_hrp(std::string_view hrp);

// Encodes; asserts that `hrp` passes check_hrp, that every value is < 32 and
// that the result fits kMaxLength (all callers pass fixed, checked shapes).
std::string encode(std::string_view hrp, const std::vector<std::uint8_t>& data5, Variant variant);

// Decodes either variant. Rejections: kTooLarge (longer than 90), kBadEncoding
// (character outside 33..126, mixed case, no separator, empty HRP, checksum
// shorter than 6, character outside the data charset), kBadChecksum (neither
// checksum matches). All-upper-case strings are accepted, as BIP-173 requires.
Checked<Decoded> decode(std::string_view text);

// Regroups bytes into 5-bit values, zero-padding the last group.
std::vector<std::uint8_t> to_base32(ByteView bytes);
// The inverse: rejects (kNonCanonical) padding of 5 or more bits or non-zero
// padding bits, so each byte string has exactly one encoding.
Checked<Bytes> from_base32(const std::vector<std::uint8_t>& data5);

}  // namespace bauhinia::core::bech32
