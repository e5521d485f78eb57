#include "state_tree_update.hpp"

#include <algorithm>
#include <bit>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "state_node_io.hpp"

namespace bauhinia::ledger::detail {

namespace {

// A subtree after the update, as its parent sees it. A leaf is not written
// where it is computed: it may move up (when its neighbours are deleted), so
// the parent that keeps it writes it at its final path.
struct Subtree {
  enum class Kind : std::uint8_t { kEmpty, kLeaf, kInternal };
  Kind kind = Kind::kEmpty;
  Hash256 hash;
  LeafNode leaf;  // kLeaf
  // The node already in the store, unchanged: written at stored_version, at
  // nibble depth stored_depth (a leaf's path is its key's prefix of that depth;
  // an internal node never moves).
  std::optional<std::uint64_t> stored_version;
  std::size_t stored_depth = 0;

  static Subtree empty() { return {}; }
  static Subtree of_leaf(const LeafNode& l, std::optional<std::uint64_t> stored,
                         std::size_t depth) {
    return {Kind::kLeaf, l.hash(), l, stored, depth};
  }
  static Subtree of_internal(const Hash256& h, std::uint64_t stored, std::size_t depth) {
    return {Kind::kInternal, h, {}, stored, depth};
  }
};

// Where an internal node being replaced is stored whole: itself, or the base
// of the patch it is stored as. A patch written over it names the same base.
struct BaseRef {
  std::uint64_t version = 0;
  const InternalNode* node = nullptr;
};

// Patches only on the top levels, those the execution pipeline's node cache
// keeps (StateNodeCache::kDefaultDepth): a deeper patch would cost a second
// read (its base) on nearly every update of a large state.
constexpr std::size_t kMaxPatchDepth = StateNodeCache::kDefaultDepth;

// Whether a node at `depth` that differs from its base in `changed` slots is
// written as a patch: only over a base of at least 8 children, and only while
// the patch holds at most half of them (so it stays under half the whole
// node's size).
bool worth_a_patch(std::size_t depth, const InternalNode& base, std::uint16_t changed) {
  const std::size_t children = base.child_count();
  return depth <= kMaxPatchDepth && children >= 8 &&
         static_cast<std::size_t>(std::popcount(changed)) <= children / 2;
}

class Updater {
 public:
  Updater(const KvReader& store, StateNodeCache* cache, std::uint64_t version, WriteBatch& batch,
          std::vector<Bytes>* stale)
      : store_(store), cache_(cache), version_(version), batch_(batch), stale_(stale) {}

  // The subtree at `path`, stored as `node` (written at node_version; with
  // `patch_base` when stored as a patch), after `writes` (non-empty, all
  // under `path`).
  core::Result<Subtree> update(const StateNode& node, std::uint64_t node_version,
                               const std::optional<StateNodeCache::Base>& patch_base,
                               const NibblePath& path, std::span<const HashedWrite> writes) {
    if (std::holds_alternative<EmptyNode>(node)) return build(path, live_entries(writes));
    if (const auto* leaf = std::get_if<LeafNode>(&node)) {
      std::vector<LeafNode> merged = merge(*leaf, writes);
      if (merged.size() == 1 && merged.front() == *leaf) {
        return Subtree::of_leaf(*leaf, node_version, path.size());
      }
      mark_stale(node_version, path);
      return build(path, merged);
    }
    const auto& internal = std::get<InternalNode>(node);
    const BaseRef base = patch_base ? BaseRef{patch_base->version, &patch_base->node}
                                    : BaseRef{node_version, &internal};
    return update_internal(internal, node_version, base, path, writes);
  }

  // A new subtree at `path` holding `entries` (strictly increasing keys).
  Subtree build(const NibblePath& path, std::span<const LeafNode> entries) {
    if (entries.empty()) return Subtree::empty();
    if (entries.size() == 1) return Subtree::of_leaf(entries.front(), std::nullopt, 0);
    // Distinct keys differ within 64 nibbles, so two entries never share all of them.
    BAUHINIA_ASSERT(path.size() < kStateMaxNibbles);
    InternalNode node;
    const std::size_t depth = path.size();
    std::size_t i = 0;
    while (i < entries.size()) {
      const std::uint8_t slot = key_nibble(entries[i].key, depth);
      std::size_t j = i + 1;
      while (j < entries.size() && key_nibble(entries[j].key, depth) == slot) ++j;
      const NibblePath child_path = path.child(slot);
      node.children[slot] = place(child_path, build(child_path, entries.subspan(i, j - i)));
      i = j;
    }
    return write_internal(path, node);
  }

