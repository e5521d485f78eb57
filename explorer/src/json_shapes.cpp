#include "json_shapes.hpp"

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::explorer::shapes {

json block(const chain::BlockHeader& h, const lightclient::ProvenHeader& proven,
           const json& node_answer) {
  return json{
      {"height", h.height},
      {"block_id", h.id().to_hex()},
      {"epoch", h.epoch},
      {"round", h.round},
      {"timestamp_ms", h.timestamp_ms},
      {"proposer", h.proposer.to_hex()},
      {"parent_hash", h.parent_hash.to_hex()},
      {"state_root", h.state_root.to_hex()},
      {"accumulator_root", h.accumulator_root.to_hex()},
      {"accumulator_size", h.accumulator_size},
      {"transactions_root", h.transactions_root.to_hex()},
      {"validator_set_hash", h.validator_set_hash.to_hex()},
      {"next_validator_set_hash", h.next_validator_set_hash.to_hex()},
      {"header_hex", core::to_hex(core::encode(h))},
      {"certified_height", h.height == 0 ? 0 : proven.certified_height},
      {"signers", proven.signers},
      {"first_index", node_answer.value("first_index", std::uint64_t{0})},
      {"transaction_count", node_answer.value("transaction_count", std::uint64_t{0})},
  };
}

json transaction(const chain::Transaction& tx, const chain::TransactionInfo& info,
                 const core::Bytes& bytes, const core::Bytes& leaf, const chain::BlockHeader& in) {
  return json{
      {"id", info.transaction_id.to_hex()},
      {"height", in.height},
      {"index", info.version},
      {"block_id", in.id().to_hex()},
      {"timestamp_ms", in.timestamp_ms},
      {"module", tx.module},
      {"call", tx.call},
      {"sender", tx.sender.to_hex()},
      {"public_key", tx.public_key.to_hex()},
      {"sequence", tx.sequence},
      {"expiry_ms", tx.expiry_ms},
      {"chain_id", tx.chain_id},
      {"outcome", std::string(chain::tx_outcome_name(info.outcome))},
      {"payload_hex", core::to_hex(tx.payload)},
      {"transaction_hex", core::to_hex(bytes)},
      {"leaf_hex", core::to_hex(leaf)},
  };
}

json transaction_summary(const json& t) {
  json out = json::object();
  for (const char* k :
       {"id", "index", "height", "module", "call", "sender", "sequence", "outcome"}) {
    out[k] = t.at(k);
  }
  return out;
}

json validator_set(const chain::ValidatorSet& set) {
  json validators = json::array();
  for (const auto& v : set.validators) {
    validators.push_back(
        json{{"name", v.name}, {"key", v.key.to_hex()}, {"voting_power", v.voting_power}});
  }
  return json{{"version", set.version},
              {"epoch", set.epoch},
              {"hash", set.hash().to_hex()},
              {"total_power", set.total_power()},
              {"quorum_power", set.quorum_power()},
              {"validators", std::move(validators)}};
}

json validator_set_with_hex(const chain::ValidatorSet& set) {
  return json{{"validator_set", validator_set(set)},
              {"validator_set_hex", core::to_hex(core::encode(set))}};
}

json checkpoint(const lightclient::ProvenHeader& proven, const json& certified) {
  const chain::BlockHeader& h = proven.header;
  return json{
      {"height", h.height},
      {"epoch", h.epoch},
      {"block_id", h.id().to_hex()},
      {"timestamp_ms", h.timestamp_ms},
      {"state_root", h.state_root.to_hex()},
      {"accumulator_size", h.accumulator_size},
      {"header_hex", core::to_hex(core::encode(h))},
      {"certified_height", h.height == 0 ? 0 : proven.certified_height},
      {"commit_certificate_hex", certified.value("commit_certificate_hex", json(nullptr))},
      {"descendant_headers_hex", certified.value("descendant_headers_hex", json::array())},
      {"signers", proven.signers},
  };
}

}  // namespace bauhinia::explorer::shapes
