#include "bauhinia/core/address.hpp"

#include <cstring>

#include "bauhinia/core/bech32.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::core {

namespace {
constexpr std::size_t kPayloadSize = 1 + AccountId::kSize;      // version || id
constexpr std::size_t kDataChars = (kPayloadSize * 8 + 4) / 5;  // 53
constexpr std::size_t kMaxPrefixLength =
    bech32::kMaxLength - 1 - kDataChars - bech32::kChecksumLength;  // 30
}  // namespace

Checked<AccountId> AccountId::from_bytes(ByteView b) {
  if (b.size() != kSize) {
    return reject(Reject::kBadEncoding,
                  "account id must be 32 bytes, got " + std::to_string(b.size()));
  }
  AccountId id;
  std::memcpy(id.bytes.data(), b.data(), kSize);
  return id;
}

Checked<AccountId> AccountId::from_hex(std::string_view hex) {
  auto b = from_hex_fixed<kSize>(hex);
  if (!b) return std::move(b).error();
  AccountId id;
  id.bytes = *b;
  return id;
}

std::string AccountId::to_hex() const {
  return core::to_hex(bytes);
}

AccountId account_id_of(const schnorr::PublicKey& key) {
  AccountId id;
  id.bytes = tagged_hash(HashTag::kAccount, key.bytes).bytes();
  return id;
}

Verdict check_address_prefix(std::string_view prefix) {
  if (Verdict v = bech32::check_hrp(prefix); !v) return v;
  if (prefix.size() > kMaxPrefixLength) {
    return reject(Reject::kBadEncoding,
                  "address prefix has " + std::to_string(prefix.size()) + " characters, at most " +
                      std::to_string(kMaxPrefixLength) + " fit in an address");
  }
  return Verdict::accept();
}

std::string encode_address(std::string_view prefix, const AccountId& id) {
  BAUHINIA_ASSERT_MSG(check_address_prefix(prefix).ok(), "invalid address prefix");
  std::array<std::uint8_t, kPayloadSize> payload{};
  payload[0] = kAddressVersion;
  std::memcpy(payload.data() + 1, id.bytes.data(), AccountId::kSize);
  return bech32::encode(prefix, bech32::to_base32(payload), bech32::Variant::kBech32m);
}

Checked<AccountId> decode_address(std::string_view expected_prefix, std::string_view address) {
  auto decoded = bech32::decode(address);
  if (!decoded) return std::move(decoded).error();
  if (decoded->variant != bech32::Variant::kBech32m) {
    return reject(Reject::kBadChecksum, "a Bech32 checksum where addresses use Bech32m");
  }
  if (decoded->hrp != expected_prefix) {
    return reject(Reject::kWrongPrefix, "address is for prefix '" + decoded->hrp +
                                            "', expected prefix '" + std::string(expected_prefix) +
                                            "'");
  }
  const auto& data = decoded->data;
  if (data.size() < 2) return reject(Reject::kBadEncoding, "address has no version byte");
  // The version byte is the first 8 bits: all of the first character, the top
  // 3 bits of the second. Checked first so a future format is named as such.
  const auto version = static_cast<std::uint8_t>((data[0] << 3) | (data[1] >> 2));
  if (version != kAddressVersion) {
    return reject(Reject::kBadVersion,
                  "address version " + std::to_string(version) + " is not supported (expected 0)");
  }
  if (data.size() != kDataChars) {
    return reject(Reject::kBadEncoding, "address data has " + std::to_string(data.size()) +
                                            " characters, expected " + std::to_string(kDataChars));
  }
  auto payload = bech32::from_base32(data);
  if (!payload) return std::move(payload).error();
  BAUHINIA_ASSERT(payload->size() == kPayloadSize && (*payload)[0] == kAddressVersion);
  return AccountId::from_bytes(ByteView(*payload).subspan(1));
}

}  // namespace bauhinia::core
