#pragma once
// Trade mark numbers as IPD issues them: 9 digits beginning "30"
// (300347715); a divisional (split) registration adds a two-letter suffix
// (301847179AA). The registration is cited by its application number.
//
// Partial assignments use the divisional convention: the new registration
// is the family's base number (its first 9 digits) with the family's next
// free suffix, AA, AB, ..., AZ, BA, ..., ZZ (676 in all), whichever member
// of the family is divided.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts::trademark {

inline constexpr std::size_t kBaseNumberSize = 9;
inline constexpr std::size_t kMaxNumberSize = 11;
inline constexpr std::uint32_t kSuffixCount = 26 * 26;

// Why a string is not a mark number (each a typed rejection reason).
enum class NumberError : std::uint8_t {
  kLength,  // "number_length": not 9 or 11 characters
  kPrefix,  // "number_prefix": does not begin "30"
  kDigits,  // "number_digits": a non-digit among the first 9
  kSuffix,  // "number_suffix": the suffix is not two letters A-Z
};
std::string_view number_error_reason(NumberError e) noexcept;

// Checks `text` strictly; nullopt when it is a valid number.
std::optional<NumberError> check_number(std::string_view text) noexcept;
bool is_number(std::string_view text) noexcept;

// The first 9 digits (the family's base number) of a valid number.
std::string_view base_of(std::string_view number) noexcept;

// The suffix with index i (0 = "AA", 675 = "ZZ"); i < kSuffixCount.
std::string suffix_of(std::uint32_t i);

}  // namespace bauhinia::contracts::trademark
