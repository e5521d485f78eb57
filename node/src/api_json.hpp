#pragma once
// JSON forms of the chain's objects for the HTTP API (docs/api/openapi.yaml).
// JSON is for reading only: every object that is hashed or signed is also
// served as the hex of its canonical encoding (the *_hex fields), which is
// what a verifier checks. Hashes, keys and signatures are lower-case hex;
// integers are exact 64-bit JSON numbers.

#include <string>

#include <nlohmann/json.hpp>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/bytes.hpp"

namespace bauhinia::node::api_json {

using json = nlohmann::json;

// Serialises without throwing: invalid UTF-8 in a string is replaced (U+FFFD).
std::string dump(const json& value);

inline std::string hex(core::ByteView bytes) {
  return core::to_hex(bytes);
}

json header(const chain::BlockHeader& h);
json ledger_info(const chain::LedgerInfo& li);
json certificate(const chain::QuorumCertificate& qc);
json validator_set(const chain::ValidatorSet& set);
json transaction_info(const chain::TransactionInfo& info);
json transaction(const chain::Transaction& tx);
json inclusion_proof(const chain::InclusionProof& proof);
json consistency_proof(const chain::ConsistencyProof& proof);
json state_proof(const chain::SparseMerkleProof& proof);
json epoch_change(const chain::EpochChange& change);

}  // namespace bauhinia::node::api_json
