#pragma once
// Values of state records near the latest committed version, for readers of
// the latest state that are not consensus (mempool admission on the API and
// gossip threads), so that a read is not a LevelDB seek. LedgerStore keeps it
// up to date as blocks commit (ledger_store.hpp, latest_state_value).
//
// Invariant: an entry (key -> since, value) holds the value of `key` at every
// version v with since <= v <= height(). advance() keeps it for the keys a
// block did not write and replaces the entries of the keys it wrote; put()
// only adds what was read at height() itself, so a read that raced a commit
// is dropped rather than cached stale. A lookup at a version outside
// [since, height()] misses. Bounded by an estimate of bytes, least recently
// used first out. Thread-safe (one mutex; every operation is a hash lookup).

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace bauhinia::ledger {

class LatestValueCache {
 public:
  explicit LatestValueCache(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  // Drops every entry; the cache is then at `height`.
  void reset(std::uint64_t height);
  std::uint64_t height() const;

  // The value of `key` at `version` (nullopt inside: no record), if cached.
  std::optional<std::optional<core::Bytes>> find(const core::Hash256& key,
                                                 std::uint64_t version) const;
  // `value` was read from the store at `version`: cached when version is
  // height() (nothing committed since), ignored otherwise.
  void put(const core::Hash256& key, std::uint64_t version, std::optional<core::Bytes> value);
  // The block at `height` committed with `writes`. When `height` is not
  // height() + 1 the cache cannot tell what changed between them: it resets.
  void advance(std::uint64_t height, std::span<const StateWrite> writes);

  std::size_t size() const;
  struct Counts {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };
  Counts counts() const;

 private:
  struct Entry {
    core::Hash256 key;
    std::uint64_t since;
    std::optional<core::Bytes> value;
    std::size_t bytes;
  };
  // REQUIRES: mutex_ held.
  void store(const core::Hash256& key, std::uint64_t since, std::optional<core::Bytes> value);
  void evict();

  const std::size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t height_ = 0;
  mutable std::list<Entry> lru_;  // most recently used first
  std::unordered_map<core::Hash256, std::list<Entry>::iterator, core::Hash256Hasher> index_;
  std::size_t bytes_ = 0;
  mutable Counts counts_;
};

}  // namespace bauhinia::ledger
