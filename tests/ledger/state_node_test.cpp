// Stored state-tree nodes: nibble paths, node keys, the node encoding and its
// rejections, and internal-node hashing against the binary tree it stands for.

#include "bauhinia/ledger/state_node.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"

namespace bauhinia::ledger {
namespace {

using core::Bytes;

Hash256 H(std::string_view hex) {
  return *Hash256::from_hex(hex);
}

Hash256 random_hash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& b : h.bytes()) b = static_cast<std::uint8_t>(rng());
  return h;
}

TEST(NibblePath, PrefixChildAndPacking) {
  const Hash256 k = H("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");
  EXPECT_EQ(key_nibble(k, 0), 0xA);
  EXPECT_EQ(key_nibble(k, 1), 0x1);
  EXPECT_EQ(key_nibble(k, 63), 0x0);
  const NibblePath p3 = NibblePath::prefix_of(k, 3);
  EXPECT_EQ(p3.size(), 3U);
  EXPECT_EQ(p3.to_hex(), "a1b");
  EXPECT_EQ(core::to_hex(p3.packed()), "a1b0");  // odd length: a trailing zero nibble
  EXPECT_EQ(NibblePath{}.child(0xA).child(0x1).child(0xB), p3);
  EXPECT_EQ(p3.child(0x2), NibblePath::prefix_of(k, 4));
  EXPECT_EQ(NibblePath::prefix_of(k, 64).to_hex(), k.to_hex());
  EXPECT_EQ(NibblePath{}.packed().size(), 0U);
}

TEST(StateNodeKey, FormatAndParse) {
  const Hash256 k = H("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");
  EXPECT_EQ(core::to_hex(state_node_key(0x0102, NibblePath{})), "000000000000010200");
  EXPECT_EQ(core::to_hex(state_node_key(7, NibblePath::prefix_of(k, 3))), "000000000000000703a1b0");
  for (std::size_t n : {0U, 1U, 2U, 33U, 64U}) {
    const auto parsed = parse_state_node_key(state_node_key(99, NibblePath::prefix_of(k, n)));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->first, 99U);
    EXPECT_EQ(parsed->second, NibblePath::prefix_of(k, n));
  }
  // Keys sort by version first: all nodes of one version are contiguous.
  EXPECT_LT(state_node_key(1, NibblePath::prefix_of(k, 64)), state_node_key(2, NibblePath{}));
  EXPECT_FALSE(parse_state_node_key(core::from_hex("0000000000000007").value()));      // short
  EXPECT_FALSE(parse_state_node_key(core::from_hex("000000000000000703a1").value()));  // length
  EXPECT_FALSE(
      parse_state_node_key(core::from_hex("000000000000000703a1b1").value()));       // pad nibble
  EXPECT_FALSE(parse_state_node_key(core::from_hex("000000000000000741").value()));  // > 64
}

TEST(StateNode, EncodingRoundTrips) {
  std::mt19937_64 rng(1);
  const StateNode empty = EmptyNode{};
  const StateNode leaf = LeafNode{random_hash(rng), random_hash(rng)};
  InternalNode internal;
  internal.children[0] = ChildRef{5, random_hash(rng), true};
  internal.children[9] = ChildRef{7, random_hash(rng), false};
  internal.children[15] = ChildRef{UINT64_MAX, random_hash(rng), true};
  for (const StateNode& n : {empty, leaf, StateNode{internal}}) {
    const Bytes enc = encode_state_node(n);
    auto back = decode_state_node(enc);
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    EXPECT_EQ(*back, n);
  }
  EXPECT_EQ(core::to_hex(encode_state_node(empty)), "00");
  EXPECT_EQ(encode_state_node(leaf).size(), 65U);
  const Bytes enc = encode_state_node(StateNode{internal});
  EXPECT_EQ(enc.size(), 1 + 2 + 2 + 3 * 40U);
  EXPECT_EQ(core::to_hex(core::ByteView(enc).first(5)), "0201820180");  // bitmaps 0x8201, 0x8001
}

