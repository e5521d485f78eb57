#include "bauhinia/ledger/state_node.hpp"

#include <bit>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

namespace {

enum class NodeKind : std::uint8_t { kEmpty = 0, kLeaf = 1, kInternal = 2, kPatch = 3 };

using SlotMask = std::uint32_t;  // bit i = slot i; only the low 16 bits are used

SlotMask range_mask(unsigned lo, unsigned width) {
  return ((SlotMask{1} << width) - 1) << lo;
}

struct Masks {
  SlotMask present = 0;
  SlotMask leaves = 0;
};

Masks masks_of(const InternalNode& node) {
  Masks m;
  for (unsigned i = 0; i < kStateRadix; ++i) {
    if (!node.children[i]) continue;
    m.present |= SlotMask{1} << i;
    if (node.children[i]->is_leaf) m.leaves |= SlotMask{1} << i;
  }
  return m;
}

// Unsigned LEB128 of a u64: 7 bits a byte, low first, at most 10 bytes.
void put_uleb(core::Writer& w, std::uint64_t v) {
  while (v >= 0x80) {
    w.u8(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  w.u8(static_cast<std::uint8_t>(v));
}

// The minimal encoding only; anything else fails the reader.
std::uint64_t get_uleb(core::Reader& r, const char* field) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < 10; ++i) {
    const std::uint8_t b = r.u8();
    if (!r.ok()) return 0;
    const std::uint64_t bits = b & 0x7F;
    if (i == 9 && bits > 1) break;  // beyond 64 bits
    v |= bits << (7 * i);
    if ((b & 0x80) == 0) {
      if (i > 0 && b == 0) {
        r.fail(core::Reject::kNonCanonical, std::string(field) + ": non-minimal LEB128");
        return 0;
      }
      return v;
    }
  }
  r.fail(core::Reject::kOutOfRange, std::string(field) + ": LEB128 beyond 64 bits");
  return 0;
}

// An internal node's invariants (shared by the decoder and patch application).
core::Verdict check_internal(const Masks& m) {
  if (m.present == 0) return core::reject(core::Reject::kInvalid, "internal node without children");
  if ((m.leaves & ~m.present) != 0) {
    return core::reject(core::Reject::kInvalid, "leaf bitmap names an absent child");
  }
  if (std::has_single_bit(m.present) && m.leaves != 0) {
    return core::reject(core::Reject::kNonCanonical, "internal node with a single leaf child");
  }
  return core::Verdict::accept();
}

// What the binary subtree over slots [lo, lo + width) is.
enum class RangeShape : std::uint8_t { kEmpty, kSingleLeaf, kSingleInternal, kSplit };

RangeShape shape_of(const Masks& m, unsigned lo, unsigned width) {
  const SlotMask in = m.present & range_mask(lo, width);
  if (in == 0) return RangeShape::kEmpty;
  if (std::has_single_bit(in)) {
    return (m.leaves & in) != 0 ? RangeShape::kSingleLeaf
                                : (width == 1 ? RangeShape::kSingleInternal : RangeShape::kSplit);
  }
  return RangeShape::kSplit;
}

unsigned only_slot(const Masks& m, unsigned lo, unsigned width) {
  return static_cast<unsigned>(std::countr_zero(m.present & range_mask(lo, width)));
}

Hash256 range_hash(const InternalNode& node, const Masks& m, unsigned lo, unsigned width) {
  switch (shape_of(m, lo, width)) {
    case RangeShape::kEmpty: return chain::state_placeholder_hash();
    case RangeShape::kSingleLeaf:
    case RangeShape::kSingleInternal: return node.children[only_slot(m, lo, width)]->hash;
    case RangeShape::kSplit: break;
  }
  const unsigned half = width / 2;
  return chain::state_internal_hash(range_hash(node, m, lo, half),
                                    range_hash(node, m, lo + half, half));
}

}  // namespace

std::uint8_t key_nibble(const Hash256& key, std::size_t i) {
  BAUHINIA_ASSERT(i < kStateMaxNibbles);
  const std::uint8_t byte = key.bytes()[i / 2];
  return (i % 2 == 0) ? static_cast<std::uint8_t>(byte >> 4)
                      : static_cast<std::uint8_t>(byte & 0x0F);
}

NibblePath NibblePath::prefix_of(const Hash256& key, std::size_t nibbles) {
  BAUHINIA_ASSERT(nibbles <= kStateMaxNibbles);
  NibblePath p;
  for (std::size_t i = 0; i < nibbles / 2; ++i) p.bytes_[i] = key.bytes()[i];
  if (nibbles % 2 == 1) p.bytes_[nibbles / 2] = key.bytes()[nibbles / 2] & 0xF0;
  p.size_ = static_cast<std::uint8_t>(nibbles);
  return p;
}

std::uint8_t NibblePath::at(std::size_t i) const {
  BAUHINIA_ASSERT(i < size_);
  const std::uint8_t byte = bytes_[i / 2];
  return (i % 2 == 0) ? static_cast<std::uint8_t>(byte >> 4)
                      : static_cast<std::uint8_t>(byte & 0x0F);
}

