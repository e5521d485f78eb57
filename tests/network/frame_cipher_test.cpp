// The encrypted frame format: round trips, and every way a frame can be
// wrong (tampered, replayed, reordered, wrong key, oversized, unknown channel).

#include "bauhinia/network/frame_cipher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "bauhinia/network/control.hpp"

namespace bauhinia::network {
namespace {

SessionKey key_of(std::uint8_t b) {
  SessionKey::Array a{};
  a.fill(b);
  return SessionKey(a);
}

std::span<const std::uint8_t, kFrameHeaderBytes> header_of(const core::Bytes& frame) {
  return std::span<const std::uint8_t, kFrameHeaderBytes>(frame.data(), kFrameHeaderBytes);
}

std::span<std::uint8_t> body_of(core::Bytes& frame) {
  return std::span<std::uint8_t>(frame.data() + kFrameHeaderBytes,
                                 frame.size() - kFrameHeaderBytes);
}

TEST(FrameCipher, RoundTripsFramesInOrder) {
  FrameSealer sealer(key_of(7));
  FrameOpener opener(key_of(7));
  for (std::size_t size : {0U, 1U, 100U, 70000U}) {
    core::Bytes payload(size);
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(i * 31 + size);
    core::Bytes frame;
    sealer.seal(Channel::kSync, payload, frame);
    ASSERT_EQ(frame.size(), kFrameOverheadBytes + size);
    // The header is the little-endian ciphertext length.
    const std::size_t announced =
        frame[0] | (frame[1] << 8) | (frame[2] << 16) | (std::size_t{frame[3]} << 24);
    EXPECT_EQ(announced, frame.size() - kFrameHeaderBytes);
    auto length = frame_ciphertext_length(header_of(frame), 1 << 20);
    ASSERT_TRUE(length) << length.error().to_string();
    EXPECT_EQ(*length, frame.size() - kFrameHeaderBytes);
    auto opened = opener.open(header_of(frame), body_of(frame));
    ASSERT_TRUE(opened) << opened.error().to_string();
    EXPECT_EQ(opened->channel, Channel::kSync);
    EXPECT_EQ(core::Bytes(opened->payload.begin(), opened->payload.end()), payload);
  }
  EXPECT_EQ(sealer.frames_sealed(), 4U);
  EXPECT_EQ(opener.frames_opened(), 4U);
}

TEST(FrameCipher, MatchesLibsodiumWithTheDocumentedNonceAndAssociatedData) {
  // Independent check of the documented construction: nonce = 4 zero bytes ||
  // counter (u64 LE), associated data = the 4 header bytes.
  FrameSealer sealer(key_of(9));
  core::Bytes first;
  core::Bytes second;
  const core::Bytes payload = {'h', 'i'};
  sealer.seal(Channel::kConsensus, payload, first);
  sealer.seal(Channel::kConsensus, payload, second);
  std::array<std::uint8_t, 12> nonce{};
  nonce[4] = 1;  // the second frame
  const std::array<std::uint8_t, 3> plain = {1, 'h', 'i'};
  std::array<std::uint8_t, 3 + 16> expected{};
  unsigned long long n = 0;
  const auto key = key_of(9);
  ASSERT_EQ(crypto_aead_chacha20poly1305_ietf_encrypt(expected.data(), &n, plain.data(),
                                                      plain.size(), second.data(), 4, nullptr,
                                                      nonce.data(), key.bytes().data()),
            0);
  ASSERT_EQ(n, expected.size());
  EXPECT_EQ(core::Bytes(second.begin() + 4, second.end()),
            core::Bytes(expected.begin(), expected.end()));
  EXPECT_NE(first, second);  // same plaintext, different nonce
}

TEST(FrameCipher, RejectsATamperedByteAnywhere) {
  FrameSealer sealer(key_of(1));
  core::Bytes clean;
  sealer.seal(Channel::kMempool, core::Bytes(40, 0xAB), clean);
  for (std::size_t i = kFrameHeaderBytes; i < clean.size(); ++i) {
    core::Bytes frame = clean;
    frame[i] ^= 0x20;
    FrameOpener opener(key_of(1));
    auto opened = opener.open(header_of(frame), body_of(frame));
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().reason, core::Reject::kBadChecksum);
  }
}

TEST(FrameCipher, RejectsAChangedLengthHeaderEvenWhenTheBodyFits) {
  // The header is associated data: a frame cut short (header rewritten to
  // match) does not authenticate.
  FrameSealer sealer(key_of(1));
  core::Bytes frame;
  sealer.seal(Channel::kMempool, core::Bytes(40, 0xAB), frame);
  frame.resize(frame.size() - 1);
  frame[0] = static_cast<std::uint8_t>(frame[0] - 1);
  FrameOpener opener(key_of(1));
  EXPECT_FALSE(opener.open(header_of(frame), body_of(frame)));
}

TEST(FrameCipher, RejectsReplayedReorderedAndWrongKeyFrames) {
  FrameSealer sealer(key_of(2));
  core::Bytes f0;
  core::Bytes f1;
  sealer.seal(Channel::kConsensus, core::Bytes{1}, f0);
  sealer.seal(Channel::kConsensus, core::Bytes{2}, f1);
  {
    FrameOpener opener(key_of(2));
    core::Bytes copy = f1;
    EXPECT_FALSE(opener.open(header_of(copy), body_of(copy))) << "out of order";
  }
  {
    FrameOpener opener(key_of(2));
    core::Bytes a = f0;
    core::Bytes b = f0;
    ASSERT_TRUE(opener.open(header_of(a), body_of(a)));
    EXPECT_FALSE(opener.open(header_of(b), body_of(b))) << "replayed";
  }
  {
    FrameOpener opener(key_of(3));
    core::Bytes copy = f0;
    EXPECT_FALSE(opener.open(header_of(copy), body_of(copy))) << "wrong key";
  }
}

TEST(FrameCipher, LengthChecksComeBeforeAnyAllocation) {
  const std::array<std::uint8_t, 4> too_big = {0xFF, 0xFF, 0xFF, 0xFF};
  auto r = frame_ciphertext_length(too_big, kDefaultMaxFramePayloadBytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, core::Reject::kTooLarge);
  const std::array<std::uint8_t, 4> too_small = {16, 0, 0, 0};
  EXPECT_FALSE(frame_ciphertext_length(too_small, kDefaultMaxFramePayloadBytes));
  // Exactly the maximum payload is fine, one more byte is not.
  const std::size_t max = 1000;
  const std::size_t at = max + kCiphertextOverheadBytes;
  const std::array<std::uint8_t, 4> at_max = {static_cast<std::uint8_t>(at),
                                              static_cast<std::uint8_t>(at >> 8), 0, 0};
  const std::array<std::uint8_t, 4> over = {static_cast<std::uint8_t>(at + 1),
                                            static_cast<std::uint8_t>((at + 1) >> 8), 0, 0};
  EXPECT_TRUE(frame_ciphertext_length(at_max, max));
  EXPECT_FALSE(frame_ciphertext_length(over, max));
}

TEST(FrameCipher, RejectsAnUnknownChannelInsideAnAuthenticFrame) {
  FrameSealer sealer(key_of(4));
  core::Bytes frame;
  sealer.seal(static_cast<Channel>(200), core::Bytes{1, 2}, frame);
  FrameOpener opener(key_of(4));
  auto opened = opener.open(header_of(frame), body_of(frame));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().reason, core::Reject::kOutOfRange);
}

