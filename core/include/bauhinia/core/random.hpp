#pragma once
// Cryptographically secure random bytes from the operating system (libsodium's
// randombytes_buf, which uses getrandom(2) on Linux). Thread-safe. For keys,
// nonces and salts; never for anything that must be deterministic (contracts,
// consensus, the simulator).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace bauhinia::core {

// Fills `out` with random bytes. Cannot fail: if the OS generator is unusable
// the process aborts (libsodium's policy), since no key may be made without it.
void os_random_bytes(std::span<std::uint8_t> out) noexcept;

template <std::size_t N>
std::array<std::uint8_t, N> os_random_array() noexcept {
  std::array<std::uint8_t, N> out;
  os_random_bytes(out);
  return out;
}

}  // namespace bauhinia::core
