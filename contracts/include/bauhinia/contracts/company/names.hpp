#pragma once
// Company names: validation (English or Chinese, never mixed in one name;
// the suffix a company's type requires) and the normalisation the Registry
// applies before comparing a proposed name with the names on the register
// (Cap. 622 s.100-101 and the Registry's guideline on "same as" names).

#include <string>
#include <string_view>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::company {

// English: lower case; "&" read as "and"; every run of spaces and
// punctuation removed (words joined); a leading "the" dropped; "hk" read as
// "hong kong"; a final "limited" or "ltd" dropped. "The A&B (HK) Ltd." and
// "a and b hong kong limited" both give "aandbhongkong".
std::string normalise_english(std::string_view name);
// Chinese: spaces and punctuation (ASCII and full-width) removed; a final
// "有限公司" dropped.
std::string normalise_chinese(std::string_view name);

// Checks one name: well-formed UTF-8 within kMaxNameSize; an English name is
// printable ASCII with a letter; a Chinese name has a CJK character and no
// Latin letter; a limited company's name ends in "Limited" / "有限公司", an
// unlimited company's does not. Reasons: invalid_name, mixed_language_name,
// missing_limited_suffix, limited_suffix_for_unlimited, field_too_large.
CallResult check_english_name(std::string_view name, CompanyType type);
CallResult check_chinese_name(std::string_view name, CompanyType type);
// Text fields (offices, addresses, officers' names): well-formed UTF-8
// without control characters.
bool is_clean_text(std::string_view s);

// At least one of the two, each checked.
CallResult check_names(std::string_view name_en, std::string_view name_zh, CompanyType type);

}  // namespace bauhinia::contracts::company
