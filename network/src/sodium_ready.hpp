#pragma once
// libsodium must be initialised once before use; safe to call from any thread.

namespace bauhinia::network::detail {

void ensure_sodium();

}  // namespace bauhinia::network::detail
