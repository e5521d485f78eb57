#pragma once
// Records as people read them: the fields of the records the wallet knows
// (accounts, trade marks, companies, governance proposals, health, drugs and environment records),
// decoded from the node's value bytes. The bytes are the proven data; these rows only show them.

#include <optional>

#include <nlohmann/json.hpp>
#include <string_view>

#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/wallet/context.hpp"
#include "output.hpp"

namespace bauhinia::wallet {

// The record's fields, or nullopt when the wallet has no view of this record
// kind (or the value does not decode as it): the caller prints the hex.
std::optional<Rows> describe_record(const Context& ctx, std::string_view module,
                                    core::ByteView record_key, core::ByteView value);

// The drugs and environment registers' records (register_views.cpp), by the
// record key's kind byte; nullopt for other modules and kinds.
std::optional<Rows> describe_register_record(const Context& ctx, std::string_view module,
                                             std::uint8_t kind, core::ByteView value);

// A health record's fields (type, issuer, subject, commitment, times, status,
// revocation and erasure).
Rows health_record_rows(const Context& ctx, const contracts::health::HealthRecord& r);

// Prints a /v1/query or /v1/state answer for people: the record's fields (or
// its value in hex), the height it is proven at, and one line per listed record.
void print_record(const Context& ctx, const nlohmann::json& answer);

}  // namespace bauhinia::wallet
