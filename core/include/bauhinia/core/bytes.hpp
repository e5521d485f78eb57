#pragma once
// Byte strings and their hex form.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/status.hpp"

namespace bauhinia::core {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Lower-case hex of the bytes.
std::string to_hex(ByteView bytes);

// Hex (upper or lower case, no prefix, even length) to bytes.
Checked<Bytes> from_hex(std::string_view hex);

// Hex of exactly N bytes.
template <std::size_t N>
Checked<std::array<std::uint8_t, N>> from_hex_fixed(std::string_view hex) {
  if (hex.size() != 2 * N) {
    return reject(Reject::kBadEncoding, "expected " + std::to_string(2 * N) + " hex digits, got " +
                                            std::to_string(hex.size()));
  }
  auto bytes = from_hex(hex);
  if (!bytes) return std::move(bytes).error();
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = (*bytes)[i];
  return out;
}

// Compares in time independent of where the inputs differ (libsodium sodium_memcmp).
// Use wherever a secret, a MAC or a key is compared.
bool constant_time_equal(ByteView a, ByteView b) noexcept;

// Overwrites memory in a way the compiler may not elide (sodium_memzero).
void secure_zero(void* data, std::size_t size) noexcept;

}  // namespace bauhinia::core