NibblePath NibblePath::child(std::uint8_t nibble) const {
  BAUHINIA_ASSERT(size_ < kStateMaxNibbles && nibble < kStateRadix);
  NibblePath p = *this;
  if (size_ % 2 == 0) {
    p.bytes_[size_ / 2] = static_cast<std::uint8_t>(nibble << 4);
  } else {
    p.bytes_[size_ / 2] = static_cast<std::uint8_t>(p.bytes_[size_ / 2] | nibble);
  }
  ++p.size_;
  return p;
}

std::string NibblePath::to_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) s.push_back(kDigits[at(i)]);
  return s;
}

core::Bytes state_node_key(std::uint64_t version, const NibblePath& path) {
  core::Bytes k;
  k.reserve(8 + 1 + path.packed().size());
  append_be64(k, version);
  k.push_back(static_cast<std::uint8_t>(path.size()));
  k.insert(k.end(), path.packed().begin(), path.packed().end());
  return k;
}

std::optional<std::pair<std::uint64_t, NibblePath>> parse_state_node_key(core::ByteView key) {
  if (key.size() < 9) return std::nullopt;
  const std::uint64_t version = read_be64(key);
  const std::size_t n = key[8];
  if (n > kStateMaxNibbles || key.size() != 9 + (n + 1) / 2) return std::nullopt;
  if (n % 2 == 1 && (key.back() & 0x0F) != 0) return std::nullopt;
  NibblePath p;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t byte = key[9 + i / 2];
    p = p.child(i % 2 == 0 ? static_cast<std::uint8_t>(byte >> 4)
                           : static_cast<std::uint8_t>(byte & 0x0F));
  }
  return std::pair{version, p};
}

Hash256 LeafNode::hash() const {
  return chain::state_leaf_hash(key, value_hash);
}

std::size_t InternalNode::child_count() const noexcept {
  std::size_t n = 0;
  for (const auto& c : children) n += c ? 1 : 0;
  return n;
}

Hash256 InternalNode::hash() const {
  return range_hash(*this, masks_of(*this), 0, kStateRadix);
}

InternalPathEnd InternalNode::descend(std::uint8_t nibble, std::vector<Hash256>& siblings) const {
  BAUHINIA_ASSERT(nibble < kStateRadix);
  const Masks m = masks_of(*this);
  unsigned lo = 0;
  unsigned width = kStateRadix;
  // Invariant: [lo, lo + width) contains `nibble` and is a split range.
  BAUHINIA_ASSERT(shape_of(m, lo, width) == RangeShape::kSplit);
  while (true) {
    const unsigned half = width / 2;
    const bool right = nibble >= lo + half;
    const unsigned other = right ? lo : lo + half;
    siblings.push_back(range_hash(*this, m, other, half));
    if (right) lo += half;
    width = half;
    switch (shape_of(m, lo, width)) {
      case RangeShape::kEmpty: return {InternalPathEnd::Kind::kEmpty, 0};
      case RangeShape::kSingleLeaf:
        return {InternalPathEnd::Kind::kLeaf, static_cast<std::uint8_t>(only_slot(m, lo, width))};
      case RangeShape::kSingleInternal:
        return {InternalPathEnd::Kind::kInternal, static_cast<std::uint8_t>(lo)};
      case RangeShape::kSplit: break;
    }
  }
}

Hash256 state_node_hash(const StateNode& node) {
  if (const auto* leaf = std::get_if<LeafNode>(&node)) return leaf->hash();
  if (const auto* internal = std::get_if<InternalNode>(&node)) return internal->hash();
  return chain::state_placeholder_hash();
}

core::Bytes encode_state_node(const StateNode& node) {
  core::Writer w(4 + kStateRadix * 40);
  if (std::holds_alternative<EmptyNode>(node)) {
    w.u8(static_cast<std::uint8_t>(NodeKind::kEmpty));
  } else if (const auto* leaf = std::get_if<LeafNode>(&node)) {
    w.u8(static_cast<std::uint8_t>(NodeKind::kLeaf));
    w.raw(leaf->key.view());
    w.raw(leaf->value_hash.view());
  } else {
    const auto& internal = std::get<InternalNode>(node);
    const Masks m = masks_of(internal);
    w.u8(static_cast<std::uint8_t>(NodeKind::kInternal));
    w.u16(static_cast<std::uint16_t>(m.present));
    w.u16(static_cast<std::uint16_t>(m.leaves));
    for (const auto& c : internal.children) {
      if (!c) continue;
      w.u64(c->version);
      w.raw(c->hash.view());
    }
  }
  return std::move(w).take();
}

std::uint16_t differing_slots(const InternalNode& a, const InternalNode& b) {
  std::uint16_t out = 0;
  for (unsigned i = 0; i < kStateRadix; ++i) {
    if (a.children[i] != b.children[i]) out = static_cast<std::uint16_t>(out | (1u << i));
  }
  return out;
}

