#pragma once
// A KvStore that records every write with its sync flag and models what a
// crash keeps: reads see every write (the page cache), but only the writes up
// to and including the last synced one are durable (a sync flushes the log
// before it, as LevelDB's fsync of its write-ahead log does). durable_copy()
// is the store a restart after a power loss would find: the unsynced tail is
// thrown away. SIGKILL keeps the page cache, so only this model notices a
// commit written without sync.

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::test {

class SyncRecordingKvStore final : public ledger::KvStore {
 public:
  struct Write {
    ledger::WriteBatch batch;
    bool sync = false;
  };

  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return visible_.get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return visible_.scan(c, prefix, limit, fn);
  }
  core::Status scan_from(
      ledger::Column c, core::ByteView prefix, core::ByteView start, std::size_t limit,
      const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return visible_.scan_from(c, prefix, start, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return visible_.floor(c, prefix, upper);
  }
  // write_all() keeps the base class's default: one write() of the batches
  // concatenated, so one atomic commit is one recorded write.
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    if (core::Status s = visible_.write(batch, sync); !s) return s;
    std::lock_guard lock(mutex_);
    log_.push_back({batch, sync});
    return core::Status::ok();
  }

  std::vector<Write> writes() const {
    std::lock_guard lock(mutex_);
    return log_;
  }
  // The writes that survive a crash: everything up to the last synced write.
  std::unique_ptr<ledger::MemoryKvStore> durable_copy() const {
    std::lock_guard lock(mutex_);
    std::size_t durable = 0;
    for (std::size_t i = 0; i < log_.size(); ++i) {
      if (log_[i].sync) durable = i + 1;
    }
    auto out = std::make_unique<ledger::MemoryKvStore>();
    for (std::size_t i = 0; i < durable; ++i) (void)out->write(log_[i].batch, true);
    return out;
  }

 private:
  ledger::MemoryKvStore visible_;
  mutable std::mutex mutex_;
  std::vector<Write> log_;
};

}  // namespace bauhinia::test
