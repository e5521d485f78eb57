#include "api_json.hpp"

#include "bauhinia/core/encoding.hpp"

namespace bauhinia::node::api_json {

namespace {

json hash_list(const std::vector<core::Hash256>& hashes) {
  json out = json::array();
  for (const auto& h : hashes) out.push_back(h.to_hex());
  return out;
}

}  // namespace

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json header(const chain::BlockHeader& h) {
  return json{
      {"version", h.version},
      {"epoch", h.epoch},
      {"height", h.height},
      {"round", h.round},
      {"parent_hash", h.parent_hash.to_hex()},
      {"timestamp_ms", h.timestamp_ms},
      {"proposer", h.proposer.to_hex()},
      {"transactions_root", h.transactions_root.to_hex()},
      {"accumulator_root", h.accumulator_root.to_hex()},
      {"accumulator_size", h.accumulator_size},
      {"state_root", h.state_root.to_hex()},
      {"validator_set_hash", h.validator_set_hash.to_hex()},
      {"next_validator_set_hash", h.next_validator_set_hash.to_hex()},
      {"id", h.id().to_hex()},
  };
}

json ledger_info(const chain::LedgerInfo& li) {
  return json{
      {"version", li.version},
      {"chain_id", li.chain_id},
      {"epoch", li.epoch},
      {"round", li.round},
      {"commit_block", li.commit_block.to_hex()},
      {"commit_height", li.commit_height},
      {"consensus_data_hash", li.consensus_data_hash.to_hex()},
      {"signing_hash", li.signing_hash().to_hex()},
  };
}

json certificate(const chain::QuorumCertificate& qc) {
  json signatures = json::array();
  for (const auto& s : qc.signatures) signatures.push_back(s.to_hex());
  return json{
      {"ledger_info", ledger_info(qc.ledger_info)},
      {"ledger_info_hex", hex(core::encode(qc.ledger_info))},
      {"signer_bitmap_hex", hex(qc.signer_bitmap)},
      {"signers", qc.signer_indices()},
      {"signatures", std::move(signatures)},
  };
}

json validator_set(const chain::ValidatorSet& set) {
  json validators = json::array();
  for (const auto& v : set.validators) {
    validators.push_back(
        json{{"key", v.key.to_hex()}, {"voting_power", v.voting_power}, {"name", v.name}});
  }
  return json{
      {"version", set.version},
      {"epoch", set.epoch},
      {"hash", set.hash().to_hex()},
      {"total_power", set.total_power()},
      {"quorum_power", set.quorum_power()},
      {"validators", std::move(validators)},
  };
}

json transaction_info(const chain::TransactionInfo& info) {
  return json{
      {"format", info.format},
      {"version", info.version},
      {"transaction_id", info.transaction_id.to_hex()},
      {"outcome", std::string(chain::tx_outcome_name(info.outcome))},
      {"state_changes_hash", info.state_changes_hash.to_hex()},
      {"events_hash", info.events_hash.to_hex()},
  };
}

json transaction(const chain::Transaction& tx) {
  return json{
      {"version", tx.version},
      {"chain_id", tx.chain_id},
      {"sender", tx.sender.to_hex()},
      {"public_key", tx.public_key.to_hex()},
      {"sequence", tx.sequence},
      {"expiry_ms", tx.expiry_ms},
      {"module", tx.module},
      {"call", tx.call},
      {"payload_hex", hex(tx.payload)},
      {"signature", tx.signature.to_hex()},
      {"signing_hash", tx.signing_hash().to_hex()},
  };
}

json inclusion_proof(const chain::InclusionProof& proof) {
  return json{
      {"leaf_index", proof.leaf_index},
      {"tree_size", proof.tree_size},
      {"path", hash_list(proof.path)},
  };
}

json consistency_proof(const chain::ConsistencyProof& proof) {
  return json{
      {"first", proof.first},
      {"second", proof.second},
      {"path", hash_list(proof.path)},
  };
}

json state_proof(const chain::SparseMerkleProof& proof) {
  json leaf = nullptr;
  if (proof.leaf) {
    leaf = json{{"key", proof.leaf->key.to_hex()}, {"value_hash", proof.leaf->value_hash.to_hex()}};
  }
  return json{
      {"version", proof.version},
      {"siblings", hash_list(proof.siblings)},
      {"leaf", std::move(leaf)},
  };
}

json epoch_change(const chain::EpochChange& change) {
  return json{
      {"epoch", change.header.epoch},
      {"header", header(change.header)},
      {"header_hex", hex(core::encode(change.header))},
      {"commit_certificate", certificate(change.commit_certificate)},
      {"commit_certificate_hex", hex(core::encode(change.commit_certificate))},
      {"next_validator_set", validator_set(change.next_set)},
      {"next_validator_set_hex", hex(core::encode(change.next_set))},
  };
}

}  // namespace bauhinia::node::api_json
