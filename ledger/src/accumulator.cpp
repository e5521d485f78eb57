#include "bauhinia/ledger/accumulator.hpp"

#include <bit>
#include <string>

#include "bauhinia/chain/merkle.hpp"

namespace bauhinia::ledger {

Bytes accumulator_key(unsigned level, std::uint64_t index) {
  BAUHINIA_ASSERT(level <= kMaxAccumulatorLevel);
  Bytes key;
  key.reserve(9);
  key.push_back(static_cast<std::uint8_t>(level));
  append_be64(key, index);
  return key;
}

core::Result<Accumulator> Accumulator::load(const KvReader& store, std::uint64_t size) {
  if (size > kMaxAccumulatorSize) {
    return core::Status::invalid_argument("accumulator size " + std::to_string(size) +
                                          " beyond the limit");
  }
  Accumulator acc;
  acc.size_ = size;
  std::uint64_t offset = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = 1ULL << level;
    if ((size & width) == 0) continue;
    const auto lvl = static_cast<unsigned>(level);
    auto value = store.get(Column::kAccumulator, accumulator_key(lvl, offset >> lvl));
    if (!value) return std::move(value).error();
    if (!value->has_value() || (*value)->size() != Hash256::kSize) {
      return core::Status::corruption("accumulator node (" + std::to_string(level) + ", " +
                                      std::to_string(offset >> lvl) + ") of a tree of " +
                                      std::to_string(size) + " leaves is missing or malformed");
    }
    acc.peaks_.push_back(*Hash256::from_bytes(**value));
    offset += width;
  }
  return acc;
}

Hash256 Accumulator::root() const {
  if (peaks_.empty()) return chain::merkle::empty_root();
  Hash256 r = peaks_.back();
  for (std::size_t k = peaks_.size() - 1; k-- > 0;) r = chain::merkle::node_hash(peaks_[k], r);
  return r;
}

Hash256 Accumulator::append(std::span<const Hash256> leaf_hashes, WriteBatch& batch) {
  BAUHINIA_ASSERT(leaf_hashes.size() <= kMaxAccumulatorSize - size_);
  for (const Hash256& leaf : leaf_hashes) {
    std::uint64_t index = size_;
    unsigned level = 0;
    Hash256 node = leaf;
    batch.put(Column::kAccumulator, accumulator_key(level, index),
              Bytes(leaf.view().begin(), leaf.view().end()));
    // While the new node is a right child, it completes its parent with the
    // last peak as the left child.
    while ((index & 1U) != 0) {
      BAUHINIA_ASSERT(!peaks_.empty());
      node = chain::merkle::node_hash(peaks_.back(), node);
      peaks_.pop_back();
      index >>= 1;
      ++level;
      batch.put(Column::kAccumulator, accumulator_key(level, index),
                Bytes(node.view().begin(), node.view().end()));
    }
    peaks_.push_back(node);
    ++size_;
  }
  BAUHINIA_ASSERT(peaks_.size() == static_cast<std::size_t>(std::popcount(size_)));
  return root();
}

}  // namespace bauhinia::ledger
