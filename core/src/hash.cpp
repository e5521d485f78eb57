#include "bauhinia/core/hash.hpp"

#include <cryptopp/sha.h>

#include <cstring>

namespace bauhinia::core {

// Crypto++'s SHA256 does not throw for in-memory hashing; nothing here can
// raise, and no Crypto++ type appears in our headers.
struct Sha256::Impl {
  CryptoPP::SHA256 sha;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(const Sha256& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Sha256& Sha256::operator=(const Sha256& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(ByteView data) {
  if (!data.empty()) impl_->sha.Update(data.data(), data.size());
  return *this;
}

Hash256 Sha256::finalize() {
  Hash256 out;
  impl_->sha.Final(out.bytes().data());
  return out;
}

Hash256 sha256(ByteView data) {
  Hash256 out;
  CryptoPP::SHA256 sha;
  sha.CalculateDigest(out.bytes().data(), data.data(), data.size());
  return out;
}

Checked<Hash256> Hash256::from_bytes(ByteView bytes) {
  if (bytes.size() != kSize) {
    return reject(Reject::kBadEncoding,
                  "hash must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Hash256 h;
  std::memcpy(h.bytes_.data(), bytes.data(), kSize);
  return h;
}

Checked<Hash256> Hash256::from_hex(std::string_view hex) {
  auto a = from_hex_fixed<kSize>(hex);
  if (!a) return std::move(a).error();
  return Hash256(*a);
}

std::string Hash256::to_hex() const {
  return core::to_hex(view());
}

bool Hash256::is_zero() const noexcept {
  std::uint8_t acc = 0;
  for (auto b : bytes_) acc |= b;
  return acc == 0;
}

std::size_t Hash256Hasher::operator()(const Hash256& h) const noexcept {
  std::size_t v;
  std::memcpy(&v, h.data(), sizeof(v));
  return v;
}

std::string_view hash_tag_name(HashTag tag) noexcept {
  switch (tag) {
    case HashTag::kTransaction: return "bauhinia/transaction";
    case HashTag::kTransactionLeaf: return "bauhinia/transaction-leaf";
    case HashTag::kBlockHeader: return "bauhinia/block-header";
    case HashTag::kLedgerInfo: return "bauhinia/ledger-info";
    case HashTag::kValidatorSet: return "bauhinia/validator-set";
    case HashTag::kStateKey: return "bauhinia/state-key";
    case HashTag::kStateValue: return "bauhinia/state-value";
    case HashTag::kStateLeaf: return "bauhinia/state-leaf";
    case HashTag::kStateInternal: return "bauhinia/state-internal";
    case HashTag::kVote: return "bauhinia/vote";
    case HashTag::kTimeout: return "bauhinia/timeout";
    case HashTag::kProposal: return "bauhinia/proposal";
    case HashTag::kAccount: return "bauhinia/account";
    case HashTag::kEvent: return "bauhinia/event";
    case HashTag::kCommitment: return "bauhinia/commitment";
    case HashTag::kPeerHandshake: return "bauhinia/peer-handshake";
    case HashTag::kTransactionId: return "bauhinia/transaction-id";
    case HashTag::kStateChanges: return "bauhinia/state-changes";
    case HashTag::kKeyRotation: return "bauhinia/key-rotation";
    case HashTag::kCosignature: return "bauhinia/cosignature";
    case HashTag::kGossipBatch: return "bauhinia/gossip-batch";
    case HashTag::kBatchAck: return "bauhinia/batch-ack";
    case HashTag::kCount_: break;
  }
  BAUHINIA_ASSERT_MSG(false, "unknown hash tag");
  return {};
}

namespace {
// Midstates after absorbing SHA-256(tag)||SHA-256(tag), computed once.
struct TagTable {
  Sha256 hashers[static_cast<std::size_t>(HashTag::kCount_)];
  TagTable() {
    for (std::size_t i = 0; i < static_cast<std::size_t>(HashTag::kCount_); ++i) {
      const Hash256 t = sha256(as_bytes(hash_tag_name(static_cast<HashTag>(i))));
      hashers[i].update(t.view()).update(t.view());
    }
  }
};
const TagTable& tag_table() {
  static const TagTable table;
  return table;
}
}  // namespace

Sha256 tagged_hasher(HashTag tag) {
  const auto i = static_cast<std::size_t>(tag);
  BAUHINIA_ASSERT(i < static_cast<std::size_t>(HashTag::kCount_));
  return tag_table().hashers[i];
}

Hash256 tagged_hash(HashTag tag, ByteView message) {
  return tagged_hasher(tag).update(message).finalize();
}

}  // namespace bauhinia::core
