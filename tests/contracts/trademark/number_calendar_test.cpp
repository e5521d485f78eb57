// Mark numbers (strict format, typed reasons, divisional suffixes) and the
// register's calendar arithmetic (Hong Kong civil dates, year terms, leap days).

#include <gtest/gtest.h>

#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/number.hpp"

namespace bauhinia::contracts::trademark {
namespace {

TEST(MarkNumberTest, AcceptsIpdNumbersAndDivisionalSuffixes) {
  for (const char* n : {"300347715", "305918274", "301847179AA", "309999999ZZ", "300000000"}) {
    EXPECT_TRUE(is_number(n)) << n;
  }
  EXPECT_EQ(base_of("301847179AB"), "301847179");
  EXPECT_EQ(base_of("301847179"), "301847179");
}

TEST(MarkNumberTest, RefusesEveryOtherFormWithItsReason) {
  struct Case {
    const char* text;
    NumberError error;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", NumberError::kLength},
           {"30034771", NumberError::kLength},
           {"3003477150", NumberError::kLength},
           {"301847179AAA", NumberError::kLength},
           {"310347715", NumberError::kPrefix},
           {"030347715", NumberError::kPrefix},
           {"30034771a", NumberError::kDigits},
           {"30-347715", NumberError::kDigits},
           {" 30347715", NumberError::kDigits},
           {"301847179aa", NumberError::kSuffix},
           {"301847179A1", NumberError::kSuffix},
           {"301847179A ", NumberError::kSuffix},
       }) {
    auto e = check_number(c.text);
    ASSERT_TRUE(e.has_value()) << c.text;
    EXPECT_EQ(*e, c.error) << c.text;
  }
  EXPECT_EQ(number_error_reason(NumberError::kPrefix), "number_prefix");
  EXPECT_FALSE(is_number(std::string_view("30034771\0", 9)));
}

TEST(MarkNumberTest, SuffixesRunFromAAtoZZ) {
  EXPECT_EQ(suffix_of(0), "AA");
  EXPECT_EQ(suffix_of(1), "AB");
  EXPECT_EQ(suffix_of(26), "BA");
  EXPECT_EQ(suffix_of(kSuffixCount - 1), "ZZ");
  for (std::uint32_t i = 0; i < kSuffixCount; ++i) {
    EXPECT_TRUE(is_number("301847179" + suffix_of(i)));
  }
}

TEST(CalendarTest, DaysFromCivilRoundTripsAndMatchesKnownDates) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2026, 1, 1}), 20454);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  for (std::int64_t d = -800'000; d < 800'000; d += 37) {
    EXPECT_EQ(days_from_civil(civil_from_days(d)), d);
  }
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_TRUE(is_leap_year(2028));
}

TEST(CalendarTest, DatesAreHongKongDates) {
  // 2026-01-01T00:00Z is 08:00 on 1 January in Hong Kong; 16:00Z is already 2 January.
  EXPECT_EQ(hong_kong_date(1'767'225'600'000ULL), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(hong_kong_date(1'767'225'600'000ULL + 16 * 3'600'000ULL), (CivilDate{2026, 1, 2}));
  EXPECT_EQ(month_of(1'767'225'600'000ULL), "2026-01");
  // 31 December 2025 16:00Z = 1 January 2026 00:00 HKT.
  EXPECT_EQ(month_of(1'767'196'800'000ULL), "2026-01");
  EXPECT_EQ(month_of(1'767'196'800'000ULL - 1), "2025-12");
}

TEST(CalendarTest, YearTermsKeepTheDateAndLeapDaysBecomeTheTwentyEighth) {
  const std::uint64_t filed = 1'767'578'400'000ULL;  // 2026-01-05 10:00 HKT
  const std::uint64_t expiry = add_years(filed, 10);
  EXPECT_EQ(hong_kong_date(expiry), (CivilDate{2036, 1, 5}));
  EXPECT_EQ(expiry % kDayMs, filed % kDayMs);  // same time of day
  EXPECT_EQ(expiry - filed, static_cast<std::uint64_t>(days_from_civil({2036, 1, 5}) -
                                                       days_from_civil({2026, 1, 5})) *
                                kDayMs);
  // 29 February 2028 (HKT noon) + 10 years: 28 February 2038; + 12: 29 February 2040.
  const std::uint64_t leap =
      static_cast<std::uint64_t>(days_from_civil({2028, 2, 29})) * kDayMs + 4 * 3'600'000ULL;
  EXPECT_EQ(hong_kong_date(leap), (CivilDate{2028, 2, 29}));
  EXPECT_EQ(hong_kong_date(add_years(leap, 10)), (CivilDate{2038, 2, 28}));
  EXPECT_EQ(hong_kong_date(add_years(leap, 12)), (CivilDate{2040, 2, 29}));
  EXPECT_EQ(add_years(filed, 0), filed);
  EXPECT_EQ(add_days(filed, 92), filed + 92 * kDayMs);
  // Saturation instead of overflow.
  EXPECT_EQ(add_days(~0ULL - 5, 1), ~0ULL);
  EXPECT_EQ(add_years(filed, 1'000'000), ~0ULL);
}

}  // namespace
}  // namespace bauhinia::contracts::trademark
