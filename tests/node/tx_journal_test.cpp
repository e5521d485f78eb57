// TxJournal: an accepted transaction is durable (a synced write holds it)
// before its ticket is reported durable; appends queued during a sync share
// the next one (group commit); verdicts survive a reopen and stay bounded; a
// reopen after a torn write keeps everything synced before it; a damaged
// record is reported by id and never handed back for re-admission; a write
// failure or a stopped journal fails the waiters instead of promising.

#include "bauhinia/node/tx_journal.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "../ledger/forwarding_store.hpp"
#include "../ledger/sync_recording_store.hpp"
#include "../ledger/temp_dir.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {
namespace {

// Arbitrary transaction bytes and their id (the journal checks only the hash).
struct Tx {
  core::Hash256 id;
  core::Bytes bytes;
};
Tx tx(std::uint8_t n, std::size_t size = 120) {
  core::Bytes b(size, n);
  b[0] = 0xA5;
  return Tx{core::tagged_hash(core::HashTag::kTransactionId, b), b};
}

std::unique_ptr<TxJournal> open_over(ledger::KvStore& store, TxJournalConfig config = {}) {
  auto j = TxJournal::open(std::make_unique<test::ForwardingKvStore>(store), config);
  EXPECT_TRUE(j.has_value()) << j.error().to_string();
  return std::move(j).value();
}

std::unique_ptr<TxJournal> open_dir(const std::string& path, TxJournalConfig config = {}) {
  auto j = TxJournal::open(path, config);
  EXPECT_TRUE(j.has_value()) << j.error().to_string();
  return j ? std::move(j).value() : nullptr;
}

// Forwards to a store; its first write waits until release(), and writes
// fail while fail is set.
class GatedStore final : public ledger::KvStore {
 public:
  explicit GatedStore(ledger::KvStore& target) : target_(target) {}
  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return target_.get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_.scan(c, prefix, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return target_.floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    std::unique_lock lock(mutex_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
    if (fail_) return core::Status::io_error("disk full (injected)");
    lock.unlock();
    return target_.write(batch, sync);
  }
  void wait_entered(int n) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }
  void set_fail(bool f) {
    std::lock_guard lock(mutex_);
    fail_ = f;
  }

