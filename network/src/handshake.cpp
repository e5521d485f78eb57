#include "bauhinia/network/handshake.hpp"

#include <sodium.h>

#include <cstring>
#include <string>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "sodium_ready.hpp"

namespace bauhinia::network {

static_assert(kX25519KeyBytes == crypto_scalarmult_BYTES);
static_assert(kX25519KeyBytes == crypto_scalarmult_SCALARBYTES);

core::Bytes hello_wire(const Hello& hello) {
  const core::Bytes body = core::encode(hello);
  BAUHINIA_ASSERT(body.size() <= kMaxHelloBytes);
  core::Bytes out;
  out.reserve(kHelloLengthBytes + body.size());
  out.push_back(static_cast<std::uint8_t>(body.size()));
  out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

core::Checked<std::size_t> hello_length(std::span<const std::uint8_t, kHelloLengthBytes> prefix) {
  const std::size_t n = std::size_t{prefix[0]} | (std::size_t{prefix[1]} << 8);
  if (n > kMaxHelloBytes) {
    return core::reject(
        core::Reject::kTooLarge,
        "hello of " + std::to_string(n) + " bytes exceeds " + std::to_string(kMaxHelloBytes));
  }
  if (n == 0) return core::reject(core::Reject::kTruncated, "empty hello");
  return n;
}

core::Checked<Hello> decode_hello(core::ByteView body) {
  core::Reader r(body);
  Hello h;
  h.magic = r.u32();
  if (!r.ok() || h.magic != kHelloMagic) {
    return core::reject(core::Reject::kBadEncoding, "not a Bauhinia peer hello (bad magic)");
  }
  h.version = r.u16();
  if (!r.ok()) return r.rejection();
  if (h.version != kProtocolVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "peer speaks protocol version " + std::to_string(h.version) +
                            ", this node speaks version " + std::to_string(kProtocolVersion));
  }
  h.chain_id = r.string(kMaxChainIdBytes, "chain_id");
  h.max_frame_payload_bytes = r.u32();
  const core::ByteView eph = r.raw(kX25519KeyBytes, "ephemeral key");
  if (r.ok()) std::memcpy(h.ephemeral_key.data(), eph.data(), eph.size());
  const core::ByteView stat = r.raw(core::ed25519::kPublicKeySize, "static key");
  if (core::Verdict v = r.finish(); !v) return v.rejection();
  auto key = core::ed25519::PublicKey::from_bytes(stat);
  if (!key) return std::move(key).error();
  h.static_key = *key;
  return h;
}

core::Hash256 Handshake::statement_hash(HandshakeStatement::Purpose purpose, const Hello& initiator,
                                        const Hello& responder) {
  HandshakeStatement s;
  s.purpose = purpose;
  s.initiator_hello = core::encode(initiator);
  s.responder_hello = core::encode(responder);
  return core::hash_of(core::HashTag::kPeerHandshake, s);
}

Handshake::Handshake(Role role, std::string_view chain_id, std::uint32_t max_frame_payload_bytes,
                     const core::ed25519::SecretKey& node_key)
    : Handshake(role, chain_id, max_frame_payload_bytes, node_key, [] {
        std::array<std::uint8_t, kX25519KeyBytes> secret{};
        detail::ensure_sodium();
        randombytes_buf(secret.data(), secret.size());
        return secret;
      }()) {}

Handshake::Handshake(Role role, std::string_view chain_id, std::uint32_t max_frame_payload_bytes,
                     const core::ed25519::SecretKey& node_key,
                     const std::array<std::uint8_t, kX25519KeyBytes>& ephemeral_secret)
    : role_(role), node_key_(node_key), ephemeral_secret_(ephemeral_secret) {
  BAUHINIA_ASSERT(chain_id.size() <= kMaxChainIdBytes);
  detail::ensure_sodium();
  hello_.chain_id = std::string(chain_id);
  hello_.max_frame_payload_bytes = max_frame_payload_bytes;
  BAUHINIA_ASSERT(crypto_scalarmult_base(hello_.ephemeral_key.data(), ephemeral_secret_.data()) ==
                  0);
  hello_.static_key = node_key.public_key();
}

Handshake::~Handshake() {
  core::secure_zero(ephemeral_secret_.data(), ephemeral_secret_.size());
}

core::Verdict Handshake::receive_hello(const Hello& peer) {
  BAUHINIA_ASSERT_MSG(!received_, "receive_hello called twice");
  if (peer.magic != kHelloMagic) {
    return core::reject(core::Reject::kBadEncoding, "not a Bauhinia peer hello (bad magic)");
  }
  if (peer.version != kProtocolVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "peer speaks protocol version " + std::to_string(peer.version) +
                            ", this node speaks version " + std::to_string(kProtocolVersion));
  }
  if (peer.chain_id != hello_.chain_id) {
    return core::reject(core::Reject::kWrongPrefix, "peer is on chain '" + peer.chain_id +
                                                        "', this node is on chain '" +
                                                        hello_.chain_id + "'");
  }
  if (peer.static_key == hello_.static_key) {
    return core::reject(core::Reject::kDuplicate, "peer presents this node's own key");
  }
  if (peer.max_frame_payload_bytes == 0) {
    return core::reject(core::Reject::kOutOfRange, "peer accepts no frame payload at all");
  }
  std::array<std::uint8_t, kX25519KeyBytes> shared{};
  if (crypto_scalarmult(shared.data(), ephemeral_secret_.data(), peer.ephemeral_key.data()) != 0) {
    return core::reject(core::Reject::kBadKey, "peer ephemeral key has low order");
  }
  core::secure_zero(ephemeral_secret_.data(), ephemeral_secret_.size());

