#pragma once
// The versioned authenticated state tree: a sparse Merkle tree (Jellyfish-style
// storage, state_node.hpp) over 256-bit state keys, one version per block
// height, every version readable with inclusion and non-inclusion proofs.
// Format and algorithms: docs/formats/state-tree.md.
//
// Storage, all in the KvStore given:
//   Column::kStateNode   be64(version) || u8 n || packed n-nibble path -> node
//   Column::kStateValue  key || be64(version) -> 0x01 || value_hash[32] || value,
//                        or 0x00 (deleted): every version of every record, so
//                        also the record's history (value_history)
//   Column::kStateStale  be64(since) || node key -> empty, when recording stale
//                        nodes: the nodes of version since-1 not in version since
// Every version has a root node at (version, empty path) until pruning
// (state_pruner.hpp, docs/adr/0006-state-tree-pruning.md) deletes the nodes of
// versions no longer kept.
//
// StateTree keeps no state of its own: it reads the store it is given (and,
// when given one, reads nodes through a StateNodeCache of committed
// versions), and apply() only adds writes to the caller's WriteBatch, so a
// block's state changes commit atomically with the rest of the block. Thread
// safety: the same as the store's reads (the cache is thread-safe).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger {

using core::Hash256;

inline constexpr std::size_t kMaxStateWritesPerVersion = std::size_t{1} << 20;

// One change of a block: set `key` to `value`, or delete it (nullopt).
struct StateWrite {
  Hash256 key;
  std::optional<Bytes> value;  // at most chain::kMaxStateValueSize bytes
};

struct StateValueWithProof {
  std::optional<Bytes> value;      // nullopt: no record under the key at that version
  chain::SparseMerkleProof proof;  // verifies with chain::verify_state_proof against the root
};

// One write of a record as value_history() lists it.
struct StoredVersion {
  std::uint64_t version = 0;
  std::optional<Hash256> value_hash;  // nullopt: deleted at that version
};

// One entry of Column::kStateValue, parsed (views into the stored bytes).
struct StoredStateValue {
  std::optional<Hash256> value_hash;  // nullopt: deleted
  ByteView value;                     // empty when deleted
};
// nullopt when `stored` is not 0x00 alone or 0x01 || hash[32] || at most
// chain::kMaxStateValueSize bytes.
std::optional<StoredStateValue> parse_stored_state_value(ByteView stored);
Bytes encode_stored_state_value(const std::optional<Bytes>& value,
                                const std::optional<Hash256>& value_hash);

// What one apply() added to the batch.
struct StateUpdate {
  Hash256 root;
  std::size_t nodes_written = 0;   // entries added to Column::kStateNode
  std::size_t values_written = 0;  // entries added to Column::kStateValue
};

class StateTree {
 public:
  // With record_stale, apply() also writes the stale-node index of the new
  // version (Column::kStateStale) that pruning reads.
  explicit StateTree(const KvReader& store, StateNodeCache* cache = nullptr,
                     bool record_stale = false)
      : store_(store), cache_(cache), record_stale_(record_stale) {}

  // Computes version `version` from the previous one and `writes`, adding every
  // new node and value to `batch`. REQUIRES (else invalid_argument): `version`
  // is latest_version() + 1, or any version when the tree has none yet; writes
  // strictly increasing by key (so each key once), values within limits, at
  // most kMaxStateWritesPerVersion. The previous version must be in the store,
  // i.e. the previous batch written. Only the paths that change are rewritten,
  // each once; no writes still store a new root equal to the previous one.
  // A missing or undecodable node is a corruption status.
  core::Result<StateUpdate> apply(std::uint64_t version, std::span<const StateWrite> writes,
                                  WriteBatch& batch) const;

  // The newest version in the store, nullopt when the tree has none.
  core::Result<std::optional<std::uint64_t>> latest_version() const;

  // The root hash of `version`; not_found when that version does not exist.
  core::Result<Hash256> root_hash(std::uint64_t version) const;

  // The value of `key` at `version` (not_found when the version does not exist).
  core::Result<std::optional<Bytes>> get(const Hash256& key, std::uint64_t version) const;
  // The same without checking that `version` exists (one store read less).
  // REQUIRES: the caller knows the version exists (e.g. it read its root).
  core::Result<std::optional<Bytes>> get_in_known_version(const Hash256& key,
                                                          std::uint64_t version) const;

  // The value and its inclusion proof, or nullopt and a non-inclusion proof,
  // against root_hash(version).
  core::Result<StateValueWithProof> get_with_proof(const Hash256& key, std::uint64_t version) const;

  // The versions in [from_version, to_version] at which `key` was written, in
  // increasing order, at most `limit` of them, each with its value's hash as
  // stored beside the value (nullopt: deleted). Reads values, not nodes, so
  // it answers for versions whose nodes were pruned.
  core::Result<std::vector<StoredVersion>> value_history(const Hash256& key,
                                                         std::uint64_t from_version,
                                                         std::uint64_t to_version,
                                                         std::size_t limit) const;

 private:
  const KvReader& store_;
  StateNodeCache* cache_;
  bool record_stale_;
};

// Column::kStateValue key of `key` at `version`.
Bytes state_value_key(const Hash256& key, std::uint64_t version);

}  // namespace bauhinia::ledger
