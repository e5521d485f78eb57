#pragma once
// A read view of a key-value store with uncommitted writes layered on top: the
// committed store of a replica plus the write batches of the speculative
// (executed but not committed) blocks between it and the block being executed.
// The real accumulator and state tree run over this view, so sibling blocks of
// one height never see each other's writes.

#include <map>
#include <optional>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::sim {

class OverlayStore final : public ledger::KvReader {
 public:
  explicit OverlayStore(const ledger::KvReader& base) : base_(base) {}

  // Layers a batch on top (later calls win over earlier ones and the base).
  void apply(const ledger::WriteBatch& batch);

  core::Result<std::optional<ledger::Bytes>> get(ledger::Column c,
                                                 ledger::ByteView key) const override;
  core::Status scan(
      ledger::Column c, ledger::ByteView prefix, std::size_t limit,
      const std::function<bool(ledger::ByteView, ledger::ByteView)>& fn) const override;
  core::Result<std::optional<std::pair<ledger::Bytes, ledger::Bytes>>> floor(
      ledger::Column c, ledger::ByteView prefix, ledger::ByteView upper) const override;

 private:
  const ledger::KvReader& base_;
  // column byte || key -> value, or nullopt for a deletion
  std::map<ledger::Bytes, std::optional<ledger::Bytes>> top_;
};

}  // namespace bauhinia::sim
