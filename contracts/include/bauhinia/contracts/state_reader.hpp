#pragma once
// Where execution reads state from: committed state plus, for a block built on
// an uncommitted parent, the parent's writes. The Executor never writes through
// a reader; it returns the block's writes and the caller applies them.
//
// Implementations: the node backs StateReader with the ledger's state tree at
// a version; MemoryState is a complete in-memory store (tests, simulator,
// benchmarks); StateOverlay layers buffered writes over any reader.

#include <cstddef>
#include <map>
#include <optional>

#include "bauhinia/contracts/write_set.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

using core::Bytes;
using core::ByteView;
using core::Hash256;

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The value stored under `state_key` (chain::state_key(module, record key)),
  // nullopt when absent, or an operational failure (I/O, corruption).
  // Thread safety is the implementation's; the Executor reads from one thread.
  virtual core::Result<std::optional<Bytes>> read(const Hash256& state_key) const = 0;
};

// A whole state in memory, keyed by state key.
class MemoryState final : public StateReader {
 public:
  core::Result<std::optional<Bytes>> read(const Hash256& state_key) const override;
  // Applies a block's writes (values and deletions).
  void apply(const WriteSet& writes);
  std::size_t size() const noexcept { return values_.size(); }
  const std::map<Hash256, Bytes>& values() const noexcept { return values_; }

 private:
  std::map<Hash256, Bytes> values_;
};

// Buffered writes over a base reader: reads see the writes first. Used in
// layers (block, transaction, call) and to chain uncommitted blocks.
// The base must outlive the overlay.
class StateOverlay final : public StateReader {
 public:
  explicit StateOverlay(const StateReader& base) : base_(&base) {}
  // Stacks a new, empty overlay on `parent` (never a copy of it).
  explicit StateOverlay(StateOverlay& parent) : base_(&parent) {}
  StateOverlay(const StateOverlay&) = delete;
  StateOverlay& operator=(const StateOverlay&) = delete;
  // A read-only view of `writes` over `base` (e.g. a pending parent block).
  StateOverlay(const StateReader& base, WriteSet writes)
      : base_(&base), writes_(std::move(writes)) {}

  core::Result<std::optional<Bytes>> read(const Hash256& state_key) const override;
  void put(const Hash256& state_key, StateWrite write);
  // Moves every write of `other` (an overlay stacked on this one) into this one.
  void absorb(StateOverlay&& other);

  const WriteSet& writes() const noexcept { return writes_; }
  WriteSet take_writes() && { return std::move(writes_); }

 private:
  const StateReader* base_;
  WriteSet writes_;
};

}  // namespace bauhinia::contracts
