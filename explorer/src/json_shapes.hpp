#pragma once
// Internal: the JSON shapes of the explorer's index answers (docs/explorer.md,
// "JSON API"), built from verified objects only.

#include <nlohmann/json.hpp>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/lightclient/session.hpp"

namespace bauhinia::explorer::shapes {

using json = nlohmann::json;

// An indexed block: the header's fields, header_hex, and the certified height.
json block(const chain::BlockHeader& header, const lightclient::ProvenHeader& proven,
           const json& node_answer);
json transaction(const chain::Transaction& tx, const chain::TransactionInfo& info,
                 const core::Bytes& bytes, const core::Bytes& leaf, const chain::BlockHeader& in);
json transaction_summary(const json& transaction);
// {"validator_set": {...}, "validator_set_hex": "..."}
json validator_set_with_hex(const chain::ValidatorSet& set);
json validator_set(const chain::ValidatorSet& set);
// The certified checkpoint of /api/status.
json checkpoint(const lightclient::ProvenHeader& proven, const json& certified);

}  // namespace bauhinia::explorer::shapes