 private:
  ledger::KvStore& target_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool released_ = false;
  bool fail_ = false;
};

std::vector<core::Hash256> ids_of(const JournalContents& c) {
  std::vector<core::Hash256> out;
  for (const auto& t : c.transactions) out.push_back(t.id);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TxJournal, DurableOnlyOnceASyncedWriteHoldsIt) {
  test::SyncRecordingKvStore store;
  auto j = open_over(store);
  ASSERT_TRUE(j->load().has_value());
  const Tx a = tx(1), b = tx(2), c = tx(3);
  j->append(a.id, a.bytes);
  j->append(b.id, b.bytes);
  const std::uint64_t last = j->append(c.id, c.bytes);
  EXPECT_EQ(j->append(b.id, b.bytes), 2U) << "idempotent: the ticket that wrote it";
  ASSERT_TRUE(j->wait_durable(last).is_ok());
  // Every write carrying a journal entry was synced.
  std::size_t entries = 0;
  for (const auto& w : store.writes()) {
    for (const auto& kw : w.batch.writes()) {
      if (kw.column == ledger::Column::kTransaction && kw.value) {
        ++entries;
        EXPECT_TRUE(w.sync) << "a journal entry written without fsync";
      }
    }
  }
  EXPECT_EQ(entries, 3U);
  // A power loss now (unsynced writes dropped) keeps all three.
  auto after_crash = store.durable_copy();
  auto reopened = open_over(*after_crash);
  auto loaded = reopened->load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  std::vector<core::Hash256> want{a.id, b.id, c.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids_of(*loaded), want);
  EXPECT_TRUE(loaded->corrupt.empty());
  for (const auto& t : loaded->transactions) {
    EXPECT_EQ(core::tagged_hash(core::HashTag::kTransactionId, t.bytes), t.id);
  }
  EXPECT_TRUE(reopened->holds(a.id));
}

TEST(TxJournal, AppendsQueuedDuringASyncShareTheNextOne) {
  ledger::MemoryKvStore memory;
  GatedStore gate(memory);
  auto j = open_over(gate);
  ASSERT_TRUE(j->load().has_value());
  const Tx first = tx(1);
  const std::uint64_t t1 = j->append(first.id, first.bytes);
  gate.wait_entered(1);  // the writer is inside the first write (its "fsync")
  std::uint64_t last = 0;
  for (std::uint8_t n = 2; n < 102; ++n) {
    const Tx t = tx(n);
    last = j->append(t.id, t.bytes);
  }
  std::vector<std::uint64_t> done;
  std::mutex m;
  for (std::uint64_t t = t1; t <= last; ++t) {
    j->when_durable(t, [&, t](core::Status s) {
      EXPECT_TRUE(s.is_ok()) << s.to_string();
      std::lock_guard lock(m);
      done.push_back(t);
    });
  }
  {
    std::lock_guard lock(m);
    EXPECT_TRUE(done.empty()) << "reported durable before its write finished";
  }
  gate.release();
  ASSERT_TRUE(j->wait_durable(last).is_ok());
  EXPECT_EQ(j->stats().syncs, 2U) << "101 appends, one sync for the first and one for the rest";
  EXPECT_EQ(j->stats().appended, 101U);
  // The callbacks run on the writer thread after the entries became durable
  // (possibly just after wait_durable returned): closing the journal joins it.
  j.reset();
  std::lock_guard lock(m);
  EXPECT_EQ(done.size(), 101U);
}

TEST(TxJournal, SettledEntriesLeaveAndVerdictsSurviveAReopen) {
  test::TempDir dir("tx-journal");
  const Tx kept = tx(1), committed = tx(2), expired = tx(3), evicted = tx(4);
  {
    auto j = open_dir(dir.sub("mempool"));
    ASSERT_TRUE(j->load().has_value());
    for (const Tx* t : {&kept, &committed, &expired, &evicted}) j->append(t->id, t->bytes);
    j->settle(committed.id, std::nullopt);
    j->settle(expired.id, TxVerdict{TxFate::kExpired, "expired", "its expiry passed", 1234});
    j->settle(evicted.id, TxVerdict{TxFate::kDropped, "evicted", "the mempool was full", 1235});
    // Readable at once (before the writer wrote it).
    auto v = j->verdict(expired.id);
    ASSERT_TRUE(v.has_value() && v->has_value());
    EXPECT_EQ((*v)->reason, "expired");
    EXPECT_FALSE(j->holds(committed.id));
    // A settle of an unknown id without a verdict changes nothing.
    j->settle(tx(9).id, std::nullopt);
    j->stop();
    EXPECT_EQ(j->stats().held, 1U);
  }
  auto j = open_dir(dir.sub("mempool"));
  auto loaded = j->load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(ids_of(*loaded), std::vector<core::Hash256>{kept.id});
  auto e = j->verdict(expired.id);
  ASSERT_TRUE(e.has_value() && e->has_value());
  EXPECT_EQ((*e)->fate, TxFate::kExpired);
  EXPECT_EQ((*e)->detail, "its expiry passed");
  EXPECT_EQ((*e)->at_ms, 1234U);
  auto d = j->verdict(evicted.id);
  ASSERT_TRUE(d.has_value() && d->has_value());
  EXPECT_EQ((*d)->fate, TxFate::kDropped);
  EXPECT_EQ((*d)->reason, "evicted");
  auto none = j->verdict(committed.id);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value()) << "a committed transaction keeps no verdict";
  EXPECT_EQ(tx_fate_name(TxFate::kExpired), "expired");
}

TEST(TxJournal, VerdictsAreBoundedOldestForgottenFirst) {
  test::TempDir dir("tx-journal");
  TxJournalConfig config;
  config.max_verdicts = 3;
  config.max_verdict_text = 16;
  {
    auto j = open_dir(dir.sub("mempool"), config);
    ASSERT_TRUE(j->load().has_value());
    for (std::uint8_t n = 1; n <= 5; ++n) {
      j->settle(tx(n).id, TxVerdict{TxFate::kDropped, "evicted", std::string(100, 'x'), n});
    }
    // A newer verdict for the oldest kept id: it is kept as the newest.
    j->settle(tx(3).id, TxVerdict{TxFate::kExpired, "expired", "", 6});
    j->settle(tx(6).id, TxVerdict{TxFate::kDropped, "replaced", "", 7});
    j->stop();
  }
  auto j = open_dir(dir.sub("mempool"), config);
  for (std::uint8_t n = 1; n <= 6; ++n) {
    auto v = j->verdict(tx(n).id);
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
    const bool kept = n == 3 || n == 5 || n == 6;
    EXPECT_EQ(v->has_value(), kept) << "transaction " << int{n};
    if (v->has_value()) {
      EXPECT_LE((*v)->detail.size(), 16U);
    }
  }
  EXPECT_EQ((*j->verdict(tx(3).id))->reason, "expired");
  EXPECT_EQ(j->stats().verdicts, 3U);
  // More after the reopen keep the bound.
  j->settle(tx(7).id, TxVerdict{TxFate::kDropped, "evicted", "", 8});
  j->stop();
  EXPECT_FALSE(j->verdict(tx(5).id)->has_value());
  EXPECT_TRUE(j->verdict(tx(7).id)->has_value());
}

