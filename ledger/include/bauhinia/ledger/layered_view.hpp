#pragma once
// A read view of a store with the batches of uncommitted blocks layered on
// top, like OverlayStore, but without copying them: each block's batches are
// indexed once (BatchIndex: sorted pointers into the batches) and the index
// is reused by every view that layers that block — the execution pipeline
// keeps one per executed block, so a child block's view costs nothing to set
// up and a read is a binary search per layer.
//
// Layers hold puts only (the accumulator's and the state tree's batches never
// delete); a batch with a deletion cannot be indexed (BAUHINIA_ASSERT).

#include <vector>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

class BatchIndex {
 public:
  // Adds the writes of `batch`, which must outlive the index and not change
  // (a later add() of the same key wins). Then seal() before use.
  void add(const WriteBatch& batch);
  void seal();

  // The value stored under (c, key), or nullptr.
  const Bytes* find(Column c, ByteView key) const;
  // The greatest entry of column c whose key starts with `prefix` and is <=
  // `upper`, or nullptr.
  const KvWrite* floor(Column c, ByteView prefix, ByteView upper) const;
  // Every entry of column c whose key starts with `prefix`, in key order.
  std::vector<const KvWrite*> range(Column c, ByteView prefix) const;
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  std::vector<const KvWrite*> entries_;  // sorted by (column, key), each key once
  bool sealed_ = false;
};

class LayeredView final : public KvReader {
 public:
  explicit LayeredView(const KvReader& base) : base_(base) {}
  // Layers `index` (sealed, outliving the view) above the previous ones.
  void push(const BatchIndex& index) { layers_.push_back(&index); }

  core::Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  core::Status scan(Column c, ByteView prefix, std::size_t limit,
                    const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(Column c, ByteView prefix,
                                                             ByteView upper) const override;

 private:
  const KvReader& base_;
  std::vector<const BatchIndex*> layers_;  // oldest first
};

}  // namespace bauhinia::ledger
