#pragma once
// The co-signers of a co-signed call (contracts/cosignature.hpp), read from
// its payload with the module's own payload type: trademark assign,
// record_licence, record_security_interest; drugs transfer, return_recalled;
// environment transfer_permit. For /api/tx/{id} (docs/explorer.md).

#include <nlohmann/json.hpp>
#include <string_view>

#include "bauhinia/core/bytes.hpp"

namespace bauhinia::explorer {

// [{"account": hex, "key": hex}, ...] in payload order. Empty for a call that
// is not co-signed and for a payload that does not decode (never throws on
// hostile bytes: the page shows what the chain holds, it does not judge it).
nlohmann::json cosigners_of(std::string_view module, std::string_view call, core::ByteView payload);

}  // namespace bauhinia::explorer