TEST(ControlMessages, RoundTripAndRejectWrongSizes) {
  ControlMessage ping;
  ping.type = ControlType::kPing;
  ping.nonce = 0x0102030405060708ULL;
  const core::Bytes wire = encode_control(ping);
  EXPECT_EQ(wire, (core::Bytes{2, 8, 7, 6, 5, 4, 3, 2, 1}));
  auto back = decode_control(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, ControlType::kPing);
  EXPECT_EQ(back->nonce, ping.nonce);

  ControlMessage auth;
  auth.type = ControlType::kAuth;
  auth.signature.bytes.fill(0x5A);
  const core::Bytes auth_wire = encode_control(auth);
  ASSERT_EQ(auth_wire.size(), 65U);
  auto auth_back = decode_control(auth_wire);
  ASSERT_TRUE(auth_back);
  EXPECT_EQ(auth_back->signature, auth.signature);

  EXPECT_FALSE(decode_control(core::Bytes{}));
  EXPECT_FALSE(decode_control(core::Bytes{2, 1, 2, 3}));                    // short ping
  EXPECT_FALSE(decode_control(core::Bytes{3, 0, 0, 0, 0, 0, 0, 0, 0, 9}));  // long pong
  EXPECT_FALSE(decode_control(core::Bytes{9}));                             // unknown type
  EXPECT_FALSE(decode_control(core::Bytes(64, 1)));                         // short auth
}

}  // namespace
}  // namespace bauhinia::network
