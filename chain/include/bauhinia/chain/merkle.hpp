#pragma once
// RFC 6962 / RFC 9162 Merkle Tree Hash (SHA-256) and its proofs, as used by the
// transaction accumulator and the per-block transaction trees.
//
//   leaf hash   = SHA-256(0x00 || leaf bytes)
//   node hash   = SHA-256(0x01 || left || right)
//   MTH({})     = SHA-256("")
//   MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
//
// The verifiers have exactly the semantics of transparency-dev/merkle (RFC 9162
// sections 2.1.3.2 and 2.1.4.2), checked against its test vectors:
//   - inclusion: index < size, exactly the expected number of path hashes;
//   - consistency: from size 0 is an error (even to size 0); between equal
//     sizes the path must be empty and the roots equal; otherwise exactly the
//     expected number of path hashes, and both roots recomputed.
// Proof paths are ordered from the leaf (or the old root) upwards.

#include <cstdint>
#include <span>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::chain {

using core::Bytes;
using core::ByteView;
using core::Hash256;

// A tree of fewer than 2^64 leaves never needs more path hashes than this.
inline constexpr std::size_t kMaxProofHashes = 64;

namespace merkle {

Hash256 leaf_hash(ByteView leaf);
Hash256 node_hash(const Hash256& left, const Hash256& right);
Hash256 empty_root();  // SHA-256("")

// The largest power of two strictly below n (n >= 2).
std::uint64_t split_point(std::uint64_t n);

// In-memory helpers over all leaf hashes of a small tree (a block's
// transactions). O(n) time, O(log n) stack; the accumulator never uses these.
Hash256 root(std::span<const Hash256> leaf_hashes);
// Requires index < leaf_hashes.size().
std::vector<Hash256> inclusion_path(std::span<const Hash256> leaf_hashes, std::uint64_t index);
// Requires 0 < first <= leaf_hashes.size().
std::vector<Hash256> consistency_path(std::span<const Hash256> leaf_hashes, std::uint64_t first);

}  // namespace merkle

struct InclusionProof {
  std::uint64_t leaf_index = 0;
  std::uint64_t tree_size = 0;
  std::vector<Hash256> path;  // sibling hashes, leaf level first

  // leaf_index < tree_size (the path length is checked by verification).
  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.leaf_index);
    c.u64(s.tree_size);
    c.sequence(s.path, kMaxProofHashes, "inclusion path", [](auto& cc, auto& h) { cc.fixed(h); });
  }
  friend bool operator==(const InclusionProof&, const InclusionProof&) = default;
};

struct ConsistencyProof {
  std::uint64_t first = 0;   // the older tree size
  std::uint64_t second = 0;  // the newer tree size
  std::vector<Hash256> path;

  // 0 < first <= second (the path length is checked by verification).
  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.first);
    c.u64(s.second);
    c.sequence(s.path, kMaxProofHashes, "consistency path", [](auto& cc, auto& h) { cc.fixed(h); });
  }
  friend bool operator==(const ConsistencyProof&, const ConsistencyProof&) = default;
};

// The root the proof leads to from `leaf_hash`, or a rejection when the index,
// size or path length is impossible.
core::Checked<Hash256> root_from_inclusion(const Hash256& leaf_hash, const InclusionProof& proof);

// Accepts when `proof` shows the leaf with this hash at proof.leaf_index of the
// tree of proof.tree_size leaves whose root is `root`.
core::Verdict verify_inclusion(const Hash256& leaf_hash, const InclusionProof& proof,
                               const Hash256& root);

// Accepts when the tree of size2 leaves with root2 extends the tree of size1
// leaves with root1.
core::Verdict verify_consistency(std::uint64_t size1, std::uint64_t size2, const Hash256& root1,
                                 const Hash256& root2, std::span<const Hash256> path);
inline core::Verdict verify_consistency(const ConsistencyProof& proof, const Hash256& root1,
                                        const Hash256& root2) {
  return verify_consistency(proof.first, proof.second, root1, root2, proof.path);
}

// The same verifiers over untyped byte strings (JSON APIs, test vectors): a
// hash of any length other than 32 bytes is a rejection wherever it would be
// hashed or compared with a computed hash; between equal sizes the two roots
// are compared as given.
core::Verdict verify_inclusion_bytes(std::uint64_t index, std::uint64_t size, ByteView leaf_hash,
                                     std::span<const Bytes> path, ByteView root);
core::Verdict verify_consistency_bytes(std::uint64_t size1, std::uint64_t size2, ByteView root1,
                                       ByteView root2, std::span<const Bytes> path);

}  // namespace bauhinia::chain
