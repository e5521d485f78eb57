#pragma once
// Always-on assertions for programmer errors (broken invariants), in every
// build type. Invalid input is never asserted: it is a Rejection (status.hpp).

#include <source_location>

namespace bauhinia::core {

[[noreturn]] void assertion_failed(const char* expr, const char* message,
                                   std::source_location where) noexcept;

}  // namespace bauhinia::core

#define BAUHINIA_ASSERT(cond)                                                      \
  do {                                                                             \
    if (!(cond)) [[unlikely]] {                                                    \
      ::bauhinia::core::assertion_failed(#cond, "", std::source_location::current()); \
    }                                                                              \
  } while (false)

#define BAUHINIA_ASSERT_MSG(cond, msg)                                              \
  do {                                                                              \
    if (!(cond)) [[unlikely]] {                                                     \
      ::bauhinia::core::assertion_failed(#cond, (msg), std::source_location::current()); \
    }                                                                               \
  } while (false)
