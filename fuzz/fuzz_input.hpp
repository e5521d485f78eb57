#pragma once
// Reads a libFuzzer input as a stream of choices: bytes, small integers and
// byte strings. Past the end every read returns zero (or an empty string), so
// any input is a complete program of operations.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "bauhinia/core/bytes.hpp"

namespace bauhinia::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  std::size_t remaining() const { return empty() ? 0 : size_ - pos_; }

  std::uint8_t byte() { return empty() ? 0 : data_[pos_++]; }
  bool flag() { return (byte() & 1) != 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | (std::uint32_t{u16()} << 16); }
  std::uint64_t u64() { return static_cast<std::uint64_t>(u32()) | (std::uint64_t{u32()} << 32); }
  // A value in [0, n) (n > 0).
  std::size_t below(std::size_t n) { return n <= 256 ? byte() % n : u16() % n; }

  // A length-prefixed byte string of at most `max` bytes (one length byte, or
  // two when max > 255).
  core::Bytes bytes(std::size_t max) {
    const std::size_t want = max > 255 ? u16() : byte();
    const std::size_t n = std::min({want, max, remaining()});
    core::Bytes out(data_ + pos_, data_ + pos_ + n);
    pos_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// XORs pairs (position, mask) taken from `edits` into `bytes`.
inline core::Bytes xor_edits(core::Bytes bytes, const core::Bytes& edits) {
  if (bytes.empty()) return bytes;
  for (std::size_t i = 0; i + 2 < edits.size(); i += 3) {
    const std::size_t at =
        (std::size_t{edits[i]} | (std::size_t{edits[i + 1]} << 8)) % bytes.size();
    bytes[at] ^= edits[i + 2];
  }
  return bytes;
}

}  // namespace bauhinia::fuzz
