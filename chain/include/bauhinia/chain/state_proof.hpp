#pragma once
// The state tree's hashes, its proof format and the proof verifier (light-client
// side). The tree is a sparse binary Merkle tree over 256-bit keys in which a
// subtree holding one record is represented by that record's leaf and an empty
// subtree by the all-zero placeholder; docs/formats/state-tree.md is the full
// specification, precise enough to re-implement verification elsewhere.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::chain {

using core::ByteView;
using core::Hash256;

inline constexpr std::size_t kMaxStateModuleNameSize = 64;
inline constexpr std::size_t kMaxStateRecordKeySize = 1024;
inline constexpr std::size_t kMaxStateValueSize = std::size_t{64} * 1024;
inline constexpr std::size_t kStateKeyBits = 256;
inline constexpr std::size_t kMaxStateProofSiblings = kStateKeyBits;

// tagged_hash(kStateKey, encoding of (string module, bytes record_key)).
// module: 1..64 bytes of [a-z0-9_-]; record_key: at most 1024 bytes.
core::Checked<Hash256> state_key(std::string_view module, ByteView record_key);

// tagged_hash(kStateValue, value): the raw value bytes, no length prefix.
Hash256 state_value_hash(ByteView value);
// tagged_hash(kStateLeaf, key || value_hash).
Hash256 state_leaf_hash(const Hash256& key, const Hash256& value_hash);
// tagged_hash(kStateInternal, left || right).
Hash256 state_internal_hash(const Hash256& left, const Hash256& right);
// The hash of an empty subtree (and the root of the empty tree): 32 zero bytes.
inline Hash256 state_placeholder_hash() {
  return Hash256::zero();
}

// The leaf a proof's path ends in: the record itself (inclusion), or another
// record alone in the subtree where the searched key would be (non-inclusion).
struct SparseMerkleLeaf {
  Hash256 key;
  Hash256 value_hash;

  Hash256 hash() const { return state_leaf_hash(key, value_hash); }

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.key);
    c.fixed(s.value_hash);
  }
  friend bool operator==(const SparseMerkleLeaf&, const SparseMerkleLeaf&) = default;
};

// A proof that a key has a given value, or none, under a state root.
// siblings[0] is the sibling of the node the path ends in (at depth
// siblings.size()), siblings.back() the sibling just below the root.
struct SparseMerkleProof {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::vector<Hash256> siblings;         // bottom-up, at most 256
  std::optional<SparseMerkleLeaf> leaf;  // absent: the path ends in an empty subtree

  core::Verdict validate() const;  // version

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    // Siblings before the leaf: the same information, and an order in which
    // GCC 12 at -O3 raises no false -Warray-bounds in the inlined encoder.
    c.sequence(s.siblings, kMaxStateProofSiblings, "siblings",
               [](auto& cc, auto& h) { cc.fixed(h); });
    c.optional(s.leaf, [](auto& cc, auto& l) { cc.object(l); });
  }
  friend bool operator==(const SparseMerkleProof&, const SparseMerkleProof&) = default;
};

// Accepts when `proof` shows that, under `root`, `key` maps to `value`
// (inclusion) or to nothing when `value` is nullopt (non-inclusion). Rejects
// with kBadProof otherwise, kTooLarge for a value over kMaxStateValueSize or
// too many siblings, kBadVersion for an unknown proof version.
core::Verdict verify_state_proof(const Hash256& root, const Hash256& key,
                                 const std::optional<ByteView>& value,
                                 const SparseMerkleProof& proof);

// The same, given the value's hash (state_value_hash) instead of its bytes.
core::Verdict verify_state_proof_by_hash(const Hash256& root, const Hash256& key,
                                         const std::optional<Hash256>& value_hash,
                                         const SparseMerkleProof& proof);

}  // namespace bauhinia::chain
