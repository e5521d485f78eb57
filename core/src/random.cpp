#include "bauhinia/core/random.hpp"

#include <sodium.h>

#include "bauhinia/core/assert.hpp"
#include "sodium_init.hpp"

namespace bauhinia::core {

namespace detail {
void ensure_sodium() noexcept {
  // sodium_init is itself idempotent and thread-safe; the static makes the
  // check cost one load after the first call. 0 = initialised now, 1 = already.
  static const bool initialised = sodium_init() >= 0;
  BAUHINIA_ASSERT_MSG(initialised, "libsodium failed to initialise");
}
}  // namespace detail

void os_random_bytes(std::span<std::uint8_t> out) noexcept {
  detail::ensure_sodium();
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

}  // namespace bauhinia::core
