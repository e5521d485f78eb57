#include "output.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>

namespace bauhinia::wallet {

void print_rows(std::ostream& out, const Rows& rows) {
  std::size_t width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, k.size());
  for (const auto& [k, v] : rows) {
    out << k << std::string(width - k.size() + 2, ' ') << v << "\n";
  }
}

std::string text_of(const nlohmann::json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

std::string utc_time(std::uint64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  if (text.empty() || text.size() > 20) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

core::Checked<core::AccountId> parse_account(std::string_view prefix, std::string_view text) {
  if (text.size() == 2 * core::AccountId::kSize) {
    if (auto hex = core::AccountId::from_hex(text)) return hex;
  }
  auto a = core::decode_address(prefix, text);
  if (!a) {
    return core::reject(a.error().reason, "'" + std::string(text.substr(0, 100)) +
                                              "' is neither an address of this chain (" +
                                              std::string(prefix) +
                                              "1...) nor 64 hex digits: " + a.error().detail);
  }
  return a;
}

}  // namespace bauhinia::wallet
