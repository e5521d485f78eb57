// The company register's pure rules: CR numbers, the Registry's name
// normalisation (one rule at a time), name validation, dates in Hong Kong
// time, and the salted commitments of protected fields.

#include "bauhinia/contracts/company/names.hpp"

#include <gtest/gtest.h>

#include "bauhinia/contracts/company/records.hpp"

namespace bauhinia::contracts::company {
namespace {

TEST(CrNumber, CanonicalFormsAndRefusals) {
  EXPECT_EQ(*canonical_cr_number("3298741"), "3298741");
  EXPECT_EQ(*canonical_cr_number("03298741"), "3298741");  // the search pages' 8 digits
  EXPECT_EQ(*canonical_cr_number("0000001"), "0000001");
  EXPECT_EQ(*canonical_cr_number("F0012345"), "F0012345");
  for (const char* bad :
       {"", "329874", "13298741", "32987410", "329874x", "F012345", "F00123456", "f0012345",
        "F001234a", "0000000", "00000000", "F0000000", "-329874", "３２９８７４１"}) {
    EXPECT_FALSE(canonical_cr_number(bad).has_value()) << bad;
    EXPECT_FALSE(is_valid_cr_number(bad)) << bad;
  }
}

TEST(Normalisation, EachEnglishRuleOnItsOwn) {
  const std::string base = normalise_english("Lantern Harbour Logistics Limited");
  EXPECT_EQ(base, "lanternharbourlogistics");
  // case
  EXPECT_EQ(normalise_english("LANTERN harbour LoGiStIcS Limited"), base);
  // spacing
  EXPECT_EQ(normalise_english("Lantern   Harbour Logistics  Limited"), base);
  EXPECT_EQ(normalise_english("LanternHarbour Logistics Limited"), base);
  // punctuation
  EXPECT_EQ(normalise_english("Lantern-Harbour (Logistics), Limited."), base);
  // leading "The" (only leading)
  EXPECT_EQ(normalise_english("The Lantern Harbour Logistics Limited"), base);
  EXPECT_NE(normalise_english("Lantern The Harbour Logistics Limited"), base);
  // suffix "Limited" / "Ltd" / none (only final)
  EXPECT_EQ(normalise_english("Lantern Harbour Logistics Ltd"), base);
  EXPECT_EQ(normalise_english("Lantern Harbour Logistics Ltd."), base);
  EXPECT_EQ(normalise_english("Lantern Harbour Logistics"), base);
  EXPECT_EQ(normalise_english("Limited Harbour Limited"), "limitedharbour");
  // "&" = "and"
  EXPECT_EQ(normalise_english("Chan & Wong Limited"), normalise_english("Chan and Wong Limited"));
  EXPECT_EQ(normalise_english("Chan&Wong Limited"), normalise_english("Chan and Wong Limited"));
  // "HK" = "Hong Kong"
  EXPECT_EQ(normalise_english("Pearl HK Limited"), normalise_english("Pearl Hong Kong Limited"));
  EXPECT_EQ(normalise_english("Pearl H.K. Limited"), "pearlhk");  // dotted initials stay apart
  EXPECT_NE(normalise_english("Pearl HKG Limited"), normalise_english("Pearl Hong Kong Limited"));
  // Different names stay different.
  EXPECT_NE(normalise_english("Lantern Harbour Logistic Limited"), base);
}

TEST(Normalisation, ChineseRules) {
  const std::string base = normalise_chinese("港燈物流有限公司");
  EXPECT_EQ(base, "港燈物流");
  EXPECT_EQ(normalise_chinese("港燈 物流 有限公司"), base);  // spaces
  EXPECT_EQ(normalise_chinese("港燈　物流有限公司"), base);  // ideographic space
  EXPECT_EQ(normalise_chinese("港燈·物流有限公司"), base);   // middle dot
  EXPECT_EQ(normalise_chinese("「港燈」物流（有限公司）"),
            normalise_chinese("港燈物流（有限公司）"));
  EXPECT_EQ(normalise_chinese("港燈物流"), base);  // suffix
  EXPECT_NE(normalise_chinese("港燈貨運有限公司"), base);
}

TEST(NameValidation, LanguagesAndSuffixes) {
  using T = CompanyType;
  EXPECT_TRUE(
      check_english_name("Lantern Harbour Logistics Limited", T::kPrivateLimitedByShares).ok());
  EXPECT_TRUE(check_chinese_name("港燈物流有限公司", T::kPrivateLimitedByShares).ok());
  EXPECT_TRUE(check_chinese_name("港燈1號物流有限公司", T::kPublicLimitedByShares).ok());
  EXPECT_EQ(check_english_name("Lantern 港燈 Limited", T::kPrivateLimitedByShares).reason,
            "mixed_language_name");
  EXPECT_EQ(check_chinese_name("港燈Lantern有限公司", T::kPrivateLimitedByShares).reason,
            "mixed_language_name");
  EXPECT_EQ(check_english_name("Lantern Ltd", T::kPrivateLimitedByShares).reason,
            "missing_limited_suffix");
  EXPECT_EQ(check_english_name("Lantern Limited Company", T::kLimitedByGuarantee).reason,
            "missing_limited_suffix");
  EXPECT_EQ(check_english_name("Lantern Limited", T::kPublicUnlimited).reason,
            "limited_suffix_for_unlimited");
  EXPECT_EQ(check_chinese_name("港燈有限公司", T::kPrivateUnlimited).reason,
            "limited_suffix_for_unlimited");
  EXPECT_TRUE(check_english_name("Lantern Holdings Inc.", T::kRegisteredNonHongKong).ok());
  EXPECT_EQ(check_english_name(" Lantern Limited", T::kPrivateLimitedByShares).reason,
            "invalid_name");
  EXPECT_EQ(check_english_name("Lantern\tLimited", T::kPrivateLimitedByShares).reason,
            "invalid_name");
  EXPECT_EQ(check_chinese_name("\xE6\xB8", T::kPrivateLimitedByShares).reason, "invalid_name");
  EXPECT_EQ(check_chinese_name("\xC0\xAF有限公司", T::kPrivateLimitedByShares).reason,
            "invalid_name");  // overlong '/'
  EXPECT_EQ(check_chinese_name("有限公司", T::kPrivateLimitedByShares).reason,
            "invalid_name");  // nothing but the suffix
  EXPECT_EQ(check_chinese_name("１２３", T::kPrivateUnlimited).reason,
            "invalid_name");  // no Chinese character
  EXPECT_EQ(check_english_name(std::string(kMaxNameSize + 1, 'a'), T::kPrivateUnlimited).reason,
            "field_too_large");
  EXPECT_EQ(check_names("", "", T::kPrivateLimitedByShares).reason, "invalid_name");
}

TEST(Dates, HongKongDaysAndMonths) {
  const Date d{2027, 2, 26};
  EXPECT_EQ(Date::from_days(d.days()), d);
  EXPECT_EQ((Date{1970, 1, 1}).days(), 0);
  EXPECT_EQ(d.to_string(), "2027-02-26");
  EXPECT_FALSE((Date{2027, 2, 29}).valid());
  EXPECT_TRUE((Date{2028, 2, 29}).valid());
  EXPECT_FALSE((Date{2100, 2, 29}).valid());
  EXPECT_TRUE((Date{2000, 2, 29}).valid());
  EXPECT_FALSE((Date{2027, 13, 1}).valid());
  EXPECT_FALSE((Date{2027, 4, 31}).valid());
  // 15:59:59.999 UTC is 23:59:59.999 in Hong Kong; 16:00 UTC is the next day.
  const std::uint64_t midnight_hk =
      static_cast<std::uint64_t>(d.days() + 1) * kMsPerDay - 8 * 3'600'000ULL;
  EXPECT_EQ(hk_day_of(midnight_hk - 1), d.days());
  EXPECT_EQ(hk_day_of(midnight_hk), d.days() + 1);
  EXPECT_EQ(add_months(Date{2028, 2, 29}, 12), (Date{2029, 2, 28}));
  EXPECT_EQ(add_months(Date{2027, 3, 31}, 6), (Date{2027, 9, 30}));
  EXPECT_EQ(add_months(Date{2027, 12, 31}, 2), (Date{2028, 2, 29}));
  EXPECT_EQ(add_months(Date{2027, 1, 15}, 240), (Date{2047, 1, 15}));
}

TEST(Commitments, OpenOnlyWithTheValueAndItsSalt) {
  Salt s{};
  s.fill(7);
  const core::Hash256 c = commit_field(s, "A1234567");
  EXPECT_TRUE(verify_field(c, s, "A1234567"));
  Salt other = s;
  other[31] ^= 1;
  EXPECT_FALSE(verify_field(c, other, "A1234567"));
  EXPECT_FALSE(verify_field(c, s, "A1234568"));
  EXPECT_FALSE(verify_field(c, s, "A123456"));
  // The tag separates it from a plain hash of the same bytes.
  Bytes plain(s.begin(), s.end());
  for (char ch : std::string("A1234567")) plain.push_back(static_cast<std::uint8_t>(ch));
  EXPECT_NE(core::sha256(plain), c);
}

}  // namespace
}  // namespace bauhinia::contracts::company