  // Writes `root` as the root of version_ (every version has one).
  void place_root(const Subtree& root, const StateNode& old_root) {
    switch (root.kind) {
      case Subtree::Kind::kEmpty: put_node(NibblePath{}, EmptyNode{}); break;
      case Subtree::Kind::kLeaf:
        // A leaf moving up to the root leaves its old place (the old root
        // itself, at depth 0, is stale anyway).
        if (root.stored_version && root.stored_depth != 0) {
          mark_stale(*root.stored_version, NibblePath::prefix_of(root.leaf.key, root.stored_depth));
        }
        put_node(NibblePath{}, root.leaf);
        break;
      case Subtree::Kind::kInternal:
        if (root.stored_version != version_) {
          BAUHINIA_ASSERT(std::holds_alternative<InternalNode>(old_root));
          copy_root(old_root);  // unchanged: the same node under the new version
        }
        break;
    }
  }

  // A version without writes: the previous root under the new version.
  void copy_root(const StateNode& old_root) {
    if (const auto* internal = std::get_if<InternalNode>(&old_root); internal && old_root_base_) {
      write_internal(NibblePath{}, *internal, old_root_base_);
      return;
    }
    put_node(NibblePath{}, old_root);
  }

  // The previous version's root, as stored (whole, or a patch of base).
  void set_old_root_base(BaseRef base) { old_root_base_ = base; }

  std::size_t nodes_written() const noexcept { return nodes_written_; }

  // Records that the stored node at (version, path) is not part of this
  // version's tree although it was part of the base version's.
  void mark_stale(std::uint64_t version, const NibblePath& path) {
    if (stale_ != nullptr) stale_->push_back(state_node_key(version, path));
  }

 private:
  static std::vector<LeafNode> live_entries(std::span<const HashedWrite> writes) {
    std::vector<LeafNode> out;
    out.reserve(writes.size());
    for (const auto& w : writes) {
      if (w.value_hash) out.push_back({w.key, *w.value_hash});
    }
    return out;
  }

  // The records of a one-leaf subtree after the writes, in key order.
  static std::vector<LeafNode> merge(const LeafNode& leaf, std::span<const HashedWrite> writes) {
    std::vector<LeafNode> out;
    out.reserve(writes.size() + 1);
    bool leaf_done = false;
    for (const auto& w : writes) {
      if (!leaf_done && leaf.key <= w.key) {
        if (leaf.key < w.key) out.push_back(leaf);
        leaf_done = true;  // an equal key: the write replaces or deletes the leaf
      }
      if (w.value_hash) out.push_back({w.key, *w.value_hash});
    }
    if (!leaf_done) out.push_back(leaf);
    return out;
  }

  core::Result<Subtree> update_internal(const InternalNode& node, std::uint64_t node_version,
                                        BaseRef base, const NibblePath& path,
                                        std::span<const HashedWrite> writes) {
    const std::size_t depth = path.size();
    std::array<Subtree, kStateRadix> result;
    std::array<bool, kStateRadix> touched{};
    std::size_t i = 0;
    while (i < writes.size()) {
      const std::uint8_t slot = key_nibble(writes[i].key, depth);
      std::size_t j = i + 1;
      while (j < writes.size() && key_nibble(writes[j].key, depth) == slot) ++j;
      const auto group = writes.subspan(i, j - i);
      const NibblePath child_path = path.child(slot);
      touched[slot] = true;
      if (const auto& ref = node.children[slot]) {
        auto child = load_child(store_, node_version, *ref, child_path, cache_);
        if (!child) return std::move(child).error();
        auto sub = update(child->node, ref->version, child->patch_base, child_path, group);
        if (!sub) return std::move(sub).error();
        result[slot] = std::move(sub).value();
      } else {
        result[slot] = build(child_path, live_entries(group));
      }
      i = j;
    }

    // The untouched children stay as they are.
    std::size_t count = 0;
    int last = -1;
    for (unsigned s = 0; s < kStateRadix; ++s) {
      if (!touched[s] && node.children[s]) {
        const ChildRef& ref = *node.children[s];
        result[s].kind = ref.is_leaf ? Subtree::Kind::kLeaf : Subtree::Kind::kInternal;
        result[s].hash = ref.hash;
        result[s].stored_version = ref.version;
        result[s].stored_depth = depth + 1;
      }
      if (result[s].kind != Subtree::Kind::kEmpty) {
        ++count;
        last = static_cast<int>(s);
      }
    }
    if (count == 0) {
      mark_stale(node_version, path);
      return Subtree::empty();
    }
    const auto only = static_cast<std::uint8_t>(last);
    if (count == 1 && result[only].kind == Subtree::Kind::kLeaf) {
      // A lone leaf moves up to the parent's slot; this node disappears.
      mark_stale(node_version, path);
      if (touched[only]) return result[only];
      auto leaf =
          load_child_node(store_, node_version, *node.children[only], path.child(only), cache_);
      if (!leaf) return std::move(leaf).error();
      return Subtree::of_leaf(std::get<LeafNode>(*leaf), node.children[only]->version, depth + 1);
    }

    InternalNode next = node;
    for (unsigned s = 0; s < kStateRadix; ++s) {
      if (!touched[s]) continue;
      next.children[s].reset();
      if (result[s].kind != Subtree::Kind::kEmpty) {
        next.children[s] = place(path.child(static_cast<std::uint8_t>(s)), result[s]);
      }
    }
    if (next == node) return Subtree::of_internal(node.hash(), node_version, depth);
    mark_stale(node_version, path);
    return write_internal(path, next, base);
  }

