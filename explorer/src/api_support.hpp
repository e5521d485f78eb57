#pragma once
// Internal to the API: request parsing and answers.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/explorer/api.hpp"

namespace bauhinia::explorer::api_support {

struct Target {
  std::vector<std::string> segments;  // the path's segments, percent-decoded
  std::map<std::string, std::string, std::less<>> query;
  std::string path;  // the decoded path
};

// Refused (nullopt) when malformed: bad percent-encoding, a NUL, more than
// 8 query parameters or a repeated one.
std::optional<Target> parse_target(std::string_view target);

HttpResponse error(unsigned status, std::string_view code, std::string_view message);
HttpResponse answer(const json& body, unsigned status = 200);

// A query parameter as an unsigned number: nullopt when absent; an error
// response when malformed.
struct U64Param {
  std::optional<std::uint64_t> value;
  std::optional<HttpResponse> bad;
};
U64Param u64_param(const Target& t, const char* name);
std::optional<std::uint64_t> parse_u64(std::string_view text);

// The proof routes (api_proofs.cpp).
HttpResponse proof_route(Follower& follower, const Target& t);

}  // namespace bauhinia::explorer::api_support
