#include "bauhinia/network/control.hpp"

#include <cstring>
#include <string>

#include "bauhinia/core/encoding.hpp"

namespace bauhinia::network {

core::Bytes encode_control(const ControlMessage& m) {
  core::Writer w(1 + core::ed25519::kSignatureSize);
  w.u8(static_cast<std::uint8_t>(m.type));
  switch (m.type) {
    case ControlType::kAuth:
      w.raw(core::ByteView(m.signature.bytes.data(), m.signature.bytes.size()));
      break;
    case ControlType::kPing:
    case ControlType::kPong: w.u64(m.nonce); break;
  }
  return std::move(w).take();
}

core::Checked<ControlMessage> decode_control(core::ByteView payload) {
  core::Reader r(payload);
  ControlMessage m;
  const std::uint8_t type = r.u8();
  if (!r.ok()) return r.rejection();
  switch (type) {
    case static_cast<std::uint8_t>(ControlType::kAuth): {
      m.type = ControlType::kAuth;
      const core::ByteView sig = r.raw(core::ed25519::kSignatureSize, "auth signature");
      if (r.ok()) std::memcpy(m.signature.bytes.data(), sig.data(), sig.size());
      break;
    }
    case static_cast<std::uint8_t>(ControlType::kPing):
    case static_cast<std::uint8_t>(ControlType::kPong):
      m.type = static_cast<ControlType>(type);
      m.nonce = r.u64();
      break;
    default:
      return core::reject(core::Reject::kOutOfRange,
                          "unknown control message type " + std::to_string(type));
  }
  if (core::Verdict v = r.finish(); !v) return v.rejection();
  return m;
}

}  // namespace bauhinia::network
