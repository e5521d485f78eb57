#pragma once
// Certified gossip: a validator's signed statement that it verified every
// BIP-340 signature of one gossiped transaction batch (docs/network.md,
// "Certified gossip"; ADR 0007 item 1).
//
// A batch is the payload of one Channel::kMempool frame (an encoded
// execution::BlockPayload). Its digest binds the exact bytes, and a
// transaction's id covers its signature, so an acknowledgement speaks for
// exactly the transactions (and signatures) the acknowledging validator
// checked. Acknowledgements whose signers hold more voting power than f
// Byzantine validators can (batch_certifier.hpp) certify the batch: at least
// one honest validator verified every signature in it.
//
// Signed bytes: tagged_hash(kBatchAck, chain_id || epoch || author || digest
// || count || signer) under the signer's Ed25519 node key (the key it votes
// with), so an acknowledgement cannot be replayed on another chain, in
// another epoch, for another author or by another signer.

#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::mempool {

struct BatchAck {
  std::uint64_t epoch = 0;
  core::ed25519::PublicKey author;  // the node that gossiped the batch
  core::Hash256 digest;             // batch_digest() of the frame's payload
  std::uint32_t count = 0;          // transactions in the batch
  core::ed25519::PublicKey signer;
  core::ed25519::Signature signature;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.epoch);
    c.fixed(s.author.bytes);
    c.fixed(s.digest);
    c.u32(s.count);
    c.fixed(s.signer.bytes);
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const BatchAck&, const BatchAck&) = default;
};

// The digest of a gossiped batch: tagged_hash(kGossipBatch, encoded payload).
core::Hash256 batch_digest(core::ByteView encoded_batch);

// The 32 bytes an acknowledgement's signature covers (everything but the signature).
core::Hash256 ack_signing_hash(std::string_view chain_id, const BatchAck& ack);

// An acknowledgement of (epoch, author, digest, count) signed with `key`.
BatchAck sign_batch_ack(std::string_view chain_id, std::uint64_t epoch,
                        const core::ed25519::PublicKey& author, const core::Hash256& digest,
                        std::uint32_t count, const core::ed25519::SecretKey& key);

// Does ack.signature verify under ack.signer over ack_signing_hash?
bool batch_ack_signature_valid(std::string_view chain_id, const BatchAck& ack) noexcept;

}  // namespace bauhinia::mempool
