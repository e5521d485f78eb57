#pragma once
// The encrypted frames of an established session (docs/network.md, "Frames").
//
//   frame      = length (u32 little-endian) || ciphertext
//   ciphertext = ChaCha20-Poly1305-IETF(key of this direction,
//                                       nonce = 0x00000000 || counter (u64 LE),
//                                       associated data = the 4 length bytes,
//                                       plaintext = channel (u8) || payload)
//   length     = 1 + payload size + 16
//
// Each direction has its own key and its own counter, starting at 0 and
// incremented once per frame, so a nonce is never reused under a key and a
// dropped, replayed or reordered frame fails authentication.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/channel.hpp"

namespace bauhinia::network {

inline constexpr std::size_t kFrameHeaderBytes = 4;  // u32 LE ciphertext length
inline constexpr std::size_t kAeadTagBytes = 16;     // Poly1305 tag
inline constexpr std::size_t kSessionKeyBytes = 32;
// Ciphertext bytes beyond the payload: the channel byte and the tag.
inline constexpr std::size_t kCiphertextOverheadBytes = 1 + kAeadTagBytes;
inline constexpr std::size_t kFrameOverheadBytes = kFrameHeaderBytes + kCiphertextOverheadBytes;
inline constexpr std::size_t kDefaultMaxFramePayloadBytes = std::size_t{16} << 20;  // 16 MiB
// No configuration may allow more than this per frame.
inline constexpr std::size_t kMaxFramePayloadLimitBytes = std::size_t{256} << 20;  // 256 MiB

// A symmetric key of one direction of one session; zeroed on destruction.
class SessionKey {
 public:
  using Array = std::array<std::uint8_t, kSessionKeyBytes>;
  SessionKey() = default;
  explicit SessionKey(const Array& bytes) : bytes_(bytes) {}
  SessionKey(const SessionKey&) = default;
  SessionKey& operator=(const SessionKey&) = default;
  ~SessionKey();
  const Array& bytes() const noexcept { return bytes_; }

 private:
  Array bytes_{};
};

// Encrypts the frames of one direction. Not thread-safe: one writer at a time.
class FrameSealer {
 public:
  explicit FrameSealer(const SessionKey& key) : key_(key) {}
  // Appends the whole frame (header || ciphertext) for `channel || payload`
  // to `out`. REQUIRES: payload.size() <= kMaxFramePayloadLimitBytes.
  void seal(Channel channel, core::ByteView payload, core::Bytes& out);
  std::uint64_t frames_sealed() const noexcept { return counter_; }

 private:
  SessionKey key_;
  std::uint64_t counter_ = 0;
};

// The ciphertext length announced by a frame header, or a rejection
// (kTooLarge) when it is shorter than an empty frame or longer than a frame
// carrying max_payload_bytes.
core::Checked<std::size_t> frame_ciphertext_length(
    std::span<const std::uint8_t, kFrameHeaderBytes> header, std::size_t max_payload_bytes);

// A decrypted frame; `payload` points into the buffer given to open().
struct OpenedFrame {
  Channel channel = Channel::kControl;
  std::span<const std::uint8_t> payload;
};

// Authenticates and decrypts the frames of one direction, in order.
class FrameOpener {
 public:
  explicit FrameOpener(const SessionKey& key) : key_(key) {}
  // Decrypts `ciphertext` (the bytes that followed `header`) in place. A
  // rejection when authentication fails (kBadChecksum: wrong key, tampered or
  // out-of-order frame) or the channel byte is unknown (kOutOfRange); after a
  // rejection the session must be closed.
  core::Checked<OpenedFrame> open(std::span<const std::uint8_t, kFrameHeaderBytes> header,
                                  std::span<std::uint8_t> ciphertext);
  std::uint64_t frames_opened() const noexcept { return counter_; }

 private:
  SessionKey key_;
  std::uint64_t counter_ = 0;
};

}  // namespace bauhinia::network
