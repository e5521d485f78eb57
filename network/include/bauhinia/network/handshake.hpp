#pragma once
// The authenticated key exchange that opens every connection (docs/network.md,
// "Handshake"). Both ends send a Hello in the clear at once:
//
//   hello wire = length (u16 LE, at most kMaxHelloBytes) || canonical Hello
//
// then, once both Hellos are known, each side derives
//   shared   = X25519(own ephemeral secret, peer ephemeral public)
//   h_keys   = tagged_hash(kPeerHandshake, Statement{purpose 0, both Hellos})
//   okm      = BLAKE2b-512(key = shared, message = h_keys)
//   initiator->responder key = okm[0..32), responder->initiator key = okm[32..64)
// and sends, as its first encrypted frame (counter 0), an Auth control message:
// its Ed25519 signature of tagged_hash(kPeerHandshake, Statement{purpose 1 for
// the initiator / 2 for the responder, both Hellos}). Each side verifies the
// other's signature with the static key of the peer's Hello. The model is
// SIGMA-I / Noise XX without identity hiding (node keys are public on chain).
//
// This class is the pure, socket-free part: the peer manager drives it over
// TCP, and tests drive it directly.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/frame_cipher.hpp"

namespace bauhinia::network {

inline constexpr std::uint32_t kHelloMagic = 0x504E4842;  // "BHNP" as little-endian bytes
inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::size_t kMaxChainIdBytes = 64;  // as chain::kMaxChainIdLength
inline constexpr std::size_t kHelloLengthBytes = 2;
inline constexpr std::size_t kMaxHelloBytes = 256;
inline constexpr std::size_t kX25519KeyBytes = 32;

using X25519PublicKey = std::array<std::uint8_t, kX25519KeyBytes>;

// Who opened the TCP connection.
enum class Role : std::uint8_t { kInitiator = 0, kResponder = 1 };

struct Hello {
  std::uint32_t magic = kHelloMagic;
  std::uint16_t version = kProtocolVersion;
  std::string chain_id;                       // e.g. "bauhinia-hk-1"
  std::uint32_t max_frame_payload_bytes = 0;  // the largest payload this side accepts
  X25519PublicKey ephemeral_key{};
  core::ed25519::PublicKey static_key;  // the node's identity

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u32(s.magic);
    c.u16(s.version);
    c.string(s.chain_id, kMaxChainIdBytes, "chain_id");
    c.u32(s.max_frame_payload_bytes);
    c.fixed(s.ephemeral_key);
    c.fixed(s.static_key.bytes);
  }
  friend bool operator==(const Hello&, const Hello&) = default;
};

// length (u16 LE) || canonical encoding.
core::Bytes hello_wire(const Hello& hello);
// The Hello length announced by a 2-byte prefix, or kTooLarge / kTruncated.
core::Checked<std::size_t> hello_length(std::span<const std::uint8_t, kHelloLengthBytes> prefix);
// Decodes a Hello body (without its length prefix). Checks the magic first
// (kBadEncoding: not a Bauhinia peer), then the version (kBadVersion), so that
// a peer of another protocol version gets a clear reason; then the fields,
// trailing bytes, and that the static key is a valid Ed25519 point (kBadKey).
core::Checked<Hello> decode_hello(core::ByteView body);

// What is hashed for the key schedule and each side's signature.
struct HandshakeStatement {
  enum Purpose : std::uint8_t { kSessionKeys = 0, kInitiatorAuth = 1, kResponderAuth = 2 };
  std::uint8_t purpose = kSessionKeys;
  core::Bytes initiator_hello;  // canonical encodings, without length prefixes
  core::Bytes responder_hello;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.purpose);
    c.bytes(s.initiator_hello, kMaxHelloBytes, "initiator_hello");
    c.bytes(s.responder_hello, kMaxHelloBytes, "responder_hello");
  }
};

// One side of one handshake. Not thread-safe; single use.
class Handshake {
 public:
  // Generates a fresh ephemeral X25519 key. REQUIRES: node_key outlives this
  // object; chain_id.size() <= kMaxChainIdBytes.
  Handshake(Role role, std::string_view chain_id, std::uint32_t max_frame_payload_bytes,
            const core::ed25519::SecretKey& node_key);
  // With a given ephemeral secret: for test vectors only, never in the node.
  Handshake(Role role, std::string_view chain_id, std::uint32_t max_frame_payload_bytes,
            const core::ed25519::SecretKey& node_key,
            const std::array<std::uint8_t, kX25519KeyBytes>& ephemeral_secret);
  ~Handshake();  // zeroes the ephemeral secret
  Handshake(const Handshake&) = delete;
  Handshake& operator=(const Handshake&) = delete;

  Role role() const noexcept { return role_; }
  const Hello& hello() const noexcept { return hello_; }

  // Checks the peer's Hello against ours (chain id, not our own key, a usable
  // ephemeral key), then derives the session keys and signs our statement.
  // Rejections: kWrongPrefix (another chain), kBadVersion, kDuplicate
  // (connected to ourselves), kBadKey (low-order ephemeral key). Whether the
  // peer's key is allowed is the caller's decision.
  core::Verdict receive_hello(const Hello& peer);

  // After receive_hello succeeded:
  const Hello& peer_hello() const noexcept { return peer_hello_; }
  const core::ed25519::PublicKey& peer_key() const noexcept { return peer_hello_.static_key; }
  const core::ed25519::Signature& signature() const noexcept { return signature_; }
  const core::Hash256& session_hash() const noexcept { return session_hash_; }
  const SessionKey& send_key() const noexcept { return send_key_; }
  const SessionKey& receive_key() const noexcept { return receive_key_; }
  // Verifies the peer's signature of its statement (kBadSignature).
  core::Verdict verify_peer_signature(const core::ed25519::Signature& sig) const;

  // The 32-byte digest a side signs (exposed for tests and docs).
  static core::Hash256 statement_hash(HandshakeStatement::Purpose purpose, const Hello& initiator,
                                      const Hello& responder);

 private:
  Role role_;
  const core::ed25519::SecretKey& node_key_;
  std::array<std::uint8_t, kX25519KeyBytes> ephemeral_secret_{};
  Hello hello_;
  Hello peer_hello_;
  bool received_ = false;
  core::ed25519::Signature signature_;
  core::Hash256 session_hash_;
  SessionKey send_key_;
  SessionKey receive_key_;
};

}  // namespace bauhinia::network
