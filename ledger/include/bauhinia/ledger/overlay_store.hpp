#pragma once
// A read view of a key-value store with uncommitted writes layered on top: the
// committed store of a replica plus the write batches of the speculative
// (executed but not committed) blocks between it and the block being executed.
// The real accumulator and state tree run over this view, so sibling blocks of
// one height never see each other's writes.

#include <map>
#include <optional>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

class OverlayStore final : public KvReader {
 public:
  explicit OverlayStore(const KvReader& base) : base_(base) {}

  // Layers a batch on top (later calls win over earlier ones and the base).
  void apply(const WriteBatch& batch);

  core::Result<std::optional<Bytes>> get(Column c,
                                                 ByteView key) const override;
  core::Status scan(
      Column c, ByteView prefix, std::size_t limit,
      const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(
      Column c, ByteView prefix, ByteView upper) const override;

 private:
  const KvReader& base_;
  // column byte || key -> value, or nullopt for a deletion
  std::map<Bytes, std::optional<Bytes>> top_;
};

}  // namespace bauhinia::ledger
