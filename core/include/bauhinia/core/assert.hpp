#pragma once
// Always-on assertions for programmer errors (broken invariants), in every
// build type. Invalid input is never asserted: it is a Rejection (status.hpp).
//
// The location comes from __FILE__/__LINE__/__func__ rather than
// std::source_location, which clang 14 (the sanitizer and fuzzing compiler)
// cannot provide with libstdc++ 12.

namespace bauhinia::core {

[[noreturn]] void assertion_failed(const char* expr, const char* message, const char* file,
                                   unsigned line, const char* function) noexcept;

}  // namespace bauhinia::core

#define BAUHINIA_ASSERT(cond)                                                      \
  do {                                                                             \
    if (!(cond)) [[unlikely]] {                                                    \
      ::bauhinia::core::assertion_failed(#cond, "", __FILE__, __LINE__, __func__); \
    }                                                                              \
  } while (false)

#define BAUHINIA_ASSERT_MSG(cond, msg)                                                \
  do {                                                                                \
    if (!(cond)) [[unlikely]] {                                                       \
      ::bauhinia::core::assertion_failed(#cond, (msg), __FILE__, __LINE__, __func__); \
    }                                                                                 \
  } while (false)
