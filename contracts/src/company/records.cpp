#include "bauhinia/contracts/company/records.hpp"

#include <array>
#include <string>

namespace bauhinia::contracts::company {

namespace {

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Bytes with_kind(std::uint8_t kind, std::string_view rest) {
  Bytes k{kind};
  k.insert(k.end(), rest.begin(), rest.end());
  return k;
}

void put_u32_be(Bytes& k, std::uint32_t v) {
  k.push_back(static_cast<std::uint8_t>(v >> 24));
  k.push_back(static_cast<std::uint8_t>(v >> 16));
  k.push_back(static_cast<std::uint8_t>(v >> 8));
  k.push_back(static_cast<std::uint8_t>(v));
}

Bytes text_bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

constexpr std::array<std::string_view, 6> kTypeNames = {
    "private_limited_by_shares", "public_limited_by_shares", "limited_by_guarantee",
    "private_unlimited",         "public_unlimited",         "registered_non_hong_kong"};
constexpr std::array<std::string_view, 8> kStatusNames = {"live",
                                                          "deregistration_applied",
                                                          "deregistration_gazetted",
                                                          "strike_off_inquiry",
                                                          "strike_off_gazetted",
                                                          "deregistered",
                                                          "struck_off",
                                                          "dissolved"};
constexpr std::array<std::string_view, 5> kForms = {"NNC1", "NAR1", "ND2A", "NR1", "NNC2"};

}  // namespace

core::Checked<std::string> canonical_cr_number(std::string_view text) {
  const auto bad = [&](const char* why) {
    return core::reject(core::Reject::kBadEncoding,
                        std::string("not a CR number (") + why + "): '" +
                            std::string(text.substr(0, kMaxNumberInputSize)) + "'");
  };
  std::string out;
  if (!text.empty() && text.front() == 'F') {
    const std::string_view digits = text.substr(1);
    if (digits.size() != 7 || !all_digits(digits)) return bad("F then 7 digits");
    out = std::string(text);
  } else if (text.size() == 8) {
    if (!all_digits(text) || text.front() != '0') return bad("8 digits must begin with 0");
    out = std::string(text.substr(1));
  } else if (text.size() == 7) {
    if (!all_digits(text)) return bad("7 digits");
    out = std::string(text);
  } else {
    return bad("7 digits, 0 and 7 digits, or F and 7 digits");
  }
  if (out.find_first_not_of("F0") == std::string::npos) return bad("all zero");
  return out;
}

bool is_valid_cr_number(std::string_view text) {
  return canonical_cr_number(text).has_value();
}

// ---- Dates (proleptic Gregorian; H. Hinnant's days_from_civil) --------------------

bool Date::valid() const {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  constexpr std::array<std::uint8_t, 12> kLength = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const std::uint8_t length = month == 2 && leap ? 29 : kLength[month - 1];
  return day <= length;
}

std::int64_t Date::days() const {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t m = month;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp + (mp < 10 ? 3 : -9);
  return Date{static_cast<std::uint16_t>(y + (m <= 2 ? 1 : 0)), static_cast<std::uint8_t>(m),
              static_cast<std::uint8_t>(d)};
}

std::string Date::to_string() const {
  std::string s(10, '0');
  s[0] = static_cast<char>('0' + year / 1000 % 10);
  s[1] = static_cast<char>('0' + year / 100 % 10);
  s[2] = static_cast<char>('0' + year / 10 % 10);
  s[3] = static_cast<char>('0' + year % 10);
  s[4] = '-';
  s[5] = static_cast<char>('0' + month / 10);
  s[6] = static_cast<char>('0' + month % 10);
  s[7] = '-';
  s[8] = static_cast<char>('0' + day / 10);
  s[9] = static_cast<char>('0' + day % 10);
  return s;
}

std::int64_t hk_day_of(std::uint64_t timestamp_ms) {
  constexpr std::uint64_t kHongKongOffsetMs = 8ULL * 3'600'000ULL;  // UTC+8, no DST
  return static_cast<std::int64_t>((timestamp_ms + kHongKongOffsetMs) /
                                   static_cast<std::uint64_t>(kMsPerDay));
}

Date add_months(const Date& d, std::int64_t months) {
  const std::int64_t total = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) + months;
  const auto year = static_cast<std::uint16_t>(total / 12);
  const auto month = static_cast<std::uint8_t>(total % 12 + 1);
  Date out{year, month, d.day};
  while (out.day > 28 && !out.valid()) out.day = static_cast<std::uint8_t>(out.day - 1);
  return out;
}

// ---- Names of enums -----------------------------------------------------------------

std::string_view type_name(CompanyType t) {
  return kTypeNames[static_cast<std::size_t>(t)];
}

bool is_limited(CompanyType t) {
  return t == CompanyType::kPrivateLimitedByShares || t == CompanyType::kPublicLimitedByShares ||
         t == CompanyType::kLimitedByGuarantee;
}

std::string_view status_name(CompanyStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<CompanyStatus> status_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<CompanyStatus>(i);
  }
  return std::nullopt;
}

bool is_live_status(CompanyStatus s) {
  return s != CompanyStatus::kDeregistered && s != CompanyStatus::kStruckOff &&
         s != CompanyStatus::kDissolved;
}

std::string_view filing_form(FilingKind k) {
  return kForms[static_cast<std::size_t>(k)];
}

// ---- Keys ---------------------------------------------------------------------------

Bytes company_key(std::string_view n) {
  return with_kind(kCompanyKind, n);
}
Bytes name_key(std::string_view normalised) {
  return with_kind(kNameKind, normalised);
}

Bytes filing_key(std::string_view n, std::uint32_t seq) {
  Bytes k = with_kind(kFilingKind, n);
  put_u32_be(k, seq);
  return k;
}

Bytes officer_key(std::string_view n, std::uint32_t id) {
  Bytes k = with_kind(kOfficerKind, n);
  put_u32_be(k, id);
  return k;
}

Bytes filings_list_name(std::string_view n) {
  return text_bytes("filings/" + std::string(n));
}
Bytes officers_list_name(std::string_view n) {
  return text_bytes("officers/" + std::string(n));
}

Bytes due_list_name(std::int64_t year, std::int64_t month) {
  const std::string ym = Date{static_cast<std::uint16_t>(year), static_cast<std::uint8_t>(month), 1}
                             .to_string()
                             .substr(0, 7);
  return text_bytes("due/" + ym);
}

Bytes status_list_name(CompanyStatus s) {
  return text_bytes("status/" + std::string(status_name(s)));
}

std::optional<CompanyRecord> load_company(const StateView& state, std::string_view number) {
  auto canonical = canonical_cr_number(number);
  if (!canonical) return std::nullopt;
  auto bytes = state.read(kModuleName, company_key(*canonical));
  if (!bytes) return std::nullopt;
  auto record = core::decode<CompanyRecord>(*bytes);
  if (!record) return std::nullopt;
  return std::move(*record);
}

// ---- Commitments --------------------------------------------------------------------

core::Hash256 commit_field(const Salt& salt, std::string_view value) {
  Bytes message(salt.begin(), salt.end());
  message.insert(message.end(), value.begin(), value.end());
  return core::tagged_hash(core::HashTag::kCommitment, message);
}

bool verify_field(const core::Hash256& commitment, const Salt& salt, std::string_view value) {
  return commit_field(salt, value) == commitment;
}

}  // namespace bauhinia::contracts::company
