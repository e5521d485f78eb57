#include "bauhinia/mempool/batch_ack.hpp"

#include "bauhinia/core/encoding.hpp"

namespace bauhinia::mempool {

core::Hash256 batch_digest(core::ByteView encoded_batch) {
  return core::tagged_hash(core::HashTag::kGossipBatch, encoded_batch);
}

core::Hash256 ack_signing_hash(std::string_view chain_id, const BatchAck& ack) {
  core::Writer w;
  w.bytes(core::as_bytes(chain_id));
  w.u64(ack.epoch);
  w.raw(ack.author.bytes);
  w.raw(ack.digest.view());
  w.u32(ack.count);
  w.raw(ack.signer.bytes);
  return core::tagged_hash(core::HashTag::kBatchAck, w.data());
}

BatchAck sign_batch_ack(std::string_view chain_id, std::uint64_t epoch,
                        const core::ed25519::PublicKey& author, const core::Hash256& digest,
                        std::uint32_t count, const core::ed25519::SecretKey& key) {
  BatchAck ack;
  ack.epoch = epoch;
  ack.author = author;
  ack.digest = digest;
  ack.count = count;
  ack.signer = key.public_key();
  ack.signature = key.sign(ack_signing_hash(chain_id, ack).view());
  return ack;
}

bool batch_ack_signature_valid(std::string_view chain_id, const BatchAck& ack) noexcept {
  return core::ed25519::verify(ack.signer, ack_signing_hash(chain_id, ack).view(), ack.signature);
}

}  // namespace bauhinia::mempool
