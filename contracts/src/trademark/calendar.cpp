#include "bauhinia/contracts/trademark/calendar.hpp"

#include <limits>

namespace bauhinia::contracts::trademark {

namespace {
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
// Years beyond this are refused by saturation (no date of the register comes near).
constexpr std::uint64_t kMaxYears = 100'000;
}  // namespace

bool is_leap_year(std::int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::int64_t days_from_civil(const CivilDate& d) noexcept {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<std::int64_t>(y - era * 400);              // [0, 399]
  const std::int64_t mp = (static_cast<std::int64_t>(d.month) + 9) % 12;  // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(d.day) - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

CivilDate hong_kong_date(std::uint64_t ms) noexcept {
  const std::uint64_t local = ms + static_cast<std::uint64_t>(kHongKongOffsetMs);
  return civil_from_days(static_cast<std::int64_t>(local / kDayMs));
}

std::uint64_t add_years(std::uint64_t ms, std::uint64_t years) noexcept {
  if (years > kMaxYears || ms > kMax / 2) return kMax;
  const std::uint64_t local = ms + static_cast<std::uint64_t>(kHongKongOffsetMs);
  const std::uint64_t time_of_day = local % kDayMs;
  CivilDate d = civil_from_days(static_cast<std::int64_t>(local / kDayMs));
  d.year += static_cast<std::int64_t>(years);
  if (d.month == 2 && d.day == 29 && !is_leap_year(d.year)) d.day = 28;
  const std::int64_t days = days_from_civil(d);
  const auto out_local = static_cast<std::uint64_t>(days) * kDayMs + time_of_day;
  return out_local - static_cast<std::uint64_t>(kHongKongOffsetMs);
}

std::uint64_t add_days(std::uint64_t ms, std::uint64_t days) noexcept {
  if (days > (kMax - ms) / kDayMs) return kMax;
  return ms + days * kDayMs;
}

std::string month_of(std::uint64_t ms) {
  const CivilDate d = hong_kong_date(ms);
  std::string y = std::to_string(d.year);
  while (y.size() < 4) y.insert(y.begin(), '0');
  return y + "-" + (d.month < 10 ? "0" : "") + std::to_string(d.month);
}

}  // namespace bauhinia::contracts::trademark