  const Hello& initiator = role_ == Role::kInitiator ? hello_ : peer;
  const Hello& responder = role_ == Role::kInitiator ? peer : hello_;
  session_hash_ = statement_hash(HandshakeStatement::kSessionKeys, initiator, responder);

  std::array<std::uint8_t, 2 * kSessionKeyBytes> okm{};
  crypto_generichash(okm.data(), okm.size(), session_hash_.data(), core::Hash256::kSize,
                     shared.data(), shared.size());
  core::secure_zero(shared.data(), shared.size());
  SessionKey::Array i2r{};
  SessionKey::Array r2i{};
  std::memcpy(i2r.data(), okm.data(), kSessionKeyBytes);
  std::memcpy(r2i.data(), okm.data() + kSessionKeyBytes, kSessionKeyBytes);
  core::secure_zero(okm.data(), okm.size());
  send_key_ = SessionKey(role_ == Role::kInitiator ? i2r : r2i);
  receive_key_ = SessionKey(role_ == Role::kInitiator ? r2i : i2r);
  core::secure_zero(i2r.data(), i2r.size());
  core::secure_zero(r2i.data(), r2i.size());

  const auto own_purpose = role_ == Role::kInitiator ? HandshakeStatement::kInitiatorAuth
                                                     : HandshakeStatement::kResponderAuth;
  signature_ = node_key_.sign(statement_hash(own_purpose, initiator, responder).view());
  peer_hello_ = peer;
  received_ = true;
  return core::Verdict::accept();
}

core::Verdict Handshake::verify_peer_signature(const core::ed25519::Signature& sig) const {
  BAUHINIA_ASSERT_MSG(received_, "verify_peer_signature before receive_hello");
  const Hello& initiator = role_ == Role::kInitiator ? hello_ : peer_hello_;
  const Hello& responder = role_ == Role::kInitiator ? peer_hello_ : hello_;
  const auto peer_purpose = role_ == Role::kInitiator ? HandshakeStatement::kResponderAuth
                                                      : HandshakeStatement::kInitiatorAuth;
  const core::Hash256 h = statement_hash(peer_purpose, initiator, responder);
  if (!core::ed25519::verify(peer_hello_.static_key, h.view(), sig)) {
    return core::reject(
        core::Reject::kBadSignature,
        "handshake signature of " + peer_hello_.static_key.to_hex() + " does not verify");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::network
