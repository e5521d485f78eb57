#pragma once
// Messages of the control channel (Channel::kControl), handled by the network
// layer itself and never delivered upwards. Payload = type (u8) || body:
//   kAuth  (1): Ed25519 signature (64 bytes); only as the first frame of a session
//   kPing  (2): nonce (u64 LE)
//   kPong  (3): the nonce of the ping it answers (u64 LE)

#include <cstdint>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::network {

enum class ControlType : std::uint8_t { kAuth = 1, kPing = 2, kPong = 3 };

struct ControlMessage {
  ControlType type = ControlType::kPing;
  core::ed25519::Signature signature;  // kAuth
  std::uint64_t nonce = 0;             // kPing, kPong
};

core::Bytes encode_control(const ControlMessage& m);
// Exact sizes only: anything else is a rejection (kOutOfRange for an unknown
// type, kTruncated / kTrailingBytes for a wrong length).
core::Checked<ControlMessage> decode_control(core::ByteView payload);

}  // namespace bauhinia::network
