#include "state_node_io.hpp"

#include <string>

namespace bauhinia::ledger::detail {

namespace {

std::string where(std::uint64_t version, const NibblePath& path) {
  return "state node (version " + std::to_string(version) + ", path '" + path.to_hex() + "')";
}

// The node stored whole at (base_version, path) that the patch of the node at
// (version, path) applies to.
core::Result<InternalNode> read_base(const KvReader& store, std::uint64_t version,
                                     std::uint64_t base_version, const NibblePath& path,
                                     StateNodeCache* cache) {
  if (base_version >= version) {
    return core::Status::corruption(where(version, path) + " is a patch of a node not older (" +
                                    std::to_string(base_version) + ")");
  }
  if (cache != nullptr) {
    if (auto hit = cache->find_base(base_version, path)) return std::move(*hit);
  }
  auto bytes = store.get(Column::kStateNode, state_node_key(base_version, path));
  if (!bytes) return std::move(bytes).error();
  if (!bytes->has_value()) {
    return core::Status::corruption(where(version, path) + " is a patch of a missing node " +
                                    where(base_version, path));
  }
  auto base = decode_state_node(**bytes);
  if (!base || !std::holds_alternative<InternalNode>(*base)) {
    return core::Status::corruption(where(version, path) + " is a patch of " +
                                    where(base_version, path) +
                                    ", which is no internal node stored whole");
  }
  return std::get<InternalNode>(std::move(base).value());
}

}  // namespace

core::Result<std::optional<ReadNode>> read_node(const KvReader& store, std::uint64_t version,
                                                const NibblePath& path, StateNodeCache* cache) {
  if (cache != nullptr) {
    if (auto hit = cache->get_entry(version, path)) {
      return std::optional<ReadNode>{ReadNode{std::move(hit->node), std::move(hit->base)}};
    }
  }
  auto bytes = store.get(Column::kStateNode, state_node_key(version, path));
  if (!bytes) return std::move(bytes).error();
  if (!bytes->has_value()) return std::optional<ReadNode>{};
  auto stored = decode_stored_state_node(**bytes);
  if (!stored) {
    return core::Status::corruption(where(version, path) +
                                    " does not decode: " + stored.error().to_string());
  }
  ReadNode out;
  if (auto* whole = std::get_if<StateNode>(&*stored)) {
    out.node = std::move(*whole);
  } else {
    const StatePatch& patch = std::get<StatePatch>(*stored);
    auto base = read_base(store, version, patch.base_version, path, cache);
    if (!base) return std::move(base).error();
    auto applied = apply_state_patch(*base, patch);
    if (!applied) {
      return core::Status::corruption(
          where(version, path) + " does not apply to its base: " + applied.error().to_string());
    }
    out.node = std::move(applied).value();
    out.patch_base = StateNodeCache::Base{patch.base_version, std::move(base).value()};
  }
  if (cache != nullptr) cache->put(version, path, out.node, out.patch_base);
  return std::optional<ReadNode>{std::move(out)};
}

core::Result<std::optional<StateNode>> read_state_node(const KvReader& store, std::uint64_t version,
                                                       const NibblePath& path,
                                                       StateNodeCache* cache) {
  auto read = read_node(store, version, path, cache);
  if (!read) return std::move(read).error();
  if (!read->has_value()) return std::optional<StateNode>{};
  return std::optional<StateNode>{std::move((*read)->node)};
}

core::Result<ReadNode> load_child(const KvReader& store, std::uint64_t parent_version,
                                  const ChildRef& ref, const NibblePath& path,
                                  StateNodeCache* cache) {
  if (ref.version > parent_version) {
    return core::Status::corruption(where(ref.version, path) +
                                    " is newer than its parent (version " +
                                    std::to_string(parent_version) + ")");
  }
  auto read = read_node(store, ref.version, path, cache);
  if (!read) return std::move(read).error();
  if (!read->has_value()) return core::Status::corruption(where(ref.version, path) + " is missing");
  StateNode& n = (*read)->node;
  if (const auto* leaf = std::get_if<LeafNode>(&n)) {
    if (!ref.is_leaf) {
      return core::Status::corruption(where(ref.version, path) +
                                      " is a leaf, its parent says internal");
    }
    if (NibblePath::prefix_of(leaf->key, path.size()) != path) {
      return core::Status::corruption(where(ref.version, path) + " holds a key off its path");
    }
    if (leaf->hash() != ref.hash) {
      return core::Status::corruption(where(ref.version, path) +
                                      " does not match its parent's hash");
    }
  } else if (std::holds_alternative<InternalNode>(n)) {
    if (ref.is_leaf) {
      return core::Status::corruption(where(ref.version, path) +
                                      " is internal, its parent says leaf");
    }
  } else {
    return core::Status::corruption(where(ref.version, path) + " is an empty node below the root");
  }
  return std::move(**read);
}

core::Result<StateNode> load_child_node(const KvReader& store, std::uint64_t parent_version,
                                        const ChildRef& ref, const NibblePath& path,
                                        StateNodeCache* cache) {
  auto child = load_child(store, parent_version, ref, path, cache);
  if (!child) return std::move(child).error();
  return std::move(child->node);
}

}  // namespace bauhinia::ledger::detail
