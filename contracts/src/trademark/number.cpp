#include "bauhinia/contracts/trademark/number.hpp"

#include "bauhinia/core/assert.hpp"

namespace bauhinia::contracts::trademark {

std::string_view number_error_reason(NumberError e) noexcept {
  switch (e) {
    case NumberError::kLength: return "number_length";
    case NumberError::kPrefix: return "number_prefix";
    case NumberError::kDigits: return "number_digits";
    case NumberError::kSuffix: return "number_suffix";
  }
  return "number_length";
}

std::optional<NumberError> check_number(std::string_view text) noexcept {
  if (text.size() != kBaseNumberSize && text.size() != kMaxNumberSize) return NumberError::kLength;
  for (std::size_t i = 0; i < kBaseNumberSize; ++i) {
    if (text[i] < '0' || text[i] > '9') return NumberError::kDigits;
  }
  if (text[0] != '3' || text[1] != '0') return NumberError::kPrefix;
  for (std::size_t i = kBaseNumberSize; i < text.size(); ++i) {
    if (text[i] < 'A' || text[i] > 'Z') return NumberError::kSuffix;
  }
  return std::nullopt;
}

bool is_number(std::string_view text) noexcept {
  return !check_number(text).has_value();
}

std::string_view base_of(std::string_view number) noexcept {
  return number.substr(0, kBaseNumberSize);
}

std::string suffix_of(std::uint32_t i) {
  BAUHINIA_ASSERT(i < kSuffixCount);
  return {static_cast<char>('A' + i / 26), static_cast<char>('A' + i % 26)};
}

}  // namespace bauhinia::contracts::trademark
