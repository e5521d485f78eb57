#include "bauhinia/core/schnorr.hpp"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstring>

#include "bauhinia/core/random.hpp"

namespace bauhinia::core::schnorr {

namespace {

static_assert(sizeof(secp256k1_keypair) == 96, "SecretKey::keypair_ must hold a secp256k1_keypair");

// One context for the whole process, created and randomized (side-channel
// blinding) on first use; C++ guarantees the initialisation runs once even with
// concurrent callers. After that it is only read, which libsecp256k1 allows from
// any number of threads. Deliberately never destroyed, so that signing from
// another static's destructor stays safe.
const secp256k1_context* context() noexcept {
  static const secp256k1_context* const ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    BAUHINIA_ASSERT_MSG(c != nullptr, "secp256k1_context_create failed");
    auto seed = os_random_array<32>();
    const int rc = secp256k1_context_randomize(c, seed.data());
    secure_zero(seed.data(), seed.size());
    BAUHINIA_ASSERT_MSG(rc == 1, "secp256k1_context_randomize failed");
    return c;
  }();
  return ctx;
}

}  // namespace

Checked<PublicKey> PublicKey::from_bytes(ByteView b) {
  if (b.size() != kPublicKeySize) {
    return reject(Reject::kBadKey,
                  "BIP-340 public key must be 32 bytes, got " + std::to_string(b.size()));
  }
  secp256k1_xonly_pubkey parsed;
  // Fails when the value is not below the field size or is not the x
  // coordinate of a point on the curve.
  if (secp256k1_xonly_pubkey_parse(context(), &parsed, b.data()) != 1) {
    return reject(Reject::kBadKey, "BIP-340 public key is not the x coordinate of a curve point");
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
                  "BIP-340 signature must be 64 bytes, got " + std::to_string(b.size()));
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
  // A uniform 32-byte string is a valid key (0 < k < n) except with
  // probability about 2^-128; retry in that case.
  for (;;) {
    auto candidate = os_random_array<kSecretKeySize>();
    auto key = from_bytes(candidate);
    secure_zero(candidate.data(), candidate.size());
    if (key) return std::move(key).value();
  }
}

Checked<SecretKey> SecretKey::from_bytes(ByteView b) {
  if (b.size() != kSecretKeySize) {
    return reject(Reject::kBadKey,
                  "BIP-340 secret key must be 32 bytes, got " + std::to_string(b.size()));
  }
  const secp256k1_context* ctx = context();
  if (secp256k1_ec_seckey_verify(ctx, b.data()) != 1) {
    return reject(Reject::kBadKey, "BIP-340 secret key must be in [1, n-1]");
  }
  SecretKey key;
  std::memcpy(key.secret_.data(), b.data(), kSecretKeySize);
  secp256k1_keypair keypair;
  BAUHINIA_ASSERT(secp256k1_keypair_create(ctx, &keypair, key.secret_.data()) == 1);
  secp256k1_xonly_pubkey xonly;
  BAUHINIA_ASSERT(secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &keypair) == 1);
  BAUHINIA_ASSERT(secp256k1_xonly_pubkey_serialize(ctx, key.public_.bytes.data(), &xonly) == 1);
  std::memcpy(key.keypair_.data(), &keypair, sizeof(keypair));
  secure_zero(&keypair, sizeof(keypair));
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept
    : secret_(other.secret_), keypair_(other.keypair_), public_(other.public_) {
  secure_zero(other.secret_.data(), other.secret_.size());
  secure_zero(other.keypair_.data(), other.keypair_.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    keypair_ = other.keypair_;
    public_ = other.public_;
    secure_zero(other.secret_.data(), other.secret_.size());
    secure_zero(other.keypair_.data(), other.keypair_.size());
  }
  return *this;
}

SecretKey::~SecretKey() {
  secure_zero(secret_.data(), secret_.size());
  secure_zero(keypair_.data(), keypair_.size());
}

Signature SecretKey::sign(const std::array<std::uint8_t, 32>& msg32) const {
  auto aux = os_random_array<32>();
  return sign(msg32, aux);
}

Signature SecretKey::sign(const std::array<std::uint8_t, 32>& msg32,
                          const std::array<std::uint8_t, 32>& aux_rand) const {
  secp256k1_keypair keypair;
  std::memcpy(&keypair, keypair_.data(), sizeof(keypair));
  Signature sig;
  const int rc = secp256k1_schnorrsig_sign32(context(), sig.bytes.data(), msg32.data(), &keypair,
                                             aux_rand.data());
  secure_zero(&keypair, sizeof(keypair));
  // Fails only for a moved-from (zeroed) key: signing with one is a bug.
  BAUHINIA_ASSERT_MSG(rc == 1, "BIP-340 signing failed (moved-from key?)");
  return sig;
}

bool verify(const PublicKey& key, ByteView message, const Signature& sig) noexcept {
  const secp256k1_context* ctx = context();
  secp256k1_xonly_pubkey parsed;
  if (secp256k1_xonly_pubkey_parse(ctx, &parsed, key.bytes.data()) != 1) return false;
  return secp256k1_schnorrsig_verify(ctx, sig.bytes.data(), message.data(), message.size(),
                                     &parsed) == 1;
}

}  // namespace bauhinia::core::schnorr
