#pragma once
// Calendar arithmetic of the register, deterministic and integer-only.
//
// Time is the block's timestamp in ms since the Unix epoch. A day is
// 86,400,000 ms. Dates of the register are Hong Kong dates (UTC+8, no
// daylight saving since 1979): a term of N years adds N to the year of the
// Hong Kong civil date and keeps the month, day and time of day; 29 February
// becomes 28 February in a common year (the last day of that month). Windows
// given in days (opposition, renewal, grace, restoration) add whole days.

#include <cstdint>
#include <string>

namespace bauhinia::contracts::trademark {

inline constexpr std::uint64_t kDayMs = 86'400'000;
inline constexpr std::int64_t kHongKongOffsetMs = 8 * 3'600'000;

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back
// (H. Hinnant's algorithms).
std::int64_t days_from_civil(const CivilDate& d) noexcept;
CivilDate civil_from_days(std::int64_t days) noexcept;
bool is_leap_year(std::int64_t year) noexcept;

// The Hong Kong civil date of an instant.
CivilDate hong_kong_date(std::uint64_t ms) noexcept;
// `ms` plus `years` calendar years (see the file comment). Saturates at
// UINT64_MAX instead of overflowing.
std::uint64_t add_years(std::uint64_t ms, std::uint64_t years) noexcept;
// `ms` plus `days` days, saturating.
std::uint64_t add_days(std::uint64_t ms, std::uint64_t days) noexcept;
// "yyyy-mm" of the Hong Kong date of `ms` (the expiring/ index).
std::string month_of(std::uint64_t ms);

}  // namespace bauhinia::contracts::trademark
