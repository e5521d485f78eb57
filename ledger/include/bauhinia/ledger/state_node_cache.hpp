#pragma once
// A cache of decoded state-tree nodes of COMMITTED versions on the upper
// levels of the tree, so that the nodes every block reads (the root and the
// first few nibble levels, on nearly every changed path) are not read from
// the store and decoded again for each block.
//
// Validity: a node is stored once under (version, path) and never changes
// once its version is committed. Speculative blocks (executed, not
// committed) write nodes of versions above the committed height, and sibling
// blocks write different nodes under the same (version, path): those must
// never be cached. So the cache only keeps and serves versions at or below
// max_version(), which its owner sets to the committed height (and only
// raises after a commit). Reads of higher versions bypass it, so an overlay
// of speculative blocks stays isolated.
//
// Shape and bound: one slot per path of at most max_depth nibbles (at most
// 1 + 16 + ... + 16^max_depth slots), holding the newest committed node
// seen at that path; a newer version's node replaces an older one. Blocks
// only ever read the newest node at a path (their base is the committed
// state), so nodes of old versions are dropped rather than aged out by an
// LRU, and the memory is bounded by the slot count times the size of a
// decoded node (max_bytes()). Deeper nodes are left to the store's block
// cache: one is rarely read again before it is rewritten (measured in
// bench/commit_path_bench.cpp). Thread-safe (one mutex); hits and misses
// are counted.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "bauhinia/ledger/state_node.hpp"

namespace bauhinia::ledger {

class StateNodeCache {
 public:
  static constexpr std::size_t kMaxDepth = 4;  // 69,905 slots at most
  static constexpr std::size_t kDefaultDepth = 3;

  explicit StateNodeCache(std::size_t max_depth = kDefaultDepth);  // 0..kMaxDepth
  StateNodeCache(const StateNodeCache&) = delete;
  StateNodeCache& operator=(const StateNodeCache&) = delete;

  // The highest version served and kept. Only ever raise it as blocks commit
  // (a lower value would not drop the nodes of the higher versions).
  void set_max_version(std::uint64_t version);
  std::uint64_t max_version() const;

  // Whether (version, path) is one the cache would serve and keep.
  bool covers(std::uint64_t version, const NibblePath& path) const;
  // The node at (version, path) if cached (and covered).
  std::optional<StateNode> get(std::uint64_t version, const NibblePath& path);
  // Keeps `node` if covered and not older than the slot's node.
  void put(std::uint64_t version, const NibblePath& path, const StateNode& node);

  // A node stored as a patch is cached resolved, with its base (the node
  // stored whole that the patch applies to), so that the next version's
  // patch at that path is made and resolved without reading the base again.
  struct Base {
    std::uint64_t version = 0;
    InternalNode node;
  };
  void put(std::uint64_t version, const NibblePath& path, const StateNode& node,
           std::optional<Base> base);
  struct Entry {
    StateNode node;
    std::optional<Base> base;  // set when the node is stored as a patch
  };
  // Like get(), with the base of a node stored as a patch.
  std::optional<Entry> get_entry(std::uint64_t version, const NibblePath& path);
  // The node stored whole at (base_version, path) if the cache holds it, as
  // the newest node of the path or as that node's base.
  std::optional<InternalNode> find_base(std::uint64_t base_version, const NibblePath& path);

  // The memory all slots would take when full.
  std::size_t max_bytes() const noexcept;

  struct Stats {
    std::size_t entries = 0;
    std::size_t bytes = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };
  Stats stats() const;

 private:
  struct Slot {
    std::uint64_t version;
    StateNode node;
    std::optional<Base> base;  // set when the node is stored as a patch
  };
  static std::size_t slot_of(const NibblePath& path);

  const std::size_t max_depth_;
  mutable std::mutex mutex_;
  std::uint64_t max_version_ = 0;
  bool any_version_ = false;  // max_version_ was set at least once
  std::vector<std::unique_ptr<Slot>> slots_;
  std::size_t entries_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace bauhinia::ledger
