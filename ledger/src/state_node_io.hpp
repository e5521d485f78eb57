#pragma once
// Reading stored state-tree nodes (internal to the ledger library).

#include <cstdint>
#include <optional>

#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger::detail {

// A node as read, a patch already applied to its base.
struct ReadNode {
  StateNode node;
  // Set when the node is stored as a patch: the node stored whole it applies
  // to (a patch written over this node names the same base).
  std::optional<StateNodeCache::Base> patch_base;
};

// The node at (version, path); nullopt when absent; corruption when
// undecodable, or stored as a patch whose base is missing, not older, not an
// internal node stored whole, or gives no valid internal node.
// With a cache, a cached node of a version the cache covers is served from it,
// and a node read from the store is added to it (the cache itself ignores
// versions above its max_version()).
core::Result<std::optional<ReadNode>> read_node(const KvReader& store, std::uint64_t version,
                                                const NibblePath& path,
                                                StateNodeCache* cache = nullptr);
// read_node's node alone.
core::Result<std::optional<StateNode>> read_state_node(const KvReader& store, std::uint64_t version,
                                                       const NibblePath& path,
                                                       StateNodeCache* cache = nullptr);

// The node that a parent written at `parent_version` refers to at `path`.
// Corruption when it is absent or undecodable, newer than its parent, of
// another kind than the reference says, or (for a leaf, cheap to check) off
// its path or with another hash. Internal hashes are not recomputed here.
core::Result<ReadNode> load_child(const KvReader& store, std::uint64_t parent_version,
                                  const ChildRef& ref, const NibblePath& path,
                                  StateNodeCache* cache = nullptr);
// load_child's node alone.
core::Result<StateNode> load_child_node(const KvReader& store, std::uint64_t parent_version,
                                        const ChildRef& ref, const NibblePath& path,
                                        StateNodeCache* cache = nullptr);

}  // namespace bauhinia::ledger::detail