// SIGKILL or power loss in the middle of a journal write: LevelDB's log ends
// in a torn record. The reopen keeps every entry synced before it.
TEST(TxJournal, ReopensAfterATornWrite) {
  test::TempDir dir("tx-journal");
  const std::string path = dir.sub("mempool");
  const Tx a = tx(1, 300), b = tx(2, 300);
  {
    auto j = open_dir(path);
    ASSERT_TRUE(j->load().has_value());
    ASSERT_TRUE(j->wait_durable(j->append(a.id, a.bytes)).is_ok());
    ASSERT_TRUE(j->wait_durable(j->append(b.id, b.bytes)).is_ok());
  }
  // The newest log file holds both records (nothing was flushed to a table);
  // cut it in the middle of the last one.
  std::filesystem::path log;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.path().extension() == ".log" && (log.empty() || e.path() > log)) log = e.path();
  }
  ASSERT_FALSE(log.empty());
  const auto size = std::filesystem::file_size(log);
  ASSERT_GT(size, 600U);
  std::filesystem::resize_file(log, size - 100);

  auto j = open_dir(path);
  ASSERT_NE(j, nullptr);
  auto loaded = j->load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(ids_of(*loaded), std::vector<core::Hash256>{a.id}) << "the torn entry is not kept";
  EXPECT_TRUE(loaded->corrupt.empty());
  // And it goes on: a new entry, another reopen.
  const Tx c = tx(3);
  ASSERT_TRUE(j->wait_durable(j->append(c.id, c.bytes)).is_ok());
  j.reset();
  auto again = open_dir(path);
  auto reloaded = again->load();
  ASSERT_TRUE(reloaded.has_value());
  std::vector<core::Hash256> want{a.id, c.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids_of(*reloaded), want);
}

// Damaged records (bytes that do not hash to their id, an unknown version, a
// key that is no id) are reported clearly, never re-admitted, and leave with
// the verdict journal_corrupt so the client learns to resubmit.
TEST(TxJournal, CorruptRecordsAreReportedAndNeverReadmitted) {
  ledger::MemoryKvStore store;
  const Tx good = tx(1), flipped = tx(2), versioned = tx(3);
  {
    auto j = open_over(store);
    ASSERT_TRUE(j->load().has_value());
    for (const Tx* t : {&good, &flipped, &versioned}) {
      ASSERT_TRUE(j->wait_durable(j->append(t->id, t->bytes)).is_ok());
    }
  }
  ledger::WriteBatch damage;
  core::Bytes bad = flipped.bytes;
  bad.insert(bad.begin(), 0x01);
  bad[50] ^= 0x40;
  damage.put(ledger::Column::kTransaction, flipped.id.view(), bad);
  core::Bytes v9 = versioned.bytes;
  v9.insert(v9.begin(), 0x09);
  damage.put(ledger::Column::kTransaction, versioned.id.view(), v9);
  damage.put(ledger::Column::kTransaction, core::Bytes{1, 2, 3}, core::Bytes{1});
  ASSERT_TRUE(store.write(damage, true).is_ok());

  auto j = open_over(store);
  auto loaded = j->load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(ids_of(*loaded), std::vector<core::Hash256>{good.id});
  ASSERT_EQ(loaded->corrupt.size(), 3U);
  std::string all;
  for (const auto& [id, why] : loaded->corrupt) all += why + "\n";
  EXPECT_NE(all.find(flipped.id.to_hex() + " does not hash to its id"), std::string::npos) << all;
  EXPECT_NE(all.find(versioned.id.to_hex() + " has an unknown version"), std::string::npos) << all;
  EXPECT_NE(all.find("is not a transaction id"), std::string::npos) << all;
  EXPECT_FALSE(j->holds(flipped.id));
  auto v = j->verdict(flipped.id);
  ASSERT_TRUE(v.has_value() && v->has_value());
  EXPECT_EQ((*v)->reason, "journal_corrupt");
  j->stop();
  // They left the journal: the next load finds only the good one.
  auto again = open_over(store);
  auto reloaded = again->load();
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(ids_of(*reloaded), std::vector<core::Hash256>{good.id});
  EXPECT_TRUE(reloaded->corrupt.empty());
  EXPECT_EQ((*again->verdict(versioned.id))->fate, TxFate::kDropped);
}

TEST(TxJournal, AFailedWriteOrAStoppedJournalFailsItsWaiters) {
  ledger::MemoryKvStore memory;
  GatedStore gate(memory);
  gate.set_fail(true);
  gate.release();
  auto j = open_over(gate);
  const Tx a = tx(1);
  const core::Status s = j->wait_durable(j->append(a.id, a.bytes));
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.to_string().find("disk full (injected)"), std::string::npos) << s.to_string();
  EXPECT_EQ(j->stats().write_errors, 1U);
  gate.set_fail(false);
  const Tx b = tx(2);
  EXPECT_TRUE(j->wait_durable(j->append(b.id, b.bytes)).is_ok());
  j->stop();
  const Tx c = tx(3);
  const core::Status stopped = j->wait_durable(j->append(c.id, c.bytes));
  EXPECT_FALSE(stopped.is_ok());
  EXPECT_NE(stopped.to_string().find("stopped"), std::string::npos) << stopped.to_string();
}

}  // namespace
}  // namespace bauhinia::node
