#include "bauhinia/core/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace bauhinia::core {

void assertion_failed(const char* expr, const char* message, const char* file, unsigned line,
                      const char* function) noexcept {
  std::fprintf(stderr, "bauhinia: assertion failed: %s %s\n  at %s:%u in %s\n", expr, message, file,
               line, function);
  std::fflush(stderr);
  std::abort();
}

}  // namespace bauhinia::core
