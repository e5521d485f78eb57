#pragma once
// Stored nodes of the versioned state tree (docs/formats/state-tree.md).
//
// The binary sparse Merkle tree of chain/state_proof.hpp is stored four levels
// at a time: a node sits at a nibble path (the first n nibbles of the keys
// below it) and is written once, under (version, path), by the version that
// created it; later versions refer to it while it is unchanged.
//   - InternalNode: up to 16 children, each with the version it was written
//     at, its hash and whether it is a leaf; it holds at least two records.
//   - LeafNode: one record (key, value hash), stored at the shortest nibble
//     prefix of its key where it is alone.
//   - EmptyNode: only as the root of an empty tree.
// An internal node's hash is the binary tree over its 16 slots, where a range
// of slots holding a single leaf is that leaf and an empty range hashes to the
// placeholder, so the hashes are exactly those of the binary tree.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::ledger {

using core::Hash256;

inline constexpr std::size_t kStateRadix = 16;
inline constexpr std::size_t kStateMaxNibbles = 64;

// Nibble i of a key: the high nibble of byte i/2 for even i, the low for odd.
std::uint8_t key_nibble(const Hash256& key, std::size_t i);

// A path from the root: up to 64 nibbles.
class NibblePath {
 public:
  NibblePath() = default;
  // The first `nibbles` nibbles of `key`.
  static NibblePath prefix_of(const Hash256& key, std::size_t nibbles);

  std::size_t size() const noexcept { return size_; }
  std::uint8_t at(std::size_t i) const;
  NibblePath child(std::uint8_t nibble) const;
  // Packed form: ceil(size/2) bytes, high nibble first, a trailing 0 nibble when odd.
  core::ByteView packed() const noexcept { return {bytes_.data(), (std::size_t{size_} + 1) / 2}; }
  std::string to_hex() const;  // one hex digit per nibble

  friend bool operator==(const NibblePath&, const NibblePath&) = default;

 private:
  std::array<std::uint8_t, 32> bytes_{};
  std::uint8_t size_ = 0;
};

// Storage key in Column::kStateNode: be64(version) || u8 nibble count || packed path.
core::Bytes state_node_key(std::uint64_t version, const NibblePath& path);
// Inverse of state_node_key; nullopt when `key` is not of that form.
std::optional<std::pair<std::uint64_t, NibblePath>> parse_state_node_key(core::ByteView key);

struct ChildRef {
  std::uint64_t version = 0;  // the child node is stored at (version, parent path + slot)
  Hash256 hash;
  bool is_leaf = false;
  friend bool operator==(const ChildRef&, const ChildRef&) = default;
};

struct EmptyNode {
  friend bool operator==(const EmptyNode&, const EmptyNode&) = default;
};

struct LeafNode {
  Hash256 key;
  Hash256 value_hash;
  Hash256 hash() const;
  friend bool operator==(const LeafNode&, const LeafNode&) = default;
};

// Where the binary path of a key ends inside an internal node.
struct InternalPathEnd {
  enum class Kind : std::uint8_t { kEmpty, kLeaf, kInternal } kind;
  std::uint8_t
      slot;  // the child met (kLeaf, kInternal); may differ from the key's nibble for kLeaf
};

struct InternalNode {
  std::array<std::optional<ChildRef>, kStateRadix> children;

  std::size_t child_count() const noexcept;
  Hash256 hash() const;
  // Follows nibble `nibble` down the node's four binary levels, appending the
  // sibling hashes met, top-down, to `siblings`, until the path reaches an
  // empty range, a range holding a single leaf, or a single internal child.
  InternalPathEnd descend(std::uint8_t nibble, std::vector<Hash256>& siblings) const;
  friend bool operator==(const InternalNode&, const InternalNode&) = default;
};

using StateNode = std::variant<EmptyNode, LeafNode, InternalNode>;

// Hash of any node: the placeholder, the leaf hash or the internal hash.
Hash256 state_node_hash(const StateNode& node);

// Stored form (not hashed; hashes come from the fields):
//   u8 kind (0 empty, 1 leaf, 2 internal)
//   leaf: key[32] value_hash[32]
//   internal: u16 child bitmap, u16 leaf bitmap (bit i = slot i, little-endian),
//             then per present slot in increasing order: u64 version, hash[32]
core::Bytes encode_state_node(const StateNode& node);
// Rejects anything encode_state_node cannot produce, including an internal
// node with no children or with a single leaf child (and a patch: kind 3).
core::Checked<StateNode> decode_state_node(core::ByteView bytes);

// An internal node may instead be stored as a PATCH of an older internal node
// at the same path, stored whole (its base): the slots where it differs from
// the base, each a new child or none (removed). A patch of a node that
// changed in a few slots is a few dozen bytes where the whole node is up to
// 645, and it always names a base stored whole, so a node is read with at
// most two gets. Only archive stores write patches (a pruning store's
// stale-node index names one stored node per replaced node; a base outlives
// the nodes that replace it). docs/formats/state-tree.md §6.
struct StatePatch {
  std::uint64_t base_version = 0;  // the base is stored whole at (base_version, same path)
  std::uint16_t changed = 0;       // bit i: slot i differs from the base
  InternalNode slots;              // for each changed slot: its child, or none (removed)
  friend bool operator==(const StatePatch&, const StatePatch&) = default;
};

// Slots in which a and b differ.
std::uint16_t differing_slots(const InternalNode& a, const InternalNode& b);
// The patch that turns `base` (stored whole at base_version) into `node`.
StatePatch make_state_patch(std::uint64_t base_version, const InternalNode& base,
                            const InternalNode& node);
// `base` with the patch's slots replaced; rejects a result that is no valid
// internal node (no child, or a single leaf child).
core::Checked<InternalNode> apply_state_patch(const InternalNode& base, const StatePatch& patch);

// Stored form of a patch (kind 3):
//   u8 3, uleb128 base_version, u16 changed bitmap, u16 child bitmap (subset of
//   changed), u16 leaf bitmap (subset of children), then per child slot in
//   increasing order: uleb128 version, hash[32]. LEB128 minimal, at most 10 bytes.
core::Bytes encode_state_patch(const StatePatch& patch);
using StoredStateNode = std::variant<StateNode, StatePatch>;
// A stored node of any kind: decode_state_node's, or a patch.
core::Checked<StoredStateNode> decode_stored_state_node(core::ByteView bytes);

}  // namespace bauhinia::ledger
