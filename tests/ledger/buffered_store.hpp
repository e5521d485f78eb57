#pragma once
// A KvStore that reads through to another store and keeps its own writes in
// memory (an OverlayStore), never touching the store below. A LedgerStore
// opened on it is a scratch twin of a real ledger at the same latest block:
// tests build the next blocks on the twin, then commit them to the real one.

#include "bauhinia/ledger/overlay_store.hpp"

namespace bauhinia::test {

class BufferedKvStore final : public ledger::KvStore {
 public:
  explicit BufferedKvStore(const ledger::KvReader& below) : overlay_(below) {}

  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return overlay_.get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return overlay_.scan(c, prefix, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return overlay_.floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool /*sync*/) override {
    overlay_.apply(batch);
    return core::Status::ok();
  }

 private:
  ledger::OverlayStore overlay_;
};

}  // namespace bauhinia::test
