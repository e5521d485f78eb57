#pragma once
// The signed transaction envelope (docs/formats/transaction.md).
//
//   signing hash = tagged_hash(kTransaction, encoding of every field but the signature)
//   signature    = BIP-340 Schnorr by `public_key` over the 32-byte signing hash
//   id           = tagged_hash(kTransactionId, encoding of the whole signed envelope)
//
// Checks are split as in bitcoin's tx_check / tx_verify:
//   - context-free (check_context_free): version, field formats and sizes
//     (validate), the public key and the signature. Needs nothing but the bytes.
//   - contextual (check_context): chain id and expiry against a block or the
//     mempool's clock.
//   - stateful (sender account exists with this key, sequence = the account's
//     next sequence): contracts::Executor and the mempool, which hold state.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::chain {

using core::Hash256;

using core::AccountId;  // tagged_hash(kAccount, the account's first public key)

inline constexpr std::size_t kMaxTxChainIdSize = 64;
inline constexpr std::size_t kMaxModuleNameSize = 32;
inline constexpr std::size_t kMaxCallNameSize = 64;
inline constexpr std::size_t kMaxPayloadSize = 64 * 1024;
// Any input longer than this is refused before decoding. The field limits
// above already keep a valid envelope below it.
inline constexpr std::size_t kMaxTransactionSize = 128 * 1024;

struct Transaction {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::string chain_id;                 // must equal the chain's id, e.g. "bauhinia-hk-1"
  AccountId sender;                     // the account that acts and pays the sequence number
  core::schnorr::PublicKey public_key;  // the account's current key; signs the envelope
  std::uint64_t sequence = 0;           // must equal the account's next sequence (0 for a new one)
  std::uint64_t expiry_ms = 0;  // Unix ms; invalid in a block with timestamp_ms >= expiry_ms
  std::string module;           // e.g. "accounts", "trademark": [a-z][a-z0-9_]*, <= 32
  std::string call;             // e.g. "ping", "rotate_key": [a-z][a-z0-9_]*, <= 64
  core::Bytes payload;          // canonical encoding of the call's arguments, <= 64 KiB
  core::schnorr::Signature signature;

  // Every field but the signature, in order.
  template <class Self, class C>
  static void unsigned_fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.chain_id, kMaxTxChainIdSize, "chain_id");
    c.fixed(s.sender.bytes);
    c.fixed(s.public_key.bytes);
    c.u64(s.sequence);
    c.u64(s.expiry_ms);
    c.string(s.module, kMaxModuleNameSize, "module");
    c.string(s.call, kMaxCallNameSize, "call");
    c.bytes(s.payload, kMaxPayloadSize, "payload");
  }
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    unsigned_fields(s, c);
    c.fixed(s.signature.bytes);
  }

  // The encoding without the signature, and the 32 bytes the sender signs.
  core::Bytes signing_bytes() const;
  Hash256 signing_hash() const;
  // The full signed encoding and its tagged hash: the transaction's id.
  core::Bytes encoded() const { return core::encode(*this); }
  Hash256 id() const;

  // Signs with `key` (which must be the key in public_key: asserted) using
  // fresh auxiliary randomness, or the given one (tests, golden vectors).
  void sign(const core::schnorr::SecretKey& key);
  void sign(const core::schnorr::SecretKey& key, const std::array<std::uint8_t, 32>& aux_rand);

  // Format only: version, chain id, names, sizes. Run by decode(); needs no
  // state and no curve arithmetic (the key is checked with the signature).
  core::Verdict validate() const;
  // validate() plus the signature (the expensive part: one BIP-340 verify,
  // which also parses the key). kBadKey when public_key is not an x-only key
  // of a curve point, kBadSignature when the signature does not verify.
  core::Verdict check_context_free() const;
  // Chain id equals `chain_id` and the transaction has not expired at `now_ms`
  // (a block's timestamp, or the mempool's clock).
  core::Verdict check_context(std::string_view chain_id, std::uint64_t now_ms) const;

  friend bool operator==(const Transaction&, const Transaction&) = default;
};

// Decodes one envelope from all of `in`: refuses input over kMaxTransactionSize
// before reading it, then runs the canonical decoder and validate(). The
// signature is not verified here (check_context_free()).
core::Checked<Transaction> decode_transaction(core::ByteView in);

// True when `name` is a valid module or call name of at most `max` bytes:
// [a-z][a-z0-9_]*.
bool valid_identifier(std::string_view name, std::size_t max) noexcept;

// A decoded transaction with its id and encoded size computed once (the
// mempool and the executor pass these around).
struct IdentifiedTransaction {
  Transaction tx;
  Hash256 id;
  std::size_t encoded_size = 0;

  static IdentifiedTransaction of(Transaction tx);
};

}  // namespace bauhinia::chain
