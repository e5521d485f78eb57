#pragma once
// Reading stored state-tree nodes (internal to the ledger library).

#include <cstdint>
#include <optional>

#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node.hpp"

namespace bauhinia::ledger::detail {

// The node at (version, path); nullopt when absent; corruption when undecodable.
core::Result<std::optional<StateNode>> read_state_node(const KvReader& store, std::uint64_t version,
                                                       const NibblePath& path);

// The node that a parent written at `parent_version` refers to at `path`.
// Corruption when it is absent or undecodable, newer than its parent, of
// another kind than the reference says, or (for a leaf, cheap to check) off
// its path or with another hash. Internal hashes are not recomputed here.
core::Result<StateNode> load_child_node(const KvReader& store, std::uint64_t parent_version,
                                        const ChildRef& ref, const NibblePath& path);

}  // namespace bauhinia::ledger::detail
