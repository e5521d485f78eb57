#include "state_node_io.hpp"

#include <string>

namespace bauhinia::ledger::detail {

namespace {

std::string where(std::uint64_t version, const NibblePath& path) {
  return "state node (version " + std::to_string(version) + ", path '" + path.to_hex() + "')";
}

}  // namespace

core::Result<std::optional<StateNode>> read_state_node(const KvReader& store, std::uint64_t version,
                                                       const NibblePath& path,
                                                       StateNodeCache* cache) {
  if (cache != nullptr) {
    if (auto hit = cache->get(version, path)) return std::optional<StateNode>{std::move(*hit)};
  }
  auto bytes = store.get(Column::kStateNode, state_node_key(version, path));
  if (!bytes) return std::move(bytes).error();
  if (!bytes->has_value()) return std::optional<StateNode>{};
  auto node = decode_state_node(**bytes);
  if (!node) {
    return core::Status::corruption(where(version, path) +
                                    " does not decode: " + node.error().to_string());
  }
  if (cache != nullptr) cache->put(version, path, *node);
  return std::optional<StateNode>{std::move(node).value()};
}

core::Result<StateNode> load_child_node(const KvReader& store, std::uint64_t parent_version,
                                        const ChildRef& ref, const NibblePath& path,
                                        StateNodeCache* cache) {
  if (ref.version > parent_version) {
    return core::Status::corruption(where(ref.version, path) +
                                    " is newer than its parent (version " +
                                    std::to_string(parent_version) + ")");
  }
  auto node = read_state_node(store, ref.version, path, cache);
  if (!node) return std::move(node).error();
  if (!node->has_value()) return core::Status::corruption(where(ref.version, path) + " is missing");
  StateNode& n = **node;
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
  return std::move(n);
}

}  // namespace bauhinia::ledger::detail
