#include "bauhinia/network/frame_cipher.hpp"

#include <sodium.h>

#include <cstring>
#include <string>

#include "bauhinia/core/assert.hpp"
#include "sodium_ready.hpp"

namespace bauhinia::network {

static_assert(kSessionKeyBytes == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadTagBytes == crypto_aead_chacha20poly1305_ietf_ABYTES);

namespace {

using Nonce = std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

// 4 zero bytes || counter (u64 LE).
Nonce nonce_for(std::uint64_t counter) {
  Nonce n{};
  for (std::size_t i = 0; i < 8; ++i) n[4 + i] = static_cast<std::uint8_t>(counter >> (8 * i));
  return n;
}

void put_u32_le(std::uint8_t* out, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

SessionKey::~SessionKey() {
  core::secure_zero(bytes_.data(), bytes_.size());
}

void FrameSealer::seal(Channel channel, core::ByteView payload, core::Bytes& out) {
  BAUHINIA_ASSERT(payload.size() <= kMaxFramePayloadLimitBytes);
  BAUHINIA_ASSERT_MSG(counter_ != UINT64_MAX, "frame counter exhausted");
  detail::ensure_sodium();
  const std::size_t plain_size = 1 + payload.size();
  const std::size_t start = out.size();
  out.resize(start + kFrameHeaderBytes + plain_size + kAeadTagBytes);
  std::uint8_t* header = out.data() + start;
  std::uint8_t* body = header + kFrameHeaderBytes;
  put_u32_le(header, static_cast<std::uint32_t>(plain_size + kAeadTagBytes));
  body[0] = static_cast<std::uint8_t>(channel);
  if (!payload.empty()) std::memcpy(body + 1, payload.data(), payload.size());
  const Nonce nonce = nonce_for(counter_);
  unsigned long long tag_size = 0;
  // In place: libsodium allows c == m.
  crypto_aead_chacha20poly1305_ietf_encrypt_detached(body, body + plain_size, &tag_size, body,
                                                     plain_size, header, kFrameHeaderBytes, nullptr,
                                                     nonce.data(), key_.bytes().data());
  BAUHINIA_ASSERT(tag_size == kAeadTagBytes);
  ++counter_;
}

core::Checked<std::size_t> frame_ciphertext_length(
    std::span<const std::uint8_t, kFrameHeaderBytes> header, std::size_t max_payload_bytes) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) length |= std::size_t{header[i]} << (8 * i);
  if (length < kCiphertextOverheadBytes) {
    return core::reject(core::Reject::kTruncated, "frame of " + std::to_string(length) +
                                                      " bytes is shorter than an empty frame");
  }
  if (length - kCiphertextOverheadBytes > max_payload_bytes) {
    return core::reject(core::Reject::kTooLarge,
                        "frame payload of " + std::to_string(length - kCiphertextOverheadBytes) +
                            " bytes exceeds the maximum of " + std::to_string(max_payload_bytes));
  }
  return length;
}

core::Checked<OpenedFrame> FrameOpener::open(
    std::span<const std::uint8_t, kFrameHeaderBytes> header, std::span<std::uint8_t> ciphertext) {
  if (ciphertext.size() < kCiphertextOverheadBytes) {
    return core::reject(core::Reject::kTruncated, "ciphertext shorter than an empty frame");
  }
  BAUHINIA_ASSERT_MSG(counter_ != UINT64_MAX, "frame counter exhausted");
  detail::ensure_sodium();
  const std::size_t plain_size = ciphertext.size() - kAeadTagBytes;
  const Nonce nonce = nonce_for(counter_);
  std::uint8_t* body = ciphertext.data();
  if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
          body, nullptr, body, plain_size, body + plain_size, header.data(), kFrameHeaderBytes,
          nonce.data(), key_.bytes().data()) != 0) {
    return core::reject(core::Reject::kBadChecksum,
                        "frame " + std::to_string(counter_) + " failed authentication");
  }
  ++counter_;
  const auto channel = channel_from_byte(body[0]);
  if (!channel) {
    return core::reject(core::Reject::kOutOfRange,
                        "unknown channel " + std::to_string(unsigned{body[0]}));
  }
  return OpenedFrame{*channel, std::span<const std::uint8_t>(body + 1, plain_size - 1)};
}

}  // namespace bauhinia::network
