#pragma once
// Small helpers for the people's output (tables of "field  value" lines) and
// for the numbers and addresses commands read.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::wallet {

using Rows = std::vector<std::pair<std::string, std::string>>;

// "field   value" lines, the fields padded to one column.
void print_rows(std::ostream& out, const Rows& rows);

// A JSON scalar as text ("" for null, numbers as numbers, strings unquoted).
std::string text_of(const nlohmann::json& j);

// A UTC timestamp "2026-12-07 01:02:03 UTC" of Unix milliseconds.
std::string utc_time(std::uint64_t unix_ms);
std::uint64_t now_ms();

// A decimal u64 (no sign, no spaces), or nullopt.
std::optional<std::uint64_t> parse_u64(std::string_view text);

// An account given as an address of the chain (prefix `prefix`) or as 64 hex digits.
core::Checked<core::AccountId> parse_account(std::string_view prefix, std::string_view text);

}  // namespace bauhinia::wallet
