#pragma once
// The values of state records at the committed height, as the pipeline read
// or committed them (internal to the execution library): contract reads of a
// block fall through the block's speculative ancestors to these before the
// store, where each read is a LevelDB seek.
//
// Validity: every entry is the record's value at height(). After a commit
// that the pipeline itself made on top of height(), advance() applies the
// committed writes (so untouched entries stay valid); any other change of
// the committed height (blocks committed around the pipeline) must reset().
// Bounded by an estimate of bytes, least recently used first out. Not
// thread-safe: the pipeline's owner thread only.

#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <unordered_map>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace bauhinia::execution::detail {

class CommittedValues {
 public:
  explicit CommittedValues(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  std::uint64_t height() const noexcept { return height_; }
  // Drops everything; entries are then of `height`.
  void reset(std::uint64_t height);
  // The committed value of `key` (nullopt inside: no record), if cached.
  const std::optional<core::Bytes>* find(const core::Hash256& key);
  void put(const core::Hash256& key, std::optional<core::Bytes> value);
  // The block at height() + 1 committed with `writes`.
  void advance(std::span<const ledger::StateWrite> writes);

 private:
  struct Entry {
    core::Hash256 key;
    std::optional<core::Bytes> value;
    std::size_t bytes;
  };
  void evict();

  const std::size_t capacity_bytes_;
  std::uint64_t height_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<core::Hash256, std::list<Entry>::iterator, core::Hash256Hasher> index_;
  std::size_t bytes_ = 0;
};

}  // namespace bauhinia::execution::detail
