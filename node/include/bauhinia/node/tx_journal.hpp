#pragma once
// The node's promise to its clients, on disk (docs/adr/0005-durable-acceptance.md).
//
// A transaction the API accepted is journaled, and the answer (202) leaves
// only once the journal entry is synced: a SIGKILL or power loss after the
// answer cannot lose it. At restart the node re-admits every journaled
// transaction that is neither committed nor expired (and re-gossips it). A
// transaction leaves the journal when it leaves the mempool; unless it left
// committed, the journal keeps its verdict (expired, or dropped with the
// reason), so GET /v1/transactions/{id} answers for every id the node accepted.
//
// Group commit: append() queues the entry and returns a ticket at once; one
// writer thread writes everything queued as ONE LevelDB batch with one fsync,
// then calls the waiters of every ticket in it (when_durable). One fsync
// covers every submission that arrived during the previous one, so the fsync
// costs latency (a few ms) rather than throughput. Settling (an entry
// leaves, a verdict is kept) is written in the same order, without a sync of
// its own: lost in a crash, the entry is found again at restart and judged
// again (committed, expired or replaced by then), so the outcome is the same.
//
// Storage (its own LevelDB, data_dir/mempool; the Column bytes reused as
// prefixes):
//   Column::kTransaction  id (32)                -> 0x01 || signed transaction bytes
//   Column::kMeta         "v" || id              -> TxVerdict record
//   Column::kMeta         "o" || be64(sequence)  -> id   (verdicts, oldest first)
// A record is checked when it is loaded: the version byte and id ==
// tagged_hash(kTransactionId, bytes). A record that fails is reported (and
// its id gets the verdict dropped "journal_corrupt"), never re-admitted.
// The verdicts are bounded: beyond max_verdicts the oldest are forgotten.
//
// Thread safety: every member may be called from any thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::node {

// What became of a transaction the node accepted and that did not commit.
enum class TxFate : std::uint8_t {
  kExpired = 1,  // its expiry passed before a block took it
  kDropped = 2,  // left for another reason (evicted, replaced, journal_corrupt, ...)
};
std::string_view tx_fate_name(TxFate f) noexcept;  // "expired" / "dropped"

struct TxVerdict {
  TxFate fate = TxFate::kDropped;
  std::string reason;  // a stable code: "expired", "evicted", "replaced", ...
  std::string detail;  // words for people
  std::uint64_t at_ms = 0;
};

struct JournaledTx {
  core::Hash256 id;
  core::Bytes bytes;
};

struct JournalContents {
  std::vector<JournaledTx> transactions;
  // Records that failed their check: the id and what is wrong.
  std::vector<std::pair<core::Hash256, std::string>> corrupt;
};

struct TxJournalConfig {
  std::size_t max_verdicts = 100'000;
  std::size_t max_verdict_text = 256;  // reason and detail are cut to this
};

struct TxJournalStats {
  std::uint64_t appended = 0;
  std::uint64_t syncs = 0;  // fsyncs (group commits)
  std::uint64_t settled = 0;
  std::uint64_t verdicts = 0;  // verdicts kept now
  std::uint64_t held = 0;      // journaled transactions now
  std::uint64_t write_errors = 0;
};

class TxJournal {
 public:
  // The journal in its own LevelDB at `path` (created if missing).
  static core::Result<std::unique_ptr<TxJournal>> open(const std::string& path,
                                                       TxJournalConfig config = {});
  // Over any store (tests).
  static core::Result<std::unique_ptr<TxJournal>> open(std::unique_ptr<ledger::KvStore> kv,
                                                       TxJournalConfig config = {});
  ~TxJournal();  // stop()
  TxJournal(const TxJournal&) = delete;
  TxJournal& operator=(const TxJournal&) = delete;

  // Every journaled transaction, checked (see above). Those returned are
  // held; the caller settles each one it does not re-admit.
  core::Result<JournalContents> load();

  // Queues `bytes` (id must be its transaction id) and returns its ticket.
  // Idempotent: an id already held returns the ticket that wrote it.
  std::uint64_t append(const core::Hash256& id, core::ByteView bytes);
  // Calls done(ok) once every entry up to `ticket` is synced (at once if it
  // is), or done(error) if the write failed or the journal stopped first.
  // Called on the writer thread (or the caller's): keep it short.
  void when_durable(std::uint64_t ticket, std::function<void(core::Status)> done);
  core::Status wait_durable(std::uint64_t ticket);  // blocking

  // The transaction left the mempool: out of the journal; with a verdict,
  // remembered for verdict(). Without a verdict and not held: nothing to do.
  void settle(const core::Hash256& id, std::optional<TxVerdict> verdict);
  // The latest verdict of `id`, if still kept.
  core::Result<std::optional<TxVerdict>> verdict(const core::Hash256& id) const;
  bool holds(const core::Hash256& id) const;

  // Writes what is queued, then stops the writer; later appends fail their
  // waiters. Idempotent.
  void stop();
  TxJournalStats stats() const;

 private:
  struct Op {
    core::Hash256 id;
    std::optional<core::Bytes> bytes;  // append
    std::optional<TxVerdict> verdict;  // settle with a verdict
    bool erase = false;                // settle of a held entry
    std::uint64_t ticket = 0;          // append
  };
  TxJournal(std::unique_ptr<ledger::KvStore> kv, TxJournalConfig config);
  core::Status load_verdict_order();
  void run();
  void write(std::vector<Op>& ops);

  std::unique_ptr<ledger::KvStore> kv_;
  const TxJournalConfig config_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::thread writer_;
  bool stopping_ = false;
  std::vector<Op> queue_;
  std::unordered_map<core::Hash256, std::uint64_t, core::Hash256Hasher> held_;  // id -> ticket
  std::uint64_t next_ticket_ = 1;
  std::uint64_t durable_ticket_ = 0;  // every ticket <= this is synced
  std::uint64_t failed_up_to_ = 0;    // tickets <= this failed (durable_ticket_ < them)
  core::Status last_error_;
  std::multimap<std::uint64_t, std::function<void(core::Status)>> waiters_;
  // Verdicts queued or being written, not yet readable from the store.
  std::unordered_map<core::Hash256, TxVerdict, core::Hash256Hasher> unwritten_verdicts_;
  TxJournalStats stats_;

  // Writer thread only: the verdict order (sequence, id), oldest first.
  std::deque<std::pair<std::uint64_t, core::Hash256>> order_;
  std::unordered_map<core::Hash256, std::uint64_t, core::Hash256Hasher> latest_order_;
  std::uint64_t next_order_ = 0;
};

}  // namespace bauhinia::node
