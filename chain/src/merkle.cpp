#include "bauhinia/chain/merkle.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace bauhinia::chain {

namespace merkle {

Hash256 leaf_hash(ByteView leaf) {
  // Small leaves (transaction infos, ids) are hashed in one shot from the stack.
  constexpr std::size_t kStackLeaf = 255;
  if (leaf.size() <= kStackLeaf) {
    std::array<std::uint8_t, kStackLeaf + 1> buf;
    buf[0] = 0x00;
    std::copy(leaf.begin(), leaf.end(), buf.begin() + 1);
    return core::sha256(ByteView(buf.data(), leaf.size() + 1));
  }
  core::Sha256 h;
  h.update(std::uint8_t{0x00}).update(leaf);
  return h.finalize();
}

Hash256 node_hash(const Hash256& left, const Hash256& right) {
  std::array<std::uint8_t, 1 + 2 * Hash256::kSize> buf;
  buf[0] = 0x01;
  std::copy(left.bytes().begin(), left.bytes().end(), buf.begin() + 1);
  std::copy(right.bytes().begin(), right.bytes().end(), buf.begin() + 1 + Hash256::kSize);
  return core::sha256(buf);
}

Hash256 empty_root() {
  return core::sha256(ByteView{});
}

std::uint64_t split_point(std::uint64_t n) {
  BAUHINIA_ASSERT(n >= 2);
  return std::bit_floor(n - 1);
}

Hash256 root(std::span<const Hash256> leaf_hashes) {
  const std::uint64_t n = leaf_hashes.size();
  if (n == 0) return empty_root();
  if (n == 1) return leaf_hashes[0];
  const std::uint64_t k = split_point(n);
  return node_hash(root(leaf_hashes.first(k)), root(leaf_hashes.subspan(k)));
}

namespace {

// PATH(m, D[n]) of RFC 9162 section 2.1.3.1, appended deepest first.
void append_inclusion_path(std::span<const Hash256> d, std::uint64_t m, std::vector<Hash256>& out) {
  const std::uint64_t n = d.size();
  if (n <= 1) return;
  const std::uint64_t k = split_point(n);
  if (m < k) {
    append_inclusion_path(d.first(k), m, out);
    out.push_back(root(d.subspan(k)));
  } else {
    append_inclusion_path(d.subspan(k), m - k, out);
    out.push_back(root(d.first(k)));
  }
}

// SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1, appended deepest first.
void append_subproof(std::span<const Hash256> d, std::uint64_t m, bool complete_subtree,
                     std::vector<Hash256>& out) {
  const std::uint64_t n = d.size();
  if (m == n) {
    if (!complete_subtree) out.push_back(root(d));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    append_subproof(d.first(k), m, complete_subtree, out);
    out.push_back(root(d.subspan(k)));
  } else {
    append_subproof(d.subspan(k), m - k, false, out);
    out.push_back(root(d.first(k)));
  }
}

}  // namespace

std::vector<Hash256> inclusion_path(std::span<const Hash256> leaf_hashes, std::uint64_t index) {
  BAUHINIA_ASSERT(index < leaf_hashes.size());
  std::vector<Hash256> out;
  append_inclusion_path(leaf_hashes, index, out);
  return out;
}

std::vector<Hash256> consistency_path(std::span<const Hash256> leaf_hashes, std::uint64_t first) {
  BAUHINIA_ASSERT(first > 0 && first <= leaf_hashes.size());
  std::vector<Hash256> out;
  append_subproof(leaf_hashes, first, true, out);
  return out;
}

}  // namespace merkle

