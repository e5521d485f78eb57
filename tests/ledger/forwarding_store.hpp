#pragma once
// A KvStore that forwards to another one it does not own, so a test can hand
// LedgerStore a store and still reach the same store directly (to damage it,
// or to count its entries). Every call goes to the real store unchanged.

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::test {

class ForwardingKvStore final : public ledger::KvStore {
 public:
  explicit ForwardingKvStore(ledger::KvStore& target) : target_(target) {}

  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return target_.get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_.scan(c, prefix, limit, fn);
  }
  core::Status scan_from(
      ledger::Column c, core::ByteView prefix, core::ByteView start, std::size_t limit,
      const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_.scan_from(c, prefix, start, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return target_.floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    return target_.write(batch, sync);
  }

 private:
  ledger::KvStore& target_;
};

}  // namespace bauhinia::test
