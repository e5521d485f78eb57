// The handshake without sockets: both roles derive matching keys, the
// transcript is exactly the documented bytes, and every check refuses what it
// must.

#include "bauhinia/network/handshake.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/network/frame_cipher.hpp"

namespace bauhinia::network {
namespace {

using core::ed25519::SecretKey;

SecretKey key_from(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return SecretKey::from_seed(seed);
}

struct Pair {
  SecretKey a = key_from(1);
  SecretKey b = key_from(2);
  Handshake initiator{Role::kInitiator, "bauhinia-hk-1", 1 << 20, a};
  Handshake responder{Role::kResponder, "bauhinia-hk-1", 2 << 20, b};
};

TEST(Handshake, BothSidesDeriveMirroredKeysAndVerifyEachOther) {
  Pair p;
  ASSERT_TRUE(p.initiator.receive_hello(p.responder.hello()));
  ASSERT_TRUE(p.responder.receive_hello(p.initiator.hello()));
  EXPECT_EQ(p.initiator.send_key().bytes(), p.responder.receive_key().bytes());
  EXPECT_EQ(p.initiator.receive_key().bytes(), p.responder.send_key().bytes());
  EXPECT_NE(p.initiator.send_key().bytes(), p.initiator.receive_key().bytes());
  EXPECT_EQ(p.initiator.session_hash(), p.responder.session_hash());
  EXPECT_TRUE(p.responder.verify_peer_signature(p.initiator.signature()));
  EXPECT_TRUE(p.initiator.verify_peer_signature(p.responder.signature()));
  EXPECT_EQ(p.initiator.peer_key(), p.b.public_key());
  EXPECT_EQ(p.responder.peer_key(), p.a.public_key());
  EXPECT_EQ(p.initiator.peer_hello().max_frame_payload_bytes, 2U << 20);

  // A frame sealed by one side opens on the other.
  FrameSealer sealer(p.initiator.send_key());
  FrameOpener opener(p.responder.receive_key());
  core::Bytes frame;
  sealer.seal(Channel::kConsensus, core::Bytes{42}, frame);
  auto opened = opener.open(std::span<const std::uint8_t, 4>(frame.data(), 4),
                            std::span<std::uint8_t>(frame.data() + 4, frame.size() - 4));
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->payload[0], 42);
}

TEST(Handshake, SignaturesAreBoundToRoleAndSession) {
  Pair p;
  ASSERT_TRUE(p.initiator.receive_hello(p.responder.hello()));
  ASSERT_TRUE(p.responder.receive_hello(p.initiator.hello()));
  // A side's own signature reflected back does not pass as the peer's.
  EXPECT_FALSE(p.initiator.verify_peer_signature(p.initiator.signature()));
  // A signature from another session (fresh ephemeral keys) does not verify.
  Pair q;
  ASSERT_TRUE(q.initiator.receive_hello(q.responder.hello()));
  ASSERT_TRUE(q.responder.receive_hello(q.initiator.hello()));
  EXPECT_FALSE(p.responder.verify_peer_signature(q.initiator.signature()));
  auto bad = p.initiator.signature();
  bad.bytes[0] ^= 1;
  auto v = p.responder.verify_peer_signature(bad);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, core::Reject::kBadSignature);
}

