#pragma once
// Reading stored state-tree nodes (internal to the ledger library).

#include <cstdint>
#include <optional>

#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger::detail {

// The node at (version, path); nullopt when absent; corruption when undecodable.
// With a cache, a cached node of a version the cache covers is served from it,
// and a node read from the store is added to it (the cache itself ignores
// versions above its max_version()).
core::Result<std::optional<StateNode>> read_state_node(const KvReader& store, std::uint64_t version,
                                                       const NibblePath& path,
                                                       StateNodeCache* cache = nullptr);

// The node that a parent written at `parent_version` refers to at `path`.
// Corruption when it is absent or undecodable, newer than its parent, of
// another kind than the reference says, or (for a leaf, cheap to check) off
// its path or with another hash. Internal hashes are not recomputed here.
core::Result<StateNode> load_child_node(const KvReader& store, std::uint64_t parent_version,
                                        const ChildRef& ref, const NibblePath& path,
                                        StateNodeCache* cache = nullptr);

}  // namespace bauhinia::ledger::detail
