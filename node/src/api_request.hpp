#pragma once
// Parsing of request targets for the API routes: the path split into
// segments, each percent-decoded (RFC 3986: a company name with spaces or
// Chinese characters in a query path arrives as %E6%B8%AF...; a decoded '/'
// stays inside its segment), the query string into parameters (not decoded:
// every parameter value is a decimal number or hex), and strict decimal
// numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/core/status.hpp"

namespace bauhinia::node::api_request {

inline constexpr std::size_t kMaxPathSegments = 32;
inline constexpr std::size_t kMaxQueryParameters = 8;

struct Target {
  std::vector<std::string> segments;  // "/v1/blocks/7" -> {"v1", "blocks", "7"}, decoded
  std::vector<std::pair<std::string_view, std::string_view>> query;  // in order, unique keys
};

// The query views into `target`, which must outlive the result. Rejects a
// target that does not start with '/', more than kMaxPathSegments segments, a
// malformed percent-escape or an escaped NUL in the path, a malformed or
// repeated query parameter, more than kMaxQueryParameters of them.
core::Checked<Target> parse_target(std::string_view target);

// A decimal number without sign, spaces or leading zeros, fitting in 64 bits.
core::Checked<std::uint64_t> parse_u64(std::string_view text, std::string_view what);

// The query parameters of one route: only `allowed` names may appear.
class Query {
 public:
  static core::Checked<Query> of(const Target& target,
                                 std::initializer_list<std::string_view> allowed);
  std::optional<std::string_view> get(std::string_view name) const;
  // The parameter as a number, nullopt when absent, a rejection when malformed.
  core::Checked<std::optional<std::uint64_t>> u64(std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> params_;
};

}  // namespace bauhinia::node::api_request
