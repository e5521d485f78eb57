#include "bauhinia/wallet/calls/arg_parsers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>

#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/core/bytes.hpp"

namespace bauhinia::wallet::calls {

using core::Reject;

namespace {

constexpr std::size_t kMaxShownValue = 80;
constexpr std::uint64_t kMaxHashedFileBytes = 1ULL << 30;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// Decimal digits only, no sign, no leading zero (except "0" itself).
std::optional<std::uint64_t> decimal(std::string_view s) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string range_rule(std::uint64_t min, std::uint64_t max) {
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

namespace {

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && contracts::trademark::is_leap_year(year)) return 29;
  return kDays[month - 1];
}

constexpr std::string_view kDateRule = "a date YYYY-MM-DD (a real date, years 1000 to 9999)";

core::Checked<CalendarDate> date_of(std::string_view name, std::string_view v) {
  const auto bad = [&] { return arg_error(name, Reject::kBadEncoding, kDateRule, v); };
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return bad();
  const auto y = decimal(v.substr(0, 4));
  const auto digits2 = [](std::string_view s) -> std::optional<unsigned> {
    if (s.size() != 2 || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1]))) {
      return std::nullopt;
    }
    return static_cast<unsigned>((s[0] - '0') * 10 + (s[1] - '0'));
  };
  const auto m = digits2(v.substr(5, 2));
  const auto d = digits2(v.substr(8, 2));
  if (!y || !m || !d || *y < 1000) return bad();
  CalendarDate out{static_cast<int>(*y), *m, *d};
  if (out.month < 1 || out.month > 12 || out.day < 1 ||
      out.day > days_in_month(out.year, out.month)) {
    return arg_error(name, Reject::kOutOfRange, std::string(kDateRule) + ": no such day", v);
  }
  return out;
}

core::Checked<core::Hash256> hash_file(std::string_view name, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return arg_error(name, Reject::kInvalid, "a readable file to hash", path);
  core::Sha256 h;
  std::vector<char> buf(1 << 16);
  std::uint64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    total += n;
    if (total > kMaxHashedFileBytes) {
      return arg_error(name, Reject::kTooLarge, "a file of at most 1 GiB", path);
    }
    h.update(core::ByteView{reinterpret_cast<const std::uint8_t*>(buf.data()), n});
  }
  if (in.bad()) return arg_error(name, Reject::kInvalid, "a readable file to hash", path);
  return h.finalize();
}

}  // namespace

core::Rejection arg_error(std::string_view name, Reject reason, std::string_view rule,
                          std::optional<std::string_view> got) {
  std::string detail = "--" + std::string(name) + ": " + std::string(rule);
  if (got) {
    std::string shown(got->substr(0, kMaxShownValue));
    if (got->size() > kMaxShownValue) shown += "...";
    detail += " (got '" + shown + "')";
  }
  return core::reject(reason, std::move(detail));
}

std::optional<core::Rejection> module_rule(std::string_view name,
                                           const contracts::CallResult& result) {
  if (result.ok()) return std::nullopt;
  return arg_error(name, Reject::kInvalid, result.detail + " (" + result.reason + ")");
}

std::optional<std::string_view> arg_value(const Args& args, std::string_view name) {
  auto it = args.find(name);
  if (it == args.end()) return std::nullopt;
  return std::string_view(it->second);
}

core::Checked<std::string_view> required_value(const Args& args, std::string_view name) {
  auto v = arg_value(args, name);
  if (!v) return arg_error(name, Reject::kInvalid, "required");
  return *v;
}

