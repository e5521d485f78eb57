#pragma once
// Queries over the stored transaction accumulator for any past tree size: the
// root, inclusion proofs and consistency proofs, computed from frozen nodes only
// (O(log n) reads each; never the whole tree in memory). The proofs are exactly
// RFC 9162's PATH and PROOF, checked by chain::verify_inclusion and
// chain::verify_consistency.
//
// Requests come from clients: a size beyond the stored tree is NotFound, an
// impossible request (index >= size, size1 > size2, size1 == 0) is
// InvalidArgument; a missing or malformed frozen node is Corruption.

#include <cstdint>
#include <optional>

#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

class AccumulatorReader {
 public:
  // `store` must outlive the reader.
  explicit AccumulatorReader(const KvReader& store) : store_(store) {}

  // The number of leaves stored (one seek for the last level-0 key).
  core::Result<std::uint64_t> stored_size() const;

  // The leaf hash at `index`.
  core::Result<Hash256> leaf(std::uint64_t index) const;
  // The frozen node (level, index), or Corruption when absent.
  core::Result<Hash256> node(unsigned level, std::uint64_t index) const;

  core::Result<Hash256> root_at(std::uint64_t size) const;
  core::Result<chain::InclusionProof> inclusion_proof(std::uint64_t index,
                                                      std::uint64_t size) const;
  // For 0 < size1 <= size2 (an empty path when equal).
  core::Result<chain::ConsistencyProof> consistency_proof(std::uint64_t size1,
                                                          std::uint64_t size2) const;

 private:
  core::Status check_size(std::uint64_t size) const;
  // MTH of the leaves [start, start + count), where start is a multiple of the
  // smallest power of two >= count: a fold over popcount(count) frozen nodes.
  core::Result<Hash256> range_root(std::uint64_t start, std::uint64_t count) const;

  const KvReader& store_;
};

}  // namespace bauhinia::ledger
