#include "bauhinia/chain/light_client.hpp"

#include <string>

#include "bauhinia/chain/epoch_proof.hpp"

namespace bauhinia::chain {

namespace {

core::Rejection bad_proof(std::string detail) {
  return core::reject(core::Reject::kBadProof, std::move(detail));
}

core::Verdict prefixed(const char* what, core::Verdict v) {
  if (v) return v;
  const core::Rejection& r = v.rejection();
  return core::reject(r.reason, std::string(what) + r.detail);
}

}  // namespace

core::Verdict verify_certified_header(const CertifiedHeader& c, const ValidatorSet& set,
                                      std::string_view chain_id) {
  if (c.descendants.size() > kMaxCertifiedDescendants) {
    return core::reject(core::Reject::kTooLarge,
                        "certified header: " + std::to_string(c.descendants.size()) +
                            " descendant headers (at most " +
                            std::to_string(kMaxCertifiedDescendants) + ")");
  }
  const BlockHeader* last = &c.header;
  for (const BlockHeader& child : c.descendants) {
    if (child.parent_hash != last->id() || child.height != last->height + 1) {
      return bad_proof("certified header: the descendant at height " +
                       std::to_string(child.height) + " does not follow the header at height " +
                       std::to_string(last->height));
    }
    last = &child;
  }
  return prefixed("certified header: ",
                  verify_committed_header(*last, c.commit_certificate, set, chain_id));
}

core::Verdict verify_transaction(const BlockHeader& trusted, const Hash256& transaction_id,
                                 const TransactionInfo& info, const InclusionProof& proof) {
  if (core::Verdict v = info.validate(); !v) return v;
  if (info.transaction_id != transaction_id) {
    return bad_proof("transaction proof: the leaf names transaction " +
                     info.transaction_id.to_hex() + ", not " + transaction_id.to_hex());
  }
  if (proof.tree_size != trusted.accumulator_size) {
    return bad_proof("transaction proof: the proof is for a tree of " +
                     std::to_string(proof.tree_size) + " leaves, the header's accumulator has " +
                     std::to_string(trusted.accumulator_size));
  }
  if (proof.leaf_index != info.version) {
    return bad_proof("transaction proof: the proof is for leaf " +
                     std::to_string(proof.leaf_index) + ", the transaction's version is " +
                     std::to_string(info.version));
  }
  return prefixed("transaction proof: ",
                  verify_inclusion(info.leaf_hash(), proof, trusted.accumulator_root));
}

core::Verdict verify_transaction(const CertifiedHeader& certified, const ValidatorSet& set,
                                 std::string_view chain_id, const Hash256& transaction_id,
                                 const TransactionInfo& info, const InclusionProof& proof) {
  if (core::Verdict v = verify_certified_header(certified, set, chain_id); !v) return v;
  return verify_transaction(certified.header, transaction_id, info, proof);
}

core::Verdict verify_state_record(const BlockHeader& trusted, std::string_view module,
                                  ByteView record_key, const std::optional<ByteView>& value,
                                  const SparseMerkleProof& proof) {
  auto key = state_key(module, record_key);
  if (!key) return std::move(key).error();
  return verify_state_proof(trusted.state_root, *key, value, proof);
}

core::Verdict verify_state_record(const CertifiedHeader& certified, const ValidatorSet& set,
                                  std::string_view chain_id, std::string_view module,
                                  ByteView record_key, const std::optional<ByteView>& value,
                                  const SparseMerkleProof& proof) {
  if (core::Verdict v = verify_certified_header(certified, set, chain_id); !v) return v;
  return verify_state_record(certified.header, module, record_key, value, proof);
}

}  // namespace bauhinia::chain
