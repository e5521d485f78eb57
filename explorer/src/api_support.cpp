#include "api_support.hpp"

#include <charconv>

namespace bauhinia::explorer::api_support {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view in, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_digit(in[i + 1]);
      const int lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

}  // namespace

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target[0] != '/' || target.size() > kMaxTargetBytes) return std::nullopt;
  Target t;
  const auto q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  auto path = decode(raw_path, false);
  if (!path) return std::nullopt;
  t.path = *path;
  std::string_view rest = raw_path.substr(1);
  while (true) {
    const auto slash = rest.find('/');
    auto seg = decode(rest.substr(0, slash), false);
    if (!seg) return std::nullopt;
    t.segments.push_back(std::move(*seg));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const auto eq = pair.find('=');
      auto key = decode(pair.substr(0, eq), true);
      auto value = decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (!key || !value || key->empty()) return std::nullopt;
      if (t.query.size() >= 8 || !t.query.emplace(std::move(*key), std::move(*value)).second) {
        return std::nullopt;
      }
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  return t;
}

HttpResponse error(unsigned status, std::string_view code, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = json{{"error", {{"code", code}, {"message", message}}}}.dump();
  return r;
}

HttpResponse answer(const json& body, unsigned status) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 20) return std::nullopt;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

U64Param u64_param(const Target& t, const char* name) {
  auto it = t.query.find(name);
  if (it == t.query.end()) return {};
  auto v = parse_u64(it->second);
  if (!v)
    return {std::nullopt, error(400, "bad_request", std::string(name) + ": a number expected")};
  return {v, std::nullopt};
}

}  // namespace bauhinia::explorer::api_support
