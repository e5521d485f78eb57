#pragma once
// Private to core: libsodium must be initialised once before any other call.

namespace bauhinia::core::detail {

// Calls sodium_init() exactly once per process (thread-safe); asserts success.
void ensure_sodium() noexcept;

}  // namespace bauhinia::core::detail
