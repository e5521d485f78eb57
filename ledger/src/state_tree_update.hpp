#pragma once
// The batch update of the state tree (internal to the ledger library).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger::detail {

// A write with the value already hashed; nullopt deletes.
struct HashedWrite {
  core::Hash256 key;
  std::optional<core::Hash256> value_hash;
};

struct NodeUpdate {
  core::Hash256 root;
  std::size_t nodes_written = 0;
};

// Computes the tree of `version` from the tree of `base_version` (nullopt: the
// empty tree) and `writes` (strictly increasing keys), adding the new nodes to
// `batch`: the new root at (version, empty path), and below it only nodes on
// changed paths, each written once. Nodes are read through `cache` when given.
// With `stale`, appends the keys (Column::kStateNode) of the nodes of the base
// version's tree that are not in the new version's tree, sorted, each once:
// the nodes pruning may delete once no version before `version` is kept.
// Without `stale` (an archive), an internal node that changed in few slots is
// written as a patch of the node it replaces, or of that node's own base
// (state_node.hpp, StatePatch); with it, every node is written whole.
core::Result<NodeUpdate> update_state_nodes(const KvReader& store, std::uint64_t version,
                                            std::optional<std::uint64_t> base_version,
                                            std::span<const HashedWrite> writes, WriteBatch& batch,
                                            StateNodeCache* cache = nullptr,
                                            std::vector<core::Bytes>* stale = nullptr);

}  // namespace bauhinia::ledger::detail
