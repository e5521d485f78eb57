#pragma once
// Records as people read them: the fields of the records the wallet knows
// (accounts, trade marks, companies, governance proposals), decoded from the
// node's value bytes. The bytes are the proven data; these rows only show them.

#include <optional>

#include <nlohmann/json.hpp>
#include <string_view>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/wallet/context.hpp"
#include "output.hpp"

namespace bauhinia::wallet {

// The record's fields, or nullopt when the wallet has no view of this record
// kind (or the value does not decode as it): the caller prints the hex.
std::optional<Rows> describe_record(const Context& ctx, std::string_view module,
                                    core::ByteView record_key, core::ByteView value);

// Prints a /v1/query or /v1/state answer for people: the record's fields (or
// its value in hex), the height it is proven at, and one line per listed record.
void print_record(const Context& ctx, const nlohmann::json& answer);

}  // namespace bauhinia::wallet
