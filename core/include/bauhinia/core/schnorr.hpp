#pragma once
// BIP-340 Schnorr signatures over secp256k1 (libsecp256k1) with x-only public
// keys: account and transaction signatures. Secret keys are zeroed on destruction.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::core::schnorr {

inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSecretKeySize = 32;
inline constexpr std::size_t kSignatureSize = 64;

struct PublicKey {  // x-only, BIP-340
  std::array<std::uint8_t, kPublicKeySize> bytes{};
  // 32 bytes that are the x coordinate of a curve point; anything else is rejected.
  static Checked<PublicKey> from_bytes(ByteView b);
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
  static SecretKey generate();  // OS random number generator
  // A valid secret key (0 < k < n), or a rejection.
  static Checked<SecretKey> from_bytes(ByteView b);

  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  const PublicKey& public_key() const noexcept { return public_; }
  std::array<std::uint8_t, kSecretKeySize> bytes() const { return secret_; }

  // BIP-340 signing of a 32-byte message with fresh auxiliary randomness.
  Signature sign(const std::array<std::uint8_t, 32>& msg32) const;
  // With caller-chosen auxiliary randomness (test vectors, deterministic tests).
  Signature sign(const std::array<std::uint8_t, 32>& msg32,
                 const std::array<std::uint8_t, 32>& aux_rand) const;

 private:
  SecretKey() = default;
  std::array<std::uint8_t, kSecretKeySize> secret_{};
  // libsecp256k1's opaque secp256k1_keypair (secret and public key), kept so
  // that signing does not recompute the public key; zeroed with secret_.
  std::array<std::uint8_t, 96> keypair_{};
  PublicKey public_;
};

// BIP-340 verification of a signature over a message of any length (the
// vectors include 0-, 1-, 17- and 100-byte messages); our transactions sign 32 bytes.
bool verify(const PublicKey& key, ByteView message, const Signature& sig) noexcept;

}  // namespace bauhinia::core::schnorr
