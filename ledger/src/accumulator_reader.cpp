#include "bauhinia/ledger/accumulator_reader.hpp"

#include <algorithm>
#include <bit>
#include <string>
#include <vector>

namespace bauhinia::ledger {

namespace {
const Bytes kLevel0Prefix{0x00};
}  // namespace

core::Result<std::uint64_t> AccumulatorReader::stored_size() const {
  Bytes upper = accumulator_key(0, ~std::uint64_t{0});
  auto last = store_.floor(Column::kAccumulator, kLevel0Prefix, upper);
  if (!last) return std::move(last).error();
  if (!last->has_value()) return std::uint64_t{0};
  const Bytes& key = (*last)->first;
  if (key.size() != 9) return core::Status::corruption("malformed accumulator key");
  const std::uint64_t index = read_be64(ByteView(key).subspan(1));
  if (index >= kMaxAccumulatorSize)
    return core::Status::corruption("accumulator leaf index too large");
  return index + 1;
}

core::Status AccumulatorReader::check_size(std::uint64_t size) const {
  auto stored = stored_size();
  if (!stored) return std::move(stored).error();
  if (size > *stored) {
    return core::Status::not_found("accumulator has " + std::to_string(*stored) + " leaves, not " +
                                   std::to_string(size));
  }
  return core::Status::ok();
}

core::Result<Hash256> AccumulatorReader::node(unsigned level, std::uint64_t index) const {
  if (level > kMaxAccumulatorLevel)
    return core::Status::invalid_argument("accumulator level too large");
  auto value = store_.get(Column::kAccumulator, accumulator_key(level, index));
  if (!value) return std::move(value).error();
  if (!value->has_value() || (*value)->size() != Hash256::kSize) {
    return core::Status::corruption("accumulator node (" + std::to_string(level) + ", " +
                                    std::to_string(index) + ") is missing or malformed");
  }
  return *Hash256::from_bytes(**value);
}

core::Result<Hash256> AccumulatorReader::leaf(std::uint64_t index) const {
  if (index >= kMaxAccumulatorSize) return core::Status::not_found("no such accumulator leaf");
  if (core::Status s = check_size(index + 1); !s) return s;
  return node(0, index);
}

core::Result<Hash256> AccumulatorReader::range_root(std::uint64_t start,
                                                    std::uint64_t count) const {
  BAUHINIA_ASSERT(count > 0);
  std::vector<Hash256> peaks;
  std::uint64_t offset = start;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = 1ULL << level;
    if ((count & width) == 0) continue;
    BAUHINIA_ASSERT(offset % width == 0);
    auto h = node(static_cast<unsigned>(level), offset >> level);
    if (!h) return h;
    peaks.push_back(*h);
    offset += width;
  }
  Hash256 r = peaks.back();
  for (std::size_t k = peaks.size() - 1; k-- > 0;) r = chain::merkle::node_hash(peaks[k], r);
  return r;
}

core::Result<Hash256> AccumulatorReader::root_at(std::uint64_t size) const {
  if (core::Status s = check_size(size); !s) return s;
  if (size == 0) return chain::merkle::empty_root();
  return range_root(0, size);
}

// RFC 9162 PATH(m, D[n]), walked from the root down and then reversed.
core::Result<chain::InclusionProof> AccumulatorReader::inclusion_proof(std::uint64_t index,
                                                                       std::uint64_t size) const {
  if (index >= size) {
    return core::Status::invalid_argument("leaf index " + std::to_string(index) +
                                          " is not below tree size " + std::to_string(size));
  }
  if (core::Status s = check_size(size); !s) return s;
  chain::InclusionProof proof{index, size, {}};
  std::uint64_t offset = 0;  // first leaf of the current subtree
  std::uint64_t n = size;    // its number of leaves
  std::uint64_t m = index;   // the leaf's index within it
  while (n > 1) {
    const std::uint64_t k = chain::merkle::split_point(n);
    core::Result<Hash256> sibling = m < k ? range_root(offset + k, n - k) : range_root(offset, k);
    if (!sibling) return std::move(sibling).error();
    proof.path.push_back(*sibling);
    if (m < k) {
      n = k;
    } else {
      offset += k;
      m -= k;
      n -= k;
    }
  }
  std::reverse(proof.path.begin(), proof.path.end());
  return proof;
}

// RFC 9162 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), walked from the root down
// and then reversed.
core::Result<chain::ConsistencyProof> AccumulatorReader::consistency_proof(
    std::uint64_t size1, std::uint64_t size2) const {
  if (size1 == 0 || size1 > size2) {
    return core::Status::invalid_argument("no consistency proof from size " +
                                          std::to_string(size1) + " to " + std::to_string(size2));
  }
  if (core::Status s = check_size(size2); !s) return s;
  chain::ConsistencyProof proof{size1, size2, {}};
  std::uint64_t offset = 0;
  std::uint64_t n = size2;
  std::uint64_t m = size1;
  bool whole_old_tree = true;  // RFC's b: the subtree is the old tree's own root
  while (m != n) {
    const std::uint64_t k = chain::merkle::split_point(n);
    core::Result<Hash256> sibling = m <= k ? range_root(offset + k, n - k) : range_root(offset, k);
    if (!sibling) return std::move(sibling).error();
    proof.path.push_back(*sibling);
    if (m <= k) {
      n = k;
    } else {
      offset += k;
      m -= k;
      n -= k;
      whole_old_tree = false;
    }
  }
  if (!whole_old_tree) {
    auto r = range_root(offset, n);
    if (!r) return std::move(r).error();
    proof.path.push_back(*r);
  }
  std::reverse(proof.path.begin(), proof.path.end());
  return proof;
}

}  // namespace bauhinia::ledger
