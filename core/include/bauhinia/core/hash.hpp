#pragma once
// SHA-256 (Crypto++, which uses the CPU's SHA extensions) and the 32-byte hash type.
//
// Every hashed type has its own domain tag (HashTag below). A tagged hash is
//   SHA-256( SHA-256(tag) || SHA-256(tag) || message )
// as in BIP-340, so two types can never collide even with equal bytes. The only
// untagged hashing is the RFC 6962 Merkle tree (0x00/0x01 prefixes are that
// standard's own domain separation) and what BIP-340 itself specifies.

#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"

namespace bauhinia::core {

class Hash256 {
 public:
  static constexpr std::size_t kSize = 32;
  using Array = std::array<std::uint8_t, kSize>;

  constexpr Hash256() = default;
  constexpr explicit Hash256(const Array& bytes) : bytes_(bytes) {}
  static Hash256 zero() { return Hash256{}; }
  // Exactly 32 bytes, or a rejection.
  static Checked<Hash256> from_bytes(ByteView bytes);
  // Exactly 64 hex digits, or a rejection.
  static Checked<Hash256> from_hex(std::string_view hex);

  std::string to_hex() const;
  const Array& bytes() const noexcept { return bytes_; }
  Array& bytes() noexcept { return bytes_; }
  ByteView view() const noexcept { return {bytes_.data(), bytes_.size()}; }
  const std::uint8_t* data() const noexcept { return bytes_.data(); }
  bool is_zero() const noexcept;
  // Bit i counted from the most significant bit of byte 0 (state-tree paths).
  bool bit(unsigned i) const noexcept { return ((bytes_[i / 8] >> (7 - i % 8)) & 1U) != 0; }

  friend constexpr auto operator<=>(const Hash256&, const Hash256&) = default;

 private:
  Array bytes_{};
};

struct Hash256Hasher {  // for unordered containers (never iterated into state)
  std::size_t operator()(const Hash256& h) const noexcept;
};

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256& other);
  Sha256& operator=(const Sha256& other);
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  Sha256& update(ByteView data);
  Sha256& update(std::uint8_t byte) { return update(ByteView{&byte, 1}); }
  // Returns the digest; the hasher is reset and may be reused.
  Hash256 finalize();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Hash256 sha256(ByteView data);

// The domain tags. Each value is the exact ASCII tag hashed; never change one.
enum class HashTag : std::uint8_t {
  kTransaction,      // transaction id
  kTransactionLeaf,  // reserved for accumulator leaf payloads
  kBlockHeader,      // block id
  kLedgerInfo,       // what validators sign
  kValidatorSet,     // validator-set hash
  kStateKey,         // state-tree key from (module, record key)
  kStateValue,       // state-tree value hash
  kStateLeaf,        // state-tree leaf node
  kStateInternal,    // state-tree internal node
  kVote,             // consensus vote data
  kTimeout,          // consensus timeout message
  kProposal,         // consensus proposal
  kAccount,          // account id from its first public key
  kEvent,            // contract event
  kCommitment,       // salted commitments (health, identity numbers)
  kPeerHandshake,    // peer-to-peer handshake transcript (network/)
  kTransactionId,    // transaction id: hash of the full signed encoding
  kStateChanges,     // one transaction's state writes (TransactionInfo)
  kKeyRotation,      // proof that an account's new key consents to a rotation
  kCosignature,      // another account's consent to a call's terms (contracts/cosignature.hpp)
  kGossipBatch,      // digest of a gossiped transaction batch (mempool/batch_ack.hpp)
  kBatchAck,         // a validator's acknowledgement that it verified a gossiped batch
  kCount_,           // not a tag
};

std::string_view hash_tag_name(HashTag tag) noexcept;

// A hasher preloaded with SHA-256(tag)||SHA-256(tag) (its midstate is cached).
Sha256 tagged_hasher(HashTag tag);
Hash256 tagged_hash(HashTag tag, ByteView message);

}  // namespace bauhinia::core
