#include "bauhinia/chain/state_proof.hpp"

#include <string>

namespace bauhinia::chain {

namespace {

core::Rejection bad_proof(std::string detail) {
  return core::reject(core::Reject::kBadProof, "state proof: " + std::move(detail));
}

bool valid_module_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

// Number of leading bits two keys share (256 when equal).
std::size_t common_prefix_bits(const Hash256& a, const Hash256& b) {
  for (std::size_t i = 0; i < Hash256::kSize; ++i) {
    const unsigned diff = static_cast<unsigned>(a.bytes()[i] ^ b.bytes()[i]);
    if (diff != 0) {
      std::size_t bits = 8 * i;
      for (unsigned mask = 0x80; (diff & mask) == 0; mask >>= 1) ++bits;
      return bits;
    }
  }
  return kStateKeyBits;
}

}  // namespace

core::Checked<Hash256> state_key(std::string_view module, ByteView record_key) {
  if (module.empty() || module.size() > kMaxStateModuleNameSize) {
    return core::reject(core::Reject::kTooLarge, "state key: module name must be 1.." +
                                                     std::to_string(kMaxStateModuleNameSize) +
                                                     " bytes, got " +
                                                     std::to_string(module.size()));
  }
  for (const char ch : module) {
    if (!valid_module_char(ch)) {
      return core::reject(core::Reject::kBadEncoding,
                          "state key: module name may hold only a-z, 0-9, '_' and '-'");
    }
  }
  if (record_key.size() > kMaxStateRecordKeySize) {
    return core::reject(core::Reject::kTooLarge,
                        "state key: record key of " + std::to_string(record_key.size()) +
                            " bytes exceeds " + std::to_string(kMaxStateRecordKeySize));
  }
  core::Writer w(module.size() + record_key.size() + 8);
  w.bytes(core::as_bytes(module));
  w.bytes(record_key);
  return core::tagged_hash(core::HashTag::kStateKey, w.data());
}

Hash256 state_value_hash(ByteView value) {
  return core::tagged_hash(core::HashTag::kStateValue, value);
}

Hash256 state_leaf_hash(const Hash256& key, const Hash256& value_hash) {
  return core::tagged_hasher(core::HashTag::kStateLeaf)
      .update(key.view())
      .update(value_hash.view())
      .finalize();
}

Hash256 state_internal_hash(const Hash256& left, const Hash256& right) {
  return core::tagged_hasher(core::HashTag::kStateInternal)
      .update(left.view())
      .update(right.view())
      .finalize();
}

core::Verdict SparseMerkleProof::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "state proof version " + std::to_string(version) + " is not supported");
  }
  if (siblings.size() > kMaxStateProofSiblings) {
    return core::reject(core::Reject::kTooLarge, "state proof: more than 256 siblings");
  }
  return core::Verdict::accept();
}

core::Verdict verify_state_proof(const Hash256& root, const Hash256& key,
                                 const std::optional<ByteView>& value,
                                 const SparseMerkleProof& proof) {
  if (!value) return verify_state_proof_by_hash(root, key, std::nullopt, proof);
  if (value->size() > kMaxStateValueSize) {
    return core::reject(core::Reject::kTooLarge,
                        "state proof: value of " + std::to_string(value->size()) +
                            " bytes exceeds " + std::to_string(kMaxStateValueSize));
  }
  return verify_state_proof_by_hash(root, key, state_value_hash(*value), proof);
}

core::Verdict verify_state_proof_by_hash(const Hash256& root, const Hash256& key,
                                         const std::optional<Hash256>& value_hash,
                                         const SparseMerkleProof& proof) {
  if (core::Verdict v = proof.validate(); !v) return v;
  const std::size_t depth = proof.siblings.size();

  if (value_hash) {
    if (!proof.leaf) return bad_proof("inclusion claimed but the path ends in an empty subtree");
    if (proof.leaf->key != key) return bad_proof("inclusion claimed but the leaf has another key");
    if (proof.leaf->value_hash != *value_hash) return bad_proof("the leaf holds another value");
  } else if (proof.leaf) {
    if (proof.leaf->key == key) return bad_proof("non-inclusion claimed but the key is present");
    // The other record must sit where the searched key would be: its path
    // (its key's first `depth` bits) is the searched key's path.
    if (common_prefix_bits(proof.leaf->key, key) < depth) {
      return bad_proof("the leaf is not on the searched key's path");
    }
  }
  // The node the path ends in is a leaf or an empty subtree; its sibling can
  // never be empty, or the two would have collapsed into their parent.
  if (depth > 0 && proof.siblings.front() == state_placeholder_hash()) {
    return bad_proof("the lowest sibling is an empty subtree (non-canonical path)");
  }

  Hash256 current = proof.leaf ? proof.leaf->hash() : state_placeholder_hash();
  for (std::size_t i = 0; i < depth; ++i) {
    const std::size_t level = depth - 1 - i;  // bit of the key that chooses the side here
    const Hash256& sibling = proof.siblings[i];
    current = key.bit(static_cast<unsigned>(level)) ? state_internal_hash(sibling, current)
                                                    : state_internal_hash(current, sibling);
  }
  if (current != root)
    return bad_proof("computed root " + current.to_hex() + " != " + root.to_hex());
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
