#include "api_request.hpp"

#include <algorithm>

namespace bauhinia::node::api_request {

namespace {

bool valid_parameter_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// At most this many characters of client input are echoed in a message.
std::string shown(std::string_view text) {
  constexpr std::size_t kMaxShown = 80;
  std::string out(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) out += "...";
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One path segment, percent-decoded.
core::Checked<std::string> decode_segment(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out.push_back(raw[i]);
      continue;
    }
    const int hi = i + 2 < raw.size() ? hex_digit(raw[i + 1]) : -1;
    const int lo = i + 2 < raw.size() ? hex_digit(raw[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return core::reject(core::Reject::kBadEncoding,
                          "malformed percent-escape in path segment '" + shown(raw) + "'");
    }
    const char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') {
      return core::reject(core::Reject::kBadEncoding, "an escaped NUL in the path");
    }
    out.push_back(c);
    i += 2;
  }
  return out;
}

}  // namespace

core::Checked<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return core::reject(core::Reject::kBadEncoding, "the request target must start with '/'");
  }
  Target out;
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  std::string_view rest = path.substr(1);
  while (true) {
    if (out.segments.size() == kMaxPathSegments) {
      return core::reject(core::Reject::kTooLarge,
                          "more than " + std::to_string(kMaxPathSegments) + " path segments");
    }
    const std::size_t slash = rest.find('/');
    auto segment = decode_segment(rest.substr(0, slash));
    if (!segment) return std::move(segment).error();
    out.segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (out.segments.size() == 1 && out.segments.front().empty()) out.segments.clear();  // "/"

  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    if (!valid_parameter_name(name)) {
      return core::reject(core::Reject::kBadEncoding,
                          "malformed query parameter '" + shown(name) + "'");
    }
    for (const auto& [n, v] : out.query) {
      if (n == name) {
        return core::reject(core::Reject::kDuplicate,
                            "query parameter '" + std::string(name) + "' given twice");
      }
    }
    if (out.query.size() == kMaxQueryParameters) {
      return core::reject(core::Reject::kTooLarge,
                          "more than " + std::to_string(kMaxQueryParameters) + " query parameters");
    }
    out.query.emplace_back(name, value);
  }
  return out;
}

core::Checked<std::uint64_t> parse_u64(std::string_view text, std::string_view what) {
  const auto bad = [&] {
    return core::reject(core::Reject::kBadEncoding,
                        std::string(what) +
                            " must be a decimal number without sign or leading "
                            "zeros below 2^64, got '" +
                            shown(text) + "'");
  };
  if (text.empty() || text.size() > 20) return bad();
  if (text.size() > 1 && text.front() == '0') return bad();
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return bad();
    value = value * 10 + digit;
  }
  return value;
}

core::Checked<Query> Query::of(const Target& target,
                               std::initializer_list<std::string_view> allowed) {
  Query q;
  for (const auto& [name, value] : target.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return core::reject(
          core::Reject::kInvalid,
          "unknown query parameter '" + std::string(name) + "'" +
              (names.empty() ? " (this route takes none)" : " (this route takes: " + names + ")"));
    }
    q.params_.emplace_back(name, value);
  }
  return q;
}

std::optional<std::string_view> Query::get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

core::Checked<std::optional<std::uint64_t>> Query::u64(std::string_view name) const {
  const auto text = get(name);
  if (!text) return std::optional<std::uint64_t>{};
  auto value = parse_u64(*text, "query parameter '" + std::string(name) + "'");
  if (!value) return std::move(value).error();
  return std::optional<std::uint64_t>{*value};
}

}  // namespace bauhinia::node::api_request
