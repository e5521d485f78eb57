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

// A full node of `n` children (slots 0..n-1), internal children at `version`.
InternalNode full_node(std::mt19937_64& rng, unsigned n, std::uint64_t version) {
  InternalNode node;
  for (unsigned i = 0; i < n; ++i)
    node.children[i] = ChildRef{version, random_hash(rng), i % 3 == 0};
  return node;
}

TEST(StatePatch, MakeApplyAndEncodingRoundTrip) {
  std::mt19937_64 rng(20);
  const InternalNode base = full_node(rng, 16, 300);
  InternalNode next = base;
  next.children[2] = ChildRef{1000, random_hash(rng), false};  // replaced
  next.children[9].reset();                                    // removed
  const StatePatch patch = make_state_patch(300, base, next);
  EXPECT_EQ(patch.base_version, 300U);
  EXPECT_EQ(patch.changed, (1u << 2) | (1u << 9));
  EXPECT_EQ(differing_slots(base, next), patch.changed);
  auto applied = apply_state_patch(base, patch);
  ASSERT_TRUE(applied.has_value()) << applied.error().to_string();
  EXPECT_EQ(*applied, next);
  EXPECT_EQ(applied->hash(), next.hash());

  const Bytes enc = encode_state_patch(patch);
  // kind 3, base 300 (LEB128 ac 02), changed 0x0204, children 0x0004, leaves 0,
  // then slot 2: version 1000 (e8 07) and its hash.
  EXPECT_EQ(core::to_hex(core::ByteView(enc).first(9)), "03ac02040204000000");
  EXPECT_EQ(core::to_hex(core::ByteView(enc).subspan(9, 2)), "e807");
  EXPECT_EQ(enc.size(), 1 + 2 + 6 + 2 + 32U);
  auto back = decode_stored_state_node(enc);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  ASSERT_TRUE(std::holds_alternative<StatePatch>(*back));
  EXPECT_EQ(std::get<StatePatch>(*back), patch);
  // Far smaller than the node it stands for.
  EXPECT_LT(enc.size() * 4, encode_state_node(StateNode{next}).size());
  // An unchanged node (a root copied by a version without writes).
  const Bytes copy = encode_state_patch(make_state_patch(300, base, base));
  EXPECT_EQ(core::to_hex(copy), "03ac02000000000000");
  EXPECT_EQ(apply_state_patch(base, std::get<StatePatch>(*decode_stored_state_node(copy))).value(),
            base);
  // Whole nodes decode through the same call.
  auto whole = decode_stored_state_node(encode_state_node(StateNode{base}));
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(std::get<StateNode>(*whole), StateNode{base});
  // The plain node decoder refuses a patch: it cannot be read without its base.
  EXPECT_EQ(decode_state_node(enc).error().reason, core::Reject::kOutOfRange);
}

TEST(StatePatch, LargeVersionsUseUpToTenBytes) {
  std::mt19937_64 rng(21);
  const InternalNode base = full_node(rng, 8, 5);
  InternalNode next = base;
  next.children[0] = ChildRef{UINT64_MAX, random_hash(rng), true};
  const StatePatch patch = make_state_patch(UINT64_MAX - 1, base, next);
  const Bytes enc = encode_state_patch(patch);
  EXPECT_EQ(enc.size(), 1 + 10 + 6 + 10 + 32U);
  EXPECT_EQ(std::get<StatePatch>(decode_stored_state_node(enc).value()), patch);
}

TEST(StatePatch, MalformedPatchesAreRejected) {
  std::mt19937_64 rng(22);
  const InternalNode base = full_node(rng, 16, 7);
  InternalNode next = base;
  next.children[1] = ChildRef{9, random_hash(rng), true};
  const Bytes good = encode_state_patch(make_state_patch(7, base, next));
  ASSERT_TRUE(decode_stored_state_node(good).has_value());
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    EXPECT_FALSE(decode_stored_state_node(core::ByteView(good).first(cut)).has_value()) << cut;
  }
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(decode_stored_state_node(trailing).error().reason, core::Reject::kTrailingBytes);
  // A child on a slot the patch does not change (children 0x0003, changed 0x0002).
  Bytes off_slot = good;
  off_slot[4] = 0x03;
  EXPECT_EQ(decode_stored_state_node(off_slot).error().reason, core::Reject::kInvalid);
  // A leaf bit on an absent child.
  Bytes bad_leaf = good;
  bad_leaf[6] = 0x06;
  EXPECT_EQ(decode_stored_state_node(bad_leaf).error().reason, core::Reject::kInvalid);
  // Non-minimal LEB128 (7 as 87 00) and one beyond 64 bits.
  EXPECT_EQ(decode_stored_state_node(Bytes{0x03, 0x87, 0x00, 0, 0, 0, 0, 0, 0}).error().reason,
            core::Reject::kNonCanonical);
  Bytes too_long{0x03};
  for (int i = 0; i < 9; ++i) too_long.push_back(0xFF);
  too_long.push_back(0x02);
  for (int i = 0; i < 6; ++i) too_long.push_back(0);
  EXPECT_EQ(decode_stored_state_node(too_long).error().reason, core::Reject::kOutOfRange);
  // Applied, a patch must leave a valid internal node.
  InternalNode two;
  two.children[3] = ChildRef{1, random_hash(rng), true};
  two.children[4] = ChildRef{1, random_hash(rng), true};
  StatePatch remove_one;
  remove_one.base_version = 1;
  remove_one.changed = 1u << 4;  // removes slot 4: a lone leaf remains
  EXPECT_EQ(apply_state_patch(two, remove_one).error().reason, core::Reject::kNonCanonical);
  remove_one.changed = (1u << 3) | (1u << 4);  // removes both: no child
  EXPECT_EQ(apply_state_patch(two, remove_one).error().reason, core::Reject::kInvalid);
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