namespace {

core::Rejection bad_proof(std::string detail) {
  return core::reject(core::Reject::kBadProof, std::move(detail));
}

// Shifts fn and sn right together until fn's lowest bit is set or fn is 0.
void skip_right_edge(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1U) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

core::Verdict InclusionProof::validate() const {
  if (leaf_index >= tree_size) {
    return core::reject(core::Reject::kInvalid, "inclusion proof: leaf_index " +
                                                    std::to_string(leaf_index) + " >= tree_size " +
                                                    std::to_string(tree_size));
  }
  return core::Verdict::accept();
}

core::Verdict ConsistencyProof::validate() const {
  if (first == 0 || first > second) {
    return core::reject(core::Reject::kInvalid,
                        "consistency proof: sizes " + std::to_string(first) + " -> " +
                            std::to_string(second) + " are not 0 < first <= second");
  }
  return core::Verdict::accept();
}

// RFC 9162 section 2.1.3.2.
core::Checked<Hash256> root_from_inclusion(const Hash256& leaf_hash, const InclusionProof& proof) {
  if (proof.leaf_index >= proof.tree_size) {
    return bad_proof("inclusion proof: leaf index " + std::to_string(proof.leaf_index) +
                     " is not below tree size " + std::to_string(proof.tree_size));
  }
  std::uint64_t fn = proof.leaf_index;
  std::uint64_t sn = proof.tree_size - 1;
  Hash256 r = leaf_hash;
  for (const Hash256& p : proof.path) {
    if (sn == 0) return bad_proof("inclusion proof: path longer than the tree is deep");
    if ((fn & 1U) != 0 || fn == sn) {
      r = merkle::node_hash(p, r);
      skip_right_edge(fn, sn);
    } else {
      r = merkle::node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return bad_proof("inclusion proof: path shorter than the tree is deep");
  return r;
}

core::Verdict verify_inclusion(const Hash256& leaf_hash, const InclusionProof& proof,
                               const Hash256& root) {
  auto computed = root_from_inclusion(leaf_hash, proof);
  if (!computed) return std::move(computed).error();
  if (*computed != root) return bad_proof("inclusion proof: root mismatch");
  return core::Verdict::accept();
}

// RFC 9162 section 2.1.4.2, with the cases before the algorithm as in
// transparency-dev/merkle.
core::Verdict verify_consistency(std::uint64_t size1, std::uint64_t size2, const Hash256& root1,
                                 const Hash256& root2, std::span<const Hash256> path) {
  if (size1 == 0) return bad_proof("consistency proof: from an empty tree proves nothing");
  if (size2 < size1) {
    return bad_proof("consistency proof: size2 " + std::to_string(size2) + " < size1 " +
                     std::to_string(size1));
  }
  if (size1 == size2) {
    if (!path.empty()) return bad_proof("consistency proof: equal sizes need an empty path");
    if (root1 != root2) return bad_proof("consistency proof: equal sizes but different roots");
    return core::Verdict::accept();
  }
  if (path.empty()) return bad_proof("consistency proof: empty path");

  // When size1 is a power of two the old root is itself the first node.
  const bool seed_is_root1 = std::has_single_bit(size1);
  std::size_t next = 0;
  const Hash256 seed = seed_is_root1 ? root1 : path[next++];
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1U) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash256 fr = seed;
  Hash256 sr = seed;
  for (; next < path.size(); ++next) {
    const Hash256& c = path[next];
    if (sn == 0) return bad_proof("consistency proof: path longer than expected");
    if ((fn & 1U) != 0 || fn == sn) {
      fr = merkle::node_hash(c, fr);
      sr = merkle::node_hash(c, sr);
      skip_right_edge(fn, sn);
    } else {
      sr = merkle::node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return bad_proof("consistency proof: path shorter than expected");
  if (fr != root1) return bad_proof("consistency proof: old root mismatch");
  if (sr != root2) return bad_proof("consistency proof: new root mismatch");
  return core::Verdict::accept();
}

namespace {

core::Checked<Hash256> hash_from(ByteView b, const char* what) {
  if (b.size() != Hash256::kSize) {
    return core::reject(
        core::Reject::kBadEncoding,
        std::string(what) + ": " + std::to_string(b.size()) + " bytes, a hash has 32");
  }
  return Hash256::from_bytes(b);
}

core::Checked<std::vector<Hash256>> hashes_from(std::span<const Bytes> path) {
  if (path.size() > kMaxProofHashes + 1) {
    return core::reject(core::Reject::kTooLarge,
                        "proof path of " + std::to_string(path.size()) + " hashes");
  }
  std::vector<Hash256> out;
  out.reserve(path.size());
  for (const Bytes& b : path) {
    auto h = hash_from(b, "proof path element");
    if (!h) return std::move(h).error();
    out.push_back(*h);
  }
  return out;
}

}  // namespace

core::Verdict verify_inclusion_bytes(std::uint64_t index, std::uint64_t size, ByteView leaf_hash,
                                     std::span<const Bytes> path, ByteView root) {
  auto leaf = hash_from(leaf_hash, "leaf hash");
  if (!leaf) return std::move(leaf).error();
  auto r = hash_from(root, "root");
  if (!r) return std::move(r).error();
  auto p = hashes_from(path);
  if (!p) return std::move(p).error();
  return verify_inclusion(*leaf, InclusionProof{index, size, std::move(*p)}, *r);
}

core::Verdict verify_consistency_bytes(std::uint64_t size1, std::uint64_t size2, ByteView root1,
                                       ByteView root2, std::span<const Bytes> path) {
  // The cases that compare the roots as given, before any hash is required.
  if (size1 == 0) return bad_proof("consistency proof: from an empty tree proves nothing");
  if (size2 < size1) return bad_proof("consistency proof: size2 < size1");
  if (size1 == size2) {
    if (!path.empty()) return bad_proof("consistency proof: equal sizes need an empty path");
    if (!std::equal(root1.begin(), root1.end(), root2.begin(), root2.end())) {
      return bad_proof("consistency proof: equal sizes but different roots");
    }
    return core::Verdict::accept();
  }
  auto r1 = hash_from(root1, "root1");
  if (!r1) return std::move(r1).error();
  auto r2 = hash_from(root2, "root2");
  if (!r2) return std::move(r2).error();
  auto p = hashes_from(path);
  if (!p) return std::move(p).error();
  return verify_consistency(size1, size2, *r1, *r2, *p);
}

}  // namespace bauhinia::chain
