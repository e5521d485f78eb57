#include "sodium_ready.hpp"

#include <sodium.h>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::network::detail {

void ensure_sodium() {
  // sodium_init() is thread-safe and idempotent; the static makes it one call.
  static const int result = sodium_init();
  BAUHINIA_ASSERT_MSG(result >= 0, "libsodium failed to initialise");
}

}  // namespace bauhinia::network::detail