TEST(Handshake, TranscriptIsTheDocumentedBytes) {
  // Rebuild the statement by hand from docs/network.md and compare.
  Pair p;
  ASSERT_TRUE(p.initiator.receive_hello(p.responder.hello()));
  ASSERT_TRUE(p.responder.receive_hello(p.initiator.hello()));
  auto hello_bytes = [](const Hello& h) {
    core::Bytes out = {0x42, 0x48, 0x4E, 0x50, 0x01, 0x00};  // "BHNP", version 1
    out.push_back(static_cast<std::uint8_t>(h.chain_id.size()));
    out.insert(out.end(), h.chain_id.begin(), h.chain_id.end());
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<std::uint8_t>(h.max_frame_payload_bytes >> (8 * i)));
    out.insert(out.end(), h.ephemeral_key.begin(), h.ephemeral_key.end());
    out.insert(out.end(), h.static_key.bytes.begin(), h.static_key.bytes.end());
    return out;
  };
  const core::Bytes ih = hello_bytes(p.initiator.hello());
  const core::Bytes rh = hello_bytes(p.responder.hello());
  EXPECT_EQ(ih, core::encode(p.initiator.hello()));
  ASSERT_EQ(ih.size(), 4U + 2U + 1U + 13U + 4U + 32U + 32U);
  for (std::uint8_t purpose : {0, 1, 2}) {
    core::Bytes statement = {purpose, static_cast<std::uint8_t>(ih.size())};
    statement.insert(statement.end(), ih.begin(), ih.end());
    statement.push_back(static_cast<std::uint8_t>(rh.size()));
    statement.insert(statement.end(), rh.begin(), rh.end());
    // tagged hash = SHA-256(SHA-256(tag) || SHA-256(tag) || statement)
    const std::string tag = "bauhinia/peer-handshake";
    const core::Hash256 t = core::sha256(core::as_bytes(tag));
    core::Bytes pre(t.bytes().begin(), t.bytes().end());
    pre.insert(pre.end(), t.bytes().begin(), t.bytes().end());
    pre.insert(pre.end(), statement.begin(), statement.end());
    EXPECT_EQ(core::sha256(pre),
              Handshake::statement_hash(static_cast<HandshakeStatement::Purpose>(purpose),
                                        p.initiator.hello(), p.responder.hello()));
  }
  EXPECT_EQ(p.initiator.session_hash(),
            Handshake::statement_hash(HandshakeStatement::kSessionKeys, p.initiator.hello(),
                                      p.responder.hello()));
  // The responder's signature is over purpose 2.
  EXPECT_TRUE(
      core::ed25519::verify(p.b.public_key(),
                            Handshake::statement_hash(HandshakeStatement::kResponderAuth,
                                                      p.initiator.hello(), p.responder.hello())
                                .view(),
                            p.responder.signature()));
}

TEST(Handshake, KeysAreBlake2bOfTheSessionHashKeyedByTheX25519SharedSecret) {
  // Recompute the documented key schedule with libsodium directly.
  SecretKey a = key_from(1);
  SecretKey b = key_from(2);
  std::array<std::uint8_t, 32> ea{};
  std::array<std::uint8_t, 32> eb{};
  ea.fill(0x11);
  eb.fill(0x22);
  Handshake initiator(Role::kInitiator, "bauhinia-hk-1", 1 << 20, a, ea);
  Handshake responder(Role::kResponder, "bauhinia-hk-1", 1 << 20, b, eb);
  ASSERT_TRUE(initiator.receive_hello(responder.hello()));
  ASSERT_TRUE(responder.receive_hello(initiator.hello()));

  std::array<std::uint8_t, 32> pub_b{};
  ASSERT_EQ(crypto_scalarmult_base(pub_b.data(), eb.data()), 0);
  EXPECT_EQ(pub_b, responder.hello().ephemeral_key);
  std::array<std::uint8_t, 32> shared{};
  ASSERT_EQ(crypto_scalarmult(shared.data(), ea.data(), pub_b.data()), 0);
  const core::Hash256 h = Handshake::statement_hash(HandshakeStatement::kSessionKeys,
                                                    initiator.hello(), responder.hello());
  std::array<std::uint8_t, 64> okm{};
  ASSERT_EQ(crypto_generichash(okm.data(), okm.size(), h.data(), 32, shared.data(), shared.size()),
            0);
  SessionKey::Array i2r{};
  SessionKey::Array r2i{};
  std::copy(okm.begin(), okm.begin() + 32, i2r.begin());
  std::copy(okm.begin() + 32, okm.end(), r2i.begin());
  EXPECT_EQ(initiator.send_key().bytes(), i2r);
  EXPECT_EQ(responder.receive_key().bytes(), i2r);
  EXPECT_EQ(responder.send_key().bytes(), r2i);
  EXPECT_EQ(initiator.receive_key().bytes(), r2i);

  // Fresh ephemeral keys: a different session, different keys.
  Pair p;
  ASSERT_TRUE(p.initiator.receive_hello(p.responder.hello()));
  EXPECT_NE(p.initiator.send_key().bytes(), initiator.send_key().bytes());
}