StatePatch make_state_patch(std::uint64_t base_version, const InternalNode& base,
                            const InternalNode& node) {
  StatePatch p;
  p.base_version = base_version;
  p.changed = differing_slots(base, node);
  for (unsigned i = 0; i < kStateRadix; ++i) {
    if ((p.changed & (1u << i)) != 0) p.slots.children[i] = node.children[i];
  }
  return p;
}

core::Checked<InternalNode> apply_state_patch(const InternalNode& base, const StatePatch& patch) {
  InternalNode out = base;
  for (unsigned i = 0; i < kStateRadix; ++i) {
    if ((patch.changed & (1u << i)) != 0) out.children[i] = patch.slots.children[i];
  }
  if (core::Verdict v = check_internal(masks_of(out)); !v) return v.rejection();
  return out;
}

core::Bytes encode_state_patch(const StatePatch& patch) {
  const Masks m = masks_of(patch.slots);
  BAUHINIA_ASSERT((m.present & ~SlotMask{patch.changed}) == 0);
  core::Writer w(16 + kStateRadix * 42);
  w.u8(static_cast<std::uint8_t>(NodeKind::kPatch));
  put_uleb(w, patch.base_version);
  w.u16(patch.changed);
  w.u16(static_cast<std::uint16_t>(m.present));
  w.u16(static_cast<std::uint16_t>(m.leaves));
  for (const auto& c : patch.slots.children) {
    if (!c) continue;
    put_uleb(w, c->version);
    w.raw(c->hash.view());
  }
  return std::move(w).take();
}

core::Checked<StoredStateNode> decode_stored_state_node(core::ByteView bytes) {
  if (bytes.empty() || bytes[0] != static_cast<std::uint8_t>(NodeKind::kPatch)) {
    auto node = decode_state_node(bytes);
    if (!node) return std::move(node).error();
    return StoredStateNode{std::move(node).value()};
  }
  core::Reader r(bytes.subspan(1));
  StatePatch p;
  p.base_version = get_uleb(r, "patch base version");
  p.changed = r.u16();
  const SlotMask present = r.u16();
  const SlotMask leaves = r.u16();
  if (!r.ok()) return r.rejection();
  if ((present & ~SlotMask{p.changed}) != 0) {
    return core::reject(core::Reject::kInvalid, "patch child bitmap names an unchanged slot");
  }
  if ((leaves & ~present) != 0) {
    return core::reject(core::Reject::kInvalid, "leaf bitmap names an absent child");
  }
  for (unsigned i = 0; i < kStateRadix; ++i) {
    if ((present & (SlotMask{1} << i)) == 0) continue;
    ChildRef c;
    c.version = get_uleb(r, "child version");
    const core::ByteView h = r.raw(Hash256::kSize, "child hash");
    if (!r.ok()) return r.rejection();
    c.hash = *Hash256::from_bytes(h);
    c.is_leaf = (leaves & (SlotMask{1} << i)) != 0;
    p.slots.children[i] = c;
  }
  if (core::Verdict v = r.finish(); !v) return v.rejection();
  return StoredStateNode{p};
}

core::Checked<StateNode> decode_state_node(core::ByteView bytes) {
  core::Reader r(bytes);
  const std::uint8_t kind = r.u8();
  StateNode node;
  if (!r.ok()) return r.rejection();
  switch (kind) {
    case static_cast<std::uint8_t>(NodeKind::kEmpty): node = EmptyNode{}; break;
    case static_cast<std::uint8_t>(NodeKind::kLeaf): {
      LeafNode leaf;
      const core::ByteView key = r.raw(Hash256::kSize, "leaf key");
      const core::ByteView value_hash = r.raw(Hash256::kSize, "leaf value hash");
      if (!r.ok()) return r.rejection();
      leaf.key = *Hash256::from_bytes(key);
      leaf.value_hash = *Hash256::from_bytes(value_hash);
      node = leaf;
      break;
    }
    case static_cast<std::uint8_t>(NodeKind::kInternal): {
      const SlotMask present = r.u16();
      const SlotMask leaves = r.u16();
      if (!r.ok()) return r.rejection();
      if (core::Verdict v = check_internal(Masks{present, leaves}); !v) return v.rejection();
      InternalNode internal;
      for (unsigned i = 0; i < kStateRadix; ++i) {
        if ((present & (SlotMask{1} << i)) == 0) continue;
        ChildRef c;
        c.version = r.u64();
        const core::ByteView h = r.raw(Hash256::kSize, "child hash");
        if (!r.ok()) return r.rejection();
        c.hash = *Hash256::from_bytes(h);
        c.is_leaf = (leaves & (SlotMask{1} << i)) != 0;
        internal.children[i] = c;
      }
      node = internal;
      break;
    }
    default:
      return core::reject(core::Reject::kOutOfRange,
                          "unknown state node kind " + std::to_string(kind));
  }
  if (core::Verdict v = r.finish(); !v) return v.rejection();
  return node;
}

}  // namespace bauhinia::ledger