  // The reference a parent keeps to `sub` at `child_path`, writing a leaf that
  // is new or has moved.
  ChildRef place(const NibblePath& child_path, const Subtree& sub) {
    BAUHINIA_ASSERT(sub.kind != Subtree::Kind::kEmpty);
    if (sub.kind == Subtree::Kind::kInternal) {
      BAUHINIA_ASSERT(sub.stored_version.has_value() && sub.stored_depth == child_path.size());
      return {*sub.stored_version, sub.hash, false};
    }
    if (sub.stored_version && sub.stored_depth == child_path.size()) {
      return {*sub.stored_version, sub.hash, true};
    }
    if (sub.stored_version) {
      // An unchanged leaf that moves: its old place is no longer in the tree.
      mark_stale(*sub.stored_version, NibblePath::prefix_of(sub.leaf.key, sub.stored_depth));
    }
    put_node(child_path, sub.leaf);
    return {version_, sub.hash, true};
  }

  // Writes `node` at (version_, path): as a patch of `base` (the node it
  // replaces, as stored) when patches are on and one is worth it, else whole.
  Subtree write_internal(const NibblePath& path, const InternalNode& node,
                         std::optional<BaseRef> base = std::nullopt) {
    const Hash256 h = node.hash();
    if (patches_ && base && base->node != nullptr) {
      const std::uint16_t changed = differing_slots(*base->node, node);
      if (worth_a_patch(path.size(), *base->node, changed)) {
        batch_.put(Column::kStateNode, state_node_key(version_, path),
                   encode_state_patch(make_state_patch(base->version, *base->node, node)));
        ++nodes_written_;
        return Subtree::of_internal(h, version_, path.size());
      }
    }
    put_node(path, node);
    return Subtree::of_internal(h, version_, path.size());
  }

  void put_node(const NibblePath& path, const StateNode& node) {
    batch_.put(Column::kStateNode, state_node_key(version_, path), encode_state_node(node));
    ++nodes_written_;
  }

  const KvReader& store_;
  StateNodeCache* cache_;
  std::uint64_t version_;
  WriteBatch& batch_;
  std::vector<Bytes>* stale_;
  // Patches only where no stale-node index is kept (archive stores): the
  // index names one stored node per replaced node, and a base outlives the
  // patches over it.
  bool patches_ = stale_ == nullptr;
  std::optional<BaseRef> old_root_base_;
  std::size_t nodes_written_ = 0;
};

}  // namespace

core::Result<NodeUpdate> update_state_nodes(const KvReader& store, std::uint64_t version,
                                            std::optional<std::uint64_t> base_version,
                                            std::span<const HashedWrite> writes, WriteBatch& batch,
                                            StateNodeCache* cache, std::vector<Bytes>* stale) {
  StateNode old_root = EmptyNode{};
  std::optional<StateNodeCache::Base> old_root_patch_base;
  if (base_version) {
    auto root = read_node(store, *base_version, NibblePath{}, cache);
    if (!root) return std::move(root).error();
    if (!root->has_value()) {
      return core::Status::corruption("state tree root of version " +
                                      std::to_string(*base_version) + " is missing");
    }
    old_root = std::move((*root)->node);
    old_root_patch_base = std::move((*root)->patch_base);
  }
  Updater updater(store, cache, version, batch, stale);
  if (const auto* internal = std::get_if<InternalNode>(&old_root)) {
    updater.set_old_root_base(
        old_root_patch_base ? BaseRef{old_root_patch_base->version, &old_root_patch_base->node}
                            : BaseRef{*base_version, internal});
  }
  // Every version writes its own root: the base version's is always stale.
  if (base_version) updater.mark_stale(*base_version, NibblePath{});
  if (writes.empty()) {
    updater.copy_root(old_root);
    return NodeUpdate{state_node_hash(old_root), updater.nodes_written()};
  }
  auto root =
      updater.update(old_root, base_version.value_or(0), old_root_patch_base, NibblePath{}, writes);
  if (!root) return std::move(root).error();
  updater.place_root(*root, old_root);
  if (stale != nullptr) {
    std::sort(stale->begin(), stale->end());
    stale->erase(std::unique(stale->begin(), stale->end()), stale->end());
  }
  const Hash256 root_hash =
      root->kind == Subtree::Kind::kEmpty ? chain::state_placeholder_hash() : root->hash;
  return NodeUpdate{root_hash, updater.nodes_written()};
}

}  // namespace bauhinia::ledger::detail