TEST(StateNode, MalformedNodesAreRejected) {
  std::mt19937_64 rng(2);
  InternalNode internal;
  internal.children[1] = ChildRef{1, random_hash(rng), true};
  internal.children[2] = ChildRef{1, random_hash(rng), false};
  const Bytes good = encode_state_node(StateNode{internal});
  ASSERT_TRUE(decode_state_node(good).has_value());

  EXPECT_FALSE(decode_state_node(Bytes{}).has_value());
  EXPECT_EQ(decode_state_node(Bytes{0x03}).error().reason, core::Reject::kOutOfRange);
  EXPECT_EQ(decode_state_node(Bytes{0x00, 0x00}).error().reason, core::Reject::kTrailingBytes);
  EXPECT_EQ(decode_state_node(Bytes(40, 0x01)).error().reason, core::Reject::kTruncated);
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    EXPECT_FALSE(decode_state_node(core::ByteView(good).first(cut)).has_value()) << cut;
  }
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(decode_state_node(trailing).error().reason, core::Reject::kTrailingBytes);
  // No children.
  EXPECT_EQ(decode_state_node(Bytes{0x02, 0, 0, 0, 0}).error().reason, core::Reject::kInvalid);
  // Leaf bitmap names an absent slot.
  Bytes bad_leaves = good;
  bad_leaves[3] = 0x09;  // slot 0 and 3 as leaves; slot 0 absent
  EXPECT_EQ(decode_state_node(bad_leaves).error().reason, core::Reject::kInvalid);
  // A single leaf child must have been collapsed into its parent.
  InternalNode lone;
  lone.children[4] = ChildRef{1, random_hash(rng), true};
  EXPECT_EQ(decode_state_node(encode_state_node(StateNode{lone})).error().reason,
            core::Reject::kNonCanonical);
  // A single internal child is a valid node (its subtree has two or more records).
  InternalNode chain_node;
  chain_node.children[4] = ChildRef{1, random_hash(rng), false};
  EXPECT_TRUE(decode_state_node(encode_state_node(StateNode{chain_node})).has_value());
}

// The binary tree a 16-slot node stands for, computed level by level.
Hash256 binary_hash(const InternalNode& n, unsigned lo, unsigned width) {
  unsigned count = 0, only = 0;
  for (unsigned i = lo; i < lo + width; ++i) {
    if (n.children[i]) {
      ++count;
      only = i;
    }
  }
  if (count == 0) return chain::state_placeholder_hash();
  if (count == 1 && (n.children[only]->is_leaf || width == 1)) return n.children[only]->hash;
  return chain::state_internal_hash(binary_hash(n, lo, width / 2),
                                    binary_hash(n, lo + width / 2, width / 2));
}

TEST(InternalNode, HashAndDescentMatchTheBinaryTree) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 300; ++trial) {
    InternalNode n;
    const unsigned density = 1 + static_cast<unsigned>(rng() % 16);
    for (unsigned i = 0; i < kStateRadix; ++i) {
      if (rng() % 16 < density) n.children[i] = ChildRef{1, random_hash(rng), rng() % 2 == 0};
    }
    const std::size_t count = n.child_count();
    unsigned first = 0;
    while (first < kStateRadix && !n.children[first]) ++first;
    if (count == 0 || (count == 1 && n.children[first]->is_leaf)) {
      continue;  // not a valid internal node
    }
    const Hash256 root = n.hash();
    ASSERT_EQ(root, binary_hash(n, 0, 16));
    // Every nibble's descent: folding the siblings back up gives the root.
    for (std::uint8_t nib = 0; nib < kStateRadix; ++nib) {
      std::vector<Hash256> siblings;
      const InternalPathEnd end = n.descend(nib, siblings);
      ASSERT_GE(siblings.size(), 1U);
      ASSERT_LE(siblings.size(), 4U);
      Hash256 cur = end.kind == InternalPathEnd::Kind::kEmpty ? chain::state_placeholder_hash()
                                                              : n.children[end.slot]->hash;
      if (end.kind == InternalPathEnd::Kind::kInternal) {
        EXPECT_EQ(end.slot, nib);
        EXPECT_EQ(siblings.size(), 4U);
      }
      if (end.kind == InternalPathEnd::Kind::kLeaf) {
        EXPECT_TRUE(n.children[end.slot]->is_leaf);
        // The leaf shares the first siblings.size() bits of the nibble.
        EXPECT_EQ(end.slot >> (4 - siblings.size()), nib >> (4 - siblings.size()));
      }
      for (std::size_t i = siblings.size(); i-- > 0;) {
        const bool right = ((nib >> (3 - i)) & 1) != 0;
        cur = right ? chain::state_internal_hash(siblings[i], cur)
                    : chain::state_internal_hash(cur, siblings[i]);
      }
      EXPECT_EQ(cur, root) << "nibble " << int{nib};
    }
  }
}

}  // namespace
}  // namespace bauhinia::ledger