std::string normalised_name(std::string_view value) {
  std::string s = lower(value);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

std::string in_words(std::string_view snake_name) {
  std::string s(snake_name);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

// ---- Accounts and keys -------------------------------------------------------

core::Checked<core::AccountId> parse_account(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  static constexpr std::string_view kRule =
      "an account address (hk1... or hktest1..., Bech32m) or an account id of 64 hex digits";
  const std::string low = lower(*v);
  for (std::string_view prefix : {core::kTestnetAddressPrefix, core::kMainnetAddressPrefix}) {
    if (low.size() > prefix.size() && low.compare(0, prefix.size(), prefix) == 0 &&
        low[prefix.size()] == '1') {
      auto id = core::decode_address(prefix, *v);
      if (!id) {
        return arg_error(name, id.error().reason, std::string(kRule) + ": " + id.error().detail,
                         *v);
      }
      return *id;
    }
  }
  if (v->size() == 64 && all_hex(*v)) {
    auto id = core::AccountId::from_hex(*v);
    if (id) return *id;
  }
  return arg_error(name, Reject::kBadEncoding, kRule, *v);
}

core::Checked<std::optional<core::AccountId>> parse_optional_account(const Args& args,
                                                                     std::string_view name) {
  if (!arg_value(args, name)) return std::optional<core::AccountId>{};
  auto id = parse_account(args, name);
  if (!id) return std::move(id).error();
  return std::optional<core::AccountId>{*id};
}

core::Checked<core::schnorr::PublicKey> parse_account_key(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  auto k = core::schnorr::PublicKey::from_hex(*v);
  if (!k) {
    return arg_error(name, k.error().reason,
                     "a BIP-340 public key: 64 hex digits (" + k.error().detail + ")", *v);
  }
  return *k;
}

core::Checked<core::ed25519::PublicKey> parse_validator_key(const Args& args,
                                                            std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  auto k = core::ed25519::PublicKey::from_hex(*v);
  if (!k) {
    return arg_error(name, k.error().reason,
                     "an Ed25519 consensus public key: 64 hex digits (" + k.error().detail + ")",
                     *v);
  }
  return *k;
}

// ---- Numbers -------------------------------------------------------------------

core::Checked<std::uint64_t> u64_value(std::string_view name, std::string_view text,
                                       std::uint64_t min, std::uint64_t max) {
  auto n = decimal(text);
  if (!n) return arg_error(name, Reject::kBadEncoding, range_rule(min, max), text);
  if (*n < min || *n > max) return arg_error(name, Reject::kOutOfRange, range_rule(min, max), text);
  return *n;
}

core::Checked<std::uint64_t> parse_u64(const Args& args, std::string_view name, std::uint64_t min,
                                       std::uint64_t max) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  return u64_value(name, *v, min, max);
}

core::Checked<std::optional<std::uint64_t>> parse_optional_u64(const Args& args,
                                                               std::string_view name,
                                                               std::uint64_t min,
                                                               std::uint64_t max) {
  if (!arg_value(args, name)) return std::optional<std::uint64_t>{};
  auto n = parse_u64(args, name, min, max);
  if (!n) return std::move(n).error();
  return std::optional<std::uint64_t>{*n};
}

core::Checked<std::uint32_t> parse_u32(const Args& args, std::string_view name, std::uint32_t min,
                                       std::uint32_t max) {
  auto n = parse_u64(args, name, min, max);
  if (!n) return std::move(n).error();
  return static_cast<std::uint32_t>(*n);
}

core::Checked<std::vector<std::uint64_t>> parse_u64_list(const Args& args, std::string_view name,
                                                         std::uint64_t min, std::uint64_t max,
                                                         std::size_t max_count) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  const std::string rule = "a comma list of 1 to " + std::to_string(max_count) +
                           " whole numbers, each from " + std::to_string(min) + " to " +
                           std::to_string(max);
  std::vector<std::uint64_t> out;
  std::string_view rest = *v;
  while (true) {
    const std::size_t comma = rest.find(',');
    const auto n = decimal(trim(rest.substr(0, comma)));
    if (!n) return arg_error(name, Reject::kBadEncoding, rule, *v);
    if (*n < min || *n > max) return arg_error(name, Reject::kOutOfRange, rule, *v);
    if (out.size() == max_count) return arg_error(name, Reject::kTooLarge, rule, *v);
    out.push_back(*n);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

// ---- Dates -----------------------------------------------------------------------

std::string CalendarDate::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
  return buf;
}

core::Checked<CalendarDate> parse_date(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  return date_of(name, *v);
}

core::Checked<std::optional<CalendarDate>> parse_optional_date(const Args& args,
                                                               std::string_view name) {
  if (!arg_value(args, name)) return std::optional<CalendarDate>{};
  auto d = parse_date(args, name);
  if (!d) return std::move(d).error();
  return std::optional<CalendarDate>{*d};
}

std::optional<std::uint64_t> hong_kong_midnight_ms(const CalendarDate& d) {
  namespace tm = contracts::trademark;
  const std::int64_t days = tm::days_from_civil(tm::CivilDate{d.year, d.month, d.day});
  const std::int64_t ms = days * static_cast<std::int64_t>(tm::kDayMs) - tm::kHongKongOffsetMs;
  if (ms < 0) return std::nullopt;
  return static_cast<std::uint64_t>(ms);
}

core::Checked<std::uint64_t> parse_date_ms(const Args& args, std::string_view name) {
  auto d = parse_date(args, name);
  if (!d) return std::move(d).error();
  auto ms = hong_kong_midnight_ms(*d);
  if (!ms) {
    return arg_error(name, Reject::kOutOfRange,
                     "a date from 1970-01-02 (the register counts ms from 1970-01-01 UTC)",
                     d->to_string());
  }
  return *ms;
}

core::Checked<std::optional<std::uint64_t>> parse_optional_date_ms(const Args& args,
                                                                   std::string_view name) {
  if (!arg_value(args, name)) return std::optional<std::uint64_t>{};
  auto ms = parse_date_ms(args, name);
  if (!ms) return std::move(ms).error();
  return std::optional<std::uint64_t>{*ms};
}

// ---- Hashes ------------------------------------------------------------------------

core::Checked<std::optional<core::Hash256>> parse_optional_hash(const Args& args,
                                                                std::string_view stem) {
  const std::string hash_name = std::string(stem) + "-hash";
  const std::string file_name = std::string(stem) + "-file";
  const auto hex = arg_value(args, hash_name);
  const auto file = arg_value(args, file_name);
  if (hex && file) {
    return arg_error(hash_name, Reject::kInvalid,
                     "give either --" + hash_name + " or --" + file_name + ", not both");
  }
  if (file) {
    auto h = hash_file(file_name, std::string(*file));
    if (!h) return std::move(h).error();
    return std::optional<core::Hash256>{*h};
  }
  if (!hex) return std::optional<core::Hash256>{};
  auto h = core::Hash256::from_hex(*hex);
  if (!h || !all_hex(*hex)) {
    return arg_error(hash_name, Reject::kBadEncoding, "a SHA-256 of 64 hex digits", *hex);
  }
  return std::optional<core::Hash256>{*h};
}

core::Checked<core::Hash256> parse_hash(const Args& args, std::string_view stem) {
  auto h = parse_optional_hash(args, stem);
  if (!h) return std::move(h).error();
  if (!*h) {
    return arg_error(std::string(stem) + "-hash", Reject::kInvalid,
                     "required: a SHA-256 of 64 hex digits, or --" + std::string(stem) +
                         "-file PATH to hash a file");
  }
  return **h;
}

std::vector<ArgSpec> hash_arg_specs(std::string_view stem, std::string_view what, bool required) {
  const std::string s(stem);
  const std::string need = required ? "; this or --" + s + "-file is required" : " (optional)";
  return {ArgSpec{s + "-hash", "SHA-256 of " + std::string(what) + ", 64 hex digits" + need, false},
          ArgSpec{s + "-file",
                  "a file whose SHA-256 is " + std::string(what) + " (instead of --" + s + "-hash)",
                  false}};
}

core::Checked<Args> with_file_hashes(const Args& args) {
  static constexpr std::string_view kFile = "-file";
  Args out;
  for (const auto& [name, value] : args) {
    if (name.size() <= kFile.size() || !name.ends_with(kFile)) {
      out[name] = value;
      continue;
    }
    const std::string stem = name.substr(0, name.size() - kFile.size());
    auto h = parse_optional_hash(args, stem);
    if (!h) return std::move(h).error();
    out[stem + "-hash"] = (*h)->to_hex();
  }
  return out;
}

// ---- Text, flags and names -----------------------------------------------------------

core::Checked<std::string> text_value(std::string_view name, std::string_view text,
                                      std::size_t max_bytes) {
  const std::string rule =
      "text of 1 to " + std::to_string(max_bytes) + " bytes of UTF-8 without control characters";
  if (text.empty()) return arg_error(name, Reject::kInvalid, rule, text);
  if (text.size() > max_bytes) return arg_error(name, Reject::kTooLarge, rule, text);
  if (!contracts::company::is_clean_text(text)) {
    return arg_error(name, Reject::kBadEncoding, rule, text);
  }
  return std::string(text);
}

core::Checked<std::string> parse_text(const Args& args, std::string_view name,
                                      std::size_t max_bytes) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  return text_value(name, *v, max_bytes);
}

core::Checked<std::string> parse_optional_text(const Args& args, std::string_view name,
                                               std::size_t max_bytes) {
  if (!arg_value(args, name)) return std::string();
  return parse_text(args, name, max_bytes);
}

core::Checked<bool> parse_flag(const Args& args, std::string_view name) {
  auto v = arg_value(args, name);
  if (!v) return false;
  const std::string s = lower(*v);
  if (s.empty() || s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  return arg_error(name, Reject::kBadEncoding, "a flag: give it alone, or true / false", *v);
}

core::Checked<std::string> parse_department(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  const bool ok = v->size() >= 2 && v->size() <= 16 &&
                  std::all_of(v->begin(), v->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!ok) {
    return arg_error(name, Reject::kBadEncoding,
                     "a department code: 2 to 16 upper-case letters (IPD, CR, DH, EPD)", *v);
  }
  return std::string(*v);
}

}  // namespace bauhinia::wallet::calls
