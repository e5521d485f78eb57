#include "bauhinia/core/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace bauhinia::core {

void assertion_failed(const char* expr, const char* message, std::source_location where) noexcept {
  std::fprintf(stderr, "bauhinia: assertion failed: %s %s\n  at %s:%u in %s\n", expr, message,
               where.file_name(), static_cast<unsigned>(where.line()), where.function_name());
  std::fflush(stderr);
  std::abort();
}

}  // namespace bauhinia::core
