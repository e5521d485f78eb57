#include "bauhinia/core/ed25519.hpp"

#include <sodium.h>

#include <cstring>

#include "bauhinia/core/random.hpp"
#include "sodium_init.hpp"

namespace bauhinia::core::ed25519 {

static_assert(crypto_sign_PUBLICKEYBYTES == kPublicKeySize);
static_assert(crypto_sign_SEEDBYTES == kSeedSize);
static_assert(crypto_sign_BYTES == kSignatureSize);
static_assert(crypto_sign_SECRETKEYBYTES == 64);

Checked<PublicKey> PublicKey::from_bytes(ByteView b) {
  if (b.size() != kPublicKeySize) {
    return reject(Reject::kBadKey,
                  "ed25519 public key must be 32 bytes, got " + std::to_string(b.size()));
  }
  detail::ensure_sodium();
  // Canonical encoding of a point on the curve, in the prime-order subgroup,
  // not of small order.
  if (crypto_core_ed25519_is_valid_point(b.data()) != 1) {
    return reject(Reject::kBadKey, "ed25519 public key is not a valid curve point");
  }
  PublicKey key;
  std::memcpy(key.bytes.data(), b.data(), kPublicKeySize);
  return key;
}

Checked<PublicKey> PublicKey::from_hex(std::string_view hex) {
  auto b = from_hex_fixed<kPublicKeySize>(hex);
  if (!b) return reject(Reject::kBadKey, b.error().detail);
  return from_bytes(*b);
}

std::string PublicKey::to_hex() const {
  return core::to_hex(bytes);
}

Checked<Signature> Signature::from_bytes(ByteView b) {
  if (b.size() != kSignatureSize) {
    return reject(Reject::kBadSignature,
                  "ed25519 signature must be 64 bytes, got " + std::to_string(b.size()));
  }
  Signature sig;
  std::memcpy(sig.bytes.data(), b.data(), kSignatureSize);
  return sig;
}

Checked<Signature> Signature::from_hex(std::string_view hex) {
  auto b = from_hex_fixed<kSignatureSize>(hex);
  if (!b) return reject(Reject::kBadSignature, b.error().detail);
  return from_bytes(*b);
}

std::string Signature::to_hex() const {
  return core::to_hex(bytes);
}

SecretKey SecretKey::generate() {
  auto seed = os_random_array<kSeedSize>();
  SecretKey key = from_seed(seed);
  secure_zero(seed.data(), seed.size());
  return key;
}

SecretKey SecretKey::from_seed(const std::array<std::uint8_t, kSeedSize>& seed) {
  detail::ensure_sodium();
  SecretKey key;
  const int rc =
      crypto_sign_seed_keypair(key.public_.bytes.data(), key.secret_.data(), seed.data());
  BAUHINIA_ASSERT(rc == 0);
  return key;
}

Checked<SecretKey> SecretKey::from_seed_bytes(ByteView seed) {
  if (seed.size() != kSeedSize) {
    return reject(Reject::kBadKey,
                  "ed25519 seed must be 32 bytes, got " + std::to_string(seed.size()));
  }
  std::array<std::uint8_t, kSeedSize> s;
  std::memcpy(s.data(), seed.data(), kSeedSize);
  SecretKey key = from_seed(s);
  secure_zero(s.data(), s.size());
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : secret_(other.secret_), public_(other.public_) {
  secure_zero(other.secret_.data(), other.secret_.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    secure_zero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SecretKey::~SecretKey() {
  secure_zero(secret_.data(), secret_.size());
}

std::array<std::uint8_t, kSeedSize> SecretKey::seed() const {
  std::array<std::uint8_t, kSeedSize> out;
  std::memcpy(out.data(), secret_.data(), kSeedSize);  // libsodium's sk = seed || pk
  return out;
}

Signature SecretKey::sign(ByteView message) const {
  Signature sig;
  static constexpr std::uint8_t kEmpty = 0;
  const std::uint8_t* m = message.empty() ? &kEmpty : message.data();
  const int rc = crypto_sign_detached(sig.bytes.data(), nullptr, m, message.size(), secret_.data());
  BAUHINIA_ASSERT(rc == 0);
  return sig;
}

bool verify(const PublicKey& key, ByteView message, const Signature& sig) noexcept {
  detail::ensure_sodium();
  static constexpr std::uint8_t kEmpty = 0;
  const std::uint8_t* m = message.empty() ? &kEmpty : message.data();
  // libsodium 1.0.18 (built without ED25519_COMPAT) rejects a non-canonical S,
  // a small-order R, and a non-canonical or small-order public key.
  return crypto_sign_verify_detached(sig.bytes.data(), m, message.size(), key.bytes.data()) == 0;
}

}  // namespace bauhinia::core::ed25519
