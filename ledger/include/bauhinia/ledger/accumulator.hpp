#pragma once
// The transaction accumulator: one append-only RFC 6962 Merkle tree over the
// leaf hashes of every committed TransactionInfo (docs/formats/accumulator.md).
//
// Storage (Column::kAccumulator): key = level (u8) || index (be64), value = the
// 32-byte hash of the complete ("frozen") subtree of 2^level leaves starting at
// leaf index * 2^level. Level 0 holds the leaf hashes. A node is written once,
// when its last leaf is appended, and never changes; so every past tree size's
// root and proofs can be computed from frozen nodes alone.
//
// Accumulator is the right edge of the tree (its size and the roots of its
// complete subtrees, the "peaks"): a small value (at most 64 hashes) that the
// node copies for speculative execution and advances by appending a block's
// leaves, emitting the new frozen nodes into the block's WriteBatch.

#include <cstdint>
#include <span>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

using core::Hash256;

// Tree sizes are kept below 2^63 so that every index and count fits with room.
inline constexpr std::uint64_t kMaxAccumulatorSize = 1ULL << 62;
// Level 0 holds leaves; a tree below 2^62 leaves has nodes up to level 61.
inline constexpr unsigned kMaxAccumulatorLevel = 62;

// Column::kAccumulator key of the frozen node at (level, index): 9 bytes.
Bytes accumulator_key(unsigned level, std::uint64_t index);

class Accumulator {
 public:
  Accumulator() = default;  // the empty tree

  // The frontier of the stored tree of `size` leaves: reads its popcount(size)
  // peaks. Corruption when one is missing or malformed.
  static core::Result<Accumulator> load(const KvReader& store, std::uint64_t size);

  std::uint64_t size() const noexcept { return size_; }
  // The root of the current tree (SHA-256("") when empty).
  Hash256 root() const;
  // Roots of the complete subtrees making up the tree, largest (leftmost) first;
  // peak k covers 2^(level of the k-th set bit of size, from the top) leaves.
  const std::vector<Hash256>& peaks() const noexcept { return peaks_; }

  // Appends leaf hashes: puts each new frozen node (the leaves themselves and
  // every subtree they complete) into `batch` and returns the new root. Amortized
  // one node hash and two puts per leaf, plus popcount(size) hashes for the root;
  // reads nothing. Asserts the size limit.
  Hash256 append(std::span<const Hash256> leaf_hashes, WriteBatch& batch);
  Hash256 append(const Hash256& leaf_hash, WriteBatch& batch) {
    return append(std::span<const Hash256>(&leaf_hash, 1), batch);
  }

  friend bool operator==(const Accumulator&, const Accumulator&) = default;

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash256> peaks_;  // one per set bit of size_, highest bit first
};

}  // namespace bauhinia::ledger
