#pragma once
// Accounts and their human-readable addresses.
//
// An account is identified by a 32-byte AccountId derived from the BIP-340
// (x-only) public key of its first key:
//   AccountId = tagged_hash(HashTag::kAccount, x-only public key bytes)
// so later key rotation does not change the account's identity.
//
// An address is the Bech32m (BIP-350) text form of
//   version byte (kAddressVersion = 0) || AccountId (32 bytes)
// with the chain's prefix as human-readable part: "hk1..." on the production
// chain, "hktest1..." on test chains. See docs/formats/keys-and-addresses.md.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::core {

inline constexpr std::string_view kMainnetAddressPrefix = "hk";
inline constexpr std::string_view kTestnetAddressPrefix = "hktest";
inline constexpr std::uint8_t kAddressVersion = 0;

struct AccountId {
  static constexpr std::size_t kSize = 32;
  std::array<std::uint8_t, kSize> bytes{};

  static Checked<AccountId> from_bytes(ByteView b);  // exactly 32 bytes
  static Checked<AccountId> from_hex(std::string_view hex);
  std::string to_hex() const;
  ByteView view() const noexcept { return {bytes.data(), bytes.size()}; }

  // Canonical encoding: the 32 bytes, no prefix.
  template <class Self, class C>
  static void fields(Self& self, C& c) {
    c.fixed(self.bytes);
  }
  friend auto operator<=>(const AccountId&, const AccountId&) = default;
};

// The id of the account whose first key is `key`.
AccountId account_id_of(const schnorr::PublicKey& key);

// Checks a chain's address prefix (from configuration): 1 to 83 characters of
// US-ASCII 33..126 without upper case, and short enough for an address.
Verdict check_address_prefix(std::string_view prefix);

// The address of `id` on the chain with prefix `prefix` (which must pass
// check_address_prefix; a bad prefix is a bug). Always lower case.
std::string encode_address(std::string_view prefix, const AccountId& id);

// Parses an address of the chain with prefix `expected_prefix`. Accepts the
// all-lower-case and the all-upper-case form. Rejections:
//   kTooLarge      longer than 90 characters
//   kBadEncoding   a character outside US-ASCII 33..126 or the data charset,
//                  mixed case, no separator, empty prefix, wrong data length
//   kBadChecksum   the Bech32m checksum does not match (also when the string
//                  carries a valid Bech32, not Bech32m, checksum)
//   kWrongPrefix   a valid address of another chain (names both prefixes)
//   kNonCanonical  non-zero or over-long padding bits
//   kBadVersion    a version byte other than 0
Checked<AccountId> decode_address(std::string_view expected_prefix, std::string_view address);

}  // namespace bauhinia::core
