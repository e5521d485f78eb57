#pragma once
// Ed25519 (libsodium) for validator votes, proposals and node identity.
// Secret keys are zeroed on destruction and never printed.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::core::ed25519 {

inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSeedSize = 32;
inline constexpr std::size_t kSignatureSize = 64;

struct PublicKey {
  std::array<std::uint8_t, kPublicKeySize> bytes{};
  static Checked<PublicKey> from_bytes(ByteView b);  // 32 bytes, a valid curve point
  static Checked<PublicKey> from_hex(std::string_view hex);
  std::string to_hex() const;
  friend auto operator<=>(const PublicKey&, const PublicKey&) = default;
};

struct Signature {
  std::array<std::uint8_t, kSignatureSize> bytes{};
  static Checked<Signature> from_bytes(ByteView b);  // exactly 64 bytes
  static Checked<Signature> from_hex(std::string_view hex);
  std::string to_hex() const;
  friend bool operator==(const Signature&, const Signature&) = default;
};

class SecretKey {
 public:
  // A new key from the OS random number generator.
  static SecretKey generate();
  // The key determined by a 32-byte seed (RFC 8032).
  static SecretKey from_seed(const std::array<std::uint8_t, kSeedSize>& seed);
  static Checked<SecretKey> from_seed_bytes(ByteView seed);

  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  const PublicKey& public_key() const noexcept { return public_; }
  // The seed, for writing a key file; the caller must protect it.
  std::array<std::uint8_t, kSeedSize> seed() const;
  Signature sign(ByteView message) const;

 private:
  SecretKey() = default;
  std::array<std::uint8_t, 64> secret_{};  // libsodium's seed || public key form
  PublicKey public_;
};

// True when `sig` is a valid signature of `message` by `key` (strict: rejects
// non-canonical encodings and small-order keys, as libsodium does).
bool verify(const PublicKey& key, ByteView message, const Signature& sig) noexcept;

}  // namespace bauhinia::core::ed25519
