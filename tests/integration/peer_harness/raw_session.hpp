#pragma once
// A hand-driven p2p session for the frame-level attacks: a blocking TCP
// connection that runs the real handshake (network::Handshake, the Hello and
// the Auth frame, docs/network.md) with a real allowed key, and then lets the
// caller write whatever bytes it likes: frames sealed correctly, frames
// tampered with, replayed, oversized, or on channels that do not exist. The
// peer manager cannot do that (it only sends well-formed frames).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/network/channel.hpp"
#include "bauhinia/network/frame_cipher.hpp"

namespace bauhinia::peer_harness {

class RawSession {
 public:
  // Connects to host:port and runs the handshake as initiator with `key`;
  // expects the responder's static key to be `expected`.
  static core::Result<std::unique_ptr<RawSession>> open(const std::string& host, std::uint16_t port,
                                                        const std::string& chain_id,
                                                        std::uint32_t max_frame_payload,
                                                        const core::ed25519::SecretKey& key,
                                                        const core::ed25519::PublicKey& expected,
                                                        std::chrono::milliseconds timeout);
  ~RawSession();
  RawSession(const RawSession&) = delete;
  RawSession& operator=(const RawSession&) = delete;

  // A correctly sealed frame (the next counter) as bytes, not yet sent.
  core::Bytes seal(network::Channel channel, core::ByteView payload);
  // Writes raw bytes; false once the peer closed the connection.
  bool write(core::ByteView bytes);
  // Reads and opens the next frame from the peer, or nothing on close/timeout.
  std::optional<network::OpenedFrame> read_frame(std::chrono::milliseconds timeout);
  // Reads (and discards) until the peer closes the connection: true if it did
  // within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  // The largest payload the peer announced in its Hello.
  std::uint32_t peer_max_frame_payload() const { return peer_max_payload_; }

 private:
  RawSession() = default;
  bool read_exact(std::uint8_t* out, std::size_t n, std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::uint32_t peer_max_payload_ = 0;
  std::unique_ptr<network::FrameSealer> sealer_;
  std::unique_ptr<network::FrameOpener> opener_;
  core::Bytes in_buf_;
};

}  // namespace bauhinia::peer_harness