TEST(Handshake, RefusesAnotherChainAVersionOurOwnKeyAndLowOrderPoints) {
  SecretKey a = key_from(1);
  SecretKey b = key_from(2);
  {
    Handshake x(Role::kInitiator, "bauhinia-hk-1", 1024, a);
    Handshake y(Role::kResponder, "bauhinia-test", 1024, b);
    auto v = x.receive_hello(y.hello());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.rejection().reason, core::Reject::kWrongPrefix);
    EXPECT_NE(v.rejection().detail.find("bauhinia-test"), std::string::npos);
  }
  {
    Handshake x(Role::kInitiator, "c", 1024, a);
    Handshake y(Role::kResponder, "c", 1024, b);
    Hello h = y.hello();
    h.version = 2;
    auto v = x.receive_hello(h);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.rejection().reason, core::Reject::kBadVersion);
  }
  {
    Handshake x(Role::kInitiator, "c", 1024, a);
    Handshake y(Role::kResponder, "c", 1024, a);
    auto v = x.receive_hello(y.hello());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.rejection().reason, core::Reject::kDuplicate);
  }
  {
    Handshake x(Role::kInitiator, "c", 1024, a);
    Handshake y(Role::kResponder, "c", 1024, b);
    Hello h = y.hello();
    h.ephemeral_key.fill(0);  // the identity point: all-zero shared secret
    auto v = x.receive_hello(h);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.rejection().reason, core::Reject::kBadKey);
  }
}

TEST(Hello, WireFormatRoundTripsAndDecodingChecksMagicVersionAndLength) {
  SecretKey a = key_from(1);
  Handshake x(Role::kInitiator, "bauhinia-hk-1", 4096, a);
  const core::Bytes wire = hello_wire(x.hello());
  ASSERT_GE(wire.size(), 2U);
  const std::size_t n = wire[0] | (wire[1] << 8);
  EXPECT_EQ(n, wire.size() - 2);
  auto len = hello_length(std::span<const std::uint8_t, 2>(wire.data(), 2));
  ASSERT_TRUE(len);
  EXPECT_EQ(*len, n);
  const core::Bytes body(wire.begin() + 2, wire.end());
  auto back = decode_hello(body);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, x.hello());

  const std::array<std::uint8_t, 2> huge = {0xFF, 0x7F};
  EXPECT_FALSE(hello_length(huge));
  core::Bytes bad_magic = body;
  bad_magic[0] ^= 1;
  auto m = decode_hello(bad_magic);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, core::Reject::kBadEncoding);
  core::Bytes v2 = body;
  v2[4] = 2;
  auto v = decode_hello(v2);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().reason, core::Reject::kBadVersion);
  EXPECT_NE(v.error().detail.find("version 2"), std::string::npos);
  core::Bytes trailing = body;
  trailing.push_back(0);
  EXPECT_FALSE(decode_hello(trailing));
  core::Bytes truncated(body.begin(), body.end() - 1);
  EXPECT_FALSE(decode_hello(truncated));
  // A static key that is not a curve point is refused while decoding.
  core::Bytes bad_key = body;
  std::fill(bad_key.end() - 32, bad_key.end(), 0xFF);
  auto k = decode_hello(bad_key);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().reason, core::Reject::kBadKey);
}

}  // namespace
}  // namespace bauhinia::network
